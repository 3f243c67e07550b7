#include "trace/logprefix.h"

#include <string.h>

static int dig(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s[i]; advances. */
static int digits(const char *s, size_t n, size_t *i, size_t count)
{
	if (n - *i < count)
		return 0;
	for (size_t k = 0; k < count; k++)
		if (!dig(s[*i + k]))
			return 0;
	*i += count;
	return 1;
}

static int ch(const char *s, size_t n, size_t *i, char c)
{
	if (*i < n && s[*i] == c) {
		(*i)++;
		return 1;
	}
	return 0;
}

static void frac(const char *s, size_t n, size_t *i)
{
	if (*i < n && (s[*i] == '.' || s[*i] == ',')) {
		size_t j = *i + 1;
		while (j < n && dig(s[j]))
			j++;
		if (j > *i + 1)
			*i = j;
	}
}

/* hh:mm:ss[.frac] */
static int clock_time(const char *s, size_t n, size_t *i)
{
	size_t j = *i;

	if (!digits(s, n, &j, 2) || !ch(s, n, &j, ':') || !digits(s, n, &j, 2) ||
	    !ch(s, n, &j, ':') || !digits(s, n, &j, 2))
		return 0;
	frac(s, n, &j);
	*i = j;
	return 1;
}

/* 2026-11-28T16:00:00.123456789Z or +01:00, then a space. */
static size_t rfc3339(const char *s, size_t n)
{
	size_t i = 0;

	if (!digits(s, n, &i, 4) || !ch(s, n, &i, '-') || !digits(s, n, &i, 2) ||
	    !ch(s, n, &i, '-') || !digits(s, n, &i, 2))
		return 0;
	if (!ch(s, n, &i, 'T') && !ch(s, n, &i, ' '))
		return 0;
	if (!clock_time(s, n, &i))
		return 0;
	if (!ch(s, n, &i, 'Z')) {
		size_t j = i;
		if ((ch(s, n, &j, '+') || ch(s, n, &j, '-')) &&
		    digits(s, n, &j, 2) && ch(s, n, &j, ':') && digits(s, n, &j, 2))
			i = j;
	}
	return ch(s, n, &i, ' ') ? i : 0;
}

/* "Feb 26 12:52:23.767 " (day may be space-padded). */
static size_t syslog_time(const char *s, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t i = 0;

	if (n < 16 || s[3] != ' ' || s[0] < 'A' || s[0] > 'S')
		return 0;
	int ok = 0;
	for (int m = 0; m < 12; m++)
		if (memcmp(s, months + 3 * m, 3) == 0)
			ok = 1;
	if (!ok || s[3] != ' ')
		return 0;
	i = 4;
	if (s[i] == ' ')
		i++;
	if (!dig(s[i]))
		return 0;
	i++;
	if (i < n && dig(s[i]))
		i++;
	if (!ch(s, n, &i, ' ') || !clock_time(s, n, &i))
		return 0;
	return ch(s, n, &i, ' ') ? i : 0;
}

/* "ident[1234]: " or "host ident[1234]: " (host and ident without spaces). */
static size_t journald(const char *s, size_t n)
{
	size_t i = 0, words = 0;

	while (i < n && words < 2) {
		size_t w = i;
		while (i < n && s[i] != ' ' && s[i] != '[' && s[i] != ':')
			i++;
		if (i == w)
			return 0;
		if (i < n && s[i] == '[') {
			size_t j = i + 1;
			while (j < n && dig(s[j]))
				j++;
			if (j == i + 1 || j >= n || s[j] != ']')
				return 0;
			j++;
			if (j + 1 < n && s[j] == ':' && s[j + 1] == ' ')
				return j + 2;
			return 0;
		}
		if (i < n && s[i] == ':' && i + 1 < n && s[i + 1] == ' ' && words == 1)
			return i + 2; /* "host ident: " */
		if (i >= n || s[i] != ' ')
			return 0;
		i++;
		words++;
	}
	return 0;
}

/* "[pod/name/container] " */
static size_t bracketed(const char *s, size_t n)
{
	if (n < 3 || s[0] != '[')
		return 0;
	const char *e = memchr(s, ']', n < 256 ? n : 256);
	if (!e || (size_t)(e - s) + 1 >= n || e[1] != ' ' || e == s + 1)
		return 0;
	return (size_t)(e - s) + 2;
}

/* "name  | " (docker compose). */
static size_t compose(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 64 && s[i] != ' ' && s[i] != '|')
		i++;
	if (i == 0)
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && s[i] == '|' && s[i + 1] == ' ')
		return i + 2;
	return 0;
}

size_t logprefix_skip(const char *s, size_t n)
{
	size_t i = 0, k;

	/* A timestamp, then possibly journald's host and ident. */
	for (int round = 0; round < 3; round++) {
		if ((k = rfc3339(s + i, n - i)) || (k = syslog_time(s + i, n - i)) ||
		    (k = bracketed(s + i, n - i)) || (k = journald(s + i, n - i)))
			i += k;
		else
			break;
	}
	if (i == 0 && (k = compose(s, n)))
		i = k;
	return i;
}

static void copy_out(const char *s, size_t n, char *out, size_t cap)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = 0;
}

void logprefix_source(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, k;

	if (cap == 0)
		return;
	out[0] = 0;
	if (n == 0)
		return;
	while (i < n) {
		if ((k = rfc3339(s + i, n - i)) || (k = syslog_time(s + i, n - i))) {
			i += k;
			continue;
		}
		if ((k = bracketed(s + i, n - i))) {
			copy_out(s + i + 1, k - 3, out, cap);
			return;
		}
		if ((k = journald(s + i, n - i))) {
			/* The last word before ": " is ident[pid]. */
			size_t e = i + k - 2, b = e;
			while (b > i && s[b - 1] != ' ')
				b--;
			copy_out(s + b, e - b, out, cap);
			return;
		}
		if ((k = compose(s + i, n - i))) {
			size_t e = i;
			while (e < n && s[e] != ' ' && s[e] != '|')
				e++;
			copy_out(s + i, e - i, out, cap);
			return;
		}
		return;
	}
}
