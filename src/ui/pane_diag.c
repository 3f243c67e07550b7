/*
 * The diagnosis: one line under the header naming the most severe finding
 * (or "no findings"), and the overlay of the d key with every finding and
 * its evidence, the MMU over the run and over the charts' window, and the
 * what-if table.  Both read the digest the dashboard copied from the
 * engine (view_opts.digest) and the shown feed's records.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "text/fmt.h"
#include "ui/glyphs.h"
#include "ui/pane.h"

/* The finding the line names: the highest rank, the first of equals. */
static int worst_finding(const struct analysis_digest *d)
{
	int best = -1;

	for (int i = 0; i < d->nfind; i++)
		if (best < 0 || finding_rank(d->find[i].id) > finding_rank(d->find[best].id))
			best = i;
	return best;
}

static void mmu_text(char *buf, size_t len, double u)
{
	if (u < 0)
		snprintf(buf, len, "n/a");
	else
		fmt_pct(buf, 100.0 * u);
}

static void diag_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct analysis_digest *d = f->o->digest;
	const char *hint = "d: details";
	char buf[400], a[FMT_MAX], b[FMT_MAX];
	int x = r->x, end = r->x + r->w, k;

	if (r->h < 1 || !d)
		return;
	end -= grid_text(g, end - (int)strlen(hint) - 1, r->y, (int)strlen(hint), hint,
	                 ROLE_DIM) + 1;
	x += grid_text(g, x, r->y, end - x, "DIAGNOSIS ", ROLE_TITLE);
	if (f->feed->stats.count == 0) {
		grid_text(g, x, r->y, end - x - 1, "no collections yet", ROLE_DIM);
		return;
	}
	if (!d->have) {
		grid_text(g, x, r->y, end - x - 1,
		          "none: only the first feeds are analysed", ROLE_DIM);
		return;
	}
	k = worst_finding(d);
	if (k < 0) {
		mmu_text(a, sizeof a, d->mmu[0]);
		mmu_text(b, sizeof b, d->mmu[3]);
		snprintf(buf, sizeof buf, "no findings   MMU 10ms %s, 1s %s", a, b);
		grid_text(g, x, r->y, end - x - 1, buf, ROLE_OK);
		return;
	}
	if (d->nfind > 1) {
		snprintf(buf, sizeof buf, "(+%d more)", d->nfind - 1);
		end -= grid_text(g, end - (int)strlen(buf) - 1, r->y, (int)strlen(buf), buf,
		                 ROLE_DIM) + 1;
	}
	x += grid_text(g, x, r->y, end - x - 1, d->find[k].name,
	               d->find[k].harmless ? ROLE_DIM : ROLE_WARN);
	x += grid_text(g, x, r->y, end - x - 1, ": ", ROLE_NORMAL);
	/* The evidence is ASCII: cut, it says so (d shows it whole). */
	int room = end - x - 1;
	if ((int)strlen(d->find[k].evidence) > room && room > 1) {
		x += grid_text(g, x, r->y, room - 1, d->find[k].evidence, ROLE_NORMAL);
		grid_put(g, x, r->y, f->gl->ellipsis, ROLE_DIM);
	} else {
		grid_text(g, x, r->y, room, d->find[k].evidence, ROLE_NORMAL);
	}
}

const struct pane_ops pane_diag = {
	.name = "diag",
	.help = "the most severe finding, or none (d for all of them)",
	.draw = diag_draw,
};

/* ---- the overlay ---- */

/* Lines of the overlay, before they are placed in the box. */
#define MAXLINES 96

struct lines {
	int n, w;
	struct {
		char text[200];
		enum role role;
		int indent;
	} l[MAXLINES];
};

static void add(struct lines *ls, int indent, enum role role, const char *s)
{
	if (ls->n == MAXLINES)
		return;
	size_t n = strlen(s);

	if (n > sizeof ls->l[0].text - 1)
		n = sizeof ls->l[0].text - 1;
	memcpy(ls->l[ls->n].text, s, n);
	ls->l[ls->n].text[n] = 0;
	ls->l[ls->n].role = role;
	ls->l[ls->n].indent = indent;
	ls->n++;
}

/* Text word-wrapped to the box's width, the first line at indent, the
 * rest at indent + 2. */
static void add_wrapped(struct lines *ls, int indent, enum role role, const char *s)
{
	int first = 1;

	while (*s) {
		int room = ls->w - indent - (first ? 0 : 2), n = (int)strlen(s), cut;
		char piece[200];
		if (room < 10)
			room = 10;
		if (room > (int)sizeof piece - 1)
			room = (int)sizeof piece - 1;
		cut = n;
		if (n > room) {
			for (cut = room; cut > room / 2 && s[cut] != ' '; cut--)
				;
			if (s[cut] != ' ')
				cut = room;
		}
		memcpy(piece, s, (size_t)cut);
		piece[cut] = 0;
		add(ls, indent + (first ? 0 : 2), role, piece);
		s += cut;
		while (*s == ' ')
			s++;
		first = 0;
	}
}

static void gogc_text(char *buf, size_t len, double g)
{
	if (g == -1)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "%.0f", g);
}

