#include "text/wrap.h"

#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void wrap_line(FILE *out, const char *text, int width, int indent)
{
	size_t col = 0, room;
	const char *p = text;
	bool fresh = true;      /* no word on this line yet */

	if (width <= 0) {
		fprintf(out, "%s\n", text);
		return;
	}
	if (width < WRAP_MIN_WIDTH)
		width = WRAP_MIN_WIDTH;
	if (indent < 0 || indent > width / 2)
		indent = width / 2;
	room = (size_t)width;
	while (*p) {
		size_t len, sp = 0;
		while (p[sp] == ' ')
			sp++;
		len = strcspn(p + sp, " ");
		if (len == 0) /* trailing spaces */
			break;
		/* Fits after what the line holds (a line's first word always
		 * goes in: a longer word is not cut). */
		if (!fresh && col + sp + len > room) {
			fprintf(out, "\n%*s", indent, "");
			col = (size_t)indent;
			sp = 0;
			p += strspn(p, " ");
		}
		fwrite(p, 1, sp + len, out);
		fresh = false;
		col += sp + len;
		p += sp + len;
	}
	fputc('\n', out);
}

int wrap_width_of(FILE *out)
{
	struct winsize ws;
	int fd = fileno(out);

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}
