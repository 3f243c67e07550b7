#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gctrace.h"
#include "recout.h"
#include "stats.h"

#define READ_SIZE (1024 * 1024)

struct batch {
	struct stats stats;
	FILE *json, *csv; /* NULL when not asked for */
	FILE *text;       /* where the program's own text goes */
	const char *json_name, *csv_name;
	int out_failed;
};

static void on_record(void *ctx, const struct gc_record *r)
{
	struct batch *b = ctx;
	char buf[RECOUT_MAX];

	stats_add(&b->stats, r);
	if (b->json)
		fwrite(buf, 1, recout_json(buf, sizeof buf, r), b->json);
	if (b->csv)
		fwrite(buf, 1, recout_csv(buf, sizeof buf, r), b->csv);
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	struct batch *b = ctx;

	fwrite(s, 1, n, b->text);
}

static FILE *open_out(const char *path, FILE *std)
{
	if (strcmp(path, "-") == 0)
		return std;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "gcwatch: cannot write '%s': %s\n", path,
		        strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *name)
{
	int bad = ferror(f);

	if (f == stdout || f == stderr)
		bad |= fflush(f) != 0 && errno != EPIPE;
	else
		bad |= fclose(f) != 0;
	if (bad && f != stderr) {
		fprintf(stderr, "gcwatch: error writing '%s'\n", name);
		return 1;
	}
	return 0;
}

/* Opens PATH, or standard input for NULL or "-"; -1 with a message. */
static int open_input(const char *path, const char **name)
{
	struct stat st;
	int fd;

	if (!path || strcmp(path, "-") == 0) {
		*name = "standard input";
		return 0;
	}
	*name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "gcwatch: cannot open '%s': %s\n", path,
		        strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "gcwatch: cannot read '%s': Is a directory\n", path);
		close(fd);
		return -1;
	}
	return fd;
}

static void print_summary(const struct batch *b, const struct gctrace_counts *c,
                          const char *name)
{
	fprintf(stderr, "gcwatch: %s\n", name);
	stats_print(&b->stats, stderr);
	fprintf(stderr, "input        %llu lines: %llu program, %llu runtime",
	        (unsigned long long)c->lines, (unsigned long long)c->foreign_lines,
	        (unsigned long long)c->runtime_lines);
	if (c->torn_recovered || c->torn_dropped)
		fprintf(stderr, "; torn records %llu put back, %llu dropped",
		        (unsigned long long)c->torn_recovered,
		        (unsigned long long)c->torn_dropped);
	fputc('\n', stderr);
}

int batch_run(const struct options *o)
{
	static char buf[READ_SIZE];
	struct batch b = {0};
	const char *name;
	int status = 0;

	stats_init(&b.stats);
	/* A reader that goes away must not kill us mid-run: writes then
	 * fail with EPIPE and are given up, the input is still read. */
	signal(SIGPIPE, SIG_IGN);

	int fd = open_input(o->path, &name);
	if (fd < 0)
		return 1;
	int to_stdout = (o->json_path && strcmp(o->json_path, "-") == 0) ||
	                (o->csv_path && strcmp(o->csv_path, "-") == 0);
	b.text = to_stdout ? stderr : stdout;
	if (o->json_path && !(b.json = open_out(o->json_path, stdout)))
		return 1;
	if (o->csv_path && !(b.csv = open_out(o->csv_path, stdout)))
		return 1;
	if (b.csv)
		fputs(recout_csv_header(), b.csv);

	struct gctrace_sink sink = {.record = on_record, .foreign = on_foreign};
	struct gctrace *p = gctrace_new(&sink, &b);
	if (!p) {
		fputs("gcwatch: out of memory\n", stderr);
		return 1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0) {
			gctrace_feed(p, buf, (size_t)n);
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		fprintf(stderr, "gcwatch: cannot read '%s': %s\n", name,
		        strerror(errno));
		status = 1;
		break;
	}
	gctrace_finish(p);
	if (fd > 0)
		close(fd);

	if (b.json)
		status |= close_out(b.json, o->json_path);
	if (b.csv)
		status |= close_out(b.csv, o->csv_path);
	fflush(b.text);
	if (o->summary != 0)
		print_summary(&b, gctrace_counts(p), name);
	gctrace_free(p);
	return status;
}
