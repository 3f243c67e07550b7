/*
 * Unit tests for the sanitiser and the UTF-8 layer under it: every byte
 * value alone and every pair of bytes, escape sequences (CSI, OSC with
 * BEL and ST, DCS, short escapes, broken ones), C1 controls raw and in
 * UTF-8, invalid and overlong UTF-8, surrogates, wide (CJK, emoji,
 * fullwidth) and zero-width characters, tabs, the width limit, ASCII
 * mode, idempotence, and the decoder against an encoder for every code
 * point.
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

#include "ui/grid.h"
#include "ui/sanitize.h"
#include "text/utf8.h"

#define W 4096

struct result {
	char text[W * 5];
	char roles[W + 1]; /* 'e' escaped, 'p' plain, per cell */
	int n;
	bool cut;
};

static void run(const char *s, size_t len, bool ascii, int maxw, struct result *r)
{
	static struct cell cells[W];
	size_t at = 0;
	int i;

	assert_true(maxw <= W);
	memset(r, 0, sizeof *r);
	r->n = sanitize_cells(s, len, ascii, ROLE_STDERR, cells, maxw, &r->cut);
	assert_true(r->n >= 0 && r->n <= (maxw < 0 ? 0 : maxw));
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &cells[i];
		size_t l = strlen(c->ch);
		uint32_t cp;

		/* Every cell: one character, one column, printable. */
		assert_true(l >= 1 && l <= 4);
		assert_int_equal(utf8_decode((const unsigned char *)c->ch, l, &cp), (int)l);
		assert_int_equal(utf8_class(cp), UTF8_NARROW);
		if (ascii)
			assert_true(l == 1 && c->ch[0] >= 0x20 && c->ch[0] <= 0x7e);
		assert_true(c->role == ROLE_ESCAPED || c->role == ROLE_STDERR);
		memcpy(r->text + at, c->ch, l);
		at += l;
		r->roles[i] = c->role == ROLE_ESCAPED ? 'e' : 'p';
	}
	r->text[at] = '\0';
}

/* Sanitise s (a C string) at a wide width; compare text and roles. */
static void check(const char *s, bool ascii, const char *text, const char *roles)
{
	struct result r;

	run(s, strlen(s), ascii, W, &r);
	if (strcmp(r.text, text) != 0)
		fail_msg("sanitise(%s): got \"%s\", want \"%s\"", s, r.text, text);
	if (roles && strcmp(r.roles, roles) != 0)
		fail_msg("roles of \"%s\": got %s, want %s", r.text, r.roles, roles);
	assert_false(r.cut);
}

static void test_every_byte(void **state)
{
	int b, ascii;

	(void)state;
	for (ascii = 0; ascii < 2; ascii++)
		for (b = 0; b < 256; b++) {
			char in[1] = { (char)b }, want[16];
			struct result r;

			run(in, 1, ascii, W, &r);
			if (b == '\t')
				snprintf(want, sizeof want, "        ");
			else if (b < 0x20)
				snprintf(want, sizeof want, "^%c", b + 0x40);
			else if (b == 0x7f)
				snprintf(want, sizeof want, "^?");
			else if (b < 0x7f)
				snprintf(want, sizeof want, "%c", b);
			else /* alone, every byte above 0x7f is invalid UTF-8 */
				snprintf(want, sizeof want, "\\x%02x", b);
			assert_string_equal(r.text, want);
			/* Plain text keeps its role, everything else is escaped. */
			if ((b >= 0x20 && b < 0x7f) || b == '\t')
				assert_int_equal(r.roles[0], 'p');
			else
				assert_int_equal(r.roles[0], 'e');
		}
}

/* Every pair of bytes: only the invariants (checked in run). */
static void test_every_pair(void **state)
{
	int a, b, ascii;

	(void)state;
	for (ascii = 0; ascii < 2; ascii++)
		for (a = 0; a < 256; a++)
			for (b = 0; b < 256; b++) {
				char in[3] = { (char)a, (char)b, 'z' };
				struct result r;

				run(in, 3, ascii, 12, &r);
				/* Nothing is lost silently: the text ends with z
				 * unless it was cut. */
				assert_true(r.cut || r.text[strlen(r.text) - 1] == 'z');
			}
}

