/*
 * The footer: the keys, and a warning when the parser had to drop torn
 * gc lines.
 */
#include <stdio.h>
#include <string.h>

#include "text/fmt.h"
#include "ui/keys.h"
#include "ui/pane.h"

static void footer_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct view_opts *o = f->o;
	char window[FMT_MAX + 32], warn[FMT_MAX + 32], n[FMT_MAX];
	int x = r->x + 1, end = r->x + r->w, right = end;

	if (r->h < 1)
		return;
	if (f->m->counts.torn_dropped > 0) {
		snprintf(warn, sizeof warn, "%s torn gc lines dropped",
		         fmt_count(n, f->m->counts.torn_dropped));
		right = end - 1 - (int)strlen(warn);
		if (right > x + 20)
			grid_text(g, right, r->y, end - right, warn, ROLE_WARN);
		else
			right = end;
	}
	/* Keys from the left while they fit whole. */
	for (unsigned i = 0; i < keys_count; i++) {
		const struct key_def *k = &keys_table[i];
		const char *what = k->footer;
		bool on = (k->action == KEYS_FREEZE && o->frozen) ||
		          (k->action == KEYS_HELP && o->help) ||
		          (k->action == KEYS_DIAG && o->diag);

		/* Ctrl-C goes to the program only when there is one. */
		if (!what || !keys_shown(k, f->fleet, view_fleet_count(f->m, f->o, f->now_ms) > 1, f->m->spawned))
			continue;
		if (on && k->footer_on)
			what = k->footer_on;
		if (k->window) {
			snprintf(window, sizeof window, "%s %s", what, f->window_label);
			what = window;
		}
		int w = (int)(strlen(k->label) + 1 + strlen(what));
		if (x + w > right - 1)
			break;
		x += grid_text(g, x, r->y, w, k->label, ROLE_KEY) + 1;
		x += grid_text(g, x, r->y, right - x, what, ROLE_NORMAL) + 2;
	}
}

const struct pane_ops pane_footer = {
	.name = "footer",
	.help = NULL, /* the help lists the keys itself */
	.draw = footer_draw,
};