static void build(struct lines *ls, const struct frame *f)
{
	const struct analysis_digest *d = f->o->digest;
	char buf[400], v[MMU_WINDOWS][FMT_MAX], g[16], cpu[FMT_MAX], rate[FMT_MAX],
	        peak[FMT_MAX], lim[FMT_MAX + 8];
	double win[MMU_WINDOWS];
	unsigned n = f->feed->nrecent, first = n > f->window ? n - f->window : 0;

	/* The findings first: what to do. */
	if (d->nfind == 0)
		add(ls, 0, ROLE_OK, "No findings: nothing in this trace asks for a change.");
	for (int i = 0; i < d->nfind; i++) {
		snprintf(buf, sizeof buf, "%s: %s", d->find[i].name, d->find[i].evidence);
		add_wrapped(ls, 0, d->find[i].harmless ? ROLE_DIM : ROLE_WARN, buf);
		snprintf(buf, sizeof buf, "try %s", d->find[i].try_);
		add_wrapped(ls, 2, ROLE_NORMAL, buf);
	}
	add(ls, 0, ROLE_NORMAL, "");

	/* MMU: the least share of the CPU left to the program in any window
	 * of that length, over the run and over the charts' window. */
	add(ls, 0, ROLE_TITLE, "MMU              10ms    50ms   100ms      1s");
	for (int i = 0; i < MMU_WINDOWS; i++)
		mmu_text(v[i], sizeof v[i], d->mmu[i]);
	snprintf(buf, sizeof buf, "  run        %7s %7s %7s %7s", v[0], v[1], v[2], v[3]);
	add(ls, 0, ROLE_VALUE, buf);
	analysis_mmu_of(f->feed, first, n - first, win);
	for (int i = 0; i < MMU_WINDOWS; i++)
		mmu_text(v[i], sizeof v[i], win[i]);
	snprintf(buf, sizeof buf, "  window     %7s %7s %7s %7s   (last %u collections)", v[0],
	         v[1], v[2], v[3], n - first);
	add(ls, 0, ROLE_NORMAL, buf);
	add(ls, 0, ROLE_NORMAL, "");

	/* What-if. */
	if (!d->have_est) {
		add(ls, 0, ROLE_TITLE, "WHAT-IF");
		add(ls, 2, ROLE_DIM, "needs two timed collections with allocation between");
		return;
	}
	gogc_text(g, sizeof g, d->gogc);
	snprintf(buf, sizeof buf, "WHAT-IF  from %llu collections: alloc %.1f MB/s, live %.0f MB, "
	         "GOGC %s%s", (unsigned long long)d->est.cycles, d->est.alloc_mb_s,
	         d->est.live_mb, d->gogc > -2 ? g : "unknown",
	         d->gogc > -2 && !d->gogc_given ? " (inferred)" : "");
	add(ls, 0, ROLE_TITLE, buf);
	add(ls, 0, ROLE_DIM, "  GOGC  limit        GC CPU     GC/s   peak heap");
	fmt_pct(cpu, d->est.gc_cpu_pct);
	fmt_rate(rate, d->est.rate);
	fmt_mb(peak, (int64_t)(d->est.peak_mb + 0.5));
	snprintf(buf, sizeof buf, "  %-5s %-10s %7s %8s %11s   measured", "now", "", cpu, rate, peak);
	add(ls, 0, ROLE_VALUE, buf);
	for (int i = 0; i < d->npred; i++) {
		const struct whatif_pred *p = &d->pred[i];
		gogc_text(g, sizeof g, p->gogc);
		if (p->limit_mb > 0)
			fmt_mb(lim, (int64_t)p->limit_mb);
		else
			snprintf(lim, sizeof lim, "-");
		fmt_pct(cpu, p->gc_cpu_pct);
		fmt_rate(rate, p->rate);
		fmt_mb(peak, (int64_t)(p->peak_mb + 0.5));
		snprintf(buf, sizeof buf, "  %-5s %-10s %7s %8s %11s   %s", g, lim, cpu, rate, peak,
		         p->limiter ? "CPU limiter at 50%" : p->at_limit ? "goal at the limit"
		         : p->at_minimum ? "minimum heap" : "");
		add(ls, 0, ROLE_NORMAL, buf);
	}
}

void pane_diag_overlay(struct grid *g, const struct frame *f)
{
	static struct lines ls; /* ~20 KB: not on the UI's stack */
	const struct glyphs *gl = f->gl;
	/* Wide enough for the what-if table and the findings; on a terminal
	 * narrower than the box and its margins, the whole width (no slivers
	 * of the panes at the edges). */
	int bw = g->w < 104 ? g->w : 100, bh, bx, by, y, i, bottom;

	if (!f->o->digest)
		return;
	memset(&ls, 0, sizeof ls);
	ls.w = bw - 4;
	if (!f->o->digest->have || f->feed->stats.count == 0)
		add(&ls, 0, ROLE_DIM, f->feed->stats.count == 0 ? "No collections yet."
		    : "No analysis: only the first feeds are analysed.");
	else
		build(&ls, f);
	bh = ls.n + 4;
	if (bh > g->h)
		bh = g->h;
	bx = (g->w - bw) / 2;
	by = (g->h - bh) / 2;

	grid_box(g, bx, by, bw, bh, gl);

	bottom = by + bh - 1;
	y = by + 1;
	grid_text(g, bx + 2, y, bw - 4, "gcwatch: diagnosis of this feed (d or esc closes)",
	          ROLE_TITLE);
	y += 2;
	for (i = 0; i < ls.n && y < bottom; i++, y++) {
		/* The last row says what did not fit. */
		if (y == bottom - 1 && i < ls.n - 1) {
			char more[64];
			snprintf(more, sizeof more, "... %d more lines: a taller terminal shows them",
			         ls.n - i);
			grid_text(g, bx + 2, y, bw - 4, more, ROLE_DIM);
			break;
		}
		grid_text(g, bx + 2 + ls.l[i].indent, y, bw - 4 - ls.l[i].indent, ls.l[i].text,
		          ls.l[i].role);
	}
}
