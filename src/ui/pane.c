#include "ui/pane.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text/fmt.h"

/* Columns of text s takes (UTF-8 of one column per character). */
static int width(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int pane_col1_end(const struct frame *f)
{
	return f->side_x + 17;
}

int pane_col2_end(const struct frame *f)
{
	return f->side_x + f->side_w;
}

int pane_right(struct grid *g, int x_end, int x_min, int y, const char *s,
               enum role role)
{
	int w = width(s), x = x_end - w;

	if (x < x_min)
		x = x_min;
	return grid_text(g, x, y, x_end - x, s, role);
}

void pane_title(struct grid *g, const struct rect *r, const struct frame *f,
                const char *name, const char *sub, const char *col1,
                const char *col2)
{
	int x = r->x, end = r->x + r->w;
	/* The rule runs up to the figures' headings, with a space before
	 * them, so the eye finds the pane boundaries; the title never runs
	 * into the headings. */
	int limit = col1 || col2 ? f->side_x - 1 : end;

	x += grid_text(g, x, r->y, limit - x, name, ROLE_TITLE);
	if (sub && *sub && x + 1 < limit) {
		int w = width(sub);

		x++;
		if (x + w > limit - 1) {
			/* Cut, and say so. */
			x += grid_text(g, x, r->y, limit - 1 - x, sub, ROLE_DIM);
			grid_put(g, x++, r->y, f->gl->ellipsis, ROLE_DIM);
		} else {
			x += grid_text(g, x, r->y, limit - x, sub, ROLE_DIM);
		}
	}
	x++;
	for (; x < limit; x++)
		grid_put(g, x, r->y, f->gl->rule, ROLE_DIM);
	if (col1)
		pane_right(g, pane_col1_end(f), f->side_x, r->y, col1, ROLE_DIM);
	if (col2)
		pane_right(g, pane_col2_end(f), f->side_x, r->y, col2, ROLE_DIM);
}

void pane_empty(struct grid *g, const struct rect *r, const struct frame *f,
                const char *msg)
{
	int w = width(msg), area = r->w, x, y;

	(void)f;
	if (r->h < 2)
		return;
	x = r->x + (area - w) / 2;
	if (x < r->x)
		x = r->x;
	y = r->y + 1 + (r->h - 2) / 2;
	grid_text(g, x, y, r->x + r->w - x, msg, ROLE_DIM);
}

bool pane_no_records(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct model *m = f->m;
	const struct feed *fd = f->feed;
	char msg[160];
	const char *dots = f->gl->ascii ? "..." : "\u2026";

	if (fd->nrecent > 0)
		return false;
	if (m->input == MODEL_EOF || m->input == MODEL_EXITED)
		snprintf(msg, sizeof msg, "no gc lines in this input (%llu lines read)",
		         (unsigned long long)m->counts.lines);
	else if (m->counts.lines > 0)
		snprintf(msg, sizeof msg, "no gc lines yet (%llu lines read)",
		         (unsigned long long)m->counts.lines);
	else
		snprintf(msg, sizeof msg, "waiting for the first collection%s", dots);
	pane_empty(g, r, f, msg);
	return true;
}

void pane_axis(struct grid *g, const struct rect *r, const struct frame *f,
               const char *top)
{
	int ytop = r->y + 1, ybot = r->y + r->h - 1, end = r->x + f->axis_w - 1;

	if (r->h < 2)
		return;
	pane_right(g, end, r->x, ytop, top, ROLE_DIM);
	if (ybot > ytop)
		pane_right(g, end, r->x, ybot, "0", ROLE_DIM);
}

void pane_bar(struct grid *g, int x, int ybot, int h, int eighths,
              const struct frame *f, enum role role)
{
	int row;

	for (row = 0; row < h && eighths > 0; row++, eighths -= 8)
		grid_put(g, x, ybot - row, f->gl->bar[eighths >= 8 ? 8 : eighths],
		         role);
}

int pane_eighths(double v, double scale, int h)
{
	double e;

	if (!(v > 0) || !(scale > 0) || h <= 0)
		return 0;
	e = floor(v / scale * h * 8 + 0.5);
	if (e < 1)
		return 1;
	if (e > h * 8)
		return h * 8;
	return (int)e;
}

int pane_col_x(const struct frame *f, int c)
{
	return f->chart_x + f->chart_w - (f->win->ncols - c) * f->col_w;
}

void pane_restart(struct grid *g, int c, const struct rect *r, const struct frame *f)
{
	int y, x = pane_col_x(f, c) + f->col_w - 1;

	for (y = r->y + 1; y < r->y + r->h; y++)
		grid_put(g, x, y, f->gl->restart, ROLE_MARK);
}

double pane_nice(double v)
{
	static const double steps[] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
	double p;
	size_t i;

	if (!(v > 0))
		return 1;
	p = pow(10, floor(log10(v)));
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i] * p >= v * (1 - 1e-12))
			return steps[i] * p;
	return 10 * p;
}

int64_t pane_nice_mb(int64_t mb)
{
	double v;

	if (mb <= 0)
		return 1;
	if (mb <= 1000) {
		v = pane_nice((double)mb);
		/* 1000 MB would read "1000 MB": one GB reads better. */
		return v >= 1000 ? 1024 : (int64_t)v;
	}
	if (mb <= 1000 * 1024)
		return (int64_t)(pane_nice((double)mb / 1024) * 1024);
	return (int64_t)(pane_nice((double)mb / (1024.0 * 1024)) * 1024 * 1024);
}

enum role pane_assist_role(const struct view_opts *o, double share, enum role normal)
{
	/* A zeroed option means the documented default, not "always". */
	double warn = o->assist_warn > 0 ? o->assist_warn : 0.25;

	if (!(share > warn))
		return normal;
	return share > 2 * warn ? ROLE_ALERT : ROLE_WARN;
}
