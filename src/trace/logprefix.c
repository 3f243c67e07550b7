#include "trace/logprefix.h"

#include <string.h>
#include <time.h>

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

/* 2026-11-28T16:00:00.123456789Z, +01:00 or +0100 (journalctl -o
 * short-iso), then a space. */
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
		if ((ch(s, n, &j, '+') || ch(s, n, &j, '-')) && digits(s, n, &j, 2)) {
			ch(s, n, &j, ':');
			if (digits(s, n, &j, 2))
				i = j;
		}
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

/* journalctl -o short-full: "Tue 2026-12-01 21:25:35 UTC " (the zone a
 * word or an offset). */
static size_t short_full(const char *s, size_t n)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	size_t i, k;
	int ok = 0;

	if (n < 24 || s[3] != ' ')
		return 0;
	for (int d = 0; d < 7; d++)
		ok |= memcmp(s, days + 3 * d, 3) == 0;
	if (!ok)
		return 0;
	/* The date and time as RFC 3339 with a space, without a zone. */
	i = 4;
	if (!digits(s, n, &i, 4) || !ch(s, n, &i, '-') || !digits(s, n, &i, 2) ||
	    !ch(s, n, &i, '-') || !digits(s, n, &i, 2) || !ch(s, n, &i, ' ') ||
	    !clock_time(s, n, &i) || !ch(s, n, &i, ' '))
		return 0;
	k = i;
	if (i < n && (s[i] == '+' || s[i] == '-')) {
		i++;
		if (!digits(s, n, &i, 4))
			return 0;
	} else {
		while (i < n && i - k < 6 && s[i] >= 'A' && s[i] <= 'Z')
			i++;
		if (i - k < 2)
			return 0;
	}
	return ch(s, n, &i, ' ') ? i : 0;
}

/* journalctl -o short-unix "1764349200.123456 " and short-monotonic
 * "[  12345.123456] ": only before a journald "host ident[pid]: ", since
 * a program's line may well start with a number. */
static size_t seconds(const char *s, size_t n)
{
	size_t i = 0, j;
	int br = ch(s, n, &i, '[');

	while (br && i < n && s[i] == ' ')
		i++;
	j = i;
	while (i < n && dig(s[i]))
		i++;
	if (i == j || !ch(s, n, &i, '.'))
		return 0;
	j = i;
	while (i < n && dig(s[i]))
		i++;
	if (i == j || (br && !ch(s, n, &i, ']')) || !ch(s, n, &i, ' '))
		return 0;
	return i;
}

static int name_char(char c)
{
	return dig(c) || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '.' ||
	       c == '_' || c == '-' || c == '/' || c == '@';
}

/* "ident[1234]: " or "host ident[1234]: " (host and ident without spaces). */
static size_t journald(const char *s, size_t n, int timed)
{
	size_t i = 0, words = 0;

	while (i < n && words < 2) {
		size_t w = i;
		/* Host names and idents: letters, digits and ._-/@, not
		 * starting with a digit ("3.717s 0%: " is no "host ident: "). */
		while (i < n && name_char(s[i]))
			i++;
		if (i == w || dig(s[w]))
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
		/* "host ident: ", only after journald's timestamp: a program's
		 * "INFO worker: ..." has the same shape. */
		if (i < n && s[i] == ':' && i + 1 < n && s[i + 1] == ' ' && words == 1 &&
		    timed)
			return i + 2;
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

/* "<30>": the priority of a syslog message (RFC 3164 and 5424). */
static size_t priority(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 3 || s[0] != '<')
		return 0;
	while (i < n && i < 4 && dig(s[i]))
		i++;
	return i > 1 && i < n && s[i] == '>' ? i + 1 : 0;
}

/* A space-free word, then a space; its length with the space. */
static size_t word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ' ')
		i++;
	return i > 0 && i < n ? i + 1 : 0;
}

/*
 * RFC 5424 after "<PRI>": "1 TIMESTAMP HOST APP PROCID MSGID SD ", where
 * SD is "-" or "[...]" groups.  *src, *srcn: APP, and *pid, *pidn: PROCID
 * (both "-" when absent).
 */
