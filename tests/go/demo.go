// demo: a Go program whose collector has something to show, for
// screenshots and the bundled demo trace.  Modes:
//
//	steady    a service at a steady pace: many small short-lived requests
//	sawtooth  a cache that fills up and is dropped, again and again
//	assist    bursts of allocation faster than the background workers
//	          can mark, so the program's own goroutines assist
//	tour      all three in turn (the demo trace)
//
// It logs a line now and then to stderr, like a service would.
package main

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

var sink [][]byte

func steady(d time.Duration) {
	end := time.Now().Add(d)
	window := make([][]byte, 4096)
	i := 0
	for time.Now().Before(end) {
		for k := 0; k < 200; k++ {
			window[i%len(window)] = make([]byte, 2048)
			i++
		}
		time.Sleep(time.Millisecond)
		if i%40000 == 0 {
			log.Printf("steady: %d requests", i)
		}
	}
}

func sawtooth(d time.Duration) {
	end := time.Now().Add(d)
	var cache [][]byte
	for time.Now().Before(end) {
		for k := 0; k < 64; k++ {
			cache = append(cache, make([]byte, 16<<10))
		}
		if len(cache) >= 8192 { // ~128 MB, then dropped
			log.Printf("sawtooth: cache dropped at %d MB", len(cache)*16>>10)
			cache = nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	sink = cache
}

func assist(d time.Duration) {
	end := time.Now().Add(d)
	var live [][]byte
	for n := 0; n < 2000; n++ {
		live = append(live, make([]byte, 32<<10)) // a 64 MB live heap to mark
	}
	var wg sync.WaitGroup
	for time.Now().Before(end) {
		// A burst: every P allocates as fast as it can.
		for g := 0; g < runtime.GOMAXPROCS(0)*2; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var b [][]byte
				for k := 0; k < 3000; k++ {
					b = append(b, make([]byte, 4096))
					if len(b) > 512 {
						b = b[:0]
					}
				}
			}()
		}
		wg.Wait()
		log.Printf("assist: burst done")
		time.Sleep(150 * time.Millisecond)
	}
	sink = live
}

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	mode := "tour"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	secs := 10
	if len(os.Args) > 2 {
		secs, _ = strconv.Atoi(os.Args[2])
	}
	d := time.Duration(secs) * time.Second
	switch mode {
	case "steady":
		steady(d)
	case "sawtooth":
		sawtooth(d)
	case "assist":
		assist(d)
	default:
		steady(d / 3)
		sawtooth(d / 3)
		assist(d / 3)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("NUMGC %d\n", ms.NumGC)
}
