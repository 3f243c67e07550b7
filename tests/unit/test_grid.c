/*
 * Unit tests for the cell grid: creation and clearing, glyphs in and out
 * of bounds, text cut at a width (ASCII, multi-byte UTF-8, and what must
 * never reach a cell: controls, invalid UTF-8, wide characters), printf
 * past the stack buffer, clipped fills, and grid_to_text with every
 * buffer size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/grid.h"

static void assert_cell(const struct grid *g, int x, int y, const char *ch,
                        enum role role)
{
	const struct cell *c = grid_at(g, x, y);

	assert_non_null(c);
	assert_string_equal(c->ch, ch);
	assert_int_equal(c->role, role);
}

static char *text(const struct grid *g)
{
	size_t cap = (size_t)g->w * (size_t)g->h * 4 + (size_t)g->h + 1;
	char *buf = malloc(cap);

	assert_non_null(buf);
	grid_to_text(g, buf, cap);
	return buf;
}

static void test_new_clear(void **state)
{
	struct grid *g = grid_new(3, 2), *z = grid_new(0, 0);
	char *t;

	(void)state;
	assert_non_null(g);
	assert_int_equal(g->w, 3);
	assert_int_equal(g->h, 2);
	t = text(g);
	assert_string_equal(t, "   \n   \n");
	free(t);
	grid_put(g, 1, 1, "x", ROLE_ALERT);
	grid_clear(g);
	assert_cell(g, 1, 1, " ", ROLE_NORMAL);
	grid_free(g);

	assert_non_null(z);
	assert_null(grid_at(z, 0, 0));
	grid_put(z, 0, 0, "x", ROLE_NORMAL);
	assert_int_equal(grid_text(z, 0, 0, 5, "abc", ROLE_NORMAL), 3);
	grid_free(z);
	grid_free(NULL);
	assert_null(grid_new(-1, 5));
}

static void test_put(void **state)
{
	struct grid *g = grid_new(4, 3);

	(void)state;
	grid_put(g, 0, 0, "a", ROLE_TITLE);
	assert_cell(g, 0, 0, "a", ROLE_TITLE);
	grid_put(g, 3, 2, "\xe2\x96\x88", ROLE_LIVE); /* full block */
	assert_cell(g, 3, 2, "\xe2\x96\x88", ROLE_LIVE);
	grid_put(g, 1, 0, "\xc2\xb5", ROLE_VALUE); /* micro sign */
	assert_cell(g, 1, 0, "\xc2\xb5", ROLE_VALUE);

	/* Outside: nothing, and no write out of bounds (ASan). */
	grid_put(g, -1, 0, "x", ROLE_NORMAL);
	grid_put(g, 4, 0, "x", ROLE_NORMAL);
	grid_put(g, 0, -1, "x", ROLE_NORMAL);
	grid_put(g, 0, 3, "x", ROLE_NORMAL);
	grid_put(g, 1000000, 1000000, "x", ROLE_NORMAL);
	assert_null(grid_at(g, 4, 0));
	assert_null(grid_at(g, -1, -1));

	/* What never gets into a cell. */
	grid_put(g, 0, 1, NULL, ROLE_NORMAL);
	assert_cell(g, 0, 1, " ", ROLE_NORMAL);
	grid_put(g, 0, 1, "", ROLE_NORMAL);
	assert_cell(g, 0, 1, " ", ROLE_NORMAL);
	grid_put(g, 0, 1, "\x1b", ROLE_NORMAL);
	assert_cell(g, 0, 1, "?", ROLE_NORMAL);
	grid_put(g, 1, 1, "\x7f", ROLE_NORMAL);
	assert_cell(g, 1, 1, "?", ROLE_NORMAL);
	grid_put(g, 2, 1, "\xc2\x9b", ROLE_NORMAL); /* C1 CSI */
	assert_cell(g, 2, 1, "?", ROLE_NORMAL);
	grid_put(g, 3, 1, "\xe4\xb8\xad", ROLE_NORMAL); /* wide CJK */
	assert_cell(g, 3, 1, "?", ROLE_NORMAL);
	grid_put(g, 0, 2, "\xff", ROLE_NORMAL);
	assert_cell(g, 0, 2, "?", ROLE_NORMAL);
	grid_put(g, 1, 2, "\xcc\x81", ROLE_NORMAL); /* combining acute */
	assert_cell(g, 1, 2, "?", ROLE_NORMAL);
	/* Only the first character of a longer string. */
	grid_put(g, 2, 2, "ab", ROLE_NORMAL);
	assert_cell(g, 2, 2, "a", ROLE_NORMAL);
	/* A role out of range falls back to normal. */
	grid_put(g, 2, 2, "b", (enum role)200);
	assert_cell(g, 2, 2, "b", ROLE_NORMAL);
	grid_free(g);
}

