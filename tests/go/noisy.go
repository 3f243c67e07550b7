// noisy allocates like steady while several goroutines log to stderr at
// thousands of lines a second, so that the runtime's gc lines (written in
// about forty write(2) calls each) get torn by the program's own log lines.
// Every log line is written whole, in one write, as the log package does:
// gcwatch must put every torn record back together.
//
// At the end it stops the loggers, turns the collector off and prints
// "NUMGC <n>" as its last line on stdout (see steady.go).
//
// Usage: noisy [LEVEL [SECONDS]]   LEVEL 1-8 scales the logging rate
// (default 1, about 30000 lines/s in all); SECONDS defaults to 1.5.
package main

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var sink [][]byte

func main() {
	level, seconds := 1, 1.5
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil && v >= 1 && v <= 8 {
			level = v
		}
	}
	if len(os.Args) > 2 {
		if v, err := strconv.ParseFloat(os.Args[2], 64); err == nil && v > 0 && v <= 30 {
			seconds = v
		}
	}

	var stop int32
	var wg sync.WaitGroup
	var lines int64
	// Lines per goroutine per millisecond.
	burst := 5 * level
	app := log.New(os.Stderr, "app: ", log.LstdFlags|log.Lmicroseconds)
	logger := func(id int, l *log.Logger) {
		defer wg.Done()
		for n := 0; atomic.LoadInt32(&stop) == 0; {
			for k := 0; k < burst; k++ {
				n++
				if id%2 == 0 {
					l.Printf("worker %d: request %d handled in %dus", id, n, 40+n%97)
				} else {
					l.Printf("worker %d: cache hit ratio %d/%d", id, n%89, 89)
				}
			}
			atomic.AddInt64(&lines, int64(burst))
			time.Sleep(time.Millisecond)
		}
	}
	// Four goroutines on the standard logger ("2026/11/28 17:09:00 ..."),
	// two on a logger with a prefix and microseconds.
	for id := 0; id < 6; id++ {
		wg.Add(1)
		if id < 4 {
			go logger(id, log.Default())
		} else {
			go logger(id, app)
		}
	}

	const slot = 64 << 10
	const slots = 128
	sink = make([][]byte, slots)
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	i := 0
	for time.Now().Before(deadline) {
		for k := 0; k < 16; k++ {
			b := make([]byte, slot)
			b[0], b[slot-1] = byte(i), byte(k)
			sink[i%slots] = b
			i++
		}
		time.Sleep(time.Millisecond)
	}
	atomic.StoreInt32(&stop, 1)
	wg.Wait()

	debug.SetGCPercent(-1) // waits for a collection in progress to finish
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("logged %d lines, allocated %d MB\n", atomic.LoadInt64(&lines), i*slot>>20)
	fmt.Printf("NUMGC %d\n", ms.NumGC)
}