static void test_escape_sequences(void **state)
{
	(void)state;
	/* SGR colours. */
	check("\x1b[31mred\x1b[0m", false, "^[[31mred^[[0m", "eeeeeepppeeeee");
	/* Cursor movement, private modes, intermediates. */
	check("\x1b[2J\x1b[H\x1b[?1049h", false, "^[[2J^[[H^[[?1049h", NULL);
	check("\x1b[1 q.", false, "^[[1 q.", "eeeeeep");
	/* A CSI broken off by a control: that byte is judged alone. */
	check("\x1b[31\nX", false, "^[[31^JX", "eeeeeeep");
	check("\x1b[3\xc3\xa9", false, "^[[3\xc3\xa9", "eeeep");
	/* OSC: window title, ended by BEL; hyperlinks ended by ST. */
	check("\x1b]0;pwned\x07" "after", false, "^[]0;pwned^Gafter",
	      "eeeeeeeeeeeeppppp");
	check("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\.", false,
	      "^[]8;;http://x^[\\link^[]8;;^[\\.", "eeeeeeeeeeeeeeeeepppp" "eeeeeeeeep");
	/* An OSC never ended: the rest of the line is escaped. */
	check("\x1b]2;title and more", false, "^[]2;title and more", NULL);
	/* DCS, APC, PM, SOS. */
	check("\x1bPq#0;2\x1b\\x", false, "^[Pq#0;2^[\\x", "eeeeeeeeeeep");
	check("\x1b_apc\x1b\\x\x1b^pm\x1b\\y\x1bXsos\x1b\\z", false,
	      "^[_apc^[\\x^[^pm^[\\y^[Xsos^[\\z", NULL);
	/* ESC in a string that is not ST: ends it, starts an escape. */
	check("\x1b]0;t\x1b[1mB", false, "^[]0;t^[[1mB", "eeeeeeeeeeep");
	/* Short escapes: save cursor, reset, charset designation. */
	check("\x1b" "7x\x1b" "cy\x1b(Bz", false, "^[7x^[cy^[(Bz", "eeepeeepeeeep");
	/* ESC ESC, and ESC at the very end. */
	check("\x1b\x1b[m", false, "^[^[[m", "eeeeee");
	check("end\x1b", false, "end^[", "pppee");
	/* ESC then a control or a byte that starts nothing. */
	check("\x1b\x01", false, "^[^A", "eeee");
	/* 8-bit C1: raw bytes are invalid UTF-8, encoded ones are controls. */
	check("\x9b" "31m", false, "\\x9b31m", "eeeeppp");
	check("\xc2\x9b" "31m", false, "\\u009b31m", "eeeeeeppp");
	check("\xc2\x85", false, "\\u0085", NULL);
	/* Backspace and carriage return tricks cannot overwrite text. */
	check("secret\rpublic\b\b", false, "secret^Mpublic^H^H", NULL);
	/* The same in ASCII mode. */
	check("\x1b[31mr\xc3\xa9" "d\x1b[0m", true, "^[[31mr?d^[[0m", NULL);
}

