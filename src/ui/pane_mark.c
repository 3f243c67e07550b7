/*
 * The mark workers pane: the CPU time of the three kinds of mark work per
 * collection, stacked (assist at the bottom, then background, then idle),
 * each with its own glyph as well as its colour, and their shares over
 * the window and the run.  Assist is the time the program's own
 * goroutines were made to spend marking instead of running: a high share
 * is highlighted.
 */
#include <math.h>
#include <stdio.h>

#include "text/fmt.h"
#include "ui/pane.h"

struct mark {
	double assist, background, idle; /* us, mean per collection */
	bool any;
};

/* Means rather than sums, so that columns of one and of two collections
 * stand on the same scale. */
static struct mark column_mark(const struct feed *fd, const struct chartwin_col *c)
{
	struct mark k = { 0, 0, 0, false };
	int i, n = 0;

	for (i = c->first; i <= c->last; i++) {
		const struct gc_record *r = feed_record(fd, i);
		if (r->cpu_assist_us < 0 && r->cpu_background_us < 0 &&
		    r->cpu_idle_us < 0)
			continue;
		k.assist += r->cpu_assist_us > 0 ? (double)r->cpu_assist_us : 0;
		k.background += r->cpu_background_us > 0 ? (double)r->cpu_background_us : 0;
		k.idle += r->cpu_idle_us > 0 ? (double)r->cpu_idle_us : 0;
		n++;
	}
	if (n > 0) {
		k.assist /= n;
		k.background /= n;
		k.idle /= n;
		k.any = true;
	}
	return k;
}

/* Column c's mean mark CPU, from its records or its buckets. */
static struct mark col_mark(const struct frame *f, int c)
{
	const struct chartwin *w = f->win;
	const struct hist_bucket *b = &w->agg[c];
	struct mark k = { 0, 0, 0, false };

	if (!w->time)
		return w->col[c].first >= 0 ? column_mark(f->feed, &w->col[c]) : k;
	if (b->count && (b->assist_us > 0 || b->background_us > 0 || b->idle_us > 0)) {
		k.assist = b->assist_us / b->count;
		k.background = b->background_us / b->count;
		k.idle = b->idle_us / b->count;
		k.any = true;
	}
	return k;
}

/*
 * Shaded glyphs cannot be cut in eighths, so a column is whole cells: the
 * boundaries between the three parts are rounded where they fall
 * cumulatively, which keeps the total height right; a column with any
 * work gets at least one cell, of its largest part.
 */
static void column(struct grid *g, int x, const struct rect *r,
                   const struct frame *f, const struct mark *k, double s)
{
	int rows = r->h - 1, ybot = r->y + r->h - 1, row;
	double total = k->assist + k->background + k->idle;
	int ca = (int)floor(k->assist / s * rows + 0.5);
	int cb = (int)floor((k->assist + k->background) / s * rows + 0.5);
	int ci = (int)floor(total / s * rows + 0.5);

	if (ci == 0 && total > 0) {
		ci = 1;
		if (k->assist >= k->background && k->assist >= k->idle)
			ca = cb = 1;
		else if (k->background >= k->idle)
			cb = 1;
	}
	for (row = 0; row < ci && row < rows; row++) {
		if (row < ca)
			grid_put(g, x, ybot - row, f->gl->assist, ROLE_ASSIST);
		else if (row < cb)
			grid_put(g, x, ybot - row, f->gl->background, ROLE_BACKGROUND);
		else
			grid_put(g, x, ybot - row, f->gl->idle, ROLE_IDLE);
	}
}

static double share(int64_t part, int64_t a, int64_t b, int64_t c)
{
	double t = (double)a + (double)b + (double)c;

	return t > 0 ? (double)part / t : -1;
}

static void figures(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct chartwin *w = f->win;
	const struct stats *st = &f->feed->stats;
	const char *glyph[3] = { f->gl->assist, f->gl->background, f->gl->idle };
	const char *label[3] = { "assist", "background", "idle" };
	const enum role role[3] = { ROLE_ASSIST, ROLE_BACKGROUND, ROLE_IDLE };
	int64_t wv[3] = { w->assist_us, w->background_us, w->idle_us };
	int64_t rv[3] = { st->assist_us, st->background_us, st->idle_us };
	int i, n = r->h - 1;
	double ws = share(wv[0], wv[0], wv[1], wv[2]);
	double rs = share(rv[0], rv[0], rv[1], rv[2]);

	for (i = 0; i < 3 && i < n; i++) {
		int y = r->y + 1 + i;
		double a = share(wv[i], wv[0], wv[1], wv[2]);
		double b = share(rv[i], rv[0], rv[1], rv[2]);
		char va[FMT_MAX], vb[FMT_MAX];

		grid_put(g, f->side_x, y, glyph[i], role[i]);
		grid_text(g, f->side_x + 2, y, 11, label[i], ROLE_DIM);
		fmt_pct(va, a >= 0 ? a * 100 : -1);
		fmt_pct(vb, b >= 0 ? b * 100 : -1);
		pane_right(g, pane_col1_end(f), f->side_x + 13, y, va,
		           i == 0 ? pane_assist_role(f->o, a, ROLE_VALUE) : ROLE_VALUE);
		pane_right(g, pane_col2_end(f), pane_col1_end(f) + 1, y, vb,
		           i == 0 ? pane_assist_role(f->o, b, ROLE_VALUE) : ROLE_VALUE);
	}
	/* Said in words too, for whoever cannot tell the colours apart. */
	if (n > 3 && (pane_assist_role(f->o, ws, ROLE_NORMAL) != ROLE_NORMAL ||
	              pane_assist_role(f->o, rs, ROLE_NORMAL) != ROLE_NORMAL)) {
		double worst = ws > rs ? ws : rs;
		char t[FMT_MAX];
		int warn = (int)floor((f->o->assist_warn > 0 ? f->o->assist_warn : 0.25) *
		                      100 + 0.5);

		snprintf(t, sizeof t, "assist above %d%%", warn);
		grid_text(g, f->side_x + 2, r->y + 4, f->side_w - 2, t,
		          pane_assist_role(f->o, worst, ROLE_NORMAL));
	}
}

static void mark_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct chartwin *w = f->win;
	char scale[FMT_MAX];
	double top = 0, s;
	int c;

	pane_title(g, r, f, "MARK", w->time ? "CPU of the mark workers, mean per collection"
	                                    : "CPU of the mark workers per collection",
	           "window", "run");
	if (r->h < 2 || pane_no_records(g, r, f))
		return;
	if (!w->has_mark) {
		pane_empty(g, r, f, "no mark worker times in this trace (Go 1.4 or older)");
		return;
	}
	for (c = 0; c < w->ncols; c++) {
		struct mark k;

		k = col_mark(f, c);
		if (k.any && k.assist + k.background + k.idle > top)
			top = k.assist + k.background + k.idle;
	}
	s = pane_nice(top > 0 ? top : 1);
	pane_axis(g, r, f, fmt_us(scale, (int64_t)s, f->gl->ascii));
	for (c = 0; c < w->ncols; c++) {
		struct mark k;
		int i;

		if (w->col[c].restart && !w->time) {
			pane_restart(g, c, r, f);
			continue;
		}
		k = col_mark(f, c);
		for (i = 0; k.any && i < f->col_w; i++)
			column(g, pane_col_x(f, c) + i, r, f, &k, s);
	}
	figures(g, r, f);
}

const struct pane_ops pane_mark = {
	.name = "mark",
	.help = "mark CPU: assist (goroutines slowed), background, idle workers",
	.draw = mark_draw,
};
