// Concept pages: the garbage collector, pools, goroutines and locks, inlining.
import type { Concept } from '../../../../contract/insights.js';
import { go, list, p, sh, text } from './blocks.js';

export const runtimeConcepts: Concept[] = [
  {
    slug: 'garbage-collector',
    title: 'The garbage collector',
    summary:
      "Go's collector runs concurrently with your code: it marks everything reachable (tri-colour marking, kept correct by a write barrier), then sweeps the rest lazily. Its cost grows with how much you allocate and how many pointers the live heap holds.",
    sections: [
      {
        heading: 'Mark: white, grey, black',
        blocks: [
          p(
            'Think of every heap object as white (not yet seen), grey (seen, its pointers not yet followed) or black (seen and fully scanned). A cycle starts by greying the roots -- goroutine stacks and globals. Mark workers repeatedly take a grey object, scan it for pointers, grey whatever it points to, and blacken it. When no grey objects remain, every white object is unreachable and its memory can be reused.',
          ),
          p(
            "Because your goroutines keep running and changing pointers during marking, the compiler inserts a write barrier on pointer writes while a cycle is active. Go's barrier is a hybrid: it shades both the pointer being overwritten and (while the writing goroutine's stack is still grey) the new one, so no reachable object can hide from the collector. Outside marking the barrier is a cheap check.",
          ),
        ],
      },
      {
        heading: 'Who does the work',
        blocks: [
          list(
            'Background mark workers (`runtime.gcBgMarkWorker`) aim to use about a quarter of GOMAXPROCS while a cycle runs.',
            'Mark assist: a goroutine that allocates faster than marking progresses is made to do marking itself (`runtime.gcAssistAlloc`) before its allocation proceeds. That time lands in your request latency.',
            'Sweeping (`runtime.bgsweep`, `sweepone`) frees unmarked memory span by span, in the background and on demand when goroutines allocate.',
            'Two short stop-the-world pauses bracket each cycle (sweep termination and mark termination); they are usually well under a millisecond.',
            'Go 1.26 turned on the Green Tea collector by default: it scans small objects span by span for better memory locality (`runtime.scanSpan`, `scanObjectsSmall`).',
          ),
        ],
      },
      {
        heading: 'Lowering GC cost',
        blocks: [
          list(
            'Allocate less: the heap/allocs profile sorted by `alloc_space` (bytes) and `alloc_objects` (count) tells you where.',
            'Hold fewer pointers: pointer-free memory is never scanned.',
            'Give it more room: GOGC and GOMEMLIMIT trade memory for fewer cycles (see GC tuning).',
          ),
          go(`// Allocates a fresh buffer per call: constant GC work.
func handle(r io.Reader) error {
	buf := make([]byte, 64<<10)
	_, err := r.Read(buf)
	return err
}`),
        ],
      },
    ],
    signals: [
      'CPU: `runtime.gcBgMarkWorker`, `gcDrain*`, `scanobject` (1.26+: `scanObject`, `scanSpan`), `markroot`, `greyobject` -- background marking.',
      'CPU: `runtime.gcAssistAlloc` under `mallocgc` in your functions -- allocation outruns the collector.',
      'CPU: `runtime.bgsweep`, `sweepone`; write barriers `gcWriteBarrier`, `wbBufFlush`, `bulkBarrierPreWrite`.',
      'CPU: `runtime.gcDrainMarkWorkerIdle` (1.22+) is marking on otherwise idle CPUs -- nearly free, not counted as pressure.',
    ],
    nextSteps: [
      { text: 'See cycle frequency, heap sizes and assist time', command: 'GODEBUG=gctrace=1 ./app 2>&1 | head -20' },
      { text: 'Find the allocators', command: 'go tool pprof -sample_index=alloc_space -top allocs.pb.gz' },
    ],
    related: ['gc-tuning', 'gctrace', 'stack-vs-heap', 'values-vs-pointers', 'sync-pool'],
  },
  {
    slug: 'size-classes',
    title: 'Size classes and large objects',
    summary:
      'The allocator rounds every small request up to one of about 68 size classes (8 bytes to 32 KiB) and carves objects of one class out of shared spans; anything bigger is a large object with pages of its own. The `bytes` label of a heap profile is that rounded size, so its histogram shows which classes your program fills.',
    sections: [
      {
        heading: 'Small objects: rounded up, packed together',
        blocks: [
          p(
            'A request for 33 bytes gets a 48-byte slot; one for 1,025 bytes gets 1,152. The classes are spaced so that no more than about an eighth of a slot is wasted on rounding, and each class owns spans (runs of 8 KiB pages) cut into equal slots. Each P keeps a cache of partly free spans per class, so most allocations take no lock at all.',
          ),
          p(
            'Objects without pointers go to separate "noscan" spans the collector never looks inside, and tiny pointer-free objects under 16 bytes (short strings, small integers boxed into interfaces) share one 16-byte block. That is why a `[]byte` buffer costs the collector so much less than a `[]*T` of the same size.',
          ),
        ],
      },
      {
        heading: 'Large objects: above 32 KiB',
        blocks: [
          p(
            "A request above 32 KiB skips the classes: the allocator takes whole pages from the heap for it (rounded up to 8 KiB pages), zeroes them, and returns them to the heap when the object dies. Each large allocation is slower than a small one and touches the page allocator's lock, and big zeroed blocks cost memory bandwidth.",
          ),
          list(
            'A few large objects that live long (a cache, a lookup table) are fine.',
            'Many short-lived large objects -- a 64 KiB buffer per request, a slice grown by append past 32 KiB -- are worth pooling (sync.Pool) or sizing once and reusing.',
            'Growing a slice doubles its backing array until about 256 elements, then by about 1.25x: each step is a new, larger allocation and a copy.',
          ),
        ],
      },
      {
        heading: 'Size, count and the collector',
        blocks: [
          p(
            'How often the collector runs depends on bytes allocated; how long each cycle takes depends on the pointers it must follow in what stays live. Many small pointerful objects make marking slow; a few large pointer-free ones barely register. Read the size histogram with both sample types: alloc_space (bytes) tells you what drives GC frequency, alloc_objects (count) what drives allocator and marking work.',
          ),
          go(`// One 64 KiB buffer per call: a large object every time.
func handle(conn net.Conn) {
	buf := make([]byte, 64<<10)
	conn.Read(buf)
}

// Reused: the pool hands the same buffers back.
var bufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

func handlePooled(conn net.Conn) {
	b := bufs.Get().(*[]byte)
	defer bufs.Put(b)
	conn.Read(*b)
}`),
        ],
      },
    ],
    signals: [
      'Heap/allocs: the `bytes` label (pprof -tags) has much weight above 32kB -- large objects; -tagfocus=bytes=32769B: shows who allocates them.',
      'Heap/allocs: one size bucket dominates alloc_objects -- one kind of small object allocated in a loop.',
      'CPU: `runtime.(*mheap).alloc`, `runtime.largeAlloc` / `mallocgcLarge`, `memclrNoHeapPointers` under your functions.',
    ],
    nextSteps: [
      { text: 'Allocation sizes and their weight', command: 'go tool pprof -tags -sample_index=alloc_space allocs.pb.gz' },
      {
        text: 'Who allocates objects above 32 KiB',
        command: 'go tool pprof -top -sample_index=alloc_space -tagfocus=bytes=32769B: allocs.pb.gz',
      },
      { text: 'Group allocations by size in the call graph', command: 'go tool pprof -top -tagleaf=bytes allocs.pb.gz' },
    ],
    related: ['garbage-collector', 'sync-pool', 'preallocation', 'slice-internals', 'values-vs-pointers'],
  },
  {
    slug: 'gc-tuning',
    title: 'GOGC and GOMEMLIMIT',
    summary:
      'GOGC sets how much the heap may grow between collections (default 100: about double the live heap). GOMEMLIMIT (Go 1.19+) sets a soft cap on total Go memory and makes the GC work harder only as the program nears it.',
    sections: [
      {
        heading: 'GOGC',
        blocks: [
          p(
            'After a cycle, the next one starts when the heap reaches roughly live heap + GOGC% of (live heap + goroutine stacks + globals). With 100 MB live and GOGC=100 the goal is about 200 MB. Raising GOGC to 200 roughly halves the number of cycles (and the CPU spent on them) at the cost of a larger peak heap; `GOGC=off` disables the proportional trigger entirely.',
          ),
          sh(`GOGC=200 ./app                 # fewer cycles, more memory
GOGC=50 ./app                  # more cycles, smaller heap`),
        ],
      },
      {
        heading: 'GOMEMLIMIT',
        blocks: [
          p(
            'A soft limit on all memory the Go runtime manages (heap, stacks, runtime structures -- not memory held by C code). Below it, GOGC pacing applies as usual; close to it, the collector runs as often as needed to stay under. A built-in limiter caps GC at about half of the CPU so a program that simply needs more memory than the limit degrades instead of thrashing.',
          ),
          sh(`# In a container with 1 GiB: leave headroom for non-heap memory.
GOMEMLIMIT=900MiB ./app
# Let the heap use that room freely, collecting only near the limit.
GOMEMLIMIT=900MiB GOGC=off ./app`),
          go(
            `import "runtime/debug"

debug.SetGCPercent(200)
debug.SetMemoryLimit(900 << 20)`,
            'The same from code',
          ),
        ],
      },
      {
        heading: 'Cautions',
        blocks: [
          list(
            'Tuning hides allocation problems instead of fixing them; reduce allocations first.',
            '`GOGC=off` without a memory limit lets the heap grow until the process is killed.',
            'Never call `runtime.GC()` on a hot path.',
          ),
        ],
      },
    ],
    signals: [
      'CPU: a large share of time in GC work (marking, assists, sweeping).',
      'gctrace: many cycles per second with a small heap goal.',
    ],
    nextSteps: [
      { text: 'Measure before and after a change', command: 'GODEBUG=gctrace=1 GOGC=200 ./app 2>&1 | head' },
      {
        text: 'Benchmark with different settings',
        command: 'GOGC=200 go test -run=^$ -bench=. -count=10 > gogc200.txt && benchstat base.txt gogc200.txt',
      },
    ],
    related: ['garbage-collector', 'gctrace'],
  },
  {
    slug: 'gctrace',
    title: 'Reading GODEBUG=gctrace=1',
    summary:
      'With `GODEBUG=gctrace=1` the runtime prints one line to stderr per GC cycle: when it ran, how long each phase took, how big the heap was before and after, and the goal for the next cycle.',
    sections: [
      {
        heading: 'One line, field by field',
        blocks: [
          text(
            `gc 12 @3.104s 6%: 0.031+2.1+0.044 ms clock, 0.12+0.35/1.9/3.0+0.17 ms cpu, 38->41->20 MB, 40 MB goal, 0 MB stacks, 0 MB globals, 4 P`,
          ),
          list(
            '`gc 12` -- the 12th cycle; `@3.104s` -- seconds since the program started.',
            '`6%` -- share of available CPU spent in GC since start.',
            '`0.031+2.1+0.044 ms clock` -- wall time of the stop-the-world sweep termination, the concurrent mark, and the stop-the-world mark termination.',
            '`0.12+0.35/1.9/3.0+0.17 ms cpu` -- CPU time: STW start, then mark split into assist / background / idle marking, then STW end. A large first mark number means your goroutines were drafted into assists.',
            '`38->41->20 MB` -- heap at cycle start, at mark end, and live after marking.',
            '`40 MB goal` -- target heap size for this cycle (set by GOGC and GOMEMLIMIT); `4 P` -- GOMAXPROCS.',
            '`(forced)` at the end marks a cycle started by `runtime.GC()`.',
          ),
        ],
      },
      {
        heading: 'What to look for',
        blocks: [
          list(
            'Cycles many times per second: allocation rate is high relative to the live heap; raise GOGC or allocate less.',
            'Assist time comparable to background time: allocation bursts; look at the allocs profile.',
            'Live heap ("->20 MB") growing across cycles: something retains memory; compare inuse_space profiles over time.',
          ),
          go(
            `var before, after runtime.MemStats
runtime.ReadMemStats(&before)
work()
runtime.ReadMemStats(&after)
fmt.Printf("GC cycles: %d, total pause: %v, allocated: %d MB\n",
	after.NumGC-before.NumGC,
	time.Duration(after.PauseTotalNs-before.PauseTotalNs),
	(after.TotalAlloc-before.TotalAlloc)>>20)`,
            'The same counters from inside a program',
          ),
        ],
      },
    ],
    signals: ['CPU: GC pressure findings -- gctrace confirms how often cycles run.'],
    nextSteps: [{ text: 'Print the first cycles', command: 'GODEBUG=gctrace=1 ./app 2>&1 | grep ^gc | head -20' }],
    related: ['garbage-collector', 'gc-tuning'],
  },
  {
    slug: 'sync-pool',
    title: 'sync.Pool (and why it is not a cache)',
    summary:
      'A sync.Pool recycles temporary objects -- buffers, encoders -- between uses so hot paths stop allocating. The GC empties pools, so anything in one may vanish at any time: it is for reuse, not for keeping data.',
    sections: [
      {
        heading: 'Using it well',
        blocks: [
          go(`var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func render(w io.Writer, v Item) error {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()                    // pooled objects come back dirty
	defer func() {
		if b.Cap() <= 64<<10 {   // do not keep huge buffers alive
			bufPool.Put(b)
		}
	}()
	encode(b, v)
	_, err := w.Write(b.Bytes())
	return err
}`),
          list(
            'Store pointers (`*bytes.Buffer`, `*[]byte`). Putting a plain slice or struct value boxes it into an interface and allocates on every `Put` (staticcheck SA6002).',
            'Always reset what you get; never rely on what was left in it.',
            'Declare pools at package level; a pool per request defeats the purpose.',
          ),
        ],
      },
      {
        heading: 'Why not a cache',
        blocks: [
          p(
            'Each P keeps a private slot and a shared list. At every GC cycle the pool\'s contents move to a "victim" area, and whatever is still there at the next cycle is dropped. An object therefore survives at most about two cycles unless it is taken and returned. Use a real cache (with size limits and explicit eviction) for data you want to keep.',
          ),
        ],
      },
    ],
    signals: [
      "heap/allocs: allocations inside a pool's `New` function (a frame above is `sync.(*Pool).Get`): the pool is often empty.",
      'CPU: `sync.(*Pool).getSlow`, or `runtime.clearpools` / `sync.poolCleanup` during GC.',
    ],
    nextSteps: [
      {
        text: 'Measure allocs/op with and without the pool',
        command: 'go test -run=^$ -bench=. -benchmem -count=10 > new.txt && benchstat old.txt new.txt',
      },
      { text: 'Catch value-typed Put calls', command: 'staticcheck ./...' },
    ],
    related: ['garbage-collector', 'strings-builder', 'interface-boxing'],
  },
  {
    slug: 'goroutine-leaks',
    title: 'Goroutine leaks',
    summary:
      'A leaked goroutine waits forever -- on a channel nobody will use again, a lock never released, a WaitGroup never done. It keeps its stack and everything it references. In a goroutine profile, a leak is many goroutines with one identical blocked stack, and a count that keeps growing.',
    sections: [
      {
        heading: 'The classic shape',
        blocks: [
          go(`func fetch(ctx context.Context, url string) ([]byte, error) {
	ch := make(chan []byte) // unbuffered
	go func() {
		ch <- download(url) // blocks forever if nobody receives
	}()
	select {
	case b := <-ch:
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err() // the goroutine above is now stuck
	}
}`),
          p(
            'The fix here is `make(chan []byte, 1)`: the sender can always deliver its single result and exit. Other fixes: select on `ctx.Done()` in the goroutine, have the producer `close` the channel, `defer wg.Done()`, `defer mu.Unlock()`, `defer resp.Body.Close()`.',
          ),
        ],
      },
      {
        heading: 'Reading the goroutine profile',
        blocks: [
          list(
            'Each sample is a distinct stack; its value is how many goroutines share it.',
            'The frames just above `runtime.gopark` say what they wait for: `chansend` (send), `chanrecv1/2` (receive), `selectgo` (select), `runtime.block` (`select {}`), `semacquire1` under `Mutex.Lock` or `WaitGroup.Wait`, `notifyListWait` under `Cond.Wait`.',
            'The user frame above that is where it blocks; the root-most frame is the goroutine\'s function. `?debug=2` adds "created by ... in goroutine N" and how many minutes each has waited.',
            'A stable pool of workers parked in a receive is normal. What gives a leak away is growth: compare two profiles taken minutes apart.',
            'Go 1.26 can build a `goroutineleak` profile (`GOEXPERIMENT=goroutineleakprofile`) that lists only goroutines the GC proves can never wake.',
          ),
          sh(`curl -s 'http://localhost:6060/debug/pprof/goroutine?debug=2' | less
go tool pprof -top -base goroutine-1.pb.gz goroutine-2.pb.gz`),
          go(`func TestMain(m *testing.M) { goleak.VerifyTestMain(m) } // go.uber.org/goleak`, 'Catch them in tests'),
        ],
      },
    ],
    signals: [
      'goroutine: hundreds of goroutines on one stack parked in chan send/receive/select.',
      'goroutine: total goroutine count rising between profiles.',
      'heap: many `runtime.malg` objects (goroutine structures).',
    ],
    nextSteps: [
      {
        text: 'Count goroutines by wait reason',
        command:
          "curl -s 'http://localhost:6060/debug/pprof/goroutine?debug=2' | grep -o '^goroutine [0-9]* \\[[^],]*' | cut -d'[' -f2 | sort | uniq -c",
      },
      { text: 'See what grows', command: 'go tool pprof -top -base goroutine-1.pb.gz goroutine-2.pb.gz' },
    ],
    related: ['closures', 'atomics-vs-mutex'],
  },
  {
    slug: 'atomics-vs-mutex',
    title: 'Atomics vs mutexes (lock contention)',
    summary:
      'An uncontended sync.Mutex is a single atomic instruction; a contended one makes goroutines spin, park and wake each other. For single counters or flags, sync/atomic avoids the lock; for shared maps, sharding spreads the load.',
    sections: [
      {
        heading: 'What contention costs',
        blocks: [
          p(
            'When a goroutine finds the mutex held, it spins briefly and then sleeps on a semaphore (`semacquire1`); the unlocker has to wake it (`semrelease1`, `futex`). With many goroutines on one lock, time goes into hand-offs instead of work, and throughput stops scaling with cores.',
          ),
          p(
            'The mutex profile charges the waiting to the Unlock that ended the critical section -- where the lock was held too long. The block profile charges it to the Lock (or channel operation) that waited.',
          ),
        ],
      },
      {
        heading: 'Alternatives',
        blocks: [
          go(`type stats struct {
	mu    sync.Mutex
	count int64
}
func (s *stats) inc() { s.mu.Lock(); s.count++; s.mu.Unlock() }

// One word of state: an atomic is enough.
type fastStats struct{ count atomic.Int64 }
func (s *fastStats) inc() { s.count.Add(1) }`),
          list(
            'Keep critical sections short: no I/O, logging or allocation while holding the lock.',
            'Shard: N maps each with its own lock, chosen by key hash; or per-goroutine counters summed at the end.',
            'Read-mostly config: publish immutable snapshots through `atomic.Pointer[T]` (copy on write).',
            '`sync.RWMutex` helps only when read sections are long; its read lock still writes a shared counter.',
            'Atomics are not free under contention either: many cores hammering one word bounce its cache line.',
          ),
        ],
      },
      {
        heading: 'Turning the profiles on',
        blocks: [
          go(`runtime.SetMutexProfileFraction(100) // sample 1 in 100 contention events
runtime.SetBlockProfileRate(10_000)   // about one sample per 10µs spent blocked; longer events always`),
          sh(`go test -bench=. -mutexprofile=mutex.out -blockprofile=block.out
go tool pprof -sample_index=delay -top mutex.out`),
        ],
      },
    ],
    signals: [
      'mutex: delay concentrated at `sync.(*Mutex).Unlock` under one of your functions.',
      'block: delay at `sync.(*Mutex).Lock` / `(*RWMutex).Lock`.',
      'CPU: `sync.(*Mutex).lockSlow` (1.24+: `internal/sync.(*Mutex).lockSlow`), `runtime.procyield`, `semacquire1`, `futex`.',
    ],
    nextSteps: [
      { text: 'Rank locks by waiting time', command: 'go tool pprof -sample_index=delay -top mutex.pb.gz' },
      {
        text: 'See the critical section line by line',
        command: "go tool pprof -sample_index=delay -list 'main.\\(\\*stats\\)' mutex.pb.gz",
      },
    ],
    related: ['goroutine-leaks', 'struct-padding'],
  },
  {
    slug: 'inlining',
    title: 'Inlining',
    summary:
      'The compiler copies small functions into their callers. That removes call overhead and, more importantly, lets escape analysis see through the call so results can stay on the stack. `-gcflags=-m` says what was inlined and why not.',
    sections: [
      {
        heading: 'The budget',
        blocks: [
          p(
            'A function is inlinable when its estimated cost is at most 80 (roughly its number of syntax nodes; a call inside it that is not itself inlined adds 57). Recursion, `defer`, `go`, `recover()` and `//go:noinline` prevent it. With profile-guided optimisation (PGO, Go 1.21+) hot call sites may inline functions up to cost 2000.',
          ),
          text(`./geom.go:5:6: can inline Dist
./geom.go:12:6: cannot inline Parse: function too complex: cost 142 exceeds budget 80
./main.go:20:14: inlining call to Dist`),
        ],
      },
      {
        heading: 'Making use of it',
        blocks: [
          go(`// Fast path small enough to inline; the rare slow path is kept out of line.
func (b *Buf) WriteByte(c byte) {
	if len(b.data) < cap(b.data) {
		b.data = append(b.data, c)
		return
	}
	b.grow(c)
}

//go:noinline
func (b *Buf) grow(c byte) { b.data = append(b.data, c) }`),
          list(
            "Inlined calls still appear in pprof, marked `(inline)`; their cost belongs to the caller's machine code.",
            'Use a CPU profile as `default.pgo` in the main package and rebuild: the compiler inlines and devirtualises the hot paths.',
          ),
          sh(`cp cpu.pb.gz ./cmd/app/default.pgo
go build ./cmd/app        # -pgo=auto picks it up`),
        ],
      },
    ],
    signals: [
      'CPU: a small user function with a high flat share that is not marked `(inline)`.',
      'CPU: a long profile of a service: a good candidate for PGO.',
    ],
    nextSteps: [{ text: 'Why was it not inlined?', command: "go build -gcflags=-m=2 ./... 2>&1 | grep -E 'inline (Parse|Dist)'" }],
    related: ['escape-analysis', 'benchmarks'],
  },
];
