// live-service is a small Go program for pprof-lens's live-capture tests and demos.
// It serves net/http/pprof on a loopback address while doing work that is easy to
// recognise in each profile kind:
//
//   - CPU:        main.spinHot burns CPU in a tight loop (profile)
//   - heap:       main.retainChunks keeps a growing list of 64 KiB chunks (heap, allocs)
//   - goroutines: main.leakyWaiter goroutines block forever and keep piling up (goroutine)
//   - mutex:      main.contendLock fights over one sync.Mutex (mutex, block)
//   - custom:     a "live.widgets" profile records every open widget
//
// Usage: live-service [-port 0] [-leak-every 50ms] [-leak-max 20000] [-retain-max 1024]
// It prints "listening on http://127.0.0.1:PORT" once it is ready.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	port      = flag.Int("port", 0, "TCP port on 127.0.0.1 (0 = pick a free one)")
	leakEvery = flag.Duration("leak-every", 50*time.Millisecond, "start one leaked goroutine this often")
	retainMax = flag.Int("retain-max", 1024, "stop retaining heap chunks after this many (64 KiB each)")
	leakMax   = flag.Int("leak-max", 20000, "stop leaking goroutines after this many")
)

// sink keeps results alive so the compiler cannot drop the work.
var sink uint64

// spinHot is the CPU hot spot: a deliberately slow mixing loop.
//
//go:noinline
func spinHot(n int) uint64 {
	x := uint64(1469598103934665603)
	for i := 0; i < n; i++ {
		x ^= uint64(i)
		x *= 1099511628211
		x = x<<13 | x>>51
	}
	return x
}

func cpuWorker() {
	for {
		sink += spinHot(2_000_000)
		// Leave some room for the other workers on small machines.
		time.Sleep(2 * time.Millisecond)
	}
}

var (
	retainedMu sync.Mutex
	retained   [][]byte
)

// retainChunks allocates and keeps memory, so inuse_space rises over time.
//
//go:noinline
func retainChunks() {
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = byte(i)
	}
	retainedMu.Lock()
	if len(retained) < *retainMax {
		retained = append(retained, chunk)
	}
	retainedMu.Unlock()
}

// churnGarbage allocates short-lived objects (visible in allocs, not in inuse).
//
//go:noinline
func churnGarbage() int {
	total := 0
	for i := 0; i < 200; i++ {
		b := make([]byte, 1024+i)
		total += len(b)
	}
	return total
}

func allocWorker() {
	for {
		retainChunks()
		sink += uint64(churnGarbage())
		time.Sleep(20 * time.Millisecond)
	}
}

// leakyWaiter blocks on a channel nobody ever writes: a goroutine leak.
//
//go:noinline
func leakyWaiter(never chan struct{}) {
	<-never
}

func leakWorker() {
	never := make(chan struct{})
	for i := 0; i < *leakMax; i++ {
		go leakyWaiter(never)
		time.Sleep(*leakEvery)
	}
}

var contended sync.Mutex

// contendLock holds a shared mutex briefly so other goroutines wait for it.
//
//go:noinline
func contendLock() {
	contended.Lock()
	time.Sleep(100 * time.Microsecond)
	contended.Unlock()
}

func mutexWorker() {
	for {
		contendLock()
	}
}

var widgets = pprof.NewProfile("live.widgets")

// openWidget adds one entry to the custom profile.
//
//go:noinline
func openWidget(w *int) {
	widgets.Add(w, 1)
}

func main() {
	flag.Parse()
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000)

	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", httppprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", httppprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "live-service: profiles at /debug/pprof/\n")
	})

	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatalf("listen: %v", err)
	}

	for i := 0; i < 3; i++ {
		openWidget(new(int))
	}
	go cpuWorker()
	go allocWorker()
	go leakWorker()
	for i := 0; i < 3; i++ {
		go mutexWorker()
	}

	fmt.Printf("listening on http://%s\n", ln.Addr())
	os.Stdout.Sync()
	log.Fatal(http.Serve(ln, mux))
}