static void test_utf8(void **state)
{
	(void)state;
	/* One-column characters pass in UTF-8 mode, '?' in ASCII mode. */
	check("caf\xc3\xa9 \xce\xbb \xd0\x96 \xe2\x82\xac \xe2\x96\x88\xe2\x94\x80", false,
	      "caf\xc3\xa9 \xce\xbb \xd0\x96 \xe2\x82\xac \xe2\x96\x88\xe2\x94\x80",
	      "ppppppppppppp");
	check("caf\xc3\xa9 \xe2\x82\xac", true, "caf? ?", "pppepe");
	/* Wide: two cells, so the columns after stay where they were. */
	check("\xe4\xb8\xad\xe6\x96\x87|", false, "????|", "eeeep");
	check("\xf0\x9f\x98\x80|", false, "??|", "eep");             /* emoji */
	check("\xef\xbc\xa1|", false, "??|", "eep");                 /* fullwidth A */
	check("\xea\xb0\x80|", false, "??|", "eep");                 /* Hangul */
	check("\xe2\x8c\x9a|", false, "??|", "eep");                 /* watch */
	check("\xf0\xa0\x80\x80|", false, "??|", "eep");             /* CJK ext B */
	check("\xe4\xb8\xad|", true, "??|", "eep");
	/* Zero-width and format characters: shown by number. */
	check("e\xcc\x81", false, "e\\u0301", "peeeeee");
	check("a\xe2\x80\x8b" "b", false, "a\\u200bb", NULL);     /* ZWSP */
	check("a\xe2\x80\x8d" "b", false, "a\\u200db", NULL);     /* ZWJ */
	check("\xe2\x80\xae" "abc", false, "\\u202eabc", NULL);   /* RLO */
	check("\xef\xbb\xbf" "x", false, "\\ufeffx", NULL);       /* BOM */
	check("\xe2\x9d\xa4\xef\xb8\x8f", false, "\xe2\x9d\xa4\\ufe0f", NULL);
	check("\xc2\xad", false, "\\u00ad", NULL);                /* soft hyphen */
	check("\xf3\xa0\x80\x81", false, "\\ue0001", NULL);       /* tag */
	/* Unknown width: one '?'. */
	check("\xd8\xa8", false, "?", "e");                      /* Arabic */
	check("\xee\x80\x80", false, "?", "e");                  /* private use */
	check("\xe0\xa4\x95", false, "?", "e");                  /* Devanagari */
	check("\xf4\x8f\xbf\xbf", false, "?", "e");              /* U+10FFFF */
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* Overlong forms of '/', and of U+0000. */
	check("\xc0\xaf", false, "\\xc0\\xaf", "eeeeeeee");
	check("\xe0\x80\xaf", false, "\\xe0\\x80\\xaf", NULL);
	check("\xf0\x80\x80\xaf", false, "\\xf0\\x80\\x80\\xaf", NULL);
	check("\xc1\xbf", false, "\\xc1\\xbf", NULL);
	check("\xe0\x9f\xbf", false, "\\xe0\\x9f\\xbf", NULL);
	check("\xf0\x8f\xbf\xbf", false, "\\xf0\\x8f\\xbf\\xbf", NULL);
	/* Surrogates, and beyond U+10FFFF. */
	check("\xed\xa0\x80", false, "\\xed\\xa0\\x80", NULL);
	check("\xed\xbf\xbf", false, "\\xed\\xbf\\xbf", NULL);
	check("\xf4\x90\x80\x80", false, "\\xf4\\x90\\x80\\x80", NULL);
	check("\xf5\x80\x80\x80", false, "\\xf5\\x80\\x80\\x80", NULL);
	check("\xfe\xff", false, "\\xfe\\xff", NULL);
	/* Cut sequences: at the end, and followed by ASCII or a new lead. */
	check("\xe2\x82", false, "\\xe2\\x82", NULL);
	check("\xe2\x82" "A", false, "\\xe2\\x82A", NULL);
	check("\xf0\x9f\x98" "\xc3\xa9", false, "\\xf0\\x9f\\x98\xc3\xa9", NULL);
	/* Stray continuation bytes. */
	check("\x80\xbf" "a", false, "\\x80\\xbfa", NULL);
	/* The same in ASCII mode. */
	check("\xc0\xaf\xe2\x82", true, "\\xc0\\xaf\\xe2\\x82", NULL);
}

