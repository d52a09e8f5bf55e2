// Command sprintf formats keys with fmt.Sprintf inside a hot loop: every call
// boxes its arguments into interfaces and allocates a new string, so the
// allocation profile is dominated by fmt.Sprintf and its helpers.
package main

import (
	"fmt"
	"runtime"

	"example.com/samples/internal/prof"
)

type event struct {
	user  int
	shard int
	kind  string
}

// keyFor builds a cache key the slow way.
func keyFor(e event) string {
	return fmt.Sprintf("user:%d/shard:%d/%s", e.user, e.shard, e.kind)
}

func buildKeys(n int) []string {
	keys := make([]string, 0, n)
	kinds := []string{"view", "click", "buy"}
	for i := 0; i < n; i++ {
		keys = append(keys, keyFor(event{user: i * 7, shard: i % 16, kind: kinds[i%3]}))
	}
	return keys
}

func main() {
	runtime.MemProfileRate = 4096
	var live [][]string
	for round := 0; round < 20; round++ {
		keys := buildKeys(20_000)
		if round%5 == 0 {
			live = append(live, keys) // keep some of them so the heap profile has in-use data
		}
	}
	prof.Keep(live)
	prof.WriteMem()
}
