/*
 * Unit tests for wrap_line: folding at spaces within the width, the
 * hanging indent, a word longer than the room kept whole, width <= 0
 * unfolded, and a width below the minimum raised to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/wrap.h"

static char *wrapped(const char *text, int width, int indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	wrap_line(out, text, width, indent);
	fclose(out);
	return buf;
}

static void test_fold(void **state)
{
	const char *t = "finding assist: assists did 59% of the mark work (105.0 ms of "
	                "178.5 ms CPU) over 27 collections; try a higher GOGC";
	char *s = wrapped(t, 40, 13);

	assert_string_equal(s, "finding assist: assists did 59% of the\n"
	                       "             mark work (105.0 ms of\n"
	                       "             178.5 ms CPU) over 27\n"
	                       "             collections; try a higher\n"
	                       "             GOGC\n");
	/* Every line within the width, and the words all there in order. */
	for (char *l = s, *nl; (nl = strchr(l, '\n')); l = nl + 1)
		assert_true(nl - l <= 40);
	free(s);
}

static void test_edges(void **state)
{
	char *s;

	s = wrapped("short line", 80, 13);
	assert_string_equal(s, "short line\n");
	free(s);
	s = wrapped("no fold at all however long the line is", 0, 13);
	assert_string_equal(s, "no fold at all however long the line is\n");
	free(s);
	/* A word wider than the room: on its own line, not cut. */
	s = wrapped("a 0123456789012345678901234567890123456789012345 b", 40, 4);
	assert_string_equal(s, "a\n    0123456789012345678901234567890123456789012345\n    b\n");
	free(s);
	/* Width 10 folds at the minimum, 40. */
	s = wrapped("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii", 10, 2);
	assert_string_equal(s, "aaaa bbbb cccc dddd eeee ffff gggg hhhh\n  iiii\n");
	free(s);
	/* Trailing spaces dropped, no empty continuation line. */
	s = wrapped("aaaa   ", 40, 2);
	assert_string_equal(s, "aaaa\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