static void test_text(void **state)
{
	struct grid *g = grid_new(10, 2);
	char *t;

	(void)state;
	assert_int_equal(grid_text(g, 0, 0, 10, "hello", ROLE_NORMAL), 5);
	assert_int_equal(grid_text(g, 6, 0, 2, "world", ROLE_DIM), 2);
	assert_cell(g, 7, 0, "o", ROLE_DIM);
	assert_cell(g, 8, 0, " ", ROLE_NORMAL);
	/* Multi-byte glyphs take one column each. */
	assert_int_equal(grid_text(g, 0, 1, 10, "1.2\xc2\xb5s \xe2\x96\x81\xe2\x96\x88",
	                           ROLE_VALUE), 8);
	t = text(g);
	assert_string_equal(t, "hello wo  \n1.2\xc2\xb5s \xe2\x96\x81\xe2\x96\x88  \n");
	free(t);

	/* Cut at the grid's edge, and from a negative x. */
	grid_clear(g);
	grid_text(g, 8, 0, 100, "abcdef", ROLE_NORMAL);
	assert_cell(g, 8, 0, "a", ROLE_NORMAL);
	assert_cell(g, 9, 0, "b", ROLE_NORMAL);
	assert_cell(g, 0, 1, " ", ROLE_NORMAL); /* never wraps */
	grid_text(g, -2, 1, 5, "abcde", ROLE_NORMAL);
	assert_cell(g, 0, 1, "c", ROLE_NORMAL);
	assert_cell(g, 2, 1, "e", ROLE_NORMAL);
	assert_int_equal(grid_text(g, 0, 0, 0, "abc", ROLE_NORMAL), 0);
	assert_int_equal(grid_text(g, 0, 0, -3, "abc", ROLE_NORMAL), 0);
	assert_int_equal(grid_text(g, 0, 5, 3, "abc", ROLE_NORMAL), 3);

	/* Bad bytes: one '?' a byte, and what follows stays in place. */
	grid_clear(g);
	assert_int_equal(grid_text(g, 0, 0, 10, "a\x1b[b\xff\xe2\x82z", ROLE_NORMAL), 8);
	t = text(g);
	assert_string_equal(t, "a?[b???z  \n          \n");
	free(t);
	grid_free(g);
}

static void test_printf(void **state)
{
	struct grid *g = grid_new(1000, 1);
	char *big = malloc(901);
	int n;

	(void)state;
	assert_non_null(big);
	n = grid_printf(g, 0, 0, 20, ROLE_VALUE, "%d gcs %s", 42, "ok");
	assert_int_equal(n, 9);
	assert_cell(g, 0, 0, "4", ROLE_VALUE);
	assert_cell(g, 8, 0, "k", ROLE_VALUE);
	/* Longer than the stack buffer. */
	memset(big, 'x', 900);
	big[900] = '\0';
	n = grid_printf(g, 0, 0, 1000, ROLE_NORMAL, "<%s>", big);
	assert_int_equal(n, 902);
	assert_cell(g, 901, 0, ">", ROLE_NORMAL);
	free(big);
	grid_free(g);
}

static void test_fill(void **state)
{
	struct grid *g = grid_new(4, 3);
	char *t;

	(void)state;
	grid_fill(g, -1, 1, 3, 5, "#", ROLE_BAR);
	t = text(g);
	assert_string_equal(t, "    \n##  \n##  \n");
	free(t);
	assert_cell(g, 1, 2, "#", ROLE_BAR);
	grid_fill(g, 10, 10, 3, 3, "#", ROLE_BAR);
	grid_fill(g, 0, 0, 0, 0, "#", ROLE_BAR);
	grid_free(g);
}

/* Every buffer size: only whole glyphs, always terminated, the full
 * length returned. */
