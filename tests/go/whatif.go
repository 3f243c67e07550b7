// whatif is a steady workload for checking gcwatch's what-if predictions:
// it keeps a live set of LIVE_MB of small pointerful objects and replaces
// them at RATE_MB per second, paced by the clock (not by the CPU), so the
// allocation rate and the live heap stay the same whatever GOGC or
// GOMEMLIMIT it runs under.  Runs for SECONDS, then prints "done N".
//
// Usage: whatif [SECONDS [LIVE_MB [RATE_MB]]]   (default 8 40 150)
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// 64 bytes, all pointers but one word: marking costs per object, so the
// collector has real work to do for each MB of live heap.
type node struct {
	p [7]*node
	v int64
}

const size = 64

func arg(i int, def float64) float64 {
	if len(os.Args) > i {
		if v, err := strconv.ParseFloat(os.Args[i], 64); err == nil && v > 0 {
			return v
		}
	}
	return def
}

func fill(nd *node, anchors []*node, j int) *node {
	for k := range nd.p {
		nd.p[k] = anchors[(j+k)%len(anchors)]
	}
	nd.v = int64(j)
	return nd
}

func main() {
	seconds, liveMB, rateMB := arg(1, 8), arg(2, 40), arg(3, 150)
	n := int(liveMB * (1 << 20) / size)
	// New nodes point only at anchors that live for the whole run, so a
	// replaced node is garbage at once and the live heap stays flat.
	anchors := make([]*node, 4096)
	for i := range anchors {
		anchors[i] = &node{}
	}
	live := make([]*node, n)
	for i := range live {
		live[i] = fill(&node{}, anchors, i)
	}
	perTick := int(rateMB * (1 << 20) / size / 1000) // nodes per millisecond
	start := time.Now()
	next := start
	i := 0
	for time.Since(start) < time.Duration(seconds*float64(time.Second)) {
		for k := 0; k < perTick; k++ {
			live[i%n] = fill(&node{}, anchors, i)
			i++
		}
		next = next.Add(time.Millisecond)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
	}
	fmt.Println("done", i)
}
