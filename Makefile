# gcwatch - a terminal dashboard for the Go garbage collector.
#
#   make            build ./gcwatch
#   make test       install missing build dependencies (as root) and run every test
#   make asan       run the unit tests under AddressSanitizer + UBSan
#   make fuzz       build and run the parser fuzzer (FUZZ_SECONDS, default 60)
#   make bench      parser throughput and memory benchmark, then the
#                   dashboard's bytes to the terminal and CPU use, then
#                   the dashboard with 100 and 1024 feeds, then
#                   the parser's fidelity on torn streams (bench/fidelity.sh),
#                   then the what-if predictions against real runs,
#                   and the metrics endpoint (scrape latency, size, CPU),
#                   then the time axis: history memory per feed and frame
#                   time at each zoom with 1024 full feeds
#   make demo       the dashboard over a bundled real trace
#   make clean      remove everything the build made

VERSION  ?= 0.1.0$(shell git rev-parse --short HEAD 2>/dev/null | sed 's/^/+/')
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
CC       ?= cc
PKG      := libuv ncursesw libevent_core libevent_extra libevent_pthreads

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wundef \
            -Wno-unused-parameter
OPT      ?= -O2 -g
# CFLAGS and LDFLAGS are the user's (make CFLAGS=-Werror adds to ours).
CFLAGS   ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -MMD -MP \
             -DGCWATCH_VERSION='"$(VERSION)"' $(CFLAGS)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKG) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

BUILD    ?= build
# One folder a layer (DESIGN: inputs -> trace -> model -> outputs and ui;
# app wires them); headers in the same folders under include/.
SRCS     := $(wildcard src/*/*.c)
# Terminal descriptions built in (ui/termdb.h), from the build machine.
TERMINFO_NAMES := xterm xterm-256color screen screen-256color tmux tmux-256color linux vt100
GEN_SRCS := $(BUILD)/gen/terminfo.c
OBJS     := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/gen/terminfo.o
LIBOBJS  := $(filter-out $(BUILD)/app/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all test check unit asan fuzz bench demo deps clean install uninstall static

all: gcwatch

gcwatch: $(BUILD)/gcwatch
	cp $< $@

$(BUILD)/gcwatch: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/%.o: src/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/gen/terminfo.c: build-aux/terminfo.sh Makefile | $(BUILD)
	@mkdir -p $(@D)
	sh build-aux/terminfo.sh $(TERMINFO_NAMES) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -DTEST_DATA='"$(CURDIR)/tests/data"' \
	    -o $@ $< $(LIBOBJS) $(PKG_LIBS) $(CMOCKA_LIBS) -lm

$(BUILD)/tools/%: tests/tools/%.c $(LIBOBJS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIBOBJS) $(PKG_LIBS) -lm

$(BUILD):
	@mkdir -p $(BUILD)

# Installs what the build and the tests need when run as root; otherwise
# names the exact command.
deps:
	@sh tests/deps.sh

unit: $(BUILD)/gcwatch $(UNIT_BINS) $(TOOL_BINS)

test: deps
	@$(MAKE) --no-print-directory unit
	@cp $(BUILD)/gcwatch gcwatch
	@sh tests/run.sh $(BUILD)

check: test

# The unit and end-to-end tests again, built with AddressSanitizer and UBSan.
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    OPT='-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined' unit
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run.sh build-asan

FUZZ_SECONDS ?= 60
fuzz:
	@mkdir -p build-fuzz
	sh build-aux/terminfo.sh $(TERMINFO_NAMES) >build-fuzz/terminfo.c
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o build-fuzz/fuzz_gctrace tests/fuzz/fuzz_gctrace.c \
	    $(filter-out src/app/main.c,$(SRCS)) build-fuzz/terminfo.c \
	    $(PKG_CFLAGS) $(PKG_LIBS) -lm
	@mkdir -p build-fuzz/corpus
	./build-fuzz/fuzz_gctrace -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=build-fuzz/ \
	    -print_final_stats=1 build-fuzz/corpus tests/data/corpus

bench: $(BUILD)/gcwatch $(BUILD)/tools/fidelity $(BUILD)/tools/metrics_bench \
       $(BUILD)/tools/history_bench
	@sh bench/run.sh $(BUILD)/gcwatch
	@sh bench/tui.sh $(BUILD)/gcwatch
	@python3 bench/feeds.py $(BUILD)/gcwatch
	@sh bench/fidelity.sh $(BUILD)
	@sh bench/whatif.sh $(BUILD)/gcwatch
	@sh bench/metrics.sh $(BUILD)
	@$(BUILD)/tools/history_bench

# The dashboard over a real recorded trace, at its own pace (30 s; q
# quits), at the 1m zoom: a replay at its own pace is live input, which
# opens at 5m (a file read at once would open at 1m by itself).  Without a terminal (CI) the same runs in batch mode and prints
# the summary.
demo: deps
	@$(MAKE) --no-print-directory all
	@if [ -t 1 ]; then ./gcwatch --replay --zoom 1m data/demo.trace; \
	else ./gcwatch -b --replay=30 data/demo.trace >/dev/null; fi

install: $(BUILD)/gcwatch
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/gcwatch $(DESTDIR)$(BINDIR)/gcwatch
	install -m 0644 gcwatch.1 $(DESTDIR)$(MANDIR)/man1/gcwatch.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gcwatch $(DESTDIR)$(MANDIR)/man1/gcwatch.1

# A binary for any node: fully static (glibc too: an older node's glibc
# lacks the symbol versions of ours; Debian has no musl builds of libuv and
# ncurses).  It reads the node's terminfo (/etc/terminfo, /lib/terminfo,
# /usr/share/terminfo, TERMINFO) and has the common entries built in
# (ui/termdb.h) for a node without them.  STATIC_LIBS is the list of
# libraries linked in, in link order: a new one (an HTTP library) goes
# before the system ones.  libuv's uv_os_get_passwd calls getpwuid_r, which
# static glibc can only serve through the node's NSS modules (a link
# warning); gcwatch never asks for a user, so it is wrapped away
# (build-aux/nonss.c).
STATIC_LIBS := -luv_a -lncursesw -ltinfo -levent_extra -levent_pthreads -levent_core
STATIC_SYSLIBS := -lpthread -ldl -lrt -lm
STATIC_WRAP := -Wl,--wrap=getpwuid_r -Wl,--wrap=getaddrinfo -Wl,--wrap=getservbyname \
               -Wl,--wrap=getprotobynumber
STATIC_OUT ?= gcwatch-static
static: $(OBJS) $(BUILD)/nonss.o
	$(CC) -static $(ALL_CFLAGS) $(LDFLAGS) -o $(STATIC_OUT) $(OBJS) $(BUILD)/nonss.o \
	    $(STATIC_WRAP) $(STATIC_LIBS) $(STATIC_SYSLIBS)
	@! readelf -l $(STATIC_OUT) | grep -q INTERP && \
	    echo "$(STATIC_OUT): statically linked (no program interpreter), $$(wc -c <$(STATIC_OUT)) bytes"

$(BUILD)/nonss.o: build-aux/nonss.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

clean:
	rm -rf build build-asan build-fuzz gcwatch gcwatch-static bench/out

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)
