// mmutrace runs a steady allocating workload with both gctrace (from
// GODEBUG) and runtime/trace on, so that gcwatch's MMU can be checked
// against `go tool trace`'s.  The execution trace goes to TRACEFILE.
//
// Usage: mmutrace TRACEFILE [SECONDS [LIVE_MB]]   (default 1.5 2)
package main

import (
	"fmt"
	"os"
	"runtime/trace"
	"strconv"
	"time"
)

type node struct {
	p [7]*node
	v int64
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: mmutrace TRACEFILE [SECONDS]")
		os.Exit(2)
	}
	seconds := 1.5
	if len(os.Args) > 2 {
		if v, err := strconv.ParseFloat(os.Args[2], 64); err == nil && v > 0 {
			seconds = v
		}
	}
	liveMB := 2.0
	if len(os.Args) > 3 {
		if v, err := strconv.ParseFloat(os.Args[3], 64); err == nil && v > 0 {
			liveMB = v
		}
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := trace.Start(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// LIVE_MB of pointerful objects, replaced at about 100 MB/s.  With
	// the default 2 MB a mark takes a few ms: shorter than the smallest
	// window checked, so that how the mark spread its work inside itself
	// (which gctrace does not say) does not decide the figure.
	anchors := make([]*node, 1024)
	for i := range anchors {
		anchors[i] = &node{}
	}
	live := make([]*node, int(liveMB*(1<<20))/64)
	start := time.Now()
	next := start
	i := 0
	for time.Since(start) < time.Duration(seconds*float64(time.Second)) {
		for k := 0; k < 1600; k++ {
			nd := &node{v: int64(i)}
			for j := range nd.p {
				nd.p[j] = anchors[(i+j)%len(anchors)]
			}
			live[i%len(live)] = nd
			i++
		}
		next = next.Add(time.Millisecond)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
	}
	trace.Stop()
	f.Close()
	fmt.Println("done", i)
}
