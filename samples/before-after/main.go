// Command before-after writes two pairs of profiles for comparisons:
//
//   - cpu.before.pb.gz / cpu.after.pb.gz: the same report (word frequencies of a
//     generated text) computed by a slow version (regexp splitting, sort.Slice with
//     a costly comparator, string building by +=) and by an optimised version
//     (byte scanning, precomputed keys, strings.Builder). Same amount of work.
//   - heap.1.pb.gz / heap.2.pb.gz: two snapshots of a cache that never evicts,
//     taken after 1x and 3x the requests, so the in-use heap grows between them.
//
// Usage: before-after [dir]
package main

import (
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"example.com/samples/internal/prof"
)

var vocabulary = []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
	"iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"}

// text generates a deterministic document of n words.
func text(n int) string {
	var b strings.Builder
	x := uint32(1)
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
		b.WriteString(vocabulary[x>>28])
		if x&7 == 0 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var wordRE = regexp.MustCompile(`[a-z]+`)

// reportSlow is the "before" version.
func reportSlow(doc string) string {
	counts := map[string]int{}
	for _, w := range wordRE.FindAllString(doc, -1) {
		counts[strings.ToLower(w)]++
	}
	var words []string
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		// Re-formats both keys on every comparison.
		return strconv.Itoa(counts[words[i]])+words[i] < strconv.Itoa(counts[words[j]])+words[j]
	})
	out := ""
	for _, w := range words {
		out += w + "=" + strconv.Itoa(counts[w]) + "\n"
	}
	return out
}

// reportFast is the "after" version: same output, no regexp, no re-formatting.
func reportFast(doc string) string {
	counts := make(map[string]int, len(vocabulary))
	start := -1
	for i := 0; i <= len(doc); i++ {
		if i < len(doc) && doc[i] >= 'a' && doc[i] <= 'z' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			counts[doc[start:i]]++
			start = -1
		}
	}
	type kv struct {
		key string
		w   string
		n   int
	}
	rows := make([]kv, 0, len(counts))
	for w, n := range counts {
		rows = append(rows, kv{strconv.Itoa(n) + w, w, n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].key < rows[j].key })
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.w)
		b.WriteByte('=')
		b.WriteString(strconv.Itoa(r.n))
		b.WriteByte('\n')
	}
	return b.String()
}

func run(report func(string) string, docs []string, rounds int) int {
	total := 0
	for r := 0; r < rounds; r++ {
		for _, d := range docs {
			total += len(report(d))
		}
	}
	return total
}

// cache never evicts: the leak the heap snapshots show.
var cache = map[string][]byte{}

func serve(from, to int) {
	for i := from; i < to; i++ {
		key := "req-" + strconv.Itoa(i)
		cache[key] = make([]byte, 512)
	}
}

func main() {
	runtime.MemProfileRate = 4096
	docs := make([]string, 8)
	for i := range docs {
		docs[i] = text(20_000 + i*1000)
	}

	stop := prof.StartCPU("cpu.before.pb.gz")
	a := run(reportSlow, docs, 30)
	stop()
	stop = prof.StartCPU("cpu.after.pb.gz")
	b := run(reportFast, docs, 30)
	stop()
	if a != b {
		panic("versions disagree")
	}

	serve(0, 20_000)
	prof.WriteNamed("heap", "heap.1.pb.gz")
	serve(20_000, 60_000)
	prof.WriteNamed("heap", "heap.2.pb.gz")
	prof.Keep(len(cache))
}
