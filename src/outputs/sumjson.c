#include "outputs/sumjson.h"
#include "text/json.h"

#include <math.h>
#include <string.h>

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
			json_num(out, v);
		else
			fputs("null", out);
	}
	if (group[0])
		fputc('}', out);
}

void sumjson_block(FILE *out, const char *source, const struct stats *s,
                   const struct analysis *a, const struct feed *f)
{
	fputs("{\"source\":", out);
	json_str(out, source);
	stats_members(out, s);
	if (a)
		analysis_json(a, s, f, out);
	else
		fputs(",\"mmu\":null,\"findings\":null,\"what_if\":null,"
		      "\"what_if_inputs\":null", out);
	fputc('}', out);
}
