// Command largeheap records every allocation (runtime.MemProfileRate = 1) made from
// about 280,000 distinct call paths, so heap.pb.gz is a large profile (~280k
// samples) for benchmarks. Each counter value picks a path through sixteen
// functions f0..f15, one hex digit of the counter per level, five levels deep.
package main

import (
	"runtime"

	"example.com/samples/internal/prof"
)

const (
	paths = 280_000
	depth = 5
)

var steps [16]func(n, d int) []byte

// step calls the function chosen by the lowest hex digit of n, or allocates at
// the bottom of the path.
func step(n, d int) []byte {
	if d == 0 {
		return make([]byte, 16+n%48)
	}
	return steps[n&15](n>>4, d-1)
}

//go:noinline
func f0(n, d int) []byte { return step(n, d) }

//go:noinline
func f1(n, d int) []byte { return step(n, d) }

//go:noinline
func f2(n, d int) []byte { return step(n, d) }

//go:noinline
func f3(n, d int) []byte { return step(n, d) }

//go:noinline
func f4(n, d int) []byte { return step(n, d) }

//go:noinline
func f5(n, d int) []byte { return step(n, d) }

//go:noinline
func f6(n, d int) []byte { return step(n, d) }

//go:noinline
func f7(n, d int) []byte { return step(n, d) }

//go:noinline
func f8(n, d int) []byte { return step(n, d) }

//go:noinline
func f9(n, d int) []byte { return step(n, d) }

//go:noinline
func f10(n, d int) []byte { return step(n, d) }

//go:noinline
func f11(n, d int) []byte { return step(n, d) }

//go:noinline
func f12(n, d int) []byte { return step(n, d) }

//go:noinline
func f13(n, d int) []byte { return step(n, d) }

//go:noinline
func f14(n, d int) []byte { return step(n, d) }

//go:noinline
func f15(n, d int) []byte { return step(n, d) }

func main() {
	runtime.MemProfileRate = 1
	steps = [16]func(n, d int) []byte{f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15}
	kept := make([][]byte, 0, paths/4)
	for i := 0; i < paths; i++ {
		b := step(i, depth)
		if i%4 == 0 {
			kept = append(kept, b) // a quarter stays live for the in-use view
		}
	}
	prof.Keep(kept)
	prof.WriteNamed("heap", "heap.pb.gz")
}
