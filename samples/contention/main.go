// Command contention makes goroutines fight over one hot mutex and wait on a slow
// channel, with mutex and block profiling switched on, and writes mutex.pb.gz and
// block.pb.gz:
//
//   - (*stats).record: 8 goroutines update a shared map under a single sync.Mutex,
//     doing real work while holding it (the hot lock);
//   - consume: a consumer waits on a channel fed by a producer that sleeps between
//     items (the channel wait), and main waits on a sync.WaitGroup.
package main

import (
	"runtime"
	"sync"
	"time"

	"example.com/samples/internal/prof"
)

type stats struct {
	mu     sync.Mutex
	counts map[int]int
}

// record holds the lock while doing a little hashing: the contended section.
func (s *stats) record(v int) {
	s.mu.Lock()
	h := v
	for i := 0; i < 200; i++ {
		h = h*31 + i
	}
	s.counts[h%1024]++
	s.mu.Unlock()
}

func hammer(s *stats, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		s.record(i)
	}
}

func produce(ch chan<- int, n int) {
	for i := 0; i < n; i++ {
		time.Sleep(time.Millisecond)
		ch <- i
	}
	close(ch)
}

func consume(ch <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	sum := 0
	for v := range ch { // waits for the slow producer
		sum += v
	}
	prof.Keep(sum)
}

func main() {
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	s := &stats{counts: make(map[int]int)}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go hammer(s, 40_000, &wg)
	}
	ch := make(chan int)
	wg.Add(1)
	go consume(ch, &wg)
	go produce(ch, 300)
	wg.Wait()

	prof.WriteNamed("mutex", "mutex.pb.gz")
	prof.WriteNamed("block", "block.pb.gz")
}
