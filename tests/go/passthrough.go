// passthrough writes known bytes to stdout and to stderr, interleaved with
// collections of its own (so the runtime's gc lines land on stderr between
// the program's writes), and writes the same bytes, stream by stream, to
// the files OUTCOPY and ERRCOPY: run under gcwatch -b, gcwatch's stdout
// must equal OUTCOPY and its stderr (less the summary) ERRCOPY, byte for
// byte.  With a third argument it writes there the number of collections
// it made, which is the number of gc lines the runtime printed.
//
// The text has whole lines, a line written in pieces around a collection
// (on stderr too, where the gc line lands right after the first piece),
// CRLF, terminal escape sequences, invalid UTF-8, NUL and other control
// bytes, a 100 kB line, a line longer than 1 MB on stdout, and on each
// stream a last line without a newline.
//
// Collections are forced (runtime.GC) with the collector otherwise off, and
// each is followed by ReadMemStats, which stops the world: the runtime
// allows that only once it has written the whole gc line, so no gc line is
// ever torn by the program's own writes.
//
// Usage: passthrough OUTCOPY ERRCOPY [NUMGCFILE]
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: passthrough OUTCOPY ERRCOPY [NUMGCFILE]")
		os.Exit(64)
	}
	outCopy, err := os.Create(os.Args[1])
	check(err)
	errCopy, err := os.Create(os.Args[2])
	check(err)
	debug.SetGCPercent(-1)

	ngc := 0
	collect := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		ngc = int(ms.NumGC)
	}
	out := func(s string) {
		_, err := os.Stdout.Write([]byte(s))
		check(err)
		_, err = outCopy.Write([]byte(s))
		check(err)
	}
	errw := func(s string) {
		_, err := os.Stderr.Write([]byte(s))
		check(err)
		_, err = errCopy.Write([]byte(s))
		check(err)
	}

	collect()
	out("passthrough: first line on stdout\n")
	errw("passthrough: first line on stderr\n")
	collect()
	out("a line written ")
	errw("stderr: a line in two ")
	errw("writes\n")
	collect()
	out("in pieces, around a collection\n")
	// Text on stderr just before a gc line, on the same line: the
	// runtime's line ends it, and "loading... " is still the program's.
	errw("loading... ")
	collect()
	errw("done\n")
	errw("\x1b[1;31mred bold\x1b[0m \x1b]0;window title\x07 \x1b[2J\x1b[H cleared\n")
	out("\x1b[32mgreen\x1b[0m and a cursor move \x1b[10;20H here\n")
	collect()
	errw("invalid UTF-8: \xff\xfe \xc3\x28 \xe2\x82 \xf0\x28\x8c\x28 \xc0\xaf\n")
	out("valid UTF-8: h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \U0001F600\n")
	errw("NUL\x00byte, tab\there, DEL\x7f, BEL\x07, backspace\x08, bare CR\rover\n")
	out("CRLF line\r\n")
	collect()
	errw("gc is a word the program may use too\n")
	out("a line that mentions 4->4->0 MB and 5 MB goal but is the program's own\n")
	collect()
	// A long line on stderr (the stream with the runtime's lines), longer
	// than a read buffer, then one over 1 MB on stdout.
	var b bytes.Buffer
	for i := 0; b.Len() < 100000; i++ {
		fmt.Fprintf(&b, "%06d ", i)
	}
	errw("long: " + b.String() + "\n")
	collect()
	out("very long: " + strings.Repeat("0123456789abcdef", 70000) + "\n")
	collect()
	for i := 1; i <= 50; i++ {
		out(fmt.Sprintf("stdout line %d of 50\n", i))
		if i%10 == 0 {
			errw(fmt.Sprintf("stderr line %d of 5\n", i/10))
			collect()
		}
	}
	out("stdout ends without a newline")
	errw("stderr ends without a newline")
	check(outCopy.Close())
	check(errCopy.Close())
	if len(os.Args) == 4 {
		check(os.WriteFile(os.Args[3], []byte(fmt.Sprintf("%d\n", ngc)), 0o644))
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "passthrough:", err)
		os.Exit(70)
	}
}
