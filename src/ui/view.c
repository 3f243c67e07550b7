#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/glyphs.h"
#include "ui/keys.h"
#include "ui/pane.h"
#include "ui/chartwin.h"

/* The panes, top to bottom. */
enum slot { S_HEADER, S_DIAG, S_PAUSE, S_HEAP, S_CPU, S_MARK, S_AXIS, S_OUTPUT,
            S_FOOTER, S_COUNT };

static const struct pane_ops *const panes[S_COUNT] = {
	[S_HEADER] = &pane_header, [S_DIAG] = &pane_diag, [S_PAUSE] = &pane_pause,
	[S_HEAP] = &pane_heap,     [S_CPU] = &pane_gccpu,
	[S_MARK] = &pane_mark,     [S_AXIS] = &pane_timeaxis,
	[S_OUTPUT] = &pane_output, [S_FOOTER] = &pane_footer,
};

/* How the charts share the rows left: the heap gets a little more, as it
 * draws three things on one scale.  The GC CPU chart and the axis row
 * are the time axis's. */
static const int weight[S_COUNT] = { [S_PAUSE] = 5, [S_HEAP] = 6, [S_CPU] = 5,
                                     [S_MARK] = 5 };

static const struct {
	int64_t ms;
	const char *label;
} zooms[VIEW_ZOOMS] = {
	{ 60000, "1m" },     { 300000, "5m" },    { 900000, "15m" },
	{ 3600000, "1h" },   { 21600000, "6h" },  { 86400000, "24h" },
};

int64_t view_zoom_ms(unsigned zoom)
{
	return zooms[zoom < VIEW_ZOOMS ? zoom : VIEW_ZOOMS - 1].ms;
}

const char *view_zoom_label(unsigned zoom)
{
	return zooms[zoom < VIEW_ZOOMS ? zoom : VIEW_ZOOMS - 1].label;
}

static const unsigned steps[] = { 60, 120, 300, 600, 1200, MODEL_RECORDS };
#define NSTEPS (sizeof steps / sizeof steps[0])

unsigned view_window_bigger(unsigned window)
{
	size_t i;

	for (i = 0; i < NSTEPS; i++)
		if (steps[i] > window)
			return steps[i];
	return steps[NSTEPS - 1];
}

unsigned view_window_smaller(unsigned window)
{
	size_t i;

	for (i = NSTEPS; i-- > 0;)
		if (steps[i] < window)
			return steps[i];
	return steps[0];
}

/*
 * Rows: header 2, footer 1, the output pane a quarter of the rest (at
 * least 3: its title and two lines), the charts share what is left by
 * weight, the remainder going to the heap, then the pause.  At 80x24:
 * header 2, pause 5, heap 6, mark 5, output 5, footer 1.  With the
 * findings line (a digest to show) it takes a row under the header.
 */
static void layout(struct rect *r, int w, int h, bool output, bool diag, bool time)
{
	static const enum slot chart_gc[] = { S_PAUSE, S_HEAP, S_MARK };
	static const enum slot extra_gc[] = { S_HEAP, S_PAUSE, S_MARK };
	static const enum slot chart_t[] = { S_PAUSE, S_HEAP, S_CPU, S_MARK };
	static const enum slot extra_t[] = { S_HEAP, S_PAUSE, S_CPU, S_MARK };
	const enum slot *chart = time ? chart_t : chart_gc;
	const enum slot *extra = time ? extra_t : extra_gc;
	int ncharts = time ? 4 : 3;
	int rest = h - 3 - diag, out = 0, y, sum = 0, total = 0, i;

	memset(r, 0, sizeof *r * S_COUNT);
	if (output) {
		out = rest / 4;
		if (out < 3)
			out = 3;
	}
	/* The time axis's row comes out of the charts, not the output. */
	rest -= out + time;
	for (i = 0; i < ncharts; i++)
		total += weight[chart[i]];
	for (i = 0; i < ncharts; i++) {
		r[chart[i]].h = rest * weight[chart[i]] / total;
		sum += r[chart[i]].h;
	}
	for (i = 0; sum < rest; i = (i + 1) % ncharts, sum++)
		r[extra[i]].h++;
	r[S_AXIS].h = time;
	r[S_HEADER].h = 2;
	r[S_DIAG].h = diag;
	r[S_OUTPUT].h = out;
	r[S_FOOTER].h = 1;
	for (y = 0, i = 0; i < S_COUNT; i++) {
		r[i].x = 0;
		r[i].w = w;
		r[i].y = y;
		y += r[i].h;
	}
}

/* Below the minimum size, one message, centred, instead of a squashed
 * dashboard. */