static size_t rfc5424(const char *s, size_t n, const char **src, size_t *srcn,
                      const char **pid, size_t *pidn, const char **ts)
{
	size_t i = 0, k;

	if (!ch(s, n, &i, '1') || !ch(s, n, &i, ' '))
		return 0;
	for (int f = 0; f < 5; f++) {
		if (!(k = word(s + i, n - i)))
			return 0;
		if (f == 0) {
			*ts = s + i;
		} else if (f == 2) {
			*src = s + i;
			*srcn = k - 1;
		} else if (f == 3) {
			*pid = s + i;
			*pidn = k - 1;
		}
		i += k;
	}
	if (ch(s, n, &i, '-'))
		return ch(s, n, &i, ' ') ? i : 0;
	while (i < n && s[i] == '[') {
		/* SD-PARAM values may hold "\]"; a group ends at an unescaped ']'. */
		size_t j = i + 1;
		while (j < n && s[j] != ']')
			j += s[j] == '\\' ? 2 : 1;
		if (j >= n)
			return 0;
		i = j + 1;
	}
	return ch(s, n, &i, ' ') ? i : 0;
}

/* The parts a prefix is made of, in the order met. */
enum part {
	P_NONE, P_PRI, P_RFC5424, P_RFC3339, P_SYSLOG, P_FULL, P_SECONDS,
	P_BRACKET, P_JOURNALD, P_COMPOSE,
};

struct parsed {
	size_t len;          /* of the whole prefix */
	const char *src;     /* the source's name, or NULL */
	size_t srcn;
	const char *pid;     /* RFC 5424's PROCID, shown as "[pid]" */
	size_t pidn;
	const char *ts;      /* the first timestamp part, or NULL */
	size_t tsn;
	enum part tk;        /* its kind */
	struct logprefix_shape shape;
};

static void add_part(struct parsed *pp, enum part k)
{
	if (pp->shape.n < LOGPREFIX_PARTS)
		pp->shape.part[pp->shape.n] = (uint8_t)k;
	pp->shape.n++;
}

/* One part at s, of kind k (P_NONE: any but P_PRI, P_RFC5424 and
 * P_COMPOSE, which only start a prefix); its length, 0 if none. */
static size_t part_at(const char *s, size_t n, enum part want, int timed,
                      struct parsed *pp, enum part *got)
{
	size_t k;

	*got = P_NONE;
	if ((want == P_NONE || want == P_RFC3339) && (k = rfc3339(s, n)))
		*got = P_RFC3339;
	else if ((want == P_NONE || want == P_SYSLOG) && (k = syslog_time(s, n)))
		*got = P_SYSLOG;
	else if ((want == P_NONE || want == P_FULL) && (k = short_full(s, n)))
		*got = P_FULL;
	else if ((want == P_NONE || want == P_SECONDS) && (k = seconds(s, n)) &&
	         journald(s + k, n - k, 1))
		*got = P_SECONDS;
	else if ((want == P_NONE || want == P_BRACKET) && (k = bracketed(s, n))) {
		*got = P_BRACKET;
		if (!pp->src) {
			pp->src = s + 1;
			pp->srcn = k - 3;
		}
	} else if ((want == P_NONE || want == P_JOURNALD) && (k = journald(s, n, timed))) {
		/* The last word before ": " is ident[pid]. */
		size_t e = k - 2, b = e;
		while (b > 0 && s[b - 1] != ' ')
			b--;
		*got = P_JOURNALD;
		if (!pp->src) {
			pp->src = s + b;
			pp->srcn = e - b;
		}
	} else {
		k = 0;
	}
	return k;
}

/*
 * A timestamp or a name, then maybe more: syslog and journald print
 * "time host ident[pid]: ", kubectl "[pod/...] time ".  With want, only a
 * prefix made of the same parts in the same order.
 */
static void parse(const char *s, size_t n, const struct logprefix_shape *want,
                  struct parsed *pp)
{
	size_t i = 0, k;
	int timed = 0, round = 0;
	enum part w0 = want && want->n ? (enum part)want->part[0] : P_NONE;

