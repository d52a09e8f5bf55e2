// Prints Go's own %.2f and %.2g (the verbs pprof's measurement package uses) for a
// deterministic set of doubles: exact binary ties, values near rounding boundaries,
// exponent-form magnitudes. Used by tests/unit/format.test.ts as the expected values.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

type row struct {
	V  float64 `json:"v"`
	F2 string  `json:"f2"`
	G2 string  `json:"g2"`
	P5 string  `json:"p5"`
}

func main() {
	var vals []float64
	for k := 0; k <= 4096; k++ {
		vals = append(vals, float64(k)/64, float64(k)/1024*100, float64(k)/8)
	}
	for e := -12; e <= 6; e++ {
		for _, m := range []float64{1, 1.5, 2.5, 9.5, 9.95, 9.99, 9.995, 0.95, 0.995, 0.9995, 99.95, 99.949, 100.05, 62.5, 0.125, 1.125} {
			vals = append(vals, m*math.Pow(10, float64(e)))
		}
	}
	x := uint64(88172645463325252)
	for i := 0; i < 3000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		vals = append(vals, float64(x%10000000)/float64(1+(x>>40)%100000))
	}
	var out []row
	for _, v := range vals {
		out = append(out, row{V: v, F2: fmt.Sprintf("%.2f", v), G2: fmt.Sprintf("%.2g", v), P5: fmt.Sprintf("%5.2g%%", v)})
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
