#include "outputs/recsink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outputs/outq.h"
#include "outputs/recout.h"
#include "text/clock.h"

/* Queued bytes an output may hold for a reader that is slow (records) or
 * a disk that is (the recording); past that, what comes is lost and
 * counted.  Only as much as was ever pending is resident. */
#define QUEUE_CAP (16u << 20)

/* A line held for a command's recording while the other stream is
 * written (bytes); longer ones go out in pieces, as the parser takes
 * them. */
#define RECLINE_MAX 65536

/* What differs between the kinds: one row each. */
struct kind {
	const char *option;
	const char *unit;
	size_t (*format)(char *buf, size_t cap, const struct gc_record *r,
	                 const char *source); /* NULL: bytes */
	const char *(*header)(void);
};

static const struct kind kinds[] = {
	[RECSINK_JSON] = {"--json", "records", recout_json_as, NULL},
	[RECSINK_CSV] = {"--csv", "records", recout_csv_as, recout_csv_header},
	[RECSINK_RECORDING] = {"-r", "bytes", NULL, NULL},
};

struct recsink {
	const struct kind *k;
	const char *path;
	struct outq *q;
	int fd;               /* until the queue owns it; -1 for a deferred fifo */
	bool own_fd, created, truncate;
	struct stat st;
	bool has_st;
	uint64_t given;       /* records, or bytes */
	bool told;
	/* After closing. */
	bool closed;
	uint64_t lost;
	int err;
	bool overflowed;
	/* A command's recording: the line being held, per stream. */
	char *line[2];
	size_t linelen[2];
};

struct recsinks {
	struct recsink *v;
	size_t n;
	bool lines;
};

static bool same_file(const struct stat *a, const struct stat *b)
{
	/* Two names for /dev/null or a terminal are fine; one regular file
	 * or fifo read and written (or written twice) is not. */
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       (S_ISREG(a->st_mode) || S_ISFIFO(a->st_mode));
}

static void undo(struct recsinks *s, size_t upto)
{
	for (size_t i = 0; i < upto; i++) {
		struct recsink *o = &s->v[i];
		if (o->own_fd && o->fd >= 0)
			close(o->fd);
		o->fd = -1;
		if (o->created)
			unlink(o->path);
	}
}

/* Open one output without truncating it; fifos without a reader are
 * left to the queue's thread. */
