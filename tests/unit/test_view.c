/*
 * Unit tests for the dashboard view: golden screens of fixed models built
 * from real corpus lines (80x24 and 200x60, UTF-8 and ASCII; a steady
 * run, a go run restart, high assist with a killed program and the
 * display frozen, GOGC=off, Go 1.4 records, nothing yet, too small, the
 * help overlay), and properties checked directly: ASCII mode emits only
 * 0x20-0x7e, no cell holds a control byte or a glyph wider than one
 * column, the header's count and the last pause match the model, the
 * assist highlight appears exactly when the share passes the threshold,
 * restarts are marked, the window steps.  UPDATE_GOLDEN=1 rewrites the
 * golden files instead of comparing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/fmt.h"
#include "trace/gctrace.h"
#include "ui/grid.h"
#include "model/model.h"
#include "model/stats.h"
#include "text/utf8.h"
#include "ui/view.h"
#include "ui/chartwin.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif
#define CORPUS TEST_DATA "/corpus/"
#define GOLDEN TEST_DATA "/../golden/"

/* ---- building models ------------------------------------------------ */

/* The fixtures go through the feed module, as the engine does. */
static struct feed *F(const struct model *m)
{
	return m->feeds[0];
}

static struct model *fixture(const char *name, bool spawned)
{
	struct model *m = model_new(0, FEED_RECORDS, true);

	assert_non_null(m);
	assert_non_null(model_feed(m, ""));
	snprintf(m->name, sizeof m->name, "%s", name);
	m->spawned = spawned;
	m->pid = spawned ? 4242 : 0;
	m->input = MODEL_RUNNING;
	m->start_ms = 1000000;
	return m;
}

static void add_record(struct model *m, const struct gc_record *r)
{
	feed_add_record(F(m), r, 0);
	m->counts.records++;
}

static void add_line(struct model *m, int stream, const char *text, size_t len)
{
	feed_add_text(F(m), (unsigned)stream, text, len, 0);
	feed_add_text(F(m), (unsigned)stream, "\n", 1, 0);
}

static void add_str(struct model *m, int stream, const char *text)
{
	add_line(m, stream, text, strlen(text));
}

/*
 * Every line of a corpus file, from line `from` to `to` (1-based,
 * inclusive; 0 for the end): gc lines become records, the others the
 * program's output (on stderr, where the runtime writes too).
 */
static void load(struct model *m, const char *file, int from, int to)
{
	char path[512], line[4096];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, CORPUS "%s", file);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\n");
		struct gc_record r;

		n++;
		if (n < from || (to > 0 && n > to))
			continue;
		m->counts.lines++;
		if (gctrace_parse_line(line, len, &r))
			add_record(m, &r);
		else
			add_line(m, 1, line, len);
	}
	fclose(f);
}

static struct gc_record parse(const char *line)
{
	struct gc_record r;

	assert_true(gctrace_parse_line(line, strlen(line), &r));
	return r;
}

/* Output that tries everything a program can throw at a terminal. */
static void hostile_output(struct model *m)
{
	static const char invalid[] = "bad bytes: \xff\xfe \xc0\xaf \xed\xa0\x80 "
	                              "cut \xe2\x82 end";
	static const char nul[] = "nul\0byte";

	add_str(m, 0, "2024/05/01 12:00:00 listening on :8080");
	add_str(m, 1, "\x1b[31mERROR\x1b[0m db timeout\tretrying in 5s");
	add_str(m, 0, "\x1b]0;pwned title\x07 progress 42%\rprogress 43%");
	add_str(m, 0, "caf\xc3\xa9 na\xc3\xafve \xe4\xb8\xad\xe6\x96\x87 "
	              "emoji \xf0\x9f\x98\x80 rtl\xe2\x80\xae" "abc\x7f");
	add_line(m, 1, invalid, sizeof invalid - 1);
	add_line(m, 0, nul, sizeof nul - 1);
	add_str(m, 0, "a very long line that goes on and on past the right edge "
	              "of any reasonable terminal, and then some more, because "
	              "log lines with JSON payloads are like that in real life; "
	              "it must be cut and marked, never wrapped over other panes");
}

static struct model *steady(void)
{
	struct model *m = fixture("./server --addr :8080", true);

	load(m, "stream-go1.18-goal-below-heap.log", 1, 0);
	hostile_output(m);
	return m;
}

static struct model *restart(void)
{
	struct model *m = fixture("go run ./cmd/demo", true);

	load(m, "stream-go-run-two-processes.log", 1, 0);
	m->input = MODEL_EXITED;
	m->exited = true;
	m->exit_status = 0;
	m->end_ms = m->start_ms + 4321;
	return m;
}

/* A real 64-P run growing from 1 MB to 6.5 GB, killed. */
static struct model *bigheap(void)
{
	struct model *m = fixture("/srv/indexer -workers 64", true);

	load(m, "go1.18-1.25.txt", 9, 75);
	add_str(m, 1, "indexer: 1200000 documents, 38 GB read");
	m->input = MODEL_EXITED;
	m->exited = true;
	m->term_signal = 9;
	m->exit_status = 137;
	m->end_ms = m->start_ms + 3723000;
	return m;
}

/* A real Go 1.5 run whose mark assist climbs past half of the mark work. */
static struct model *assist(void)
{
	struct model *m = fixture("./loadgen -qps 20000", true);

	load(m, "go1.5.txt", 2, 57);
	add_str(m, 0, "loadgen: p99 latency 48ms (target 10ms)");
	return m;
}

/* A long steady stream: the goal-below-heap trace repeated with the
 * numbers and times carried on, then the collector switched off. */