static void test_tabs_and_width(void **state)
{
	struct result r;

	(void)state;
	check("a\tb", false, "a       b", "ppppppppp");
	check("12345678\tx", false, "12345678        x", NULL);
	check("\x1b[1m\tx", false, "^[[1m   x", NULL);

	/* Cut at the width. */
	run("abcdef", 6, false, 3, &r);
	assert_string_equal(r.text, "abc");
	assert_true(r.cut);
	run("abc", 3, false, 3, &r);
	assert_string_equal(r.text, "abc");
	assert_false(r.cut);
	/* A replacement fits whole or not at all. */
	run("ab\x1b", 3, false, 3, &r);
	assert_string_equal(r.text, "ab");
	assert_true(r.cut);
	run("a\xff", 2, false, 4, &r);
	assert_string_equal(r.text, "a");
	assert_true(r.cut);
	run("a\xe4\xb8\xad", 4, false, 2, &r);
	assert_string_equal(r.text, "a");
	assert_true(r.cut);
	/* A tab is filled up to the width. */
	run("a\tb", 3, false, 4, &r);
	assert_string_equal(r.text, "a   ");
	assert_true(r.cut);
	run("a\t", 2, false, 8, &r);
	assert_string_equal(r.text, "a       ");
	assert_false(r.cut);
	/* No room at all. */
	run("a", 1, false, 0, &r);
	assert_int_equal(r.n, 0);
	assert_true(r.cut);
	run("", 0, false, 0, &r);
	assert_false(r.cut);
	run("a", 1, false, -5, &r);
	assert_int_equal(r.n, 0);
	/* NUL is a byte like the others. */
	run("a\0b", 3, false, 10, &r);
	assert_string_equal(r.text, "a^@b");
}

static void test_into_grid(void **state)
{
	struct grid *g = grid_new(8, 1);
	bool cut;

	(void)state;
	assert_int_equal(sanitize_text(g, 2, 0, 6, "\x1b[1mhi", 6, false,
	                               ROLE_NORMAL, &cut), 6);
	assert_true(cut);
	assert_string_equal(grid_at(g, 2, 0)->ch, "^");
	assert_int_equal(grid_at(g, 2, 0)->role, ROLE_ESCAPED);
	assert_string_equal(grid_at(g, 6, 0)->ch, "m");
	assert_string_equal(grid_at(g, 7, 0)->ch, "h");
	assert_int_equal(grid_at(g, 7, 0)->role, ROLE_NORMAL);
	assert_string_equal(grid_at(g, 1, 0)->ch, " ");
	/* Past the grid's edge: clipped by the grid, no write outside. */
	assert_int_equal(sanitize_text(g, 6, 0, 300, "abcdefgh", 8, false,
	                               ROLE_NORMAL, &cut), 8);
	assert_false(cut);
	assert_string_equal(grid_at(g, 7, 0)->ch, "b");
	assert_int_equal(sanitize_text(g, 0, 0, 0, "abc", 3, false, ROLE_NORMAL,
	                               &cut), 0);
	assert_true(cut);
	grid_free(g);
}

/* Random bytes: the invariants hold, and sanitising the result again
 * changes nothing (the output is plain text). */
static void test_random_idempotent(void **state)
{
	unsigned seed = 777;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		char in[200];
		struct result a, b;
		size_t len, i;
		bool ascii = round & 1;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % sizeof in;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			switch ((seed >> 24) % 6) {
			case 0: in[i] = 0x1b; break;
			case 1: in[i] = (char)(0x80 + (seed >> 8) % 0x80); break;
			case 2: in[i] = "[];\\\x07\t"[(seed >> 8) % 7]; break;
			default: in[i] = (char)((seed >> 8) & 0xff); break;
			}
		}
		run(in, len, ascii, W, &a);
		assert_false(a.cut);
		run(a.text, strlen(a.text), ascii, W, &b);
		assert_string_equal(a.text, b.text);
		/* The width never exceeds the limit at any limit. */
		for (i = 0; i < 5; i++) {
			struct result c;
			int maxw = (int)((seed >> (i * 4)) % 60);
			run(in, len, ascii, maxw, &c);
			assert_true(c.n <= maxw);
			/* A cut result is a prefix of the uncut one. */
			assert_memory_equal(c.text, a.text, strlen(c.text));
		}
	}
}

/* ---- utf8 ------------------------------------------------------------ */