static void test_to_text(void **state)
{
	struct grid *g = grid_new(3, 2);
	const char *want = "a\xe2\x96\x88 \n \xc2\xb5z\n";
	size_t len = strlen(want), cap;
	char buf[64];

	(void)state;
	grid_text(g, 0, 0, 3, "a\xe2\x96\x88", ROLE_NORMAL);
	grid_text(g, 1, 1, 2, "\xc2\xb5z", ROLE_NORMAL);
	assert_int_equal(grid_to_text(g, buf, sizeof buf), len);
	assert_string_equal(buf, want);
	assert_int_equal(grid_to_text(g, NULL, 0), len);
	for (cap = 1; cap <= len + 1; cap++) {
		size_t got;

		memset(buf, 'Q', sizeof buf);
		assert_int_equal(grid_to_text(g, buf, cap), len);
		got = strlen(buf);
		assert_true(got < cap);
		assert_memory_equal(buf, want, got);
		/* Never in the middle of a glyph. */
		assert_true(got == len || (want[got] & 0xC0) != 0x80);
		assert_int_equal(buf[cap], 'Q');
	}
	grid_free(g);
}

/* In a UTF-8 locale: a wide character takes its cell and the next, and
 * writing over either half blanks the other; marks join their character;
 * a wide character does not fit in the last column or in one column of
 * maxw; the text form shows it once. */
static void test_wide(void **state)
{
	struct grid *g = grid_new(6, 1);
	char buf[128];

	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_int_equal(grid_put(g, 0, 0, "\xe4\xb8\xad", ROLE_NORMAL), 2);
	assert_int_equal(grid_at(g, 0, 0)->width, GRID_WIDE);
	assert_int_equal(grid_at(g, 1, 0)->width, GRID_WIDE_TAIL);
	assert_string_equal(grid_at(g, 1, 0)->ch, "");
	grid_to_text(g, buf, sizeof buf);
	assert_string_equal(buf, "\xe4\xb8\xad    \n");
	/* Over the right half: the left half goes too. */
	grid_put(g, 1, 0, "x", ROLE_NORMAL);
	assert_string_equal(grid_at(g, 0, 0)->ch, " ");
	assert_int_equal(grid_at(g, 0, 0)->width, GRID_NARROW);
	/* Over the left half: the right half goes. */
	grid_put(g, 2, 0, "\xf0\x9f\x9a\x80", ROLE_NORMAL);
	grid_put(g, 2, 0, "y", ROLE_NORMAL);
	assert_string_equal(grid_at(g, 3, 0)->ch, " ");
	assert_int_equal(grid_at(g, 3, 0)->width, GRID_NARROW);
	/* The last column: '?' rather than half a character. */
	assert_int_equal(grid_put(g, 5, 0, "\xe4\xb8\xad", ROLE_NORMAL), 1);
	assert_string_equal(grid_at(g, 5, 0)->ch, "?");
	/* Marks stay on their character; other zero-width code points do not. */
	grid_clear(g);
	assert_int_equal(grid_text(g, 0, 0, 6, "e\xcc\x81\xe2\x9c\x94\xef\xb8\x8f\xe4\xb8\xad!", ROLE_NORMAL), 5);
	assert_string_equal(grid_at(g, 0, 0)->ch, "e\xcc\x81");
	assert_string_equal(grid_at(g, 1, 0)->ch, "\xe2\x9c\x94\xef\xb8\x8f");
	assert_string_equal(grid_at(g, 4, 0)->ch, "!");
	grid_put(g, 0, 0, "a\xe2\x80\xae", ROLE_NORMAL);
	assert_string_equal(grid_at(g, 0, 0)->ch, "a");
	/* One column left for a wide character: it is left out. */
	grid_clear(g);
	assert_int_equal(grid_text(g, 0, 0, 3, "ab\xe4\xb8\xad", ROLE_NORMAL), 2);
	assert_string_equal(grid_at(g, 2, 0)->ch, " ");
	setlocale(LC_CTYPE, "C");
	/* Without a UTF-8 locale wcwidth knows no width: '?' as before. */
	grid_put(g, 0, 0, "\xe4\xb8\xad", ROLE_NORMAL);
	assert_string_equal(grid_at(g, 0, 0)->ch, "?");
	grid_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_clear),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_to_text),
		cmocka_unit_test(test_wide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
