/*
 * The fleet table: a row per feed (Go process) and a pooled row on top,
 * sorted by the column the s key chose, the selected row highlighted and
 * kept in view.  It reads the rows of a model copy (model_copy): window
 * figures (GC CPU, pause p99 and max) cover each feed's last
 * FEED_ROW_WINDOW collections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/fmt.h"
#include "ui/pane.h"
#include "ui/sanitize.h"

/* A feed silent this long shows as quiet. */
#define QUIET_MS 10000

/* The columns, in the order shown; prio decides which go first on a
 * narrow terminal (lowest first).  The name takes what is left. */
enum col { C_STATE, C_GCS, C_RATE, C_CPU, C_P99, C_MAX, C_LIVE, C_GOAL,
           C_ASSIST, C_RUNS, C_SEEN, C_TLIVE, C_TCPU, C_NCOLS };

static const struct {
	const char *title;
	int w, prio;
	int sort; /* the view_sort that sorts by it, or -1 */
} cols[C_NCOLS] = {
	[C_STATE] = { "state", 6, 6, -1 },
	[C_GCS] = { "gcs", 7, 9, VIEW_SORT_GCS },
	[C_RATE] = { "GC/s", 6, 4, VIEW_SORT_RATE },
	[C_CPU] = { "CPU%", 6, 10, VIEW_SORT_CPU },
	[C_P99] = { "p99", 7, 10, VIEW_SORT_P99 },
	[C_MAX] = { "max", 7, 8, VIEW_SORT_MAX },
	[C_LIVE] = { "live", 7, 9, VIEW_SORT_LIVE },
	[C_GOAL] = { "goal", 7, 3, -1 },
	[C_ASSIST] = { "assist", 6, 7, VIEW_SORT_ASSIST },
	[C_RUNS] = { "runs", 4, 2, -1 },
	[C_SEEN] = { "seen", 6, 5, -1 },
	/* The trends: a minute a cell, on a wide terminal. */
	[C_TLIVE] = { "live 15m", FEED_TREND, 1, -1 },
	[C_TCPU] = { "GC CPU 15m", FEED_TREND, 0, -1 },
};

#define NAME_MIN 14

/* The pooled row: sums of the feeds' counts, rates and heaps, and the
 * distribution of every feed's pauses over the run. */
static void fill_all(struct feed_row *r, const struct model *m, const struct feed_row *rows,
                     unsigned n)
{
	double assist = 0, mark = 0;

	memset(r, 0, sizeof *r);
	r->rate = r->cpu = r->assist = -1;
	r->live = r->goal = GC_NULL;
	for (unsigned i = 0; i < n; i++) {
		r->count += rows[i].count;
		r->runs += rows[i].runs;
		if (rows[i].last_ms > r->last_ms)
			r->last_ms = rows[i].last_ms;
		if (rows[i].ended) {
			/* A process gone holds no heap and collects no more. */
			assist += (double)rows[i].assist_us;
			mark += (double)rows[i].mark_us;
			continue;
		}
		if (rows[i].rate >= 0)
			r->rate = (r->rate < 0 ? 0 : r->rate) + rows[i].rate;
		if (rows[i].live >= 0)
			r->live = (r->live < 0 ? 0 : r->live) + rows[i].live;
		if (rows[i].goal >= 0)
			r->goal = (r->goal < 0 ? 0 : r->goal) + rows[i].goal;
		assist += (double)rows[i].assist_us;
		mark += (double)rows[i].mark_us;
	}
	if (mark > 0)
		r->assist = 100.0 * assist / mark;
	r->p99 = histo_count(&m->all_pause) ? histo_quantile(&m->all_pause, 0.99) : GC_NULL;
	r->max = histo_count(&m->all_pause) ? histo_max(&m->all_pause) : GC_NULL;
}

static int sort_by;

