/* Unit tests for recsink: the record outputs as one list.  Real files, a
 * real fifo and /dev/full (every write fails with ENOSPC, as on a full
 * disk): same-file refusals before truncation, exact loss counts, the
 * first problem told once, a fifo without a reader, a command's recording
 * a line at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "outputs/recsink.h"
#include "trace/gcrecord.h"

static char dir[] = "/tmp/test_recsink.XXXXXX";

static char *path(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static struct gc_record rec(uint64_t gc)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = (int64_t)gc * 10;
	r.heap_live_mb = 8;
	return r;
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(f);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

static size_t lines_in(const char *p)
{
	size_t len, n = 0;
	char *b = slurp(p, &len);

	for (size_t i = 0; i < len; i++)
		n += b[i] == '\n';
	free(b);
	return n;
}

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_same_file(void **state)
{
	char err[512];
	int status;
	struct stat st;
	const char *in = path("in.log");

	(void)state;
	write_file(in, "gc 1 @0.001s 0%: trace\n");
	struct recsink_spec a[] = {{RECSINK_RECORDING, in}};
	assert_null(recsinks_open(a, 1, in, false, err, sizeof err, &status));
	assert_int_equal(status, 2);
	assert_non_null(strstr(err, "is the input itself"));
	assert_int_equal(stat(in, &st), 0);
	assert_int_equal(st.st_size, 23);

	/* Another name for it: found by device and inode. */
	assert_int_equal(symlink(in, path("alias")), 0);
	struct recsink_spec b[] = {{RECSINK_JSON, path("alias")}};
	assert_null(recsinks_open(b, 1, in, false, err, sizeof err, &status));
	assert_int_equal(status, 2);
	assert_int_equal(stat(in, &st), 0);
	assert_int_equal(st.st_size, 23);

	/* Two outputs, one new file: refused, and the file is not left. */
	struct recsink_spec c[] = {{RECSINK_JSON, path("x")}, {RECSINK_CSV, path("x")}};
	assert_null(recsinks_open(c, 2, in, false, err, sizeof err, &status));
	assert_int_equal(status, 2);
	assert_non_null(strstr(err, "are the same file"));
	assert_int_equal(access(path("x"), F_OK), -1);

	/* /dev/null twice is fine. */
	struct recsink_spec d[] = {{RECSINK_JSON, "/dev/null"}, {RECSINK_CSV, "/dev/null"}};
	struct recsinks *s = recsinks_open(d, 2, in, false, err, sizeof err, &status);
	assert_non_null(s);
	assert_int_equal(status, 0);
	recsinks_free(s);

	/* Cannot open: status 1, naming it. */
	struct recsink_spec e[] = {{RECSINK_JSON, path("no/such/dir")}};
	assert_null(recsinks_open(e, 1, NULL, false, err, sizeof err, &status));
	assert_int_equal(status, 1);
	assert_non_null(strstr(err, "cannot write"));
}

static void test_files(void **state)
{
	char err[512], msg[512];
	int status;
	struct recsink_report rp;
	uint64_t recs, bytes;

	(void)state;
	write_file(path("old.json"), "an old file, longer than what comes\n\n\n\n\n\n\n\n\n\n\n\n\n");
	struct recsink_spec sp[] = {{RECSINK_JSON, path("old.json")}, {RECSINK_CSV, path("o.csv")}};
	struct recsinks *s = recsinks_open(sp, 2, NULL, false, err, sizeof err, &status);
	assert_non_null(s);
	assert_false(recsinks_use_stdout(s));
	assert_false(recsinks_recording(s));
	for (uint64_t i = 1; i <= 3; i++) {
		struct gc_record r = rec(i);
		recsinks_record(s, &r);
	}
	recsinks_close(s, RECSINKS_CLOSE_MS);
	assert_false(recsinks_news(s, msg, sizeof msg));
	assert_int_equal(recsinks_count(s), 2);
	recsinks_report(s, 0, &rp);
	assert_int_equal(rp.given, 3);
	assert_int_equal(rp.lost, 0);
	assert_int_equal(rp.err, 0);
	recsinks_lost(s, &recs, &bytes);
	assert_int_equal(recs + bytes, 0);
	recsinks_free(s);
	assert_int_equal(lines_in(path("old.json")), 3); /* truncated, then 3 */
	assert_int_equal(lines_in(path("o.csv")), 4);    /* header and 3 */
}

