// Command growslice appends to slices that start empty even though the final
// length is known up front. append has to grow the backing array again and
// again (runtime.growslice), copying everything each time and leaving the old
// arrays as garbage.
package main

import (
	"runtime"

	"example.com/samples/internal/prof"
)

type point struct{ x, y, z float64 }

// collect gathers n points without preallocating.
func collect(n int) []point {
	var pts []point
	for i := 0; i < n; i++ {
		f := float64(i)
		pts = append(pts, point{f, f * 2, f * 3})
	}
	return pts
}

// squares gathers n ints without preallocating.
func squares(n int) []int {
	var out []int
	for i := 0; i < n; i++ {
		out = append(out, i*i)
	}
	return out
}

func main() {
	runtime.MemProfileRate = 4096
	var live [][]point
	var liveInts [][]int
	for round := 0; round < 30; round++ {
		p := collect(50_000)
		q := squares(100_000)
		if round%10 == 0 {
			live = append(live, p)
			liveInts = append(liveInts, q)
		}
	}
	prof.Keep(live)
	prof.Keep(liveInts)
	prof.WriteMem()
}
