// Command tuned does the same kinds of work as sprintf, concat, growslice,
// mapgrow, boxing and pointers, written with allocation in mind: strconv.Append*
// into a reused buffer, strings.Builder with Grow, preallocated slices, maps with a
// size hint, concrete types instead of interfaces and flat value structs. It is the
// negative case for the allocation insights.
package main

import (
	"runtime"
	"strconv"
	"strings"

	"example.com/samples/internal/prof"
)

// keyFor appends "user:<u>/shard:<s>/<kind>" to buf without fmt.
func keyFor(buf []byte, user, shard int, kind string) []byte {
	buf = append(buf, "user:"...)
	buf = strconv.AppendInt(buf, int64(user), 10)
	buf = append(buf, "/shard:"...)
	buf = strconv.AppendInt(buf, int64(shard), 10)
	buf = append(buf, '/')
	return append(buf, kind...)
}

// keyLengths formats n keys into one reused buffer.
func keyLengths(n int) int {
	buf := make([]byte, 0, 64)
	kinds := [...]string{"view", "click", "buy"}
	total := 0
	for i := 0; i < n; i++ {
		buf = keyFor(buf[:0], i*7, i%16, kinds[i%3])
		total += len(buf)
	}
	return total
}

// joinIDs renders ids with one strings.Builder sized up front.
func joinIDs(ids []int) string {
	var b strings.Builder
	b.Grow(len(ids) * 8)
	var tmp [20]byte
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(strconv.AppendInt(tmp[:0], int64(id), 10))
	}
	return b.String()
}

type point struct{ x, y, z float64 }

// collect preallocates the exact length.
func collect(n int) []point {
	pts := make([]point, 0, n)
	for i := 0; i < n; i++ {
		f := float64(i)
		pts = append(pts, point{f, f * 2, f * 3})
	}
	return pts
}

// index gives the map its final size up front.
func index(ids []int) map[int]int {
	m := make(map[int]int, len(ids))
	for i, id := range ids {
		m[id] = i
	}
	return m
}

// money rows are kept as concrete structs, not []any.
type money struct {
	cents    int64
	currency string
	rate     float64
}

func records(n int) []money {
	out := make([]money, n)
	for i := range out {
		out[i] = money{int64(i), "EUR", float64(i) * 1.01}
	}
	return out
}

// flat customers: one slice of values, indexes instead of pointers.
type customer struct {
	nameID  int32
	orders  [3]int32
	friends [2]int32
}

func buildCustomers(n int) []customer {
	cs := make([]customer, n)
	for i := range cs {
		cs[i] = customer{nameID: int32(i), orders: [3]int32{int32(3 * i), int32(3*i + 1), int32(3*i + 2)},
			friends: [2]int32{int32((i*31 + 7) % n), int32((i*17 + 3) % n)}}
	}
	return cs
}

func main() {
	runtime.MemProfileRate = 4096
	ids := make([]int, 1500)
	for i := range ids {
		ids[i] = i * 13
	}
	total := 0
	var keepJoined []string
	var keepPts [][]point
	var keepMaps []map[int]int
	var keepMoney [][]money
	for round := 0; round < 10; round++ {
		total += keyLengths(20_000)
		s := joinIDs(ids)
		p := collect(50_000)
		m := index(ids)
		r := records(30_000)
		if round%5 == 0 {
			keepJoined = append(keepJoined, s)
			keepPts = append(keepPts, p)
			keepMaps = append(keepMaps, m)
			keepMoney = append(keepMoney, r)
		}
	}
	prof.Keep(total)
	prof.Keep(keepJoined)
	prof.Keep(keepPts)
	prof.Keep(keepMaps)
	prof.Keep(keepMoney)
	prof.Keep(buildCustomers(40_000))
	prof.WriteMem()
}
