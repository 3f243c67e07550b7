// tuiprog is the program the dashboard tests (tests/e2e/tui.sh) watch.  It
// prints known text, some of it carrying terminal escape sequences that a
// dashboard must show made visible and never pass to the terminal (a colour
// change, a window title, a bell, a screen clear), then allocates at a
// steady pace so that the collector runs a few dozen times a second, then
// turns the collector off and prints "NUMGC <n>" (the number of gc lines the
// runtime printed under GODEBUG=gctrace=1; see steady.go), then sleeps HOLD
// seconds and exits 0.
//
// Usage: tuiprog [SECONDS [HOLD]]   (defaults 1 and 0)
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

var sink [][]byte

func arg(i int, def float64) float64 {
	if len(os.Args) > i {
		if v, err := strconv.ParseFloat(os.Args[i], 64); err == nil && v >= 0 && v <= 600 {
			return v
		}
	}
	return def
}

func main() {
	seconds, hold := arg(1, 1), arg(2, 0)

	fmt.Println("tuiprog: plain text on stdout")
	fmt.Println("esc: \x1b[31mRED\x1b[0m end")
	fmt.Println("osc: \x1b]0;title\x07 end")
	fmt.Println("bell: \a end")
	fmt.Println("clear: \x1b[2J\x1b[H end")
	fmt.Fprintln(os.Stderr, "tuiprog: a line on stderr")

	// 128 x 64 KiB live, 1 MiB allocated every ~3 ms: a collection
	// every ~25 ms.
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
		time.Sleep(3 * time.Millisecond)
	}
	debug.SetGCPercent(-1) // waits for a collection in progress to finish
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("NUMGC %d\n", ms.NumGC)
	time.Sleep(time.Duration(hold * float64(time.Second)))
}
