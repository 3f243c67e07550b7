// findings makes the real traces behind gcwatch's findings fixtures
// (tests/data/analysis/make.sh runs it under GODEBUG=gctrace=1):
//
//	findings assist SECONDS    allocate flat out with a live heap: assists
//	findings roots SECONDS     thousands of goroutines on deep stacks
//	findings leak SECONDS      a live heap that keeps growing
//	findings spin SECONDS      allocate while other goroutines spin
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

type node struct {
	p [7]*node
	v int64
}

var sink []*node

func churn(live []*node, i int) {
	nd := &node{v: int64(i)}
	live[i%len(live)] = nd
}

// deep recurses n frames of about 1 KB each, then waits.
func deep(n int, stop chan struct{}) byte {
	var pad [1000]byte
	pad[n%1000] = byte(n)
	if n == 0 {
		<-stop
		return pad[0]
	}
	return deep(n-1, stop) + pad[n%1000]
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: findings assist|roots|leak|spin SECONDS")
		os.Exit(2)
	}
	secs, _ := strconv.ParseFloat(os.Args[2], 64)
	end := time.Now().Add(time.Duration(secs * float64(time.Second)))
	live := make([]*node, 32<<20/64)
	i := 0
	switch os.Args[1] {
	case "assist":
		live = live[:8<<20/64]
		for time.Now().Before(end) {
			for k := 0; k < 10000; k++ {
				churn(live, i)
				i++
			}
		}
	case "roots":
		stop := make(chan struct{})
		for g := 0; g < 2000; g++ {
			go deep(16, stop)
		}
		small := make([]*node, 1<<20/64)
		for time.Now().Before(end) {
			for k := 0; k < 5000; k++ {
				churn(small, i)
				i++
			}
			time.Sleep(time.Millisecond)
		}
		close(stop)
	case "leak":
		small := make([]*node, 2<<20/64)
		for time.Now().Before(end) {
			for k := 0; k < 1000; k++ {
				churn(small, i)
				i++
			}
			// Keep one node in twenty for ever: about 3 MB a second.
			sink = append(sink, small[i%len(small)])
			for k := 0; k < 50; k++ {
				sink = append(sink, &node{v: int64(k)})
			}
			time.Sleep(time.Millisecond)
		}
	case "spin":
		for g := 0; g < 6; g++ {
			go func() {
				x := 0
				for {
					x++
				}
			}()
		}
		for time.Now().Before(end) {
			for k := 0; k < 2000; k++ {
				churn(live, i)
				i++
			}
			time.Sleep(time.Millisecond)
		}
	}
	fmt.Println("done", i)
}
