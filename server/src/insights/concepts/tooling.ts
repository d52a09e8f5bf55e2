// Concept pages: reading pprof output and measuring with benchmarks.
import type { Concept } from '../../../../contract/insights.js';
import { go, list, p, sh, text } from './blocks.js';

export const toolingConcepts: Concept[] = [
  {
    slug: 'reading-pprof',
    title: 'Reading pprof: flat vs cum, inuse vs alloc, CPU vs wall',
    summary:
      'flat is what a function spent itself; cum adds everything it called. Heap profiles hold both what is live (inuse, as of the last GC) and everything ever allocated (alloc). A CPU profile counts on-CPU time only, never waiting.',
    sections: [
      {
        heading: 'flat and cum',
        blocks: [
          text(`      flat  flat%   sum%        cum   cum%
     1.20s 40.00% 40.00%      1.20s 40.00%  main.checksum
     0.60s 20.00% 60.00%      2.10s 70.00%  main.handle
         0     0% 60.00%      2.90s 96.67%  main.main`),
          list(
            '`flat` -- samples whose innermost frame is this function: time (or bytes) spent in its own code.',
            '`cum` -- samples where it appears anywhere on the stack: itself plus everything it called.',
            '`flat%` / `cum%` -- share of the profile total; `sum%` -- running total of flat% down the table.',
            'High flat: optimise the function body. High cum with low flat: look at what it calls (`-peek`, the flame graph).',
          ),
        ],
      },
      {
        heading: 'What each profile measures',
        blocks: [
          list(
            '`cpu` -- on-CPU time, sampled 100 times a second per thread running Go code. Sleeping, waiting on I/O, channels or locks is invisible. The `samples` column counts samples, `cpu` converts them to time.',
            '`heap` -- memory sampled about once per 512 KiB allocated. `inuse_space`/`inuse_objects`: still reachable at the last GC (leaks, big caches). `alloc_space`/`alloc_objects`: everything allocated since the program started (GC pressure).',
            '`allocs` -- the same data as heap, opened on `alloc_space` by default.',
            "`goroutine` -- every goroutine's current stack; value = how many share it.",
            '`mutex` -- time goroutines waited for locks, charged to the Unlock (off unless `SetMutexProfileFraction`).',
            '`block` -- time spent blocked on channels, selects, locks and WaitGroups, charged to the waiting call (off unless `SetBlockProfileRate`).',
            '`threadcreate` -- stacks that created OS threads.',
          ),
          p(
            'Wall-clock time (what a request takes) is CPU plus waiting. When a request is slow but CPU is low, look at block, mutex and goroutine profiles, or use `go tool trace`.',
          ),
        ],
      },
      {
        heading: 'Collecting',
        blocks: [
          go(`import _ "net/http/pprof" // registers /debug/pprof/ on the default mux

go func() { log.Println(http.ListenAndServe("localhost:6060", nil)) }()`),
          sh(`go tool pprof -top 'http://localhost:6060/debug/pprof/profile?seconds=30'
curl -o heap.pb.gz http://localhost:6060/debug/pprof/heap
go test -bench=. -cpuprofile=cpu.out -memprofile=mem.out`),
          p(
            'Keep the debug endpoint on an internal port. Heap samples are estimates: tiny sites (below a few MB of allocation) are noise.',
          ),
        ],
      },
    ],
    signals: ['Every profile: start here when a column or a sample type is unclear.'],
    nextSteps: [
      { text: 'Top by cumulative value', command: 'go tool pprof -top -cum cpu.pb.gz' },
      { text: 'Callers and callees of one function', command: "go tool pprof -peek 'main.handle$' cpu.pb.gz" },
      { text: 'Switch sample type', command: 'go tool pprof -sample_index=alloc_objects -top heap.pb.gz' },
    ],
    related: ['benchmarks', 'garbage-collector', 'goroutine-leaks'],
  },
  {
    slug: 'benchmarks',
    title: 'Benchmarks with -benchmem and benchstat',
    summary:
      '`go test -bench -benchmem` reports time, bytes and allocations per operation. One run is noise: repeat with `-count` and compare before/after with benchstat, which tells you whether a difference is real.',
    sections: [
      {
        heading: 'Writing and reading one',
        blocks: [
          go(`func BenchmarkKey(b *testing.B) {
	for b.Loop() { // Go 1.24+; older: for i := 0; i < b.N; i++
		_ = key(42, "eu")
	}
}`),
          text(`BenchmarkKey-8   24521307   48.9 ns/op   16 B/op   1 allocs/op`),
          list(
            '`-8` -- GOMAXPROCS; `24521307` -- iterations run.',
            '`ns/op` -- time per call; `B/op` -- heap bytes per call; `allocs/op` -- heap allocations per call.',
            'High allocs/op points at escapes, boxing, Sprintf or concatenation; high B/op with few allocs at big buffers; zero allocs but slow: use the CPU profile.',
          ),
        ],
      },
      {
        heading: 'Comparing with benchstat',
        blocks: [
          sh(`go install golang.org/x/perf/cmd/benchstat@latest
go test -run='^$' -bench=Key -benchmem -count=10 > old.txt
# ...change the code...
go test -run='^$' -bench=Key -benchmem -count=10 > new.txt
benchstat old.txt new.txt`),
          p(
            'benchstat prints one table per metric (sec/op, B/op, allocs/op) with the median of each side, a confidence interval, and the change with a p-value. `~` means the difference is not significant. It needs at least 6 runs per side for a confidence interval, which is why `-count=10` is a good default.',
          ),
        ],
      },
      {
        heading: 'Profiling a benchmark',
        blocks: [
          sh(`go test -run='^$' -bench=Key -cpuprofile=cpu.out -memprofile=mem.out -memprofilerate=1`),
          list(
            'The profile covers the whole test binary, including setup; focus on your benchmark with `-focus=BenchmarkKey`.',
            '`-memprofilerate=1` records every allocation, so per-op attribution is exact (slower run).',
          ),
        ],
      },
    ],
    signals: ['CPU/heap: `testing.(*B).runN` / `testing.(*B).Loop` frames -- the profile came from a benchmark.'],
    nextSteps: [{ text: 'Run with allocations and repeat', command: "go test -run='^$' -bench=. -benchmem -count=10 | tee new.txt" }],
    related: ['reading-pprof', 'escape-analysis', 'inlining'],
  },
];