static struct model *longrun(void)
{
	struct model *m = fixture("/var/log/api/stderr.log", false);
	struct model *src = fixture("", false);
	int64_t t = 0;
	uint64_t gc = 0;
	unsigned i, k;

	load(src, "stream-go1.18-goal-below-heap.log", 1, 0);
	for (k = 0; k < 9; k++)
		for (i = 0; i < F(src)->nrecent; i++) {
			struct gc_record r = (*feed_record(F(src), i));
			r.gc = ++gc;
			r.at_ms = t + r.at_ms;
			add_record(m, &r);
		}
	t = (*feed_record(F(m), F(m)->nrecent - 1)).at_ms;
	for (i = 0; i < 4; i++) {
		char line[512];
		struct gc_record r;

		/* What the runtime prints with GOGC=off: a goal of 2^63 bytes. */
		snprintf(line, sizeof line,
		         "gc %llu @%lld.%03llds 1%%: 0.021+1.4+0.020 ms clock, "
		         "0.085+0.20/1.1/0.31+0.081 ms cpu, 180->190->120 MB, "
		         "8796093022207 MB goal, 0 MB stacks, 0 MB globals, 4 P",
		         (unsigned long long)++gc, (long long)(t / 1000 + 1 + i),
		         (long long)(t % 1000));
		r = parse(line);
		add_record(m, &r);
	}
	m->input = MODEL_WAITING;
	m->waiting_is_writer = false;
	add_str(m, 0, "GET /healthz 200 0.3ms");
	add_str(m, 0, "GET /v1/items?page=2 200 41ms");
	model_free(src);
	return m;
}

static struct model *pre15(void)
{
	struct model *m = fixture("legacy.log", false);

	load(m, "go1.2-1.4.txt", 1, 0);
	m->input = MODEL_EOF;
	m->end_ms = m->start_ms + 65000;
	return m;
}

/* ---- rendering and goldens ------------------------------------------ */

static struct view_opts opts(bool ascii)
{
	struct view_opts o = {
		.ascii = ascii,
		.show_output = true,
		.help = false,
		.frozen = false,
		.window = 60,
		.per_gc = true, /* these screens are the per-collection axis's;
		                   test_timeaxis has the time axis's */
		.assist_warn = 0.25,
	};
	return o;
}

static struct grid *render(const struct model *m, const struct view_opts *o,
                           int w, int h, uint64_t now)
{
	struct grid *g = grid_new(w, h);

	assert_non_null(g);
	view_render(g, m, o, now);
	return g;
}

static char *text_of(const struct grid *g)
{
	size_t cap = (size_t)g->w * (size_t)g->h * 4 + (size_t)g->h + 1;
	char *buf = malloc(cap);

	assert_non_null(buf);
	assert_true(grid_to_text(g, buf, cap) < cap);
	return buf;
}

/* The text of row y, as a string the caller frees. */
static char *row_of(const struct grid *g, int y)
{
	char *buf = malloc((size_t)g->w * 4 + 1);
	size_t n = 0;
	int x;

	assert_non_null(buf);
	for (x = 0; x < g->w; x++) {
		const char *ch = grid_at(g, x, y)->ch;
		memcpy(buf + n, ch, strlen(ch));
		n += strlen(ch);
	}
	buf[n] = '\0';
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *buf;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Properties every screen must have, whatever the model. */
static void check_cells(const struct grid *g, bool ascii)
{
	int x, y;

	for (y = 0; y < g->h; y++)
		for (x = 0; x < g->w; x++) {
			const struct cell *c = grid_at(g, x, y);
			const unsigned char *s = (const unsigned char *)c->ch;
			size_t len = strlen(c->ch), k;
			uint32_t cp;
			int n;

			assert_true(c->role < ROLE_COUNT);
			if (c->width == GRID_WIDE_TAIL) {
				/* The right half of the wide character left of it. */
				assert_int_equal(len, 0);
				assert_true(x > 0 && grid_at(g, x - 1, y)->width == GRID_WIDE);
				continue;
			}
			assert_true(len >= 1 && len < GRID_GLYPH_MAX);
			n = utf8_decode(s, len, &cp);
			assert_true(n > 0);
			if (c->width == GRID_WIDE) {
				assert_int_equal(utf8_class(cp), UTF8_WIDE);
				assert_true(x + 1 < g->w && grid_at(g, x + 1, y)->width == GRID_WIDE_TAIL);
			} else {
				assert_int_equal(utf8_class(cp), UTF8_NARROW);
			}
			/* Whatever follows the character are marks on it. */
			for (k = (size_t)n; k < len; k += (size_t)n) {
				n = utf8_decode(s + k, len - k, &cp);
				assert_true(n > 0 && grid_is_mark(cp));
			}
			if (ascii) {
				assert_int_equal(len, 1);
				assert_true(s[0] >= 0x20 && s[0] <= 0x7e);
			}
		}
}

static void golden(const char *name, const struct grid *g, bool ascii)
{
	char path[512];
	char *got = text_of(g), *want;
	const char *p;

	check_cells(g, ascii);
	if (ascii)
		for (p = got; *p; p++)
			assert_true(*p == '\n' || (*p >= 0x20 && *p <= 0x7e));
	snprintf(path, sizeof path, GOLDEN "%s.txt", name);
	if (getenv("UPDATE_GOLDEN") && *getenv("UPDATE_GOLDEN") == '1') {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(path);
	if (!want)
		fail_msg("no golden file %s (run with UPDATE_GOLDEN=1)", path);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "screen %s differs from %s; got:\n%s", name, path, got);
		fail_msg("golden mismatch: %s", name);
	}
	free(got);
	free(want);
}

