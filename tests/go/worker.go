// worker counts the work it completes in a fixed time, for the
// frozen-terminal test (tests/e2e/frozen.sh).  A unit of work allocates a
// 16 KiB buffer, fills it and checksums it four times, keeping the last
// 16 MiB live, so that the collector runs 150-200 times a second; every 100
// units it logs a line to stderr (about 2000 lines a second, 70 bytes
// each), written whole and synchronously as the log package does: if
// whoever reads its stderr stops reading, the pipe fills, the write
// blocks, and the work stops.
//
// At the end it turns the collector off and prints "WORK <units>" and
// "NUMGC <n>" on stdout (see steady.go), and writes the same two lines to
// RESULT when given.
//
// With WORKER_PROGRESS set, the count of units done so far is kept in that
// file (rewritten in place every 100 units, one pwrite), so that a test can
// read the program's own progress at any moment.
//
// Usage: worker [SECONDS [RESULT]]   (default 3 seconds)
package main

import (
	"fmt"
	"hash/crc32"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

var sink [][]byte

func main() {
	seconds := 3.0
	if len(os.Args) > 1 {
		if v, err := strconv.ParseFloat(os.Args[1], 64); err == nil && v > 0 && v <= 600 {
			seconds = v
		}
	}
	const size = 16 << 10
	const live = 1024 // 16 MiB kept live
	sink = make([][]byte, live)
	start := time.Now()
	deadline := start.Add(time.Duration(seconds * float64(time.Second)))
	units := 0
	var sum uint32
	var progress *os.File
	if path := os.Getenv("WORKER_PROGRESS"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		progress = f
	}
	for time.Now().Before(deadline) {
		for k := 0; k < 100; k++ {
			b := make([]byte, size)
			for j := 0; j < size; j += 64 {
				b[j] = byte(units + j)
			}
			for r := 0; r < 4; r++ {
				sum ^= crc32.ChecksumIEEE(b) + uint32(r)
			}
			sink[units%live] = b
			units++
		}
		if progress != nil {
			progress.WriteAt([]byte(fmt.Sprintf("%20d\n", units)), 0)
		}
		log.Printf("worker: %d units done, checksum %08x, %.3fs", units, sum,
			time.Since(start).Seconds())
	}
	debug.SetGCPercent(-1) // waits for a collection in progress to finish
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out := fmt.Sprintf("WORK %d\nNUMGC %d\n", units, ms.NumGC)
	fmt.Print(out)
	if len(os.Args) > 2 {
		if err := os.WriteFile(os.Args[2], []byte(out), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
