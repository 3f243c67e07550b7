#include "outputs/recout.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* A string literal as the pointer and length arguments of a call. */
#define LIT(s) (s), (sizeof(s) - 1)

static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return put(p, tmp + sizeof tmp - n, n);
}

/* v thousandths as a decimal: 50 -> 0.05, 4316062 -> 4316.062, 0 -> 0.
 * The caller handles negative (null) values. */
static char *put_milli(char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	unsigned frac = (unsigned)(u % 1000);

	p = put_u64(p, u / 1000);
	if (frac != 0) {
		*p++ = '.';
		*p++ = (char)('0' + frac / 100);
		frac %= 100;
		if (frac != 0) {
			*p++ = (char)('0' + frac / 10);
			frac %= 10;
			if (frac != 0)
				*p++ = (char)('0' + frac);
		}
	}
	return p;
}

/*
 * Length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * byte at s does not start one.  Overlong forms, surrogates and code
 * points above U+10FFFF are invalid, so what passes is valid JSON text.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	/* The second byte's range rules out overlongs, surrogates and
	 * values past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static char *put_json_source(char *p, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, k;

	if (n == 0)
		return put(p, LIT("null"));
	*p++ = '"';
	while (i < n) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			/* DEL is legal JSON but no friend of terminals. */
			p = put(p, LIT("\\u00"));
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
			i++;
		} else if ((k = utf8_len(s + i, n - i)) != 0) {
			p = put(p, (const char *)s + i, k);
			i += k;
		} else {
			p = put(p, LIT("\\ufffd"));
			i++;
		}
	}
	*p++ = '"';
	return p;
}

/* RFC 4180: a field holding a comma, quote or line break is quoted. */
static bool csv_needs_quotes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

static char *put_csv_source(char *p, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i, k;
	bool quote = csv_needs_quotes(src, n);

	if (quote)
		*p++ = '"';
	for (i = 0; i < n; i += k) {
		k = utf8_len(s + i, n - i);
		if (k == 0) {
			/* U+FFFD in UTF-8, so that the file stays UTF-8. */
			p = put(p, LIT("\xef\xbf\xbd"));
			k = 1;
		} else if (s[i] == '"') {
			p = put(p, LIT("\"\""));
		} else {
			p = put(p, (const char *)s + i, k);
		}
	}
	if (quote)
		*p++ = '"';
	return p;
}

/* The keys, each with what precedes it: JSON and CSV share one writer. */
enum field {
	F_GC, F_AT, F_CPU_PCT, F_CLOCK_SWEEP_TERM, F_CLOCK_MARK,
	F_CLOCK_MARK_TERM, F_CPU_SWEEP_TERM, F_CPU_ASSIST, F_CPU_BACKGROUND,
	F_CPU_IDLE, F_CPU_MARK_TERM, F_HEAP_START, F_HEAP_END, F_HEAP_LIVE,
	F_HEAP_GOAL, F_STACKS, F_GLOBALS, F_PROCS, F_FORCED, F_SOURCE,
	F_COUNT
};

struct key {
	const char *text;
	size_t len;
};

#define KEY(s) { LIT(s) }
static const struct key json_keys[F_COUNT] = {
	KEY("{\"gc\":"),
	KEY(",\"at_s\":"),
	KEY(",\"cpu_pct\":"),
	KEY(",\"clock_sweep_term_ms\":"),
	KEY(",\"clock_mark_ms\":"),
	KEY(",\"clock_mark_term_ms\":"),
	KEY(",\"cpu_sweep_term_ms\":"),
	KEY(",\"cpu_assist_ms\":"),
	KEY(",\"cpu_background_ms\":"),
	KEY(",\"cpu_idle_ms\":"),
	KEY(",\"cpu_mark_term_ms\":"),
	KEY(",\"heap_start_mb\":"),
	KEY(",\"heap_end_mb\":"),
	KEY(",\"heap_live_mb\":"),
	KEY(",\"heap_goal_mb\":"),
	KEY(",\"stacks_mb\":"),
	KEY(",\"globals_mb\":"),
	KEY(",\"procs\":"),
	KEY(",\"forced\":"),
	KEY(",\"source\":"),
};
#undef KEY

static const char csv_header[] =
	"gc,at_s,cpu_pct,clock_sweep_term_ms,clock_mark_ms,clock_mark_term_ms,"
	"cpu_sweep_term_ms,cpu_assist_ms,cpu_background_ms,cpu_idle_ms,"
	"cpu_mark_term_ms,heap_start_mb,heap_end_mb,heap_live_mb,heap_goal_mb,"
	"stacks_mb,globals_mb,procs,forced,source\n";