static int open_one(struct recsink *o, char *err, size_t errlen)
{
	o->fd = -1;
	if (strcmp(o->path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		o->has_st = fstat(o->fd, &o->st) == 0;
		return 0;
	}
	if (stat(o->path, &o->st) == 0 && S_ISFIFO(o->st.st_mode)) {
		o->has_st = true;
		int fd = open(o->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			/* A reader is there: a blocking descriptor for the thread. */
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			o->fd = fd;
			o->own_fd = true;
			return 0;
		}
		if (errno == ENXIO)
			return 0; /* no reader yet: deferred */
		snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
		return -1;
	}
	o->fd = open(o->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (o->fd >= 0)
		o->created = true;
	else if (errno == EEXIST)
		o->fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (o->fd < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
		return -1;
	}
	o->own_fd = true;
	o->has_st = fstat(o->fd, &o->st) == 0;
	o->truncate = o->has_st && S_ISREG(o->st.st_mode);
	return 0;
}

struct recsinks *recsinks_open(const struct recsink_spec *specs, size_t n,
                               const char *input, bool lines, char *err,
                               size_t errlen, int *status)
{
	return recsinks_open_many(specs, n, input ? &input : NULL, input ? 1 : 0, lines,
	                          err, errlen, status);
}

/* Is output o one of the inputs (as they were before any output was
 * opened: has_in[k], in_st[k])?  Says so in err. */
static bool is_an_input(const struct recsink *o, const char *const *inputs, size_t ninputs,
                        const bool *has_in, const struct stat *in_st, char *err,
                        size_t errlen)
{
	for (size_t k = 0; k < ninputs; k++) {
		const char *input = inputs[k];
		if (!has_in[k] || !same_file(&o->st, &in_st[k]))
			continue;
		snprintf(err, errlen, "%s '%s' is the input itself%s%s%s: "
		         "writing it would destroy what is read", o->k->option, o->path,
		         strcmp(input, o->path) ? " ('" : "",
		         strcmp(input, o->path) ? (strcmp(input, "-") ? input : "standard input") : "",
		         strcmp(input, o->path) ? "')" : "");
		return true;
	}
	return false;
}

struct recsinks *recsinks_open_many(const struct recsink_spec *specs, size_t n,
                                    const char *const *inputs, size_t ninputs, bool lines,
                                    char *err, size_t errlen, int *status)
{
	struct recsinks *s = calloc(1, sizeof *s);
	struct stat *in_st = calloc(ninputs + 1, sizeof *in_st);
	bool *has_in = calloc(ninputs + 1, sizeof *has_in);
	size_t i, j;

	*status = 1;
	if (!s || !in_st || !has_in || (n && !(s->v = calloc(n, sizeof *s->v)))) {
		free(in_st);
		free(has_in);
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->n = n;
	s->lines = lines;
	for (i = 0; i < ninputs; i++)
		has_in[i] = strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &in_st[i]) == 0
		                                        : stat(inputs[i], &in_st[i]) == 0;
	for (i = 0; i < n; i++) {
		struct recsink *o = &s->v[i];
		o->k = &kinds[specs[i].kind];
		o->path = specs[i].path;
		if (open_one(o, err, errlen) < 0) {
			undo(s, i + 1);
			goto fail;
		}
		if (!o->has_st)
			continue;
		if (is_an_input(o, inputs, ninputs, has_in, in_st, err, errlen)) {
			*status = 2;
			undo(s, i + 1);
			goto fail;
		}
		for (j = 0; j < i; j++) {
			if (s->v[j].has_st && same_file(&o->st, &s->v[j].st)) {
				snprintf(err, errlen, "%s '%s' and %s '%s' are the same file",
				         s->v[j].k->option, s->v[j].path, o->k->option, o->path);
				*status = 2;
				undo(s, i + 1);
				goto fail;
			}
		}
	}
	free(in_st);
	free(has_in);
	in_st = NULL;
	has_in = NULL;
	/* All checked: now truncate, and hand the descriptors to queues. */
	for (i = 0; i < n; i++) {
		struct recsink *o = &s->v[i];
		if (o->truncate)
			(void)ftruncate(o->fd, 0);
		o->q = o->fd >= 0 ? outq_new(o->fd, QUEUE_CAP, OUTQ_DROP, o->own_fd)
		                  : outq_new_deferred(o->path, QUEUE_CAP, OUTQ_DROP);
		if (lines && !o->k->format)
			for (unsigned st = 0; st < 2; st++)
				o->line[st] = malloc(RECLINE_MAX);
		if (!o->q || (lines && !o->k->format && (!o->line[0] || !o->line[1]))) {
			snprintf(err, errlen, "out of memory");
			if (o->q) {
				outq_close(o->q); /* closes the descriptor */
				o->q = NULL;
				o->own_fd = false;
			}
			free(o->line[0]);
			free(o->line[1]);
			for (j = i; j < n; j++)
				if (s->v[j].own_fd && s->v[j].fd >= 0)
					close(s->v[j].fd);
			s->n = i; /* those with a queue */
			recsinks_free(s);
			return NULL;
		}
		if (o->truncate && o->k->format)
			outq_trim_on_error(o->q);
		else if (o->k->format)
			outq_whole_lines(o->q);
		o->own_fd = false; /* the queue closes it */
		if (o->k->header)
			outq_write(o->q, o->k->header(), strlen(o->k->header()));
	}
	*status = 0;
	return s;
fail:
	free(in_st);
	free(has_in);
	free(s->v);
	free(s);
	return NULL;
}

bool recsinks_use_stdout(const struct recsinks *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->v[i].path, "-") == 0)
			return true;
	return false;
}

bool recsinks_recording(const struct recsinks *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!s->v[i].k->format)
			return true;
	return false;
}

void recsinks_record(struct recsinks *s, const struct gc_record *r)
{
	recsinks_record_as(s, r, NULL);
}

void recsinks_record_as(struct recsinks *s, const struct gc_record *r, const char *source)
{
	char buf[RECOUT_MAX];

	for (size_t i = 0; s && i < s->n; i++) {
		struct recsink *o = &s->v[i];
		if (!o->k->format || o->closed)
			continue;
		o->given++;
		outq_write(o->q, buf, o->k->format(buf, sizeof buf, r, source));
	}
}

static void put(struct recsink *o, const char *buf, size_t len)
{
	o->given += len;
	outq_write(o->q, buf, len);
}

