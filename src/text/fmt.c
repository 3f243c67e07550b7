#include "text/fmt.h"

#include <stdio.h>
#include <string.h>

/*
 * At most three significant digits, trailing zeros trimmed, then the unit.
 * The thresholds account for rounding, so 9.996 becomes "10" and not
 * "10.0", and 99.96 becomes "100".
 */
static char *fmt3(char *buf, double v, const char *unit)
{
	int dec = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
	char num[FMT_MAX], *end;

	snprintf(num, sizeof num, "%.*f", dec, v);
	end = num + strlen(num);
	while (dec > 0 && end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		end[-1] = '\0';
	snprintf(buf, FMT_MAX, "%s%s", num, unit);
	return buf;
}

char *fmt_us(char *buf, int64_t us, bool ascii)
{
	if (us < 0)
		snprintf(buf, FMT_MAX, "-");
	else if (us < 1000)
		snprintf(buf, FMT_MAX, "%lld%s", (long long)us,
		         ascii ? "us" : "\xc2\xb5s");
	else if (us < 999500)
		fmt3(buf, (double)us / 1e3, "ms");
	else
		fmt3(buf, (double)us / 1e6, "s");
	return buf;
}

char *fmt_mb(char *buf, int64_t mb)
{
	if (mb < 0)
		snprintf(buf, FMT_MAX, "-");
	else if (mb < 1024)
		snprintf(buf, FMT_MAX, "%lld MB", (long long)mb);
	else if (mb < 1047552) /* 1023.5 GB: below it, GB rounds to < 1024 */
		fmt3(buf, (double)mb / 1024, " GB");
	else
		fmt3(buf, (double)mb / (1024.0 * 1024), " TB");
	return buf;
}

char *fmt_rate(char *buf, double per_s)
{
	if (!(per_s >= 0))
		snprintf(buf, FMT_MAX, "-");
	else if (per_s == 0)
		snprintf(buf, FMT_MAX, "0/s");
	else if (per_s >= 0.9995)
		fmt3(buf, per_s, "/s");
	else if (per_s * 60 >= 0.9995)
		fmt3(buf, per_s * 60, "/min");
	else
		fmt3(buf, per_s * 3600, "/h");
	return buf;
}

char *fmt_pct(char *buf, double pct)
{
	if (!(pct >= 0))
		snprintf(buf, FMT_MAX, "-");
	else if (pct > 0 && pct < 0.95)
		snprintf(buf, FMT_MAX, "%.1f%%", pct);
	else
		snprintf(buf, FMT_MAX, "%.0f%%", pct);
	return buf;
}

char *fmt_elapsed(char *buf, uint64_t ms)
{
	unsigned long long s = ms / 1000;

	if (s < 60)
		snprintf(buf, FMT_MAX, "%llus", s);
	else if (s < 3600)
		snprintf(buf, FMT_MAX, "%llum%02llus", s / 60, s % 60);
	else
		snprintf(buf, FMT_MAX, "%lluh%02llum%02llus", s / 3600,
		         s / 60 % 60, s % 60);
	return buf;
}

char *fmt_count(char *buf, uint64_t n)
{
	if (n < 1000000)
		snprintf(buf, FMT_MAX, "%llu", (unsigned long long)n);
	else if (n < 999500000)
		fmt3(buf, (double)n / 1e6, "M");
	else
		fmt3(buf, (double)n / 1e9, "G");
	return buf;
}
