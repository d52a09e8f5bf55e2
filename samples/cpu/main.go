// Command cpu burns about three seconds of CPU in three recognisable ways so the
// CPU profile has a recursive part, an inlined part and one flat hot loop:
//
//   - walk: a recursive walk over a binary tree (recursion shows in the flame graph
//     as the same frame stacked on itself, and cum != flat in the top table);
//   - checksum: a loop calling tiny helpers (mix, rotl) that the compiler inlines,
//     so their frames carry the inline flag;
//   - primes: a plain sieve, the hot loop that dominates flat time.
package main

import (
	"fmt"
	"time"

	"example.com/samples/internal/prof"
)

type node struct {
	left, right *node
	val         int
}

// build makes a complete binary tree of the given depth.
func build(depth, val int) *node {
	if depth == 0 {
		return nil
	}
	return &node{left: build(depth-1, 2*val), right: build(depth-1, 2*val+1), val: val}
}

// walk sums the tree recursively, doing a little arithmetic per node.
func walk(n *node) int {
	if n == nil {
		return 0
	}
	s := walk(n.left) + walk(n.right)
	return s + n.val%7*3
}

// fib is the classic doubly recursive Fibonacci.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// rotl and mix are small enough that the compiler inlines them into checksum.
func rotl(x uint64, k uint) uint64 { return x<<k | x>>(64-k) }

func mix(h, v uint64) uint64 {
	h ^= v * 0x9E3779B97F4A7C15
	return rotl(h, 31) * 0x85EBCA77C2B2AE63
}

func checksum(data []uint64, rounds int) uint64 {
	var h uint64
	for r := 0; r < rounds; r++ {
		for _, v := range data {
			h = mix(h, v)
		}
	}
	return h
}

// primes counts primes below len(composite) with a sieve: the distinct hot loop.
// The caller reuses the buffer so the profile is about CPU, not GC.
func primes(composite []bool) int {
	clear(composite)
	n := len(composite)
	count := 0
	for i := 2; i < n; i++ {
		if composite[i] {
			continue
		}
		count++
		for j := i * i; j < n; j += i {
			composite[j] = true
		}
	}
	return count
}

func main() {
	stop := prof.StartCPU("cpu.pb.gz")
	start := time.Now()

	tree := build(18, 1)
	data := make([]uint64, 4096)
	for i := range data {
		data[i] = uint64(i) * 2654435761
	}
	sieve := make([]bool, 2_000_000)
	var total int
	var h uint64
	for time.Since(start) < 3*time.Second {
		total += walk(tree)
		total += fib(27)
		h ^= checksum(data, 120)
		total += primes(sieve)
	}
	stop()
	fmt.Println("done", total, h)
}
