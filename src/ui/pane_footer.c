/*
 * The footer: the keys, and a warning when the parser had to drop torn
 * gc lines.
 */
#include <stdio.h>
#include <string.h>

#include "text/fmt.h"
#include "ui/pane.h"

struct key {
	const char *key, *what;
};

static void footer_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct view_opts *o = f->o;
	char window[FMT_MAX + 8], warn[FMT_MAX + 32], n[FMT_MAX];
	struct key keys[] = {
		{ "q", "quit" },
		{ "space", o->frozen ? "resume" : "pause" },
		{ "+/-", window },
		{ "l", "output" },
		{ "?", o->help ? "close help" : "help" },
		/* Ctrl-C goes to the program only when there is one. */
		{ f->m->spawned ? "^C" : NULL, "interrupt" },
	};
	int i, x = r->x + 1, end = r->x + r->w, right = end;

	if (r->h < 1)
		return;
	snprintf(window, sizeof window, "window %u", f->window);
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
	for (i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++) {
		int w;

		if (!keys[i].key)
			continue;
		w = (int)(strlen(keys[i].key) + 1 + strlen(keys[i].what));
		if (x + w > right - 1)
			break;
		x += grid_text(g, x, r->y, w, keys[i].key, ROLE_KEY) + 1;
		x += grid_text(g, x, r->y, right - x, keys[i].what, ROLE_NORMAL) + 2;
	}
}

const struct pane_ops pane_footer = {
	.name = "footer",
	.help = NULL, /* the help lists the keys itself */
	.draw = footer_draw,
};
