// Command mapgrow fills maps created without a size hint although the number of
// entries is known. The map keeps doubling its bucket array (runtime.hashGrow,
// runtime.growWork), so allocation shows up under runtime.mapassign.
package main

import (
	"runtime"

	"example.com/samples/internal/prof"
)

// index maps each id to its position, with no size hint.
func index(ids []int) map[int]int {
	m := map[int]int{}
	for i, id := range ids {
		m[id] = i
	}
	return m
}

// countWords counts words in a generated corpus, with no size hint.
func countWords(n int) map[string]int {
	words := make([]string, 0, 64)
	for i := 0; i < 64; i++ {
		words = append(words, string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	m := make(map[string]int)
	for i := 0; i < n; i++ {
		m[words[i%len(words)]+words[(i/64)%len(words)]]++
	}
	return m
}

func main() {
	runtime.MemProfileRate = 4096
	ids := make([]int, 100_000)
	for i := range ids {
		ids[i] = i*7919 + 3
	}
	var live []map[int]int
	var liveWords []map[string]int
	for round := 0; round < 15; round++ {
		m := index(ids)
		w := countWords(60_000)
		if round%5 == 0 {
			live = append(live, m)
			liveWords = append(liveWords, w)
		}
	}
	prof.Keep(live)
	prof.Keep(liveWords)
	prof.WriteMem()
}
