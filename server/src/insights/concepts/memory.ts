// Concept pages: where values live and what makes them allocate. Written for this
// project; examples are ours.
import type { Concept } from '../../../../contract/insights.js';
import { go, list, p, sh, text } from './blocks.js';

export const memoryConcepts: Concept[] = [
  {
    slug: 'stack-vs-heap',
    title: 'Stack vs heap',
    summary:
      'A goroutine stack is private scratch space that is reclaimed for free when a function returns; the heap is shared memory that the garbage collector has to find and free. Allocation profiles only ever show the heap.',
    sections: [
      {
        heading: 'Two places for a value',
        blocks: [
          p(
            'Every goroutine owns a stack. A function call reserves a frame on it for locals and arguments, and returning simply moves the stack pointer back: nothing to free, nothing for the GC to track beyond scanning the live frames.',
          ),
          p(
            'Values that must outlive the call, or whose size or lifetime the compiler cannot pin down, go to the heap through `runtime.mallocgc`. Each one costs an allocation now and marking and sweeping work later. That is why a program can be "slow because of GC" even though the GC itself is efficient: it is doing work proportional to what you allocate.',
          ),
          go(`
type point struct{ x, y int }

func onStack() int {
	p := point{1, 2} // stays in the frame: gone when the function returns
	return p.x + p.y
}

func onHeap() *point {
	p := point{1, 2} // its address leaves the function, so the compiler moves it to the heap
	return &p
}`),
        ],
      },
      {
        heading: 'Goroutine stacks grow',
        blocks: [
          p(
            'A new goroutine starts with a small stack (2 KiB at minimum; since Go 1.19 the runtime starts new goroutines at the average size it has observed). When a call needs more room, `runtime.newstack` allocates a stack twice as large and `runtime.copystack` moves the frames over. Deep recursion or big local arrays in many short-lived goroutines therefore show up in CPU profiles as `runtime.newstack`/`copystack`. Stacks are not part of heap profiles.',
          ),
        ],
      },
      {
        heading: 'What to keep on the stack',
        blocks: [
          list(
            'Return small structs by value instead of a pointer to them.',
            'Let callers pass a buffer or destination in (the `Append*` style) instead of returning a freshly allocated one.',
            'Avoid storing short-lived values in interfaces, maps, globals or channels: each of those makes them escape.',
          ),
        ],
      },
    ],
    signals: [
      'CPU: a large share under `runtime.mallocgc` (or its 1.24+ variants `mallocgcSmallNoscan`, `mallocgcTiny`, ...) and `runtime.newobject`.',
      'heap/allocs: user functions at the top of `alloc_space` / `alloc_objects` -- every byte there was a heap allocation, never a stack one.',
      'CPU: `runtime.newstack` -> `runtime.copystack` under your function means goroutine stacks keep growing.',
    ],
    nextSteps: [
      { text: 'See which lines allocate most', command: 'go tool pprof -sample_index=alloc_space -top allocs.pb.gz' },
      {
        text: 'Ask the compiler why a value lives on the heap',
        command: "go build -gcflags=-m ./... 2>&1 | grep -E 'moved to heap|escapes to heap'",
      },
    ],
    related: ['escape-analysis', 'garbage-collector', 'values-vs-pointers'],
  },
  {
    slug: 'escape-analysis',
    title: 'Escape analysis and reading -gcflags=-m',
    summary:
      'The compiler decides at build time whether each value can live in its function\'s stack frame. Values that "escape" become heap allocations; `go build -gcflags=-m` prints every decision.',
    sections: [
      {
        heading: 'When a value escapes',
        blocks: [
          list(
            'Its address outlives the call: returned, stored in a global, a heap object, a map or a channel.',
            'A closure that outlives the call captures it.',
            'It is stored in an interface value that escapes (the value is copied to the heap first).',
            'It is too big for the stack (implicit allocations over 64 KiB, e.g. a large `make`), or its size is only known at run time and it does not fit the small stack buffer the compiler may reserve (Go 1.25+).',
            'It is passed to a function the compiler cannot see through, such as a call through an interface or a function value, whose parameter "leaks".',
          ),
        ],
      },
      {
        heading: 'Reading the output',
        blocks: [
          sh(`go build -gcflags=-m ./...          # one line per decision
go build -gcflags=-m=2 ./...        # plus the chain of reasons
go build -gcflags='example.com/app/store=-m' ./store   # just one package`),
          text(`./cache.go:14:6: can inline newEntry
./cache.go:21:2: moved to heap: e
./cache.go:30:13: &Entry{...} escapes to heap
./cache.go:37:19: key + suffix escapes to heap
./cache.go:44:21: func literal escapes to heap
./cache.go:52:15: leaking param: buf
./cache.go:60:18: make([]byte, n) does not escape`),
          list(
            '`moved to heap: x` -- a named variable lives on the heap, usually because its address is kept or a closure captures it.',
            '`... escapes to heap` -- an expression (composite literal, conversion to interface, concatenation result, closure) is allocated on the heap.',
            '`leaking param: p` -- the function keeps (or returns) what `p` points to, so callers must heap-allocate what they pass.',
            '`does not escape` -- good news: stays on the stack.',
            'With `-m=2` each escape is followed by the flow that caused it, ending at the line that made the value outlive its frame.',
          ),
          p(
            'Match the file:line of an allocation from the heap profile (the Source view shows it) with the `-m` line of the same position. `-gcflags="-m -l"` turns off inlining so the report is easier to follow, but escape results change with inlining, so benchmark without `-l`.',
          ),
        ],
      },
      {
        heading: 'Typical fixes',
        blocks: [
          go(`// Before: every call allocates a *result.
func parse(b []byte) *result { r := result{}; fill(&r, b); return &r }

// After: the caller owns the memory; nothing escapes.
func parseInto(r *result, b []byte) { fill(r, b) }`),
          list(
            'Return values, not pointers, for small types.',
            'Accept a destination or buffer from the caller.',
            'Keep hot paths away from `any` parameters.',
            'Pass loop data as parameters instead of capturing it in a goroutine closure.',
          ),
        ],
      },
    ],
    signals: [
      'heap/allocs: a user function is the leaf with a large `alloc_space` or `alloc_objects` share -- the leaf line is the allocating statement (the runtime frames are hidden in heap profiles).',
      'heap/allocs: many tiny objects (16 bytes or less) from one line: boxed values, captured variables or small `&T{}`.',
      'CPU: `runtime.newobject` / `runtime.mallocgc` directly under your function.',
    ],
    nextSteps: [
      { text: 'Print the decisions for the line the profile points at', command: "go build -gcflags=-m=2 ./... 2>&1 | grep 'main.go:42:'" },
      { text: 'Confirm the fix with allocation counts per operation', command: 'go test -run=^$ -bench=. -benchmem' },
    ],
    related: ['stack-vs-heap', 'interface-boxing', 'closures', 'inlining'],
  },
  {
    slug: 'preallocation',
    title: 'Preallocating slices and maps',
    summary:
      'Appending to a slice or inserting into a map past its capacity re-allocates and copies. When you know (or can estimate) the final size, ask for it up front with `make`.',
    sections: [
      {
        heading: 'What growth costs',
        blocks: [
          p(
            '`append` on a full slice calls `runtime.growslice`: it allocates a bigger array (about double for small slices, growing by roughly a quarter once they are large), copies every element, and leaves the old array as garbage. Building a slice of n elements from empty does this about log(n) times.',
          ),
          p(
            'Maps grow in the same spirit. Before Go 1.24 `hashGrow` doubled the bucket array and moved entries over incrementally (`evacuate`); since 1.24 maps are Swiss tables whose tables rehash into a bigger one and split once they hold 1024 slots (`internal/runtime/maps` functions such as `(*table).rehash` and `split`).',
          ),
          go(`// Grows about 20 times for 200k elements.
func ids(users []User) []int {
	var out []int
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

// One allocation.
func idsSized(users []User) []int {
	out := make([]int, 0, len(users))
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

byID := make(map[int]*User, len(users)) // size hint: the table is built once`),
        ],
      },
      {
        heading: 'Reuse instead of rebuild',
        blocks: [
          list(
            '`s = s[:0]` keeps the backing array for the next round.',
            '`clear(m)` (Go 1.21+) empties a map but keeps its memory.',
            '`slices.Grow(s, n)` makes room for n more elements in one step.',
          ),
        ],
      },
      {
        heading: 'How it looks in a heap profile',
        blocks: [
          p(
            "runtime/pprof removes the runtime's own frames from heap stacks, so you will not see `growslice` there. Instead the `append` (or `m[k] = v`) line shows up many times with a ladder of object sizes -- 2 KiB, 4 KiB, 6.6 KiB, 10 KiB ... -- because every growth step allocates a bigger array at the same line. pprof-lens reads that ladder from the `bytes` label of each sample.",
          ),
        ],
      },
    ],
    signals: [
      'CPU: `runtime.growslice` (1.26+: also `growsliceNoAlias`/`growsliceBuf`) under your function, often with `runtime.memmove` below it.',
      'CPU: map growth frames: `runtime.hashGrow`, `growWork`, `evacuate*` (up to 1.23) or `internal/runtime/maps.(*table).rehash`, `split`, `newTable` (1.24+).',
      'heap/allocs: one line allocating many geometrically growing sizes.',
    ],
    nextSteps: [
      { text: 'Find the append or map assignment line', command: "go tool pprof -list 'main.buildIndex' cpu.pb.gz" },
      {
        text: 'Add a capacity: `make([]T, 0, n)` or `make(map[K]V, n)` and compare allocations',
        command: 'go test -run=^$ -bench=. -benchmem -count=10 > new.txt && benchstat old.txt new.txt',
      },
    ],
    related: ['slice-internals', 'escape-analysis', 'garbage-collector'],
  },
  {
    slug: 'slice-internals',
    title: 'Slice internals and growth',
    summary:
      'A slice is a small header (pointer, length, capacity) over a shared array. Appending within capacity is free; past it, append copies into a new array. Sub-slices keep the whole array alive.',
    sections: [
      {
        heading: 'The header and the array',
        blocks: [
          p(
            'A slice value is three words -- 24 bytes on 64-bit machines: a pointer to the first element, the length and the capacity. Slicing (`s[2:5]`) makes a new header pointing into the same array, so writes through one slice are visible through the other.',
          ),
          go(`a := make([]int, 3, 8)
b := a[:2]      // same array
b = append(b, 99)
fmt.Println(a[2]) // 99: b still had capacity, so append wrote into a's array

c := a[0:2:2]   // full slice expression: capacity 2
c = append(c, 7) // must copy: a is untouched`),
        ],
      },
      {
        heading: 'Growth rule',
        blocks: [
          p(
            "When length would exceed capacity, `runtime.growslice` picks a new capacity: doubling while the slice is small (under 256 elements), then a smooth transition towards growing by about 25% each time, rounded up to the allocator's size classes. The old array becomes garbage unless something else still references it.",
          ),
        ],
      },
      {
        heading: 'Retention surprises',
        blocks: [
          p(
            'Keeping a tiny sub-slice of a large buffer keeps the whole buffer live. In an `inuse_space` profile this looks like a big allocation that never goes away at the line that read the data.',
          ),
          go(`func header(r io.Reader) ([]byte, error) {
	buf, err := io.ReadAll(r) // maybe megabytes
	if err != nil {
		return nil, err
	}
	return bytes.Clone(buf[:64]), nil // copy out, so buf can be collected
}`),
        ],
      },
    ],
    signals: [
      'CPU: `runtime.growslice` and `runtime.memmove` under your code.',
      'inuse_space: a large allocation at a read/decode line that stays live (a sub-slice keeping its array).',
    ],
    nextSteps: [
      {
        text: 'Compare two heap profiles to see what keeps growing',
        command: 'go tool pprof -sample_index=inuse_space -top -base heap1.pb.gz heap2.pb.gz',
      },
      { text: 'Copy the piece you keep: `bytes.Clone`, `slices.Clone` or `append([]T(nil), s...)`' },
    ],
    related: ['preallocation', 'values-vs-pointers'],
  },
  {
    slug: 'strings-builder',
    title: 'strings.Builder vs +=',
    summary:
      'Strings are immutable, so `s += x` allocates a new string and copies everything each time -- quadratic work in a loop. A strings.Builder appends into one growing buffer.',
    sections: [
      {
        heading: 'Why += in a loop is slow',
        blocks: [
          p(
            'Each `+` builds a brand-new string: the runtime (`runtime.concatstrings`, `concatstring2`..`5`) allocates room for both parts and copies them. Building an n-byte string one piece at a time copies about n²/2 bytes and allocates a string of every intermediate length.',
          ),
          go(`// Quadratic: a new, slightly longer string every iteration.
func csv(fields []string) string {
	s := ""
	for i, f := range fields {
		if i > 0 {
			s += ","
		}
		s += f
	}
	return s
}

// Linear: one buffer that grows geometrically (or not at all with Grow).
func csvBuilder(fields []string) string {
	var b strings.Builder
	b.Grow(len(fields) * 8) // an estimate is enough
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f)
	}
	return b.String()
}`),
          p('For a plain list, `strings.Join(fields, ",")` does the same in one call.'),
        ],
      },
      {
        heading: 'Builder details',
        blocks: [
          list(
            "`String()` hands out the builder's bytes without copying, which is why `Reset()` drops the buffer instead of reusing it: a Builder is not a reusable scratch buffer.",
            'For reuse across iterations keep a `[]byte` (`buf = buf[:0]`) or a `bytes.Buffer` (`Reset` keeps its memory) and convert to string once, at the end.',
            '`bytes.Buffer.String()` copies; pass `Bytes()` when the consumer accepts bytes.',
          ),
        ],
      },
      {
        heading: 'How it looks in profiles',
        blocks: [
          p(
            'CPU profiles show `runtime.concatstrings` or `concatstring2` under your function. Heap profiles hide those runtime frames; the concatenation line instead appears with objects of almost every size class -- 48, 64, 80, 96 ... 2688, 3072 bytes -- because the string gets a little longer each time.',
          ),
        ],
      },
    ],
    signals: [
      'CPU: `runtime.concatstrings` / `concatstring2..5` (and `concatbytes` in 1.24+) under your function.',
      'heap/allocs: one line allocating a dense run of sizes that grow in small steps.',
      'heap/allocs: `strings.(*Builder).grow`, `internal/bytealg.MakeNoZero` or `bytes.growSlice` as the leaf: the builder or buffer was not pre-sized.',
    ],
    nextSteps: [
      { text: 'Find the concatenation', command: "go tool pprof -list 'main.render' cpu.pb.gz" },
      {
        text: 'Replace `+=` with a `strings.Builder` (plus `Grow`) or `strings.Join` and measure',
        command: 'go test -run=^$ -bench=Render -benchmem',
      },
    ],
    related: ['preallocation', 'sprintf-vs-strconv', 'escape-analysis'],
  },
  {
    slug: 'sprintf-vs-strconv',
    title: 'fmt.Sprintf vs strconv.Append*',
    summary:
      '`fmt.Sprintf` is convenient but costs a format parse, an interface box per argument and a new string per call. On hot paths, `strconv.Append*` into a reused byte slice does the same job with no allocation.',
    sections: [
      {
        heading: 'What Sprintf does',
        blocks: [
          list(
            'Takes a printer from an internal pool, then walks the format string.',
            "Each argument travels as `any`: non-pointer values (ints, strings, structs) are copied to the heap at the call site when they escape, which is why the caller's own line shows small allocations.",
            'Basic types go through a type switch; other types fall back to reflection.',
            'The result is copied into a brand-new string.',
          ),
        ],
      },
      {
        heading: 'Cheaper options',
        blocks: [
          go(`// One allocation for the result plus boxing of id:
key := fmt.Sprintf("user-%d", id)

// One allocation (the string), no boxing:
key = "user-" + strconv.Itoa(id)

// No allocation at all while buf has room:
buf = append(buf[:0], "user-"...)
buf = strconv.AppendInt(buf, int64(id), 10)
w.Write(buf)`),
          list(
            '`strconv.Itoa`/`FormatInt` still return a new string (except for 0..99, which come from a static table).',
            '`strconv.AppendInt`, `AppendFloat`, `AppendQuote` write into your buffer.',
            'For errors on hot paths, a package-level `var ErrX = errors.New(...)` avoids building a message per call.',
            'Keep `fmt` for logs, errors and other cold paths; readability wins there.',
          ),
        ],
      },
    ],
    signals: [
      'CPU: `fmt.Sprintf` with `fmt.(*pp).doPrintf`, `printArg`, `fmtInteger` below it, called from your function.',
      'heap/allocs: `fmt.Sprintf` (or `fmt.(*buffer).writeString`) as the leaf; tiny objects at the calling line are the boxed arguments.',
      'heap/allocs: `strconv.formatBits` (up to 1.25) or `internal/strconv.FormatInt` (1.26+) as the leaf: Itoa results.',
    ],
    nextSteps: [
      {
        text: 'Who calls Sprintf, and how much it allocates',
        command: "go tool pprof -sample_index=alloc_objects -peek 'fmt\\.Sprintf$' allocs.pb.gz",
      },
      {
        text: 'Rewrite with `strconv.AppendInt` into a reused buffer and compare',
        command: 'go test -run=^$ -bench=. -benchmem -count=10',
      },
    ],
    related: ['interface-boxing', 'strings-builder', 'escape-analysis'],
  },
  {
    slug: 'interface-boxing',
    title: 'Interface conversions and boxing',
    summary:
      'An interface holds a type and a pointer. Putting a non-pointer value (an int, a string, a struct) into an interface that escapes copies the value to the heap -- `runtime.convT64`, `convTstring`, `convTslice`, `convT` in CPU profiles.',
    sections: [
      {
        heading: 'Where the allocation comes from',
        blocks: [
          p(
            'An interface value is two words: a type descriptor and a data pointer. If the dynamic value is not itself a pointer, the runtime needs somewhere to point to, so it copies the value into a new heap object. Pointers, maps, channels and functions fit directly and need no copy.',
          ),
          go(`var sink []any

func record(id int, name string) {
	sink = append(sink, id)   // convT64: 8 bytes on the heap (except 0..255)
	sink = append(sink, name) // convTstring: a 16-byte string header on the heap
	sink = append(sink, &id)  // a pointer: no boxing (but id itself escapes)
}`),
          list(
            'No allocation for constants, zero values, small integers 0..255, empty strings and nil slices: the runtime has static copies.',
            'No allocation when the interface does not escape; the compiler can keep the copy on the stack.',
            'Usual sources: `fmt` and logger arguments (`...any`), `map[string]any`, `[]any` rows, `context.WithValue`, reflection-based encoders.',
          ),
        ],
      },
      {
        heading: 'Avoiding it',
        blocks: [
          go(`// Boxes every value.
func sum(xs []any) (t float64) { for _, x := range xs { t += x.(float64) }; return }

// Generic: no boxing, checked at compile time.
func sumOf[T ~int | ~float64](xs []T) (t T) { for _, x := range xs { t += x }; return }`),
          list(
            'Keep hot APIs concrete or generic.',
            'Prefer typed logging fields over `...any`.',
            'Type assertions and switches cost CPU, not allocations (`runtime.typeAssert`, `interfaceSwitch` in 1.22+).',
          ),
        ],
      },
    ],
    signals: [
      'CPU: `runtime.convT`, `convT64`, `convT32`, `convT16`, `convTstring`, `convTslice`, `convTnoptr` under your function.',
      'heap/allocs: many 16-byte (or 8..24-byte) objects at one line -- runtime/pprof hides the convT frame, so check the line with `-gcflags=-m`.',
    ],
    nextSteps: [
      { text: 'Find the conversions', command: "go tool pprof -peek 'runtime\\.convT' cpu.pb.gz" },
      { text: 'Ask the compiler which values escape on that line', command: "go build -gcflags=-m ./... 2>&1 | grep 'escapes to heap'" },
    ],
    related: ['escape-analysis', 'sprintf-vs-strconv', 'values-vs-pointers'],
  },
  {
    slug: 'closures',
    title: 'Closures capturing variables',
    summary:
      'A function literal captures the variables it uses by reference. When the closure outlives the call -- stored, returned, or run by `go` -- the closure and every captured variable move to the heap.',
    sections: [
      {
        heading: 'What gets allocated',
        blocks: [
          go(`func counters(n int) []func() int {
	var fs []func() int
	for i := 0; i < n; i++ {
		count := 0                                // moved to heap: count
		fs = append(fs, func() int {              // func literal escapes to heap
			count++
			return count + i                      // i: per-iteration since Go 1.22
		})
	}
	return fs
}`),
          p(
            '`go build -gcflags=-m` reports `moved to heap: count` and `func literal escapes to heap` for this code. Since Go 1.22 each loop iteration has its own copy of the loop variable, so a closure that captures it allocates once per iteration.',
          ),
          p(
            '`go f(x)` and `defer f(x)` compile into small wrapper closures too; in profiles they are named `Outer.gowrap1`, `Outer.deferwrap1`, and literals are `Outer.func1`, `Outer.func1.2`...',
          ),
        ],
      },
      {
        heading: 'Cheaper patterns',
        blocks: [
          go(`// Capturing: the closure object and i live on the heap.
for i := range jobs { go func() { work(jobs[i]) }() }

// Passing: the value travels as an argument; nothing extra is captured.
for i := range jobs { go work(jobs[i]) }`),
          list(
            'Pass values as parameters instead of capturing them.',
            'Prefer a method value on an existing struct for callbacks kept in long-lived structures.',
            'A closure called immediately (not stored) usually does not escape.',
          ),
        ],
      },
    ],
    signals: [
      'heap/allocs: small objects (16-64 bytes) at the line of a `func` literal or `go` statement.',
      'CPU/goroutine: frames named `.funcN`, `.gowrapN`, `.deferwrapN` identify closures.',
    ],
    nextSteps: [
      { text: 'Show what moves to the heap', command: "go build -gcflags=-m ./... 2>&1 | grep -E 'moved to heap|func literal escapes'" },
    ],
    related: ['escape-analysis', 'goroutine-leaks'],
  },
  {
    slug: 'values-vs-pointers',
    title: 'Value vs pointer types, and slices of pointers',
    summary:
      'Small structs are cheapest as values: copied in registers, kept inline in slices, invisible to the GC when they hold no pointers. Pointers create heap objects and extra GC marking work; large structs copied by value cost memmove time.',
    sections: [
      {
        heading: '[]T versus []*T',
        blocks: [
          go(`type Point struct{ X, Y float64 }

pts := make([]Point, n)   // one allocation, contiguous, no pointers for the GC to follow
ptrs := make([]*Point, n) // n+1 allocations, scattered, the GC visits every element
for i := range ptrs {
	ptrs[i] = &Point{}
}`),
          p(
            'Memory without pointers goes into "noscan" spans that the collector never scans. A heap made of millions of small pointer-linked objects makes every GC cycle slower, because marking follows each pointer.',
          ),
        ],
      },
      {
        heading: 'When a pointer is right',
        blocks: [
          list(
            'The value is large (hundreds of bytes) and copied often: use pointer receivers and iterate with `for i := range s { p := &s[i] }` instead of `for _, v := range s`.',
            'The value must be shared and mutated.',
            'Otherwise prefer values; use indices or IDs instead of pointers to link elements of a big collection.',
          ),
        ],
      },
    ],
    signals: [
      'CPU: a large share in GC marking (`runtime.scanobject`, 1.26+ `scanObject`/`scanSpan`, `greyobject`, `findObject`).',
      'heap: very many small objects in `inuse_objects`.',
      'CPU: `runtime.memmove`, `typedmemmove` or `duffcopy` (up to 1.25) directly under your function: large value copies.',
    ],
    nextSteps: [
      { text: 'Count live objects by line', command: 'go tool pprof -sample_index=inuse_objects -top heap.pb.gz' },
      { text: 'Find value copies', command: "go tool pprof -peek 'runtime\\.(memmove|typedmemmove|duffcopy)$' cpu.pb.gz" },
    ],
    related: ['garbage-collector', 'struct-padding', 'escape-analysis'],
  },
  {
    slug: 'struct-padding',
    title: 'Struct field order and padding',
    summary:
      'Fields are laid out in declaration order, each aligned to its size, so mixing small and large fields leaves gaps. Ordering fields from largest to smallest can shrink every object -- it matters when there are millions.',
    sections: [
      {
        heading: 'Seeing the padding',
        blocks: [
          go(`type loose struct {
	ok    bool  // 1 byte + 7 padding
	count int64 // 8
	ready bool  // 1 byte + 7 padding
}             // unsafe.Sizeof = 24

type tight struct {
	count int64 // 8
	ok    bool  // 1
	ready bool  // 1 + 6 padding at the end
}             // unsafe.Sizeof = 16`),
          p(
            'The heap rounds each object up again to a size class, so a change from 24 to 16 bytes saves a third of the memory for that type. Putting pointer fields first also shortens the part of each object the GC has to scan.',
          ),
        ],
      },
      {
        heading: 'Tools and caveats',
        blocks: [
          sh('go run golang.org/x/tools/go/analysis/passes/fieldalignment/cmd/fieldalignment@latest ./...'),
          list(
            'Profiles do not record struct layouts: this is worth checking only for types with very many live instances.',
            'The opposite problem exists too: two hot atomic counters written by different cores on one 64-byte cache line slow each other down (false sharing). Pad them apart.',
            '`atomic.Int64` is always 64-bit aligned, even on 32-bit platforms.',
          ),
        ],
      },
    ],
    signals: ['heap: a user line with a huge `inuse_objects` count of one small fixed size.'],
    nextSteps: [
      {
        text: 'Check sizes in a test: `t.Log(unsafe.Sizeof(T{}))`, then run fieldalignment',
        command: 'go run golang.org/x/tools/go/analysis/passes/fieldalignment/cmd/fieldalignment@latest -fix ./...',
      },
    ],
    related: ['values-vs-pointers', 'atomics-vs-mutex'],
  },
  {
    slug: 'unsafe',
    title: 'unsafe: zero-copy conversions and their price',
    summary:
      'Package unsafe lets you reinterpret memory, for example to view a []byte as a string without copying. It removes a copy and also removes every safety net: mutate the bytes afterwards and the string silently changes.',
    sections: [
      {
        heading: 'The legitimate use',
        blocks: [
          p(
            'Converting between `string` and `[]byte` copies (`runtime.slicebytetostring`, `stringtoslicebyte`). Since Go 1.20, `unsafe.String`, `unsafe.StringData` and `unsafe.SliceData` make a zero-copy view possible.',
          ),
          go(`// Valid only if b is never modified afterwards.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}`),
        ],
      },
      {
        heading: 'Try the safe options first',
        blocks: [
          list(
            'The compiler already avoids the copy for `m[string(b)]` lookups, comparisons like `string(b) == "x"`, and `for range []byte(s)`; since 1.22 also for some read-only `[]byte(s)` uses (`-m` reports "zero-copy string->[]byte conversion").',
            'Use APIs that take `[]byte` (`bytes.*`, `strconv.Append*`, `w.Write`).',
            'If you do use unsafe: keep it in one small, documented function, and run tests with `-race` (which enables pointer checks).',
          ),
        ],
      },
    ],
    signals: [
      'CPU: `runtime.slicebytetostring` / `stringtoslicebyte` under your code.',
      'CPU: `runtime.checkptr*` or `race*` frames mean an instrumented build -- its timings are not representative.',
    ],
    nextSteps: [{ text: 'Vet for invalid pointer conversions', command: 'go vet ./...' }],
    related: ['strings-builder', 'escape-analysis'],
  },
];
