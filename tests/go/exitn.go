// exitn collects garbage as fast as it can for a while, prints "NUMGC <n>"
// on stdout (the collections the runtime completed, which is the number
// of gc lines it printed under GODEBUG=gctrace=1; see steady.go), and
// exits with the number its first argument starts with.  Whatever follows
// the number is ignored, so the argument can carry text for gcwatch to
// print (an escape sequence in a command line: tests/e2e/terminal.sh).
// A busy loop with a small live heap makes thousands of collections a
// second: the tests of outputs that must not slow it down count them.
//
// With MB, it then writes MB megabytes of log lines (100 bytes each) to
// stderr as fast as gcwatch takes them, and prints "LOGGED <MB>" on stdout
// when done: a run that ends at all shows that nothing blocked it.
//
// Usage: exitn STATUS[ANYTHING] [SECONDS [MB]]   (default 0.2 s, 0 MB)
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

func main() {
	status, seconds := 0, 0.2
	if len(os.Args) > 1 {
		s := os.Args[1]
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		status, _ = strconv.Atoi(s[:n])
	}
	if len(os.Args) > 2 {
		if v, err := strconv.ParseFloat(os.Args[2], 64); err == nil && v >= 0 && v <= 60 {
			seconds = v
		}
	}
	// 64 slots of 16 KiB: about 1 MB live, a collection every ~4 MB
	// allocated (the minimum heap goal).
	const slot = 16 << 10
	const slots = 64
	sink = make([][]byte, slots)
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	for i := 0; time.Now().Before(deadline); i++ {
		b := make([]byte, slot)
		b[0] = byte(i)
		sink[i%slots] = b
	}
	if len(os.Args) > 3 {
		mb, _ := strconv.Atoi(os.Args[3])
		line := []byte(fmt.Sprintf("%-99s\n", "log line: the program's own text, written to stderr"))
		for i := 0; i < mb*1048576/len(line); i++ {
			os.Stderr.Write(line)
		}
		fmt.Printf("LOGGED %d\n", mb)
	}
	debug.SetGCPercent(-1)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("NUMGC %d\n", ms.NumGC)
	os.Exit(status)
}
