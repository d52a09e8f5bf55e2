// Command goroutines leaks goroutines in three classic ways and keeps a few healthy
// ones, then writes goroutine.pb.gz:
//
//   - fetchWithTimeout: the worker sends its result on an unbuffered channel after
//     the caller has given up, so it blocks on the send forever (300 leaked);
//   - subscribe: listeners wait to receive from a channel nobody ever closes (200);
//   - watch: loops in a select on two channels that never become ready (100);
//   - healthy: a pool of 4 workers waiting for jobs and one ticker goroutine.
package main

import (
	"runtime"
	"sync"
	"time"

	"example.com/samples/internal/prof"
)

// fetchWithTimeout starts a lookup and abandons it if it takes too long. The
// unbuffered result channel is the bug: the late sender has nobody to receive.
func fetchWithTimeout(key int, timeout time.Duration) (int, bool) {
	result := make(chan int)
	go func() {
		time.Sleep(2 * time.Millisecond) // the slow backend
		result <- key * 2                // blocks forever once the caller has left
	}()
	select {
	case v := <-result:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}

// subscribe registers a listener that waits for an event that is never sent.
func subscribe(events chan string, got *int) {
	go func() {
		for e := range events { // parked in chan receive forever
			if e != "" {
				*got++
			}
		}
	}()
}

// watch polls two channels in a select; neither is ever ready and there is no
// stop channel, so the goroutine never exits.
func watch(updates <-chan int, errs <-chan error) {
	go func() {
		for {
			select {
			case <-updates:
			case <-errs:
			}
		}
	}()
}

// startPool runs a small healthy worker pool.
func startPool(jobs <-chan int, wg *sync.WaitGroup) {
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs {
				_ = j * j
				wg.Done()
			}
		}()
	}
}

func main() {
	for i := 0; i < 300; i++ {
		fetchWithTimeout(i, time.Microsecond)
	}
	events := make(chan string)
	got := 0
	for i := 0; i < 200; i++ {
		subscribe(events, &got)
	}
	updates := make(chan int)
	errs := make(chan error)
	for i := 0; i < 100; i++ {
		watch(updates, errs)
	}

	jobs := make(chan int)
	var wg sync.WaitGroup
	startPool(jobs, &wg)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		jobs <- i
	}
	wg.Wait()

	ticker := time.NewTicker(time.Hour)
	go func() {
		for range ticker.C {
		}
	}()

	// Let the slow senders reach their blocking send.
	time.Sleep(100 * time.Millisecond)
	runtime.Gosched()
	prof.WriteNamed("goroutine", "goroutine.pb.gz")
}
