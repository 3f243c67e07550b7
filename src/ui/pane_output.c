/*
 * The output pane: the last lines the program wrote itself, oldest at the
 * top.  They are untrusted bytes: every line goes through the sanitiser,
 * is cut at the pane's edge (an ellipsis says so) and never wraps into
 * another pane.
 */
#include <stdio.h>

#include "text/fmt.h"
#include "ui/pane.h"
#include "ui/sanitize.h"

static void output_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct model *m = f->m;
	const struct feed *fd = f->feed;
	char count[FMT_MAX + 8], n[FMT_MAX];
	unsigned rows, first, i;

	snprintf(count, sizeof count, "%s line%s", fmt_count(n, fd->total_lines),
	         fd->total_lines == 1 ? "" : "s");
	pane_title(g, r, f, "OUTPUT", "the program's own lines, stderr in colour",
	           NULL, count);
	if (r->h < 2)
		return;
	rows = (unsigned)r->h - 1;
	if (fd->nlines == 0) {
		grid_text(g, r->x + 1, r->y + 1, r->w - 1,
		          m->spawned ? "no output from the program yet"
		                     : "no lines besides the runtime's yet",
		          ROLE_DIM);
		return;
	}
	first = fd->nlines > rows ? fd->nlines - rows : 0;
	for (i = first; i < fd->nlines; i++) {
		const struct feed_line *l = feed_line(fd, i);
		int y = r->y + 1 + (int)(i - first), used;
		size_t len = l->len <= FEED_LINE_MAX ? l->len : FEED_LINE_MAX;
		bool cut;

		/* A CRLF line ending is not worth a ^M on every line. */
		if (len > 0 && l->text[len - 1] == '\r')
			len--;
		used = sanitize_text(g, r->x, y, r->w, l->text, len, f->gl->ascii,
		                     l->stream == 1 ? ROLE_STDERR : ROLE_NORMAL, &cut);
		if (cut || l->cut) {
			int x = r->x + (used < r->w ? used : r->w - 1);
			grid_put(g, x, y, f->gl->ellipsis, ROLE_DIM);
		}
	}
}

const struct pane_ops pane_output = {
	.name = "output",
	.help = "the program's own lines; control bytes shown as ^X or \\xNN",
	.draw = output_draw,
};
