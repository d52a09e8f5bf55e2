// Command concat builds strings with += in a loop. Each += copies the whole string
// so far into a new allocation (runtime.concatstrings), which makes the allocated
// bytes grow quadratically with the length of the result.
package main

import (
	"runtime"
	"strconv"

	"example.com/samples/internal/prof"
)

// joinIDs renders ids as "1,2,3,..." the slow way.
func joinIDs(ids []int) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += strconv.Itoa(id)
	}
	return s
}

func main() {
	runtime.MemProfileRate = 4096
	ids := make([]int, 1500)
	for i := range ids {
		ids[i] = i * 13
	}
	var live []string
	for round := 0; round < 40; round++ {
		s := joinIDs(ids)
		if round%10 == 0 {
			live = append(live, s)
		}
	}
	prof.Keep(live)
	prof.WriteMem()
}