static int cmp_num(double a, double b)
{
	return a < b ? 1 : a > b ? -1 : 0; /* largest first */
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct feed_row *a = pa, *b = pb;
	int c = 0;

	switch (sort_by) {
	case VIEW_SORT_NAME: c = strcmp(a->name, b->name); break;
	case VIEW_SORT_GCS: c = cmp_num((double)a->count, (double)b->count); break;
	case VIEW_SORT_RATE: c = cmp_num(a->rate, b->rate); break;
	case VIEW_SORT_CPU: c = cmp_num(a->cpu, b->cpu); break;
	case VIEW_SORT_P99: c = cmp_num((double)a->p99, (double)b->p99); break;
	case VIEW_SORT_MAX: c = cmp_num((double)a->max, (double)b->max); break;
	case VIEW_SORT_LIVE: c = cmp_num((double)a->live, (double)b->live); break;
	case VIEW_SORT_ASSIST: c = cmp_num(a->assist, b->assist); break;
	default: break;
	}
	/* Ties, and the default: order of first appearance. */
	return c ? c : a->index < b->index ? -1 : a->index > b->index;
}

/* A feed the table lists: it has collections and was heard from within
 * the retention (or its failed input has nothing else to show). */
static bool listed(const struct model *m, const struct feed_row *r, const struct view_opts *o,
                   uint64_t now_ms)
{
	/* One of several inputs whose command failed before any collection
	 * (an ssh that could not connect) is listed too: its row says how
	 * it ended, and Enter shows what it printed. */
	if (r->count == 0 && m->ninputs > 1 && r->input < m->ninputs) {
		const struct model_src *in = &m->inputs[r->input];
		return in->exited && (in->exit_status != 0 || in->term_signal > 0) &&
		       !strcmp(r->name, in->name);
	}
	return r->count > 0 && (!o->retention_ms || r->last_ms + o->retention_ms >= now_ms);
}

/* The rows of the listed feeds (a copy's, model_copy), sorted as the
 * view asks; returns how many (NULL rows: none or out of memory, 0). */
static unsigned make_rows(const struct model *m, const struct view_opts *o,
                          uint64_t now_ms, struct feed_row **out)
{
	struct feed_row *rows = m->rows ? calloc(m->nfeeds + 1, sizeof *rows) : NULL;
	unsigned n = 0;

	*out = rows;
	if (!rows)
		return 0;
	for (unsigned i = 0; i < m->nfeeds; i++)
		if (listed(m, &m->rows[i], o, now_ms))
			rows[n++] = m->rows[i];
	sort_by = o->sort;
	qsort(rows, n, sizeof *rows, cmp_rows);
	return n;
}

unsigned view_fleet_count(const struct model *m, const struct view_opts *o,
                          uint64_t now_ms)
{
	unsigned n = 0;

	for (unsigned i = 0; m->rows && i < m->nfeeds; i++)
		n += listed(m, &m->rows[i], o, now_ms);
	return n;
}

/* Listed feeds that are not tools the go command ran (a compile's '# PKG'
 * block): `go run ./prog` is the program and its build, one process that
 * the user watches, not a fleet. */
static unsigned fleet_processes(const struct model *m, const struct view_opts *o,
                                uint64_t now_ms)
{
	unsigned n = 0;

	for (unsigned i = 0; m->rows && i < m->nfeeds; i++)
		n += listed(m, &m->rows[i], o, now_ms) && !m->rows[i].ended && !m->rows[i].tool;
	return n;
}

bool view_is_fleet(const struct model *m, const struct view_opts *o, uint64_t now_ms)
{
	return o->fleet && view_fleet_count(m, o, now_ms) > 1 &&
	       (o->fleet_chosen || fleet_processes(m, o, now_ms) > 1);
}

unsigned view_fleet_move(const struct model *m, const struct view_opts *o, int delta,
                         uint64_t now_ms)
{
	struct feed_row *rows;
	unsigned n = make_rows(m, o, now_ms, &rows), at = 0;

	if (!n) {
		free(rows);
		return o->sel;
	}
	for (unsigned i = 0; i < n; i++)
		if (rows[i].index == o->sel)
			at = i;
	long to = (long)at + delta;
	if (to < 0)
		to = 0;
	if (to >= (long)n)
		to = (long)n - 1;
	unsigned sel = rows[to].index;
	free(rows);
	return sel;
}