	memset(pp, 0, sizeof *pp);
	if (want && want->n == 0)
		return;
	if ((!want || w0 == P_PRI || w0 == P_RFC5424) && (k = priority(s, n))) {
		const char *a = NULL, *b = NULL, *ts = NULL;
		size_t an = 0, bn = 0, r = rfc5424(s + k, n - k, &a, &an, &b, &bn, &ts);
		if (r && (!want || w0 == P_RFC5424)) {
			pp->len = k + r;
			if (ts && *ts != '-') {
				pp->ts = ts;
				pp->tsn = (size_t)(s + n - ts);
				pp->tk = P_RFC3339;
			}
			add_part(pp, P_RFC5424);
			if (an && !(an == 1 && a[0] == '-')) {
				pp->src = a;
				pp->srcn = an;
				if (bn && !(bn == 1 && b[0] == '-')) {
					pp->pid = b;
					pp->pidn = bn;
				}
			}
			return;
		}
		if (want && w0 != P_PRI)
			return;
		i = k; /* RFC 3164: a syslog time follows */
		timed = 1;
		add_part(pp, P_PRI);
		round = 1;
	} else if (want && (w0 == P_PRI || w0 == P_RFC5424)) {
		return;
	}
	if (want && w0 == P_COMPOSE) {
		if ((k = compose(s, n))) {
			pp->src = s;
			pp->srcn = strcspn(s, " |") < n ? strcspn(s, " |") : n;
			pp->len = k;
			add_part(pp, P_COMPOSE);
		}
		return;
	}
	for (; round < 4; round++) {
		enum part got, wk = P_NONE;
		if (want) {
			if (round >= want->n || round >= LOGPREFIX_PARTS)
				break;
			wk = (enum part)want->part[round];
		}
		if (!(k = part_at(s + i, n - i, wk, timed, pp, &got)))
			break;
		if (!pp->ts && (got == P_RFC3339 || got == P_SYSLOG || got == P_FULL ||
		                (got == P_SECONDS && s[i] != '['))) {
			pp->ts = s + i;
			pp->tsn = k;
			pp->tk = got;
		}
		i += k;
		add_part(pp, got);
		timed |= got != P_BRACKET;
		if (got == P_JOURNALD)
			break; /* the message follows */
	}
	if (want && pp->shape.n != want->n) {
		memset(pp, 0, sizeof *pp);
		return;
	}
	if (i == 0 && !want && (k = compose(s, n))) {
		size_t e = 0;
		while (e < n && s[e] != ' ' && s[e] != '|')
			e++;
		pp->src = s;
		pp->srcn = e;
		add_part(pp, P_COMPOSE);
		i = k;
	}
	pp->len = i;
}

size_t logprefix_skip(const char *s, size_t n)
{
	struct parsed pp;

	parse(s, n, NULL, &pp);
	return pp.len;
}

size_t logprefix_shape_of(const char *s, size_t n, struct logprefix_shape *shape)
{
	struct parsed pp;

	parse(s, n, NULL, &pp);
	*shape = pp.shape;
	return pp.len;
}

size_t logprefix_skip_as(const char *s, size_t n, const struct logprefix_shape *shape)
{
	struct parsed pp;

	parse(s, n, shape, &pp);
	return pp.len;
}

/* The source's name of a parsed prefix into out. */
static void source_of(const struct parsed *p, char *out, size_t cap)
{
	const struct parsed pp = *p;
	size_t k;

	out[0] = 0;
	if (!pp.src)
		return;
	k = pp.srcn < cap - 1 ? pp.srcn : cap - 1;
	memcpy(out, pp.src, k);
	out[k] = 0;
	if (pp.pid && k + pp.pidn + 2 < cap) {
		out[k++] = '[';
		memcpy(out + k, pp.pid, pp.pidn);
		k += pp.pidn;
		out[k++] = ']';
		out[k] = 0;
	}
}

