#include "ui/glyphs.h"

const struct glyphs glyphs_utf8 = {
	.ascii = false,
	.bar = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
	         "\u2586", "\u2587", "\u2588" },
	/* Horizontal scan lines: the goal sits at its height in the cell. */
	.level = { "\u23bd", "\u23bc", "\u2500", "\u23bb", "\u23ba" },
	.headroom = "\u2591",  /* light shade */
	.start = "\u00b7",
	.rate_on = "\u2022",   /* bullet: a middle dot is lost in a bar */
	.assist = "\u2588",     /* full block: the share that matters */
	.background = "\u2592", /* medium shade */
	.idle = "\u2591",       /* light shade */
	.restart = "\u2502",
	.rule = "\u2500",
	.ellipsis = "\u2026",
	.sep = "\u00b7",
	.box_tl = "\u250c", .box_tr = "\u2510",
	.box_bl = "\u2514", .box_br = "\u2518",
	.box_h = "\u2500", .box_v = "\u2502",
};

/*
 * Bars in ASCII have two steps per row: '_' for a cell filled less than
 * half, '#' for the rest; a lone '_' still shows that something is there.
 */
const struct glyphs glyphs_ascii = {
	.ascii = true,
	.bar = { " ", "_", "_", "_", "_", "#", "#", "#", "#" },
	.level = { "_", "-", "-", "-", "-" },
	.headroom = ":",
	.start = "+",
	.rate_on = "+",
	.assist = "#",
	.background = "=",
	.idle = ".",
	.restart = "|",
	.rule = "-",
	.ellipsis = ">",
	.sep = "|",
	.box_tl = "+", .box_tr = "+", .box_bl = "+", .box_br = "+",
	.box_h = "-", .box_v = "|",
};