static enum role feed_role(const char *name)
{
	unsigned h = 5381;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = h * 33 + *p;
	return (enum role)(ROLE_FEED + (int)(h % ROLE_FEEDS));
}

/* Right-aligned value in its column. */
static void cell(struct grid *g, int x, int y, int w, const char *s, enum role role)
{
	int len = (int)strlen(s);
	grid_text(g, x + (len < w ? w - len : 0), y, w, s, role);
}

static void draw_row(struct grid *g, int y, const struct rect *r, const struct frame *f,
                     const struct feed_row *row, bool pooled, const bool *on, int name_w,
                     bool selected)
{
	char v[FMT_MAX + 8];
	enum role base = selected ? ROLE_SELECT : ROLE_NORMAL;
	int x = r->x + 1;
	/* The feed's own input when there are several: one may have ended
	 * (with its status, for a command) while the others go on. */
	const struct model_src *in = f->m->ninputs > 1 && row->input < f->m->ninputs
	                             ? &f->m->inputs[row->input] : NULL;
	enum model_input st = in ? in->state : f->m->input;
	bool ended = st == MODEL_EOF || st == MODEL_EXITED;

	if (selected)
		grid_fill(g, r->x, y, r->w, 1, " ", ROLE_SELECT);
	if (!pooled) {
		bool cut;
		const char *name = row->name[0] ? row->name : "(unprefixed)";
		int used = sanitize_text(g, x, y, name_w, name, strlen(name), f->gl->ascii,
		                         selected ? ROLE_SELECT : feed_role(row->name), &cut);
		if (cut && used > 0)
			grid_put(g, x + used - 1, y, f->gl->ellipsis, base);
	} else {
		grid_text(g, x, y, name_w, "all", selected ? ROLE_SELECT : ROLE_TITLE);
	}
	x += name_w;
	for (int c = 0; c < C_NCOLS; c++) {
		enum role role = base;
		if (!on[c])
			continue;
		x += 1;
		switch (c) {
		case C_STATE:
			if (pooled) {
				v[0] = 0;
			} else if (in && in->exited && in->term_signal > 0) {
				snprintf(v, sizeof v, "sig %d", in->term_signal);
				role = selected ? base : ROLE_ALERT;
			} else if (in && in->exited && in->exit_status != 0) {
				/* Six columns: "exit 3", "ex 143". */
				snprintf(v, sizeof v, in->exit_status < 10 ? "exit %lld" : "ex %lld",
				         (long long)in->exit_status);
				role = selected ? base : ROLE_ALERT;
			} else if (ended || row->ended) {
				snprintf(v, sizeof v, "ended");
			} else if (f->now_ms > row->last_ms + QUIET_MS) {
				snprintf(v, sizeof v, "quiet");
				role = selected ? base : ROLE_WARN;
			} else {
				snprintf(v, sizeof v, "live");
				role = selected ? base : ROLE_OK;
			}
			grid_text(g, x, y, cols[c].w, v, role);
			x += cols[c].w;
			continue;
		case C_GCS: fmt_count(v, row->count); break;
		case C_RATE:
			if (row->rate < 0)
				snprintf(v, sizeof v, "-");
			else
				snprintf(v, sizeof v, row->rate < 10 ? "%.1f" : "%.0f", row->rate);
			break;
		case C_CPU:
			if (row->cpu < 0)
				snprintf(v, sizeof v, "-");
			else
				fmt_pct(v, row->cpu);
			break;
		case C_P99:
		case C_MAX: {
			int64_t us = c == C_P99 ? row->p99 : row->max;
			if (us < 0)
				snprintf(v, sizeof v, "-");
			else
				fmt_us(v, us, f->gl->ascii);
			break;
		}
		case C_LIVE:
		case C_GOAL: {
			int64_t mb = c == C_LIVE ? row->live : row->goal;
			if (mb < 0)
				snprintf(v, sizeof v, "-");
			else
				fmt_mb(v, mb);
			break;
		}
		case C_ASSIST:
			if (row->assist < 0)
				snprintf(v, sizeof v, "-");
			else
				fmt_pct(v, row->assist);
			role = pane_assist_role(f->o, row->assist / 100, base);
			if (selected)
				role = base;
			break;
		case C_TLIVE:
		case C_TCPU: {
			const uint8_t *t = c == C_TLIVE ? row->trend_live : row->trend_cpu;
			for (int i = 0; i < FEED_TREND && !pooled; i++)
				if (t[i])
					grid_put(g, x + i, y, f->gl->bar[t[i] > 8 ? 8 : t[i]],
					         selected ? base : c == C_TLIVE ? ROLE_LIVE : ROLE_PAUSE);
			x += cols[c].w;
			continue;
		}
		case C_RUNS: fmt_count(v, row->runs); break;
		case C_SEEN:
			if (!row->last_ms || row->last_ms > f->now_ms)
				snprintf(v, sizeof v, "now");
			else
				fmt_elapsed(v, f->now_ms - row->last_ms);
			break;
		}
		cell(g, x, y, cols[c].w, v, role);
		x += cols[c].w;
	}
}

