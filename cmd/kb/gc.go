package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// Go's collector is set for what a kb process is doing, by tuneGC, unless
// GOGC or GOMEMLIMIT is in the environment: then the user's setting holds
// throughout.
type phase int

const (
	// building: kb build, and kb serve's own build before it serves (the
	// same work in the same process, so the same setting).
	//
	// A build keeps its bodies' HTML, text and Markdown out of memory
	// (site.BodyCache.Spill): what is left is mostly pointers, which the
	// collector must scan, and with the default GOGC it ran 60 % more often
	// than when those bytes were in memory (125 cycles for 10,000 pages
	// instead of 77, a tenth more CPU). At 200 it runs 58 times. The limit
	// bounds what that costs a large site: a build of 100,000 pages holds
	// about 1.3 GB, and near the limit the collector runs sooner instead of
	// letting the heap grow to three times that. See BENCHMARKS.md, "Memory
	// of a cold build at scale, second wave".
	building phase = iota
	// serving: once the site is built and opened. The build's garbage is
	// collected and its memory given back to the system (a server that
	// built 10,000 pages would otherwise hold hundreds of MB it no longer
	// uses until the runtime returns them, minutes later). A server's live
	// heap is small (tens of MB) and every search allocates, so the default
	// GC ran often; at 400 a search costs about a fifth less CPU
	// (BENCHMARKS.md, issue 16 goal 4). The soft limit keeps the heap near
	// 256 MB (or four times what is live now, for a large site) instead of
	// five times the live heap under load.
	serving
)

const (
	buildGCPercent   = 200
	buildMemoryLimit = 3 << 30
	serveGCPercent   = 400
	serveMemoryLimit = 256 << 20
)

// tuneGC sets the collector for phase p.
func tuneGC(p phase) {
	if p == serving {
		debug.FreeOSMemory() // collects, then returns what is free
	}
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	switch p {
	case building:
		debug.SetGCPercent(buildGCPercent)
		debug.SetMemoryLimit(buildMemoryLimit)
	case serving:
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		debug.SetGCPercent(serveGCPercent)
		debug.SetMemoryLimit(max(serveMemoryLimit, 4*int64(m.HeapAlloc)))
	}
}
