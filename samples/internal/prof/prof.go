// Package prof holds the few helpers every sample program shares: where to write
// profiles and how to write a memory profile after a forced GC.
package prof

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// Dir is where profiles are written: the first argument, or the current directory.
func Dir() string {
	if len(os.Args) > 1 {
		return os.Args[1]
	}
	return "."
}

// Create opens <Dir()>/<name> for writing and exits on failure.
func Create(name string) *os.File {
	f, err := os.Create(filepath.Join(Dir(), name))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return f
}

// WriteNamed writes the named runtime profile (heap, allocs, goroutine, mutex, block)
// in the gzipped protobuf format to file.
func WriteNamed(kind, file string) {
	if kind == "heap" || kind == "allocs" {
		// Fold the latest allocations into the profile's live-heap view.
		runtime.GC()
	}
	f := Create(file)
	defer f.Close()
	if err := pprof.Lookup(kind).WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// WriteMem writes heap.pb.gz and allocs.pb.gz.
func WriteMem() {
	WriteNamed("heap", "heap.pb.gz")
	WriteNamed("allocs", "allocs.pb.gz")
}

// StartCPU starts a CPU profile into file; call the returned function to stop it.
func StartCPU(file string) func() {
	f := Create(file)
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// Sink keeps results reachable so the compiler cannot drop the work.
var Sink []any

// Keep appends v to Sink.
func Keep(v any) { Sink = append(Sink, v) }