static int encode(uint32_t cp, unsigned char *s)
{
	if (cp < 0x80) {
		s[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		s[0] = (unsigned char)(0xC0 | cp >> 6);
		s[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		s[0] = (unsigned char)(0xE0 | cp >> 12);
		s[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		s[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	s[0] = (unsigned char)(0xF0 | cp >> 18);
	s[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	s[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	s[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static void test_decode_all(void **state)
{
	uint32_t cp, got;
	unsigned char s[4];

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		int n = encode(cp, s), k;

		if (cp >= 0xD800 && cp <= 0xDFFF) {
			assert_int_equal(utf8_decode(s, (size_t)n, &got), 0);
			continue;
		}
		assert_int_equal(utf8_decode(s, (size_t)n, &got), n);
		assert_int_equal(got, cp);
		/* Cut short: never accepted. */
		for (k = 1; k < n; k++)
			assert_int_equal(utf8_decode(s, (size_t)k, &got), 0);
		/* Every class is one of the five. */
		assert_true(utf8_class(cp) >= UTF8_NARROW && utf8_class(cp) <= UTF8_OTHER);
	}
	assert_int_equal(utf8_decode(s, 0, &got), 0);
}

static void test_classes(void **state)
{
	static const struct {
		uint32_t cp;
		enum utf8_class c;
	} cases[] = {
		{ 0x00, UTF8_CONTROL },  { 0x1F, UTF8_CONTROL },
		{ 0x20, UTF8_NARROW },   { 0x7E, UTF8_NARROW },
		{ 0x7F, UTF8_CONTROL },  { 0x80, UTF8_CONTROL },
		{ 0x9F, UTF8_CONTROL },  { 0xA0, UTF8_NARROW },
		{ 0xAD, UTF8_ZERO },     { 0xE9, UTF8_NARROW },
		{ 0x2FF, UTF8_NARROW },  { 0x300, UTF8_ZERO },
		{ 0x36F, UTF8_ZERO },    { 0x370, UTF8_NARROW },
		{ 0x378, UTF8_OTHER },   { 0x3BB, UTF8_NARROW },
		{ 0x416, UTF8_NARROW },  { 0x483, UTF8_ZERO },
		{ 0x5D0, UTF8_NARROW },  { 0x628, UTF8_OTHER },
		{ 0x1100, UTF8_WIDE },   { 0x1160, UTF8_ZERO },
		{ 0x200B, UTF8_ZERO },   { 0x2010, UTF8_NARROW },
		{ 0x2026, UTF8_NARROW }, { 0x202E, UTF8_ZERO },
		{ 0x20AC, UTF8_NARROW }, { 0x231A, UTF8_WIDE },
		{ 0x231C, UTF8_NARROW }, { 0x23BA, UTF8_NARROW },
		{ 0x2500, UTF8_NARROW }, { 0x2581, UTF8_NARROW },
		{ 0x2588, UTF8_NARROW }, { 0x2591, UTF8_NARROW },
		{ 0x25FD, UTF8_WIDE },   { 0x2713, UTF8_NARROW },
		{ 0x2705, UTF8_WIDE },   { 0x2B50, UTF8_WIDE },
		{ 0x3000, UTF8_WIDE },   { 0x302A, UTF8_ZERO },
		{ 0x4E2D, UTF8_WIDE },   { 0xAC00, UTF8_WIDE },
		{ 0xD7A3, UTF8_WIDE },   { 0xE000, UTF8_OTHER },
		{ 0xFE0F, UTF8_ZERO },   { 0xFEFF, UTF8_ZERO },
		{ 0xFF21, UTF8_WIDE },   { 0xFFFD, UTF8_NARROW },
		{ 0x1F600, UTF8_WIDE },  { 0x1F3FB, UTF8_WIDE },
		{ 0x20000, UTF8_WIDE },  { 0xE0001, UTF8_ZERO },
		{ 0x10FFFF, UTF8_OTHER },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (utf8_class(cases[i].cp) != cases[i].c)
			fail_msg("U+%04X: class %d, want %d", (unsigned)cases[i].cp,
			         utf8_class(cases[i].cp), cases[i].c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_escape_sequences),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_tabs_and_width),
		cmocka_unit_test(test_into_grid),
		cmocka_unit_test(test_random_idempotent),
		cmocka_unit_test(test_decode_all),
		cmocka_unit_test(test_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