/* A command's stream, a line at a time. */
static void put_lines(struct recsink *o, unsigned stream, const char *buf, size_t len)
{
	char *line = o->line[stream];
	size_t *ll = &o->linelen[stream];

	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t take = nl ? (size_t)(nl - buf) + 1 : len;
		if (*ll + take > RECLINE_MAX) {
			/* Too long to hold: out in pieces, like the parser. */
			put(o, line, *ll);
			*ll = 0;
		}
		if (take > RECLINE_MAX || (nl && !*ll)) {
			put(o, buf, take);
		} else {
			memcpy(line + *ll, buf, take);
			*ll += take;
			if (nl) {
				put(o, line, *ll);
				*ll = 0;
			}
		}
		buf += take;
		len -= take;
	}
}

void recsinks_bytes(struct recsinks *s, unsigned stream, const char *buf, size_t len)
{
	if (stream > 1)
		stream = 1;
	for (size_t i = 0; s && i < s->n; i++) {
		struct recsink *o = &s->v[i];
		if (o->k->format || o->closed)
			continue;
		if (o->line[0])
			put_lines(o, stream, buf, len);
		else
			put(o, buf, len);
	}
}

size_t recsinks_pending(const struct recsinks *s)
{
	size_t most = 0;

	for (size_t i = 0; s && i < s->n; i++) {
		/* A fifo still without a reader is not waited for: what it
		 * cannot take is counted lost instead. */
		if (s->v[i].closed || !outq_is_open(s->v[i].q))
			continue;
		size_t n = outq_pending(s->v[i].q);
		if (n > most)
			most = n;
	}
	return most;
}

bool recsinks_news(struct recsinks *s, char *msg, size_t cap)
{
	for (size_t i = 0; s && i < s->n; i++) {
		struct recsink *o = &s->v[i];
		if (o->told || o->closed)
			continue;
		int err = outq_error(o->q);
		if (err) {
			o->told = true;
			snprintf(msg, cap, "%s '%s': %s: %s are being lost", o->k->option,
			         o->path, err == EPIPE ? "the reader went away" : strerror(err),
			         o->k->unit);
			return true;
		}
		if (outq_dropped(o->q)) {
			o->told = true;
			snprintf(msg, cap, "%s '%s': the reader does not keep up: %s are "
			         "being dropped", o->k->option, o->path, o->k->unit);
			return true;
		}
	}
	return false;
}

void recsinks_close(struct recsinks *s, unsigned timeout_ms)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		struct recsink *o = &s->v[i];
		for (unsigned st = 0; st < 2; st++)
			if (!o->closed && o->line[st] && o->linelen[st]) {
				put(o, o->line[st], o->linelen[st]);
				o->linelen[st] = 0;
			}
		if (!o->closed)
			outq_close_begin(o->q);
	}
	uint64_t deadline = clock_now_ms() + timeout_ms;
	for (i = 0; i < s->n; i++) {
		struct recsink *o = &s->v[i];
		uint64_t lost = 0, lines = 0;
		if (o->closed)
			continue;
		o->overflowed = outq_dropped(o->q) > 0;
		o->err = outq_close_by(o->q, deadline, &lost, &lines);
		o->q = NULL;
		o->closed = true;
		if (o->k->format) {
			/* Whole lines written are whole records (after the
			 * header); the rest are lost. */
			uint64_t head = o->k->header ? 1 : 0;
			uint64_t done = lines > head ? lines - head : 0;
			o->lost = o->given > done ? o->given - done : 0;
		} else {
			o->lost = lost;
		}
	}
}

size_t recsinks_count(const struct recsinks *s)
{
	return s ? s->n : 0;
}

void recsinks_report(const struct recsinks *s, size_t i, struct recsink_report *out)
{
	const struct recsink *o = &s->v[i];

	*out = (struct recsink_report){
		.option = o->k->option,
		.path = o->path,
		.unit = o->k->unit,
		.given = o->given,
		.lost = o->lost,
		.err = o->err,
		.overflowed = o->overflowed,
	};
}

void recsinks_lost(const struct recsinks *s, uint64_t *records, uint64_t *bytes)
{
	*records = *bytes = 0;
	for (size_t i = 0; s && i < s->n; i++) {
		if (s->v[i].k->format)
			*records += s->v[i].lost;
		else
			*bytes += s->v[i].lost;
	}
}

void recsinks_free(struct recsinks *s)
{
	if (!s)
		return;
	recsinks_close(s, RECSINKS_CLOSE_MS);
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].line[0]);
		free(s->v[i].line[1]);
	}
	free(s->v);
	free(s);
}
