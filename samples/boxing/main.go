// Command boxing stores plain values in interfaces: a []any of numbers and
// structs, and calls through an `any` parameter. Converting a non-pointer value
// to an interface copies it to the heap (runtime.convT64, convTstring, convT),
// so each boxed value is its own small allocation.
package main

import (
	"runtime"

	"example.com/samples/internal/prof"
)

type money struct {
	cents    int64
	currency string
	rate     float64
}

// record boxes each value into a generic row.
func record(i int) []any {
	row := make([]any, 0, 4)
	row = append(row, int64(i)*1000003)                          // convT64
	row = append(row, "item-"+string(rune('a'+i%26)))            // convTstring
	row = append(row, money{int64(i), "EUR", float64(i) * 1.01}) // convT
	row = append(row, float64(i)/3)                              // convT64 (float bits)
	return row
}

var (
	seen int
	last any
)

// observe keeps the last value it saw, so its parameter escapes and every caller
// has to box its argument on the heap.
//
//go:noinline
func observe(v any) {
	if _, ok := v.(money); ok {
		seen++
	}
	last = v
}

func main() {
	runtime.MemProfileRate = 4096
	var rows [][]any
	for i := 0; i < 300_000; i++ {
		r := record(i)
		observe(money{int64(i), "USD", 1}) // boxed at the call site
		if i%10 == 0 {
			rows = append(rows, r)
		}
	}
	prof.Keep(rows)
	prof.WriteMem()
}