static void too_small(struct grid *g)
{
	char a[64], b[64];
	int la, lb, y;

	snprintf(a, sizeof a, "terminal too small: %dx%d", g->w, g->h);
	snprintf(b, sizeof b, "gcwatch needs %dx%d", VIEW_MIN_W, VIEW_MIN_H);
	la = (int)strlen(a);
	lb = (int)strlen(b);
	y = (g->h - 2) / 2;
	if (g->h < 2) {
		grid_text(g, 0, 0, g->w, a, ROLE_WARN);
		return;
	}
	grid_text(g, la < g->w ? (g->w - la) / 2 : 0, y, g->w, a, ROLE_WARN);
	grid_text(g, lb < g->w ? (g->w - lb) / 2 : 0, y + 1, g->w, b, ROLE_DIM);
}

/* The help overlay: a box over the middle of the dashboard. */
static void help(struct grid *g, const struct frame *f)
{
	char window[80];
	const char *notes[] = {
		"GC CPU: runtime = since the program started (it flattens);",
		"        window = over the collections in the charts.",
		NULL, /* the restart mark, with its glyph */
	};
	char restart[80];
	const struct glyphs *gl = f->gl;
	int bw = g->w - 4 < 78 ? g->w - 4 : 78, bh, bx, by, y, i, inner, bottom;

	snprintf(restart, sizeof restart,
	         "%s in a chart: a restart (gc numbering began again)", gl->restart);
	notes[2] = restart;

	int nkeys = 0;
	for (unsigned k = 0; k < keys_count; k++)
		nkeys += keys_table[k].help_label != NULL &&
		         (!keys_table[k].program_only || f->m->spawned) &&
		         (!keys_table[k].fleet_key || view_fleet_count(f->m, f->o, f->now_ms) > 1);
	int npanes = 0;
	for (i = 0; i < S_COUNT; i++)
		npanes += panes[i]->help && !(f->o->per_gc && (i == S_CPU || i == S_AXIS));
	/* The blank rows between title, keys, panes and notes: given up,
	 * the title's first, when the box would not fit (80x24 with the
	 * time axis's pane), rather than the last lines. */
	int gaps = 3;
	bh = 2 + 1 + gaps + nkeys + npanes + 3;
	while (bh > g->h - 1 && gaps > 0) {
		gaps--;
		bh--;
	}
	/* The footer stays in sight: it says how to close the help. */
	if (bh > g->h - 1)
		bh = g->h - 1;
	bx = (g->w - bw) / 2;
	by = (g->h - bh) / 2;
	inner = bw - 4;

	grid_box(g, bx, by, bw, bh, gl);

	/* Rows inside the box, down to the bottom border, which stays. */
	bottom = by + bh - 1;
	y = by + 1;
	if (y < bottom)
		grid_text(g, bx + 2, y, inner, "gcwatch: keys and panes", ROLE_TITLE);
	y += 1 + (gaps >= 3);
	for (unsigned k = 0; k < keys_count && y < bottom; k++) {
		const struct key_def *d = &keys_table[k];
		const char *what = d->help;
		if (!d->help_label || (d->program_only && !f->m->spawned) ||
		    (d->fleet_key && view_fleet_count(f->m, f->o, f->now_ms) < 2))
			continue;
		if (d->window) {
			snprintf(window, sizeof window, "%s (now %s)", what, f->window_label);
			what = window;
		}
		grid_text(g, bx + 2, y, 8, d->help_label, ROLE_KEY);
		grid_text(g, bx + 11, y, inner - 9, what, ROLE_NORMAL);
		y++;
	}
	y += gaps >= 1;
	for (i = 0; i < S_COUNT && y < bottom; i++) {
		if (!panes[i]->help || (f->o->per_gc && (i == S_CPU || i == S_AXIS)))
			continue;
		grid_text(g, bx + 2, y, 8, panes[i]->name, ROLE_TITLE);
		grid_text(g, bx + 11, y, inner - 9, panes[i]->help, ROLE_NORMAL);
		y++;
	}
	y += gaps >= 2;
	for (i = 0; i < 3 && y < bottom; i++, y++)
		grid_text(g, bx + 2, y, inner, notes[i], i == 2 ? ROLE_MARK : ROLE_DIM);
}

/* The feed drawn: the one chosen, the first, or an empty one before any
 * data (the panes then say "no collections yet"). */
static const struct feed *shown_feed(const struct model *m, const struct view_opts *o)
{
	static struct feed none;
	static bool none_ready;

	/* A copy holds one feed whole (the one chosen, or the first with
	 * collections: behind a prefix the input's own feed may hold only
	 * text); a live model (tests) holds them all. */
	if (o->feed < m->nfeeds && m->feeds[o->feed])
		return m->feeds[o->feed];
	for (unsigned i = 0; i < m->nfeeds; i++)
		if (m->feeds[i] && m->feeds[i]->stats.count > 0)
			return m->feeds[i];
	for (unsigned i = 0; i < m->nfeeds; i++)
		if (m->feeds[i])
			return m->feeds[i];
	if (!none_ready) {
		stats_init(&none.stats);
		none_ready = true;
	}
	return &none;
}