void logprefix_source(const char *s, size_t n, char *out, size_t cap)
{
	struct parsed pp;

	if (cap == 0)
		return;
	out[0] = 0;
	if (n == 0)
		return;
	parse(s, n, NULL, &pp);
	source_of(&pp, out, cap);
}

/* ---- the time a prefix says ---------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil): UTC without timegm or the TZ. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static unsigned num(const char *s, size_t k)
{
	unsigned v = 0;

	for (size_t i = 0; i < k; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

/* The broken-down time of a prefix. */
struct when {
	int year, mon, day, hour, min, sec, ms;
	int zone;        /* 0: local time; 1: UTC plus off_s */
	int64_t off_s;
};

/* "hh:mm:ss[.frac]" at s[*i] (the recogniser checked the shape). */
static void read_clock(const char *s, size_t n, size_t *i, struct when *w)
{
	w->hour = (int)num(s + *i, 2);
	w->min = (int)num(s + *i + 3, 2);
	w->sec = (int)num(s + *i + 6, 2);
	*i += 8;
	w->ms = 0;
	if (*i < n && (s[*i] == '.' || s[*i] == ',')) {
		int scale = 100;
		for ((*i)++; *i < n && dig(s[*i]); (*i)++, scale /= 10)
			w->ms += (s[*i] - '0') * scale;
	}
}

/* "Z", "+01:00", "+0100", "UTC", "GMT"; anything else: local time. */
static void read_zone(const char *s, size_t n, size_t i, struct when *w)
{
	w->zone = 0;
	if (i < n && s[i] == 'Z') {
		w->zone = 1;
	} else if (i + 5 <= n && (s[i] == '+' || s[i] == '-') && dig(s[i + 1]) &&
	           dig(s[i + 2])) {
		size_t j = i + 3 + (s[i + 3] == ':');
		if (j + 2 <= n && dig(s[j]) && dig(s[j + 1])) {
			w->zone = 1;
			w->off_s = (int64_t)num(s + i + 1, 2) * 3600 + (int64_t)num(s + j, 2) * 60;
			if (s[i] == '-')
				w->off_s = -w->off_s;
		}
	} else if (i + 3 <= n && (!memcmp(s + i, "UTC", 3) || !memcmp(s + i, "GMT", 3))) {
		w->zone = 1;
	}
}

/* "2026-12-01" at s[*i]. */
static void read_date(const char *s, size_t *i, struct when *w)
{
	w->year = (int)num(s + *i, 4);
	w->mon = (int)num(s + *i + 5, 2);
	w->day = (int)num(s + *i + 8, 2);
	*i += 11;
}

/* The local zone's offset from UTC (seconds) at local time naive_s (the
 * broken-down time counted as if it were UTC), from mktime; cached by the
 * local hour, since mktime costs a few microseconds a record and offsets
 * change on the hour (daylight saving). */
