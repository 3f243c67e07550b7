#include "outputs/sumjson.h"

#include <math.h>
#include <string.h>

static void str(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void num(FILE *out, double v)
{
	if (!isfinite(v))
		fputs("null", out);
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.6g", v);
}

/* The stats metrics, grouped by what precedes their first dot, in the
 * table's order (each group's metrics are together there). */
static void stats_members(FILE *out, const struct stats *s)
{
	char group[32] = "";

	for (const char *const *n = stats_metric_names(); *n; n++) {
		const char *dot = strchr(*n, '.');
		size_t gl = dot ? (size_t)(dot - *n) : strlen(*n);
		double v;
		bool first = false;

		if (gl >= sizeof group)
			continue;
		if (strncmp(group, *n, gl) != 0 || group[gl] != 0) {
			if (group[0])
				fputc('}', out);
			memcpy(group, *n, gl);
			group[gl] = 0;
			fprintf(out, ",\"%s\":{", group);
			first = true;
		}
		fputs(first ? "\"" : ",\"", out);
		for (const char *c = dot ? dot + 1 : *n; *c; c++)
			fputc(*c == '.' ? '_' : *c, out);
		fputs("\":", out);
		if (stats_metric(s, *n, &v) == 0)
			num(out, v);
		else
			fputs("null", out);
	}
	if (group[0])
		fputc('}', out);
}

void sumjson_block(FILE *out, const char *source, const struct stats *s,
                   const struct analysis *a)
{
	fputs("{\"source\":", out);
	str(out, source);
	stats_members(out, s);
	if (a)
		analysis_json(a, s, out);
	else
		fputs(",\"mmu\":null,\"findings\":null,\"what_if\":null,"
		      "\"what_if_inputs\":null", out);
	fputc('}', out);
}