unsigned view_zoom_shown(const struct model *m, const struct view_opts *o)
{
	const struct history *h = &shown_feed(m, o)->hist;
	int64_t span = h->last_t - h->first_t;

	if (!o->zoom_auto || !history_at_once(h))
		return o->zoom;
	/* A column to spare: the window starts at a column's start. */
	for (unsigned z = 0; z < VIEW_ZOOMS; z++)
		if (view_zoom_ms(z) >= span + span / 50)
			return z;
	return VIEW_ZOOMS - 1;
}

void view_render(struct grid *g, const struct model *m, const struct view_opts *o,
                 uint64_t now_ms)
{
	struct rect r[S_COUNT];
	struct frame f;
	struct chartwin *win;
	unsigned size;
	int i;

	grid_clear(g);
	if (g->w < VIEW_MIN_W || g->h < VIEW_MIN_H) {
		too_small(g);
		return;
	}
	/* 2048 columns of plan: on the heap rather than the UI's stack. */
	win = malloc(sizeof *win);
	if (!win) {
		grid_text(g, 0, 0, g->w, "gcwatch: out of memory", ROLE_ALERT);
		return;
	}
	memset(&f, 0, sizeof f);
	f.m = m;
	f.feed = shown_feed(m, o);
	f.o = o;
	f.gl = o->ascii ? &glyphs_ascii : &glyphs_utf8;
	f.now_ms = now_ms;
	f.axis_w = PANE_AXIS_W;
	f.side_w = PANE_SIDE_W;
	f.side_x = g->w - f.side_w;
	f.chart_x = f.axis_w;
	f.chart_w = f.side_x - 1 - f.chart_x;
	/*
	 * A wide terminal and a small window: each collection gets two or
	 * three cells rather than leaving most of the chart empty.  The width
	 * follows the window, not the records so far, so bars do not change
	 * width as collections arrive.
	 */
	size = o->window ? o->window : steps[0];
	f.col_w = f.chart_w / (int)(size < MODEL_RECORDS ? size : MODEL_RECORDS);
	if (f.col_w < 1)
		f.col_w = 1;
	if (f.col_w > 3)
		f.col_w = 3;
	/* A window narrower than the chart grows to fill it: no empty
	 * columns at the left once there are records for them. */
	if (f.col_w == 1 && size < (unsigned)f.chart_w)
		size = (unsigned)f.chart_w < MODEL_RECORDS ? (unsigned)f.chart_w : MODEL_RECORDS;
	f.window = size;
	if (o->per_gc) {
		chartwin_plan(win, f.feed, size, f.chart_w / f.col_w);
		snprintf(f.window_label, sizeof f.window_label, "%u", size);
	} else {
		/* The time axis: a column a stretch of time, wider cells when
		 * the history's buckets are coarser than the chart. */
		unsigned zoom = view_zoom_shown(m, o);
		int64_t span = view_zoom_ms(zoom);
		int n = chartwin_time_cols(f.feed, span, f.chart_w);
		f.col_w = n > 0 ? f.chart_w / n : 1;
		if (f.col_w < 1)
			f.col_w = 1;
		if (f.col_w > 3)
			f.col_w = 3;
		if (n > f.chart_w / f.col_w)
			n = f.chart_w / f.col_w;
		chartwin_plan_time(win, f.feed, span, n, now_ms);
		snprintf(f.window_label, sizeof f.window_label, "%s", view_zoom_label(zoom));
	}
	f.win = win;

	f.fleet = view_is_fleet(m, o, now_ms);
	if (f.fleet) {
		/* The header, the table, the footer. */
		struct rect head = { 0, 0, g->w, 2 }, table = { 0, 2, g->w, g->h - 3 },
		            foot = { 0, g->h - 1, g->w, 1 };
		pane_header.draw(g, &head, &f);
		pane_fleet.draw(g, &table, &f);
		pane_footer.draw(g, &foot, &f);
	} else {
		layout(r, g->w, g->h, o->show_output, o->digest != NULL, !o->per_gc);
		for (i = 0; i < S_COUNT; i++)
			if (r[i].h > 0)
				panes[i]->draw(g, &r[i], &f);
	}
	if (o->diag && !f.fleet)
		pane_diag_overlay(g, &f);
	if (o->help)
		help(g, &f);
	free(win);
}
