// Command pointers keeps a large, pointer-heavy data structure alive: a linked
// graph of small structs each allocated on its own, referenced from slices of
// pointers. Every object is a separate heap allocation the garbage collector must
// trace, which is what the heap profile's object counts show.
package main

import (
	"runtime"
	"strconv"

	"example.com/samples/internal/prof"
)

type customer struct {
	name    *string
	orders  []*order
	friends []*customer
}

type order struct {
	id    *int
	items []*item
	owner *customer
}

type item struct {
	sku   *string
	price *float64
}

func newItem(i int) *item {
	sku := "sku-" + strconv.Itoa(i)
	price := float64(i) * 0.25
	return &item{sku: &sku, price: &price}
}

func newOrder(c *customer, id int) *order {
	o := &order{id: new(int), owner: c}
	*o.id = id
	for k := 0; k < 4; k++ {
		o.items = append(o.items, newItem(id*4+k))
	}
	return o
}

// buildGraph creates n customers with orders and friend links.
func buildGraph(n int) []*customer {
	cs := make([]*customer, 0, n)
	for i := 0; i < n; i++ {
		name := "customer-" + strconv.Itoa(i)
		c := &customer{name: &name}
		for j := 0; j < 3; j++ {
			c.orders = append(c.orders, newOrder(c, i*3+j))
		}
		cs = append(cs, c)
	}
	for i, c := range cs {
		c.friends = append(c.friends, cs[(i*31+7)%n], cs[(i*17+3)%n])
	}
	return cs
}

func main() {
	runtime.MemProfileRate = 4096
	graph := buildGraph(40_000)
	prof.Keep(graph)
	prof.WriteMem()
}