static int local_off(struct logprefix_clock *c, int64_t naive_s, const struct when *w,
                     int64_t *off)
{
	int64_t key = naive_s >= 0 ? naive_s / 3600 : -1;
	struct tm tm;

	if (c && c->hour_known && c->hour_key == key) {
		*off = c->hour_off;
		return 1;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = w->year - 1900;
	tm.tm_mon = w->mon - 1;
	tm.tm_mday = w->day;
	tm.tm_hour = w->hour;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return 0;
	*off = key * 3600 - (int64_t)t;
	if (c) {
		c->hour_known = 1;
		c->hour_key = key;
		c->hour_off = *off;
	}
	return 1;
}

/* Unix ms of w, -1 when it is no date. */
static int64_t when_ms(const struct when *w, struct logprefix_clock *c)
{
	int64_t s, off = 0;

	if (w->mon < 1 || w->mon > 12 || w->day < 1 || w->day > 31 || w->hour > 23 ||
	    w->min > 59 || w->sec > 60)
		return GCWATCH_NO_TIME;
	s = days_from_civil(w->year, (unsigned)w->mon, (unsigned)w->day) * 86400 +
	    w->hour * 3600 + w->min * 60 + w->sec;
	if (w->zone)
		s -= w->off_s;
	else if (local_off(c, s, w, &off))
		s -= off;
	else
		return GCWATCH_NO_TIME;
	return s < 0 ? GCWATCH_NO_TIME : s * 1000 + w->ms;
}

/* The local year at Unix time now_s, cached by the minute. */
static int year_of(struct logprefix_clock *c, int64_t now_s)
{
	time_t t = (time_t)now_s;
	struct tm tm;

	if (c && c->year && c->year_key == now_s / 60)
		return c->year;
	int y = localtime_r(&t, &tm) ? tm.tm_year + 1900 : 1970;
	if (c) {
		c->year = y;
		c->year_key = now_s / 60;
	}
	return y;
}

static int64_t time_of(const struct parsed *p, int64_t now_s, struct logprefix_clock *clk);

int64_t logprefix_time(const char *s, size_t n, int64_t now_s)
{
	return logprefix_time_at(s, n, now_s, NULL);
}

int64_t logprefix_time_at(const char *s, size_t n, int64_t now_s,
                          struct logprefix_clock *clk)
{
	struct parsed pp;

	parse(s, n, NULL, &pp);
	return time_of(&pp, now_s, clk);
}

int64_t logprefix_source_time(const char *s, size_t n, char *out, size_t cap,
                              int64_t now_s, struct logprefix_clock *clk)
{
	struct parsed pp;

	if (cap)
		out[0] = 0;
	if (n == 0)
		return GCWATCH_NO_TIME;
	parse(s, n, NULL, &pp);
	if (cap)
		source_of(&pp, out, cap);
	return time_of(&pp, now_s, clk);
}

static int64_t time_of(const struct parsed *p, int64_t now_s, struct logprefix_clock *clk)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const struct parsed pp = *p;
	struct when w;
	const char *t;
	size_t tn, i = 0;
	int64_t ms;

	if (!pp.len || !pp.ts)
		return GCWATCH_NO_TIME;
	t = pp.ts;
	tn = pp.tsn;
	memset(&w, 0, sizeof w);
	switch (pp.tk) {
	case P_RFC3339:
		if (!rfc3339(t, tn)) /* RFC 5424's TIMESTAMP is only a word */
			return GCWATCH_NO_TIME;
		read_date(t, &i, &w);
		read_clock(t, tn, &i, &w);
		read_zone(t, tn, i, &w);
		return when_ms(&w, clk);
	case P_FULL:
		i = 4;
		read_date(t, &i, &w);
		read_clock(t, tn, &i, &w);
		read_zone(t, tn, i + 1, &w);
		return when_ms(&w, clk);
	case P_SECONDS: {
		/* journalctl -o short-unix: seconds and microseconds. */
		int64_t sec = 0;
		int scale = 100;
		for (; i < tn && dig(t[i]); i++) {
			if (sec > INT64_MAX / 10 / 1000)
				return GCWATCH_NO_TIME;
			sec = sec * 10 + (t[i] - '0');
		}
		ms = sec * 1000;
		for (i++; i < tn && dig(t[i]) && scale; i++, scale /= 10)
			ms += (t[i] - '0') * scale;
		return ms;
	}
	case P_SYSLOG:
		/* No year: this year's, or last year's when this year's would
		 * lie ahead.  A day of slack: the writer's local time may be
		 * ahead of ours by a time zone, and a stamp of a few minutes ago
		 * is no stamp of last year. */
		for (int m = 0; m < 12; m++)
			if (!memcmp(t, months + 3 * m, 3))
				w.mon = m + 1;
		i = 4 + (t[4] == ' ');
		w.day = (int)num(t + i, dig(t[i + 1]) ? 2 : 1);
		i += dig(t[i + 1]) ? 3 : 2;
		read_clock(t, tn, &i, &w);
		if (now_s <= 0)
			now_s = (int64_t)time(NULL);
		w.year = year_of(clk, now_s);
		ms = when_ms(&w, clk);
		if (ms != GCWATCH_NO_TIME && ms > (now_s + 86400) * 1000) {
			w.year--;
			ms = when_ms(&w, clk);
		}
		return ms;
	default:
		return GCWATCH_NO_TIME;
	}
}
