// signals counts the termination signals it receives, to check that each
// one sent to gcwatch reaches the program exactly once.
//
// It installs handlers for SIGINT, SIGTERM, SIGHUP and SIGQUIT, prints
// "READY" on stdout, and then collects garbage steadily.  Every signal is
// acknowledged at once on stdout with "SIG INT" (TERM, HUP, QUIT) and
// counted.  On the first SIGTERM it keeps listening for another 500 ms (a
// second delivery of anything would be counted), then prints
//
//	GOT TERM=a INT=b HUP=c QUIT=d
//
// and exits with STATUS.  A signal delivered twice shows as a count of 2
// (or as two "SIG" lines).  Without a SIGTERM within TIMEOUT seconds it
// prints "TIMEOUT" and the GOT line and exits 4.
//
// With SIGNALS_LOG set, every line also goes to that file (appended, one
// write a line), first "PID <pid>": a test can read what the program got
// when its output goes to a dashboard or to a terminal that hung up, and
// find the program after its parent is gone.
//
// Usage: signals [STATUS [TIMEOUT]]   (defaults 0 and 20)
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

var sink [][]byte

var logFile *os.File

// say prints a line on stdout and, with SIGNALS_LOG, to the log.
func say(format string, args ...interface{}) {
	line := fmt.Sprintf(format, args...) + "\n"
	fmt.Print(line)
	if logFile != nil {
		logFile.WriteString(line)
	}
}

func main() {
	status, timeout := 0, 20.0
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil && v >= 0 && v < 126 {
			status = v
		}
	}
	if len(os.Args) > 2 {
		if v, err := strconv.ParseFloat(os.Args[2], 64); err == nil && v > 0 {
			timeout = v
		}
	}
	if path := os.Getenv("SIGNALS_LOG"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		logFile = f
		say("PID %d", os.Getpid())
	}
	names := map[os.Signal]string{
		syscall.SIGTERM: "TERM", syscall.SIGINT: "INT",
		syscall.SIGHUP: "HUP", syscall.SIGQUIT: "QUIT",
	}
	count := map[string]int{}
	ch := make(chan os.Signal, 64)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT)

	// Steady garbage, a collection every few milliseconds.
	go func() {
		const slot = 64 << 10
		sink = make([][]byte, 64)
		for i := 0; ; i++ {
			for k := 0; k < 8; k++ {
				b := make([]byte, slot)
				b[0] = byte(k)
				sink[(i*8+k)%len(sink)] = b
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()

	say("READY")
	deadline := time.After(time.Duration(timeout * float64(time.Second)))
	var grace <-chan time.Time
	timedOut := false
loop:
	for {
		select {
		case s := <-ch:
			n := names[s]
			count[n]++
			say("SIG %s", n)
			if n == "TERM" && grace == nil {
				grace = time.After(500 * time.Millisecond)
			}
		case <-grace:
			break loop
		case <-deadline:
			timedOut = true
			break loop
		}
	}
	debug.SetGCPercent(-1)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if timedOut {
		say("TIMEOUT")
	}
	say("GOT TERM=%d INT=%d HUP=%d QUIT=%d",
		count["TERM"], count["INT"], count["HUP"], count["QUIT"])
	if timedOut {
		os.Exit(4)
	}
	os.Exit(status)
}