/* The row whose text starts with title (a pane's first row), or -1. */
static int find_row(const struct grid *g, const char *title)
{
	int y;

	for (y = 0; y < g->h; y++) {
		char *row = row_of(g, y);
		bool hit = strncmp(row, title, strlen(title)) == 0;
		free(row);
		if (hit)
			return y;
	}
	return -1;
}

static bool has_role(const struct grid *g, int y0, int y1, enum role role)
{
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = 0; x < g->w; x++)
			if (grid_at(g, x, y)->role == role)
				return true;
	return false;
}

static bool contains(const struct grid *g, const char *s)
{
	char *t = text_of(g);
	bool hit = strstr(t, s) != NULL;

	free(t);
	return hit;
}

#define NOW(m) ((m)->start_ms + 83000)

/* ---- golden screens --------------------------------------------------- */

/*
 * A fleet: n feeds named like kubectl pods, each given the corpus's
 * records from a different offset (and every seventh a restart), arrived
 * at times spread over the last minute.
 */
static struct model *fleet(unsigned n)
{
	struct model *m = fixture("kubectl logs -f -l app=api --prefix", false);
	struct model *src = fixture("", false);

	load(src, "go1.18-1.25.txt", 1, 0);
	for (unsigned k = 0; k < n; k++) {
		char name[64];
		snprintf(name, sizeof name, "pod/api-%02u-%c%c%c/app", k,
		         'a' + (char)(k * 7 % 26), 'a' + (char)(k * 11 % 26),
		         'a' + (char)(k * 13 % 26));
		struct feed *f = model_feed(m, name);
		assert_non_null(f);
		unsigned count = 5 + (k * 37) % (F(src)->nrecent - 5);
		uint64_t gc = 0;
		for (unsigned i = 0; i < count; i++) {
			struct gc_record r = *feed_record(F(src), (i + k) % F(src)->nrecent);
			r.gc = k % 7 == 6 && i == count / 2 ? (gc = 1) : ++gc;
			r.at_ms = (int64_t)i * (200 + 50 * k);
			snprintf(r.source, sizeof r.source, "%.40s", name);
			model_add_record(m, f, &r, m->start_ms + 20000 + 60000 * i / count);
		}
		m->counts.records += count;
	}
	model_free(src);
	return m;
}

