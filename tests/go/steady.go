// steady allocates at a steady pace for about 1.2 s so that the garbage
// collector runs a few hundred times, then turns the collector off and
// prints "NUMGC <n>" as its last line on stdout: the number of collections
// the runtime completed, which is also the number of gc lines it printed
// under GODEBUG=gctrace=1 (ReadMemStats stops the world, and the runtime
// prints a gc line before it lets the world be stopped again).
//
// Usage: steady [SECONDS]   (default 1.2)
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

// sink keeps the window reachable so that the compiler cannot drop the
// allocations.
var sink [][]byte

func main() {
	seconds := 1.2
	if len(os.Args) > 1 {
		if v, err := strconv.ParseFloat(os.Args[1], 64); err == nil && v > 0 && v <= 30 {
			seconds = v
		}
	}
	// A sliding window of 128 x 64 KiB keeps about 8 MB live, so the
	// heap goal is about 16 MB and a collection comes every ~8 MB.
	const slot = 64 << 10
	const slots = 128
	sink = make([][]byte, slots)
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	i := 0
	for time.Now().Before(deadline) {
		// About 1 MB per millisecond: a collection every few ms.
		for k := 0; k < 16; k++ {
			b := make([]byte, slot)
			b[0], b[slot-1] = byte(i), byte(k)
			sink[i%slots] = b
			i++
		}
		time.Sleep(time.Millisecond)
	}
	debug.SetGCPercent(-1) // waits for a collection in progress to finish
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("allocated %d MB in %d slices\n", i*slot>>20, i)
	fmt.Printf("NUMGC %d\n", ms.NumGC)
}