static char *put_key(char *p, bool csv, enum field f)
{
	if (csv)
		return f == F_GC ? p : put(p, LIT(","));
	return put(p, json_keys[f].text, json_keys[f].len);
}

static char *put_int(char *p, bool csv, enum field f, int64_t v)
{
	p = put_key(p, csv, f);
	if (v >= 0)
		return put_u64(p, (uint64_t)v);
	return csv ? p : put(p, LIT("null"));
}

static char *put_ms(char *p, bool csv, enum field f, int64_t v)
{
	p = put_key(p, csv, f);
	if (v >= 0)
		return put_milli(p, v);
	return csv ? p : put(p, LIT("null"));
}

/* Writes one record; p has room for RECOUT_MAX bytes.  Returns the end. */
static char *format(char *p, bool csv, const struct gc_record *r, const char *src,
                    size_t srclen)
{
	p = put_key(p, csv, F_GC);
	p = put_u64(p, r->gc);
	p = put_ms(p, csv, F_AT, r->at_ms);
	p = put_int(p, csv, F_CPU_PCT, r->cpu_pct);
	p = put_ms(p, csv, F_CLOCK_SWEEP_TERM, r->clock_sweep_term_us);
	p = put_ms(p, csv, F_CLOCK_MARK, r->clock_mark_us);
	p = put_ms(p, csv, F_CLOCK_MARK_TERM, r->clock_mark_term_us);
	p = put_ms(p, csv, F_CPU_SWEEP_TERM, r->cpu_sweep_term_us);
	p = put_ms(p, csv, F_CPU_ASSIST, r->cpu_assist_us);
	p = put_ms(p, csv, F_CPU_BACKGROUND, r->cpu_background_us);
	p = put_ms(p, csv, F_CPU_IDLE, r->cpu_idle_us);
	p = put_ms(p, csv, F_CPU_MARK_TERM, r->cpu_mark_term_us);
	p = put_int(p, csv, F_HEAP_START, r->heap_start_mb);
	p = put_int(p, csv, F_HEAP_END, r->heap_end_mb);
	p = put_int(p, csv, F_HEAP_LIVE, r->heap_live_mb);
	p = put_int(p, csv, F_HEAP_GOAL, r->heap_goal_mb);
	p = put_int(p, csv, F_STACKS, r->stacks_mb);
	p = put_int(p, csv, F_GLOBALS, r->globals_mb);
	p = put_int(p, csv, F_PROCS, r->procs);
	p = put_key(p, csv, F_FORCED);
	p = r->forced ? put(p, LIT("true")) : put(p, LIT("false"));
	p = put_key(p, csv, F_SOURCE);
	if (csv) {
		p = put_csv_source(p, src, srclen);
	} else {
		p = put_json_source(p, src, srclen);
		*p++ = '}';
	}
	*p++ = '\n';
	*p = '\0';
	return p;
}

/* Formats straight into buf when it is surely big enough, else through a
 * local buffer, so that a short buffer is cut like snprintf would. */
static size_t format_into(char *buf, size_t cap, bool csv,
                          const struct gc_record *r, const char *source)
{
	char tmp[RECOUT_MAX];
	size_t len;
	const char *src = source ? source : r->source;
	size_t srclen = strnlen(src, source ? RECOUT_SOURCE_MAX : sizeof r->source);

	if (cap >= RECOUT_MAX)
		return (size_t)(format(buf, csv, r, src, srclen) - buf);
	len = (size_t)(format(tmp, csv, r, src, srclen) - tmp);
	if (cap > 0) {
		size_t n = len < cap - 1 ? len : cap - 1;

		memcpy(buf, tmp, n);
		buf[n] = '\0';
	}
	return len;
}

size_t recout_json(char *buf, size_t cap, const struct gc_record *r)
{
	return format_into(buf, cap, false, r, NULL);
}

size_t recout_csv(char *buf, size_t cap, const struct gc_record *r)
{
	return format_into(buf, cap, true, r, NULL);
}

size_t recout_json_as(char *buf, size_t cap, const struct gc_record *r, const char *source)
{
	return format_into(buf, cap, false, r, source);
}

size_t recout_csv_as(char *buf, size_t cap, const struct gc_record *r, const char *source)
{
	return format_into(buf, cap, true, r, source);
}

const char *recout_csv_header(void)
{
	return csv_header;
}
