// Command labels runs three kinds of request handlers for two tenants under
// pprof.Do labels (handler, tenant), so the CPU profile's samples carry string
// labels: `go tool pprof -tags` breaks the time down per handler and tenant, and
// -tagfocus/-tagroot select or group by them. Parked workers keep their labels in
// the goroutine profile.
package main

import (
	"context"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/samples/internal/prof"
)

// checksum is the CPU work of one request; cost sets how long it runs.
func checksum(cost int) uint64 {
	var h uint64 = 1469598103934665603
	for i := 0; i < cost; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return h
}

func checkout(n int) uint64 { return checksum(n * 3) }
func search(n int) uint64   { return checksum(n * 2) }
func report(n int) uint64   { return checksum(n) }

var handlers = []struct {
	name string
	fn   func(int) uint64
}{{"checkout", checkout}, {"search", search}, {"report", report}}

// serve runs requests until the deadline, each under its handler and tenant labels.
func serve(ctx context.Context, tenant string, weight int, until time.Time, wg *sync.WaitGroup) {
	defer wg.Done()
	var sum uint64
	for time.Now().Before(until) {
		for _, h := range handlers {
			pprof.Do(ctx, pprof.Labels("handler", h.name, "tenant", tenant), func(context.Context) {
				sum += h.fn(weight * 20_000)
			})
		}
	}
	prof.Keep(sum)
}

// park leaves a labelled goroutine blocked on a channel for the goroutine profile.
func park(ctx context.Context, queue string, ch chan struct{}) {
	pprof.Do(ctx, pprof.Labels("queue", queue), func(context.Context) { <-ch })
}

func main() {
	ctx := context.Background()
	stop := prof.StartCPU("cpu.pb.gz")
	until := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	wg.Add(2)
	go serve(ctx, "acme", 3, until, &wg)
	go serve(ctx, "globex", 1, until, &wg)
	wg.Wait()
	stop()

	ch := make(chan struct{})
	for i := 0; i < 6; i++ {
		q := "emails"
		if i%3 == 0 {
			q = "invoices"
		}
		go park(ctx, q, ch)
	}
	time.Sleep(100 * time.Millisecond)
	prof.WriteNamed("goroutine", "goroutine.pb.gz")
	close(ch)
}
