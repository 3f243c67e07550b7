// exitcode collects garbage a number of times, prints "NUMGC <n>" on
// stdout (the number of collections the runtime completed, which is the
// number of gc lines it printed under GODEBUG=gctrace=1; see steady.go),
// and then ends the way its argument says:
//
//	ok      return from main: status 0
//	exit3   os.Exit(3): status 3
//	panic   an unrecovered panic: the runtime prints it on stderr, status 2
//	kill    kill itself with SIGKILL: a shell reports status 137
//
// Usage: exitcode [ok|exit3|panic|kill]   (default ok)
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
)

var sink [][]byte

func main() {
	mode := "ok"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "ok", "exit3", "panic", "kill":
	default:
		fmt.Fprintf(os.Stderr, "exitcode: unknown mode %q\n", mode)
		os.Exit(64)
	}
	// About 48 MB of garbage through a window of 2 MB: a dozen or so
	// collections of its own, then two forced ones.
	const slot = 64 << 10
	sink = make([][]byte, 32)
	for i := 0; i < 768; i++ {
		b := make([]byte, slot)
		b[0] = byte(i)
		sink[i%len(sink)] = b
	}
	runtime.GC()
	runtime.GC()
	// No collection from here on.  SetGCPercent waits for one in progress,
	// and ReadMemStats stops the world, which the runtime allows only once
	// the last gc line is written.
	debug.SetGCPercent(-1)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("NUMGC %d\n", ms.NumGC)

	switch mode {
	case "exit3":
		os.Exit(3)
	case "panic":
		panic("exitcode: panicking on purpose")
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal arrives; never returns
	}
}
