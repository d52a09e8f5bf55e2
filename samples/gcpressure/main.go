// Command gcpressure allocates a torrent of short-lived, pointer-bearing objects
// while keeping a moderately large live heap, with GOGC lowered to 25. The
// collector runs constantly, so the CPU profile shows a large share of time in
// GC work: background mark workers (runtime.gcBgMarkWorker), mark assists charged
// to the allocating goroutine (runtime.gcAssistAlloc) and runtime.mallocgc.
package main

import (
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"example.com/samples/internal/prof"
)

type record struct {
	key   string
	tags  []string
	next  *record
	value *float64
}

// parse builds a short linked list of records for one line of input; all of it is
// garbage as soon as the caller has summed it.
func parse(line int) *record {
	var head *record
	for i := 0; i < 8; i++ {
		v := float64(line * i)
		head = &record{
			key:   "k" + strconv.Itoa(line+i),
			tags:  []string{"a", "b", strconv.Itoa(i)},
			next:  head,
			value: &v,
		}
	}
	return head
}

func sum(r *record) float64 {
	t := 0.0
	for ; r != nil; r = r.next {
		t += *r.value + float64(len(r.key)+len(r.tags))
	}
	return t
}

// live is the long-lived part of the heap that every mark phase has to trace.
var live []*record

func main() {
	debug.SetGCPercent(25)
	for i := 0; i < 60_000; i++ {
		live = append(live, parse(i))
	}

	stop := prof.StartCPU("cpu.pb.gz")
	deadline := time.Now().Add(3 * time.Second)
	var wg sync.WaitGroup
	totals := make([]float64, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				for k := 0; k < 1000; k++ {
					totals[w] += sum(parse(n*1000 + k))
				}
			}
		}(w)
	}
	wg.Wait()
	stop()
	prof.Keep(totals)
	prof.Keep(len(live))
}