/* /dev/full: every write fails with ENOSPC. */
static void test_full(void **state)
{
	char err[512], msg[512];
	int status;
	struct recsink_report rp;
	uint64_t recs, bytes;

	(void)state;
	struct recsink_spec sp[] = {{RECSINK_JSON, "/dev/full"}, {RECSINK_RECORDING, "/dev/full"}};
	struct recsinks *s = recsinks_open(sp, 2, NULL, false, err, sizeof err, &status);
	assert_non_null(s);
	assert_true(recsinks_recording(s));
	struct gc_record r = rec(1);
	recsinks_record(s, &r);
	recsinks_bytes(s, 0, "0123456789", 10);
	/* The thread meets the error soon; both are told, once each. */
	int told = 0;
	for (int i = 0; i < 2000 && told < 2; i++) {
		if (recsinks_news(s, msg, sizeof msg)) {
			assert_non_null(strstr(msg, "No space left on device"));
			assert_non_null(strstr(msg, "/dev/full"));
			told++;
		} else {
			usleep(1000);
		}
	}
	assert_int_equal(told, 2);
	assert_false(recsinks_news(s, msg, sizeof msg));
	r = rec(2);
	recsinks_record(s, &r);
	recsinks_bytes(s, 0, "abc", 3);
	recsinks_close(s, RECSINKS_CLOSE_MS);
	recsinks_report(s, 0, &rp);
	assert_string_equal(rp.option, "--json");
	assert_string_equal(rp.unit, "records");
	assert_int_equal(rp.given, 2);
	assert_int_equal(rp.lost, 2);
	assert_int_equal(rp.err, ENOSPC);
	recsinks_report(s, 1, &rp);
	assert_string_equal(rp.option, "-r");
	assert_int_equal(rp.given, 13);
	assert_int_equal(rp.lost, 13);
	recsinks_lost(s, &recs, &bytes);
	assert_int_equal(recs, 2);
	assert_int_equal(bytes, 13);
	recsinks_free(s);
}

/* A fifo nobody reads: opening does not wait, and closing gives up after
 * its timeout with everything counted lost. */
static void test_fifo_without_reader(void **state)
{
	char err[512];
	int status;
	struct recsink_report rp;

	(void)state;
	assert_int_equal(mkfifo(path("fifo"), 0600), 0);
	struct recsink_spec sp[] = {{RECSINK_JSON, path("fifo")}};
	struct recsinks *s = recsinks_open(sp, 1, NULL, false, err, sizeof err, &status);
	assert_non_null(s);
	for (uint64_t i = 1; i <= 5; i++) {
		struct gc_record r = rec(i);
		recsinks_record(s, &r);
	}
	recsinks_close(s, 100);
	recsinks_report(s, 0, &rp);
	assert_int_equal(rp.given, 5);
	assert_int_equal(rp.lost, 5);
	assert_int_equal(rp.err, ENXIO);
	recsinks_free(s);
}

/* A command's recording: a line at a time per stream. */
static void test_recording_lines(void **state)
{
	char err[512];
	int status;
	size_t len;

	(void)state;
	struct recsink_spec sp[] = {{RECSINK_RECORDING, path("rec")}};
	struct recsinks *s = recsinks_open(sp, 1, NULL, true, err, sizeof err, &status);
	assert_non_null(s);
	recsinks_bytes(s, 0, "a", 1);
	recsinks_bytes(s, 1, "x\n", 2);
	recsinks_bytes(s, 0, "b\nc", 3);
	recsinks_close(s, RECSINKS_CLOSE_MS);
	recsinks_free(s);
	char *b = slurp(path("rec"), &len);
	assert_int_equal(len, 6);
	assert_memory_equal(b, "x\nab\nc", 6);
	free(b);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_file),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_fifo_without_reader),
		cmocka_unit_test(test_recording_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