static void fleet_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct view_opts *o = f->o;
	struct feed_row *rows, all;
	unsigned n = make_rows(f->m, o, f->now_ms, &rows);
	bool on[C_NCOLS];
	int used = 1, name_w, y = r->y;

	if (r->h < 3 || !rows) {
		free(rows);
		return;
	}
	fill_all(&all, f->m, rows, n);
	/* Columns by priority while the name keeps its least width; on a
	 * wide terminal the name takes the rest. */
	for (int c = 0; c < C_NCOLS; c++)
		on[c] = false;
	for (int p = 10; p >= 0; p--)
		for (int c = 0; c < C_NCOLS; c++)
			if (cols[c].prio == p && used + 1 + cols[c].w + NAME_MIN <= r->w - 1) {
				on[c] = true;
				used += 1 + cols[c].w;
			}
	name_w = r->w - 1 - used;
	if (name_w > 64)
		name_w = 64;

	/* Titles, the sorted column marked. */
	int x = r->x + 1;
	grid_text(g, x, y, name_w, o->sort == VIEW_SORT_NAME ? "feed*" : "feed",
	          ROLE_TITLE);
	x += name_w;
	for (int c = 0; c < C_NCOLS; c++) {
		char t[16];
		if (!on[c])
			continue;
		x += 1;
		snprintf(t, sizeof t, "%s%s", cols[c].title,
		         cols[c].sort >= 0 && cols[c].sort == o->sort ? "*" : "");
		if (c == C_STATE)
			grid_text(g, x, y, cols[c].w, t, ROLE_TITLE);
		else
			cell(g, x, y, cols[c].w, t, ROLE_TITLE);
		x += cols[c].w;
	}
	y++;
	draw_row(g, y++, r, f, &all, true, on, name_w, false);

	/* Scroll so that the selected feed is in view. */
	int rows_h = r->y + r->h - y, sel = 0;
	for (unsigned i = 0; i < n; i++)
		if (rows[i].index == o->sel)
			sel = (int)i;
	int top = sel >= rows_h ? sel - rows_h + 1 : 0;
	/* A selection not in the table (none yet) is its first row. */
	for (int i = top; i < (int)n && y < r->y + r->h; i++)
		draw_row(g, y++, r, f, &rows[i], false, on, name_w, i == sel);
	/* More rows above or below: a mark in the left margin. */
	if (top > 0)
		grid_text(g, r->x, r->y + 2, 1, f->gl->ascii ? "^" : "\u25b2", ROLE_DIM);
	if (top + rows_h < (int)n)
		grid_text(g, r->x, r->y + r->h - 1, 1, f->gl->ascii ? "v" : "\u25bc", ROLE_DIM);
	free(rows);
}

const struct pane_ops pane_fleet = {
	.name = "fleet",
	.help = "one row per Go process: Enter opens its panes, s sorts",
	.draw = fleet_draw,
};