static void test_golden_fleet(void **state)
{
	static const struct {
		const char *name;
		unsigned feeds;
		bool ascii;
		int w, h, sort;
		unsigned sel;
	} cases[] = {
		{ "fleet3-80x24-utf8", 3, false, 80, 24, VIEW_SORT_ORDER, 1 },
		{ "fleet3-200x60-ascii", 3, true, 200, 60, VIEW_SORT_ORDER, 1 },
		{ "fleet60-80x24-utf8", 60, false, 80, 24, VIEW_SORT_LIVE, 40 },
		{ "fleet60-200x60-utf8", 60, false, 200, 60, VIEW_SORT_P99, 2 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* What the dashboard draws: a copy of the live model. */
		struct model *live = fleet(cases[i].feeds), *m = model_new(0, FEED_RECORDS, true);
		model_copy(m, live, MODEL_FOCUS_AUTO);
		struct view_opts o = opts(cases[i].ascii);
		o.fleet = true;
		o.sort = cases[i].sort;
		o.sel = cases[i].sel + 1; /* feeds[0] is the input's own */
		struct grid *g = render(m, &o, cases[i].w, cases[i].h, NOW(m));
		golden(cases[i].name, g, cases[i].ascii);
		/* The selected feed is on screen, in the selection's role. */
		const char *name = m->rows[o.sel].name;
		char shown[16];
		int y = -1;
		snprintf(shown, sizeof shown, "%.12s", name);
		for (int k = 0; k < g->h && y < 0; k++) {
			char *row = row_of(g, k);
			if (strstr(row, shown))
				y = k;
			free(row);
		}
		assert_true(y > 0);
		assert_int_equal(grid_at(g, 1, y)->role, ROLE_SELECT);
		/* Every row of the table above the footer is a feed or the
		 * pooled one; nothing overlaps the footer. */
		assert_true(contains(g, cases[i].ascii ? "j/k select" : "j/k select"));
		grid_free(g);
		model_free(m);
		model_free(live);
	}
}

/* Moving the selection follows the table's order and stops at its ends;
 * Enter's feed is what the panes then show. */
static void test_fleet_moves(void **state)
{
	struct model *live = fleet(10), *m = model_new(0, FEED_RECORDS, true);
	struct view_opts o = opts(false);

	model_copy(m, live, MODEL_FOCUS_AUTO);
	(void)state;
	o.fleet = true;
	o.sort = VIEW_SORT_GCS;
	o.sel = 1;
	assert_true(view_is_fleet(m, &o, NOW(m)));
	assert_int_equal(view_fleet_count(m, &o, NOW(m)), 10);
	/* Walk down the whole table: counts never grow. */
	uint64_t last = UINT64_MAX;
	for (int i = 0; i < 12; i++) {
		uint64_t c = m->rows[o.sel].count;
		if (i > 0 && i < 10)
			assert_true(c <= last);
		last = c;
		o.sel = view_fleet_move(m, &o, 1, NOW(m));
	}
	unsigned bottom = o.sel;
	/* A retention shorter than a feed's silence takes it off the table. */
	{
		struct view_opts r = o;
		r.retention_ms = 1;
		assert_int_equal(view_fleet_count(m, &r, NOW(m)), 0);
		r.retention_ms = 3600000;
		assert_int_equal(view_fleet_count(m, &r, NOW(m)), 10);
	}
	assert_int_equal(view_fleet_move(m, &o, 1, NOW(m)), bottom);
	o.sel = view_fleet_move(m, &o, -100, NOW(m));
	for (unsigned i = 1; i < m->nfeeds; i++)
		assert_true(m->rows[i].count <= m->rows[o.sel].count);
	/* Open it: the copy holds that feed whole; the panes show it and
	 * name it in the header. */
	o.fleet = false;
	o.feed = o.sel;
	model_copy(m, live, o.feed);
	assert_non_null(m->feeds[o.sel]);
	struct grid *g = render(m, &o, 100, 30, NOW(m));
	char want[FEED_NAME_MAX + 8];
	snprintf(want, sizeof want, "\u203a %s", m->feeds[o.sel]->name);
	assert_true(contains(g, want));
	grid_free(g);
	model_free(m);
	model_free(live);
}

static void test_golden_steady(void **state)
{
	struct model *m = steady();
	struct view_opts o;
	struct grid *g;
	int i;
	static const struct {
		const char *name;
		bool ascii;
		int w, h;
	} cases[] = {
		{ "steady-80x24-utf8", false, 80, 24 },
		{ "steady-80x24-ascii", true, 80, 24 },
		{ "steady-200x60-utf8", false, 200, 60 },
		{ "steady-200x60-ascii", true, 200, 60 },
	};

	(void)state;
	for (i = 0; i < 4; i++) {
		o = opts(cases[i].ascii);
		g = render(m, &o, cases[i].w, cases[i].h, NOW(m));
		golden(cases[i].name, g, cases[i].ascii);
		grid_free(g);
	}
	model_free(m);
}

static void test_golden_restart(void **state)
{
	struct model *m = restart();
	struct view_opts o = opts(false);
	struct grid *g = render(m, &o, 80, 24, NOW(m));

	(void)state;
	golden("restart-80x24-utf8", g, false);
	grid_free(g);
	o = opts(true);
	g = render(m, &o, 80, 24, NOW(m));
	golden("restart-80x24-ascii", g, true);
	grid_free(g);
	model_free(m);
}

static void test_golden_bigheap(void **state)
{
	struct model *m = bigheap();
	struct view_opts o = opts(false);
	struct grid *g;

	(void)state;
	o.frozen = true;
	g = render(m, &o, 80, 24, NOW(m));
	golden("bigheap-killed-frozen-80x24-utf8", g, false);
	grid_free(g);
	o.ascii = true;
	g = render(m, &o, 80, 24, NOW(m));
	golden("bigheap-killed-frozen-80x24-ascii", g, true);
	grid_free(g);
	o.ascii = false;
	g = render(m, &o, 200, 60, NOW(m));
	golden("bigheap-200x60-utf8", g, false);
	grid_free(g);
	model_free(m);
}

static void test_golden_assist(void **state)
{
	struct model *m = assist();
	struct view_opts o = opts(false);
	struct grid *g;

	(void)state;
	g = render(m, &o, 80, 24, NOW(m));
	golden("assist-80x24-utf8", g, false);
	grid_free(g);
	o.ascii = true;
	g = render(m, &o, 80, 24, NOW(m));
	golden("assist-80x24-ascii", g, true);
	grid_free(g);
	o.ascii = false;
	g = render(m, &o, 200, 60, NOW(m));
	golden("assist-200x60-utf8", g, false);
	grid_free(g);
	model_free(m);
}

static void test_golden_long(void **state)
{
	struct model *m = longrun();
	struct view_opts o = opts(false);
	struct grid *g;

	(void)state;
	o.window = 300;
	g = render(m, &o, 80, 24, NOW(m));
	golden("long-w300-80x24-utf8", g, false);
	grid_free(g);
	o.show_output = false;
	o.window = 2048;
	g = render(m, &o, 80, 24, NOW(m));
	golden("long-w2048-nooutput-80x24-utf8", g, false);
	grid_free(g);
	model_free(m);
}

static void test_golden_pre15(void **state)
{
	struct model *m = pre15();
	struct view_opts o = opts(true);
	struct grid *g = render(m, &o, 80, 24, NOW(m));

	(void)state;
	golden("pre15-80x24-ascii", g, true);
	grid_free(g);
	model_free(m);
}

/*
 * Wide and combining characters in the program's output, in a UTF-8
 * locale: CJK and an emoji take two columns each and appear as printed,
 * U+2714 with VS16 and e with U+0301 stay one cell each, a line of CJK is
 * cut at the pane's edge before a wide character that would be halved,
 * and the escape in the same line is still made visible.
 */
static void test_golden_wide(void **state)
{
	struct model *m = fixture("./intl \xe6\x97\xa5\xe6\x9c\xac", true);
	struct view_opts o = opts(false);
	struct grid *g;
	char line[512];
	int y, x, w;

	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	load(m, "stream-go1.18-goal-below-heap.log", 1, 40);
	add_str(m, 0, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\xad\xe3\x82\xb0: "
	              "\xe5\xae\x8c\xe4\xba\x86 (CJK)");
	add_str(m, 0, "deploy \xe2\x9c\x94\xef\xb8\x8f done \xf0\x9f\x9a\x80 rocket \xe2\x9c\x94 plain");
	add_str(m, 1, "cafe\xcc\x81 na\xc3\xafve \x1b[31mred\x1b[0m");
	/* 7 ASCII columns, then wide characters: the edge of an 80-column
	 * pane falls in the middle of one. */
	snprintf(line, sizeof line, "wide-x ");
	for (int i = 0; i < 40; i++)
		strcat(line, "\xe4\xb8\xad");
	add_str(m, 0, line);
	g = render(m, &o, 80, 24, NOW(m));
	golden("wide-80x24-utf8", g, false);
	assert_true(contains(g, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae"));
	assert_true(contains(g, "deploy \xe2\x9c\x94\xef\xb8\x8f done \xf0\x9f\x9a\x80 rocket"));
	assert_true(contains(g, "cafe\xcc\x81 na\xc3\xafve ^[[31mred^[[0m"));
	assert_true(contains(g, "./intl \xe6\x97\xa5\xe6\x9c\xac"));
	/* The cut line: 7 + 2 x 36 = 79 columns, then the ellipsis at 79 in
	 * place of the wide character that would not fit. */
	y = find_row(g, "OUTPUT");
	assert_true(y > 0);
	for (y = y + 1; y < g->h; y++)
		if (strcmp(grid_at(g, 0, y)->ch, "w") == 0 &&
		    strcmp(grid_at(g, 5, y)->ch, "x") == 0)
			break;
	assert_true(y < g->h);
	for (x = 7, w = 0; x < 79; x += 2, w++) {
		assert_string_equal(grid_at(g, x, y)->ch, "\xe4\xb8\xad");
		assert_int_equal(grid_at(g, x + 1, y)->width, GRID_WIDE_TAIL);
	}
	assert_int_equal(w, 36);
	assert_string_equal(grid_at(g, 79, y)->ch, "\xe2\x80\xa6");
	grid_free(g);

	/* In ASCII mode the same lines are plain ASCII, of the same widths. */
	o = opts(true);
	g = render(m, &o, 80, 24, NOW(m));
	check_cells(g, true);
	assert_true(contains(g, "????????????: ???? (CJK)"));
	grid_free(g);
	setlocale(LC_CTYPE, "C");
	model_free(m);
}

static void test_golden_empty(void **state)
{
	struct model *m = fixture("/tmp/gc.fifo", false);
	struct view_opts o = opts(false);
	struct grid *g;

	(void)state;
	m->input = MODEL_WAITING;
	m->waiting_is_writer = true;
	g = render(m, &o, 80, 24, m->start_ms + 5000);
	golden("empty-80x24-utf8", g, false);
	assert_true(contains(g, "waiting for the first collection"));
	assert_true(contains(g, "waiting for a writer"));
	grid_free(g);

	/* Lines read but none of them a gc line: say so. */
	m->input = MODEL_EOF;
	m->counts.lines = 120;
	add_str(m, 0, "hello");
	o.ascii = true;
	g = render(m, &o, 80, 24, m->start_ms + 5000);
	golden("nogc-80x24-ascii", g, true);
	assert_true(contains(g, "no gc lines in this input (120 lines read)"));
	assert_true(contains(g, "EOF"));
	grid_free(g);
	model_free(m);
}

static void test_golden_small(void **state)
{
	struct model *m = steady();
	struct view_opts o = opts(false);
	struct grid *g;

	(void)state;
	g = render(m, &o, VIEW_MIN_W - 1, VIEW_MIN_H - 1, NOW(m));
	golden("small-59x15", g, false);
	assert_true(contains(g, "too small: 59x15"));
	assert_true(contains(g, "60x16"));
	grid_free(g);

	/* The smallest that draws the dashboard. */
	g = render(m, &o, VIEW_MIN_W, VIEW_MIN_H, NOW(m));
	golden("steady-60x16-utf8", g, false);
	assert_false(contains(g, "too small"));
	grid_free(g);
	model_free(m);
}

static void test_golden_help(void **state)
{
	struct model *m = steady();
	struct view_opts o = opts(false);
	struct grid *g;

	(void)state;
	o.help = true;
	g = render(m, &o, 80, 24, NOW(m));
	golden("help-80x24-utf8", g, false);
	grid_free(g);
	o.ascii = true;
	g = render(m, &o, 80, 24, NOW(m));
	golden("help-80x24-ascii", g, true);
	grid_free(g);
	/* The time axis has one pane more (GC CPU): every line still in the
	 * box at 80x24, the last note and the bottom border included. */
	o.ascii = false;
	o.per_gc = false;
	o.zoom = VIEW_ZOOM_DEFAULT;
	g = render(m, &o, 80, 24, NOW(m));
	golden("help-time-80x24-utf8", g, false);
	assert_true(contains(g, "gc cpu   GC CPU"));
	assert_true(contains(g, "a restart (gc numbering began again)"));
	assert_true(contains(g, "window = over the collections"));
	assert_true(contains(g, "\u2514\u2500"));
	grid_free(g);
	model_free(m);
}

/* ---- properties --------------------------------------------------- */

/* The header's count is the run's count, and the rate is stats'. */
static void test_header_numbers(void **state)
{
	struct model *models[3] = { steady(), restart(), bigheap() };
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct model *m = models[i];
		struct view_opts o = opts(false);
		struct grid *g = render(m, &o, 80, 24, NOW(m));
		char *row = row_of(g, 1), want[64], rate[FMT_MAX];
		double v;

		snprintf(want, sizeof want, " %llu gcs ",
		         (unsigned long long)F(m)->stats.count);
		assert_true(strncmp(row, want, strlen(want)) == 0);
		assert_int_equal(stats_metric(&F(m)->stats, "gc.rate", &v), 0);
		assert_non_null(strstr(row, fmt_rate(rate, v)));
		snprintf(want, sizeof want, "GC CPU %d%% runtime",
		         (int)F(m)->stats.cpu_pct);
		assert_non_null(strstr(row, want));
		snprintf(want, sizeof want, "%d P", (int)F(m)->stats.procs);
		assert_non_null(strstr(row, want));
		free(row);
		grid_free(g);
		model_free(m);
	}
}

/* The "last" figure is the newest record's pause, formatted. */
static void test_last_pause(void **state)
{
	struct model *m = steady();
	struct view_opts o = opts(true);
	struct grid *g = render(m, &o, 80, 24, NOW(m));
	int y = find_row(g, "PAUSE");
	char want[FMT_MAX], *row;

	(void)state;
	assert_true(y >= 0);
	row = row_of(g, y + 1);
	fmt_us(want, gcrecord_pause_us(feed_record(F(m), F(m)->nrecent - 1)), true);
	assert_non_null(strstr(row, "last"));
	assert_non_null(strstr(row + (strstr(row, "last") - row), want));
	free(row);
	grid_free(g);
	model_free(m);
}

/* ROLE_WARN/ROLE_ALERT in the mark pane iff the assist share (window or
 * run) is above the threshold. */
static void test_assist_highlight(void **state)
{
	struct model *hi = assist(), *lo = steady();
	struct view_opts o = opts(false);
	struct grid *g;
	int y0, y1;
	double share;

	(void)state;
	/* The run's assist share in the high case. */
	assert_int_equal(stats_metric(&F(hi)->stats, "mark.assist", &share), 0);
	assert_true(share > 25 && share < 60);

	g = render(hi, &o, 80, 24, NOW(hi));
	y0 = find_row(g, "MARK");
	y1 = find_row(g, "OUTPUT");
	assert_true(y0 > 0 && y1 > y0);
	assert_true(has_role(g, y0, y1, ROLE_WARN) || has_role(g, y0, y1, ROLE_ALERT));
	assert_true(contains(g, "assist above 25%"));
	grid_free(g);

	/* The same model with the threshold above both shares: no highlight. */
	o.assist_warn = 0.6;
	g = render(hi, &o, 80, 24, NOW(hi));
	assert_false(has_role(g, y0, y1, ROLE_WARN));
	assert_false(has_role(g, y0, y1, ROLE_ALERT));
	assert_false(contains(g, "assist above"));
	grid_free(g);

	/* A low-assist run at the default threshold. */
	assert_int_equal(stats_metric(&F(lo)->stats, "mark.assist", &share), 0);
	o.assist_warn = 0.25;
	g = render(lo, &o, 80, 24, NOW(lo));
	y0 = find_row(g, "MARK");
	y1 = find_row(g, "OUTPUT");
	if (share <= 25) {
		assert_false(has_role(g, y0, y1, ROLE_WARN));
		assert_false(has_role(g, y0, y1, ROLE_ALERT));
	}
	grid_free(g);
	model_free(hi);
	model_free(lo);
}

/* A restart is a ROLE_MARK column in each chart, and nowhere else. */
static void test_restart_marked(void **state)
{
	struct model *r = restart(), *s = steady();
	struct view_opts o = opts(false);
	struct grid *g = render(r, &o, 80, 24, NOW(r));
	int y, x, marks = 0, col = -1;

	(void)state;
	for (y = 0; y < g->h; y++)
		for (x = 0; x < g->w; x++)
			if (grid_at(g, x, y)->role == ROLE_MARK) {
				marks++;
				assert_true(col < 0 || col == x);
				col = x;
			}
	/* pause 4 + heap 5 + mark 4 chart rows */
	assert_int_equal(marks, 4 + 5 + 4);
	grid_free(g);

	g = render(s, &o, 80, 24, NOW(s));
	assert_false(has_role(g, 0, g->h, ROLE_MARK));
	grid_free(g);
	model_free(r);
	model_free(s);
}

static void test_frozen_and_state(void **state)
{
	struct model *m = bigheap();
	struct view_opts o = opts(false);
	struct grid *g;
	char *row;

	(void)state;
	g = render(m, &o, 80, 24, NOW(m));
	row = row_of(g, 0);
	assert_null(strstr(row, "PAUSED"));
	assert_non_null(strstr(row, "killed by SIGKILL"));
	free(row);
	row = row_of(g, 1);
	/* Ended: elapsed is end - start, not now - start. */
	assert_non_null(strstr(row, "elapsed 1h02m03s"));
	free(row);
	grid_free(g);

	o.frozen = true;
	g = render(m, &o, 80, 24, NOW(m));
	row = row_of(g, 0);
	assert_non_null(strstr(row, "PAUSED"));
	assert_non_null(strstr(row, "killed by SIGKILL"));
	free(row);
	grid_free(g);

	m->term_signal = 0;
	m->exit_status = 3;
	g = render(m, &o, 80, 24, NOW(m));
	assert_true(contains(g, "exited 3"));
	grid_free(g);
	model_free(m);
}

/* A long name full of escapes: cut with an ellipsis, the state still
 * shows, and nothing raw reaches the bar. */
static void test_header_long_name(void **state)
{
	struct model *m = steady();
	struct view_opts o = opts(false);
	struct grid *g;
	char *row;
	int x;

	(void)state;
	snprintf(m->name, sizeof m->name, "\x1b]0;evil\x07/opt/%0200d/bin/server", 7);
	g = render(m, &o, 80, 24, NOW(m));
	row = row_of(g, 0);
	assert_non_null(strstr(row, "^[]0;evil^G/opt/000"));
	assert_non_null(strstr(row, "\xe2\x80\xa6  pid 4242"));
	assert_non_null(strstr(row, " running "));
	for (x = 0; x < g->w; x++)
		assert_true(grid_at(g, x, 0)->role == ROLE_BAR ||
		            grid_at(g, x, 0)->role == ROLE_ESCAPED);
	free(row);
	grid_free(g);
	model_free(m);
}

/* The footer warns about torn lines; a line the model cut shows it. */
static void test_footer_and_cut_line(void **state)
{
	struct model *m = restart();
	struct view_opts o = opts(true);
	struct grid *g;
	char *row;

	(void)state;
	m->counts.torn_dropped = 3;
	/* A line the model cut: longer than it keeps. */
	{
		char longline[FEED_LINE_MAX + 10];
		memset(longline, 'x', sizeof longline);
		memcpy(longline, "short", 5);
		add_line(m, 0, longline, sizeof longline);
	}
	g = render(m, &o, 100, 24, NOW(m));
	row = row_of(g, 23);
	assert_non_null(strstr(row, "3 torn gc lines dropped"));
	assert_non_null(strstr(row, "^C interrupt"));
	free(row);
	/* Lines stack from the top of the pane: the third line. */
	row = row_of(g, find_row(g, "OUTPUT") + 3);
	assert_true(strncmp(row, "shortxxx", 8) == 0);
	{
		size_t n = strlen(row);
		while (n && row[n - 1] == ' ')
			n--;
		assert_true(n > 8 && row[n - 1] == '>');
	}
	free(row);
	grid_free(g);
	model_free(m);
}

/* Output lines: escapes visible in ROLE_ESCAPED, cut with a marker,
 * nothing past the edge. */
static void test_output_sanitised(void **state)
{
	struct model *m = steady();
	struct view_opts o = opts(false);
	struct grid *g;
	int y0, x, y;
	bool esc = false;

	(void)state;
	g = render(m, &o, 200, 60, NOW(m));
	y0 = find_row(g, "OUTPUT");
	assert_true(y0 > 0);
	assert_true(contains(g, "^[[31mERROR^[[0m db timeout"));
	assert_true(contains(g, "^[]0;pwned title^G progress 42%^Mprogress 43%"));
	assert_true(contains(g, "\\xff\\xfe \\xc0\\xaf \\xed\\xa0\\x80 cut \\xe2\\x82 end"));
	assert_true(contains(g, "nul^@byte"));
	assert_true(contains(g, "caf\xc3\xa9 na\xc3\xafve ???? emoji ?? rtl\\u202eabc^?"));
	for (y = y0 + 1; y < g->h - 1; y++)
		for (x = 0; x + 1 < g->w; x++)
			if (strcmp(grid_at(g, x, y)->ch, "^") == 0 &&
			    strcmp(grid_at(g, x + 1, y)->ch, "[") == 0) {
				assert_int_equal(grid_at(g, x, y)->role, ROLE_ESCAPED);
				esc = true;
			}
	assert_true(esc);
	grid_free(g);

	/* At 80 columns the long line is cut at the edge with an ellipsis. */
	g = render(m, &o, 80, 24, NOW(m));
	assert_string_equal(grid_at(g, 79, 22)->ch, "\xe2\x80\xa6");
	grid_free(g);
	model_free(m);
}

/* Every size from tiny to wide, every option: the invariants hold and
 * nothing is written outside the grid (ASan watches). */
static void test_all_sizes(void **state)
{
	struct model *models[6] = { steady(), restart(), bigheap(), longrun(),
	                            pre15(), assist() };
	static const int ws[] = { 1, 2, 10, 59, 60, 61, 79, 80, 81, 133, 200, 300 };
	static const int hs[] = { 1, 2, 5, 15, 16, 17, 23, 24, 25, 40, 60, 100 };
	size_t mi, wi, hi;
	int flags;

	(void)state;
	for (mi = 0; mi < 6; mi++)
		for (wi = 0; wi < sizeof ws / sizeof ws[0]; wi++)
			for (hi = 0; hi < sizeof hs / sizeof hs[0]; hi++)
				for (flags = 0; flags < 16; flags++) {
					struct view_opts o = opts(flags & 1);
					struct grid *g;

					o.show_output = flags & 2;
					o.help = flags & 4;
					o.frozen = flags & 8;
					o.window = view_window_bigger((unsigned)(wi * 97 % 2000));
					g = render(models[mi], &o, ws[wi], hs[hi],
					           NOW(models[mi]));
					check_cells(g, o.ascii);
					grid_free(g);
				}
	for (mi = 0; mi < 6; mi++)
		model_free(models[mi]);
}

/* Random bytes as the program's output and name. */
static void test_random_output(void **state)
{
	struct model *m = steady();
	unsigned seed = 12345;
	int round, i;

	(void)state;
	for (round = 0; round < 200; round++) {
		struct view_opts o = opts(round & 1);
		char buf[FEED_LINE_MAX + 50];
		size_t len;
		struct grid *g;

		for (i = 0; i < 8; i++) {
			size_t j;
			seed = seed * 1103515245 + 12345;
			len = (seed >> 8) % sizeof buf;
			for (j = 0; j < len; j++) {
				seed = seed * 1103515245 + 12345;
				/* Bias towards the interesting bytes. */
				buf[j] = (char)((seed >> 16) % 4 == 0 ? 0x1b
				                : (seed >> 16) % 4 == 1 ? 0x80 + (seed >> 20) % 0x80
				                                        : (seed >> 20) & 0xff);
			}
			add_line(m, (int)(seed & 1), buf, len);
		}
		seed = seed * 1103515245 + 12345;
		for (i = 0; i < (int)sizeof m->name - 1; i++)
			m->name[i] = (char)((seed >> (i % 24)) & 0xff);
		m->name[sizeof m->name - 1] = '\0';
		g = render(m, &o, 60 + round % 140, 16 + round % 44, NOW(m));
		check_cells(g, o.ascii);
		grid_free(g);
	}
	model_free(m);
}

static void test_window_steps(void **state)
{
	static const unsigned up[] = { 60, 120, 300, 600, 1200, 2048 };
	unsigned w = view_window_smaller(0), i;

	(void)state;
	assert_int_equal(w, 60);
	for (i = 1; i < 6; i++) {
		w = view_window_bigger(w);
		assert_int_equal(w, up[i]);
	}
	assert_int_equal(view_window_bigger(w), 2048);
	for (i = 5; i-- > 0;) {
		w = view_window_smaller(w);
		assert_int_equal(w, up[i]);
	}
	assert_int_equal(view_window_smaller(w), 60);
	assert_int_equal(view_window_bigger(200), 300);
	assert_int_equal(view_window_smaller(200), 120);
	assert_int_equal(view_window_bigger(5000), 2048);
}

/* ---- the window: columns and figures ------------------------------- */

static void test_window_plan(void **state)
{
	struct model *m = steady(), *r = restart();
	struct chartwin *w = malloc(sizeof *w);
	int c, used = 0;
	unsigned covered = 0;

	(void)state;
	assert_non_null(w);
	/* Fewer records than columns: one each, right-aligned. */
	chartwin_plan(w, F(m), 60, 100);
	assert_int_equal(w->n, 60);
	assert_int_equal(w->per_col, 1);
	for (c = 0; c < 40; c++)
		assert_true(w->col[c].first < 0 && !w->col[c].restart);
	assert_int_equal(w->col[99].first, (int)F(m)->nrecent - 1);
	assert_int_equal(w->col[40].first, (int)F(m)->nrecent - 60);

	/* More records than columns: every column used, all covered. */
	chartwin_plan(w, F(m), 60, 47);
	for (c = 0; c < 47; c++) {
		assert_true(w->col[c].first >= 0);
		assert_true(w->col[c].last - w->col[c].first + 1 <= 2);
		covered += (unsigned)(w->col[c].last - w->col[c].first + 1);
		if (c > 0)
			assert_int_equal(w->col[c].first, w->col[c - 1].last + 1);
	}
	assert_int_equal(covered, 60);
	assert_int_equal(w->n, 60);
	assert_int_equal(w->per_col, 2);

	/* A restart: a marker column between the runs, no group across. */
	chartwin_plan(w, F(r), 60, 40);
	for (c = 0; c < 40; c++) {
		if (w->col[c].restart) {
			used++;
			assert_true(feed_is_restart(F(r), (unsigned)w->col[c + 1].first));
			assert_int_equal(feed_record(F(r), (unsigned)w->col[c + 1].first)->gc, 1);
		} else if (w->col[c].first >= 0) {
			int i;
			for (i = w->col[c].first + 1; i <= w->col[c].last; i++)
				assert_false(feed_is_restart(F(r), (unsigned)i));
		}
	}
	assert_int_equal(used, 1);

	/* Window figures: exact nearest-rank percentiles of the pauses. */
	chartwin_plan(w, F(m), 1, 10);
	assert_int_equal(w->n, 1);
	assert_int_equal(w->pause_max, gcrecord_pause_us(feed_record(F(m), F(m)->nrecent - 1)));
	assert_int_equal(w->pause_p50, w->pause_max);
	free(w);
	model_free(m);
	model_free(r);
}

/* The windowed GC CPU by hand, from two real lines. */
static void test_window_cpu(void **state)
{
	struct model *m = fixture("x", false);
	struct gc_record a = parse("gc 3 @9.412s 0%: 0.31+1.1+0.005 ms clock, "
	                           "1.2+1.0/0.66/0+0.023 ms cpu, 182->192->121 MB, "
	                           "203 MB goal, 0 MB stacks, 0 MB globals, 4 P");
	struct gc_record b = parse("gc 4 @9.449s 0%: 0.45+3.9+0.024 ms clock, "
	                           "1.8+1.4/2.5/0+0.096 ms cpu, 212->242->152 MB, "
	                           "243 MB goal, 0 MB stacks, 0 MB globals, 4 P");
	struct gc_record c = parse("gc 1 @0.013s 2%: 0.022+0.75+0.21 ms clock, "
	                           "0.089+0.12/0.51/0.94+0.85 ms cpu, 3->3->1 MB, "
	                           "4 MB goal, 0 MB stacks, 0 MB globals, 4 P");
	double want;

	(void)state;
	add_record(m, &a);
	assert_true(feed_cpu_pct(F(m), 0, 0) < 0); /* one point: no span */
	add_record(m, &b);
	/* gc 4's CPU (1.8+1.4+2.5+0+0.096 ms) over 37 ms x 4 P. */
	want = 100.0 * (1800 + 1400 + 2500 + 0 + 96) / (37.0 * 1000 * 4);
	assert_float_equal(feed_cpu_pct(F(m), 0, 1), want, 1e-9);
	/* After a restart only the new run counts: one record, unknown. */
	add_record(m, &c);
	assert_true(feed_cpu_pct(F(m), 0, 2) < 0);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_steady),
		cmocka_unit_test(test_golden_restart),
		cmocka_unit_test(test_golden_bigheap),
		cmocka_unit_test(test_golden_assist),
		cmocka_unit_test(test_golden_long),
		cmocka_unit_test(test_golden_pre15),
		cmocka_unit_test(test_golden_empty),
		cmocka_unit_test(test_golden_wide),
		cmocka_unit_test(test_golden_small),
		cmocka_unit_test(test_golden_help),
		cmocka_unit_test(test_golden_fleet),
		cmocka_unit_test(test_fleet_moves),
		cmocka_unit_test(test_header_numbers),
		cmocka_unit_test(test_last_pause),
		cmocka_unit_test(test_assist_highlight),
		cmocka_unit_test(test_restart_marked),
		cmocka_unit_test(test_frozen_and_state),
		cmocka_unit_test(test_header_long_name),
		cmocka_unit_test(test_footer_and_cut_line),
		cmocka_unit_test(test_output_sanitised),
		cmocka_unit_test(test_all_sizes),
		cmocka_unit_test(test_random_output),
		cmocka_unit_test(test_window_steps),
		cmocka_unit_test(test_window_plan),
		cmocka_unit_test(test_window_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
