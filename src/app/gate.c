#include "app/gate.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op { OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ, OP_NE };
enum kind { K_TIME, K_SIZE, K_PCT, K_RATE, K_COUNT, K_FINDING };

/* What unit a metric is in, from its name. */
static enum kind kind_of(const char *m)
{
	if (strncmp(m, "pause.", 6) == 0)
		return K_TIME;
	if (strncmp(m, "heap.", 5) == 0)
		return K_SIZE;
	if (strcmp(m, "gc.cpu") == 0 || strncmp(m, "mark.", 5) == 0 ||
	    strncmp(m, "mmu.", 4) == 0)
		return K_PCT;
	if (strncmp(m, "finding.", 8) == 0)
		return K_FINDING;
	if (strcmp(m, "gc.rate") == 0)
		return K_RATE;
	return K_COUNT;
}

struct unit {
	const char *name;
	enum kind kind;
	double factor; /* to the base unit */
};

static const struct unit units[] = {
	{"us", K_TIME, 0.001}, {"\xc2\xb5s", K_TIME, 0.001}, {"ms", K_TIME, 1},
	{"s", K_TIME, 1000},
	{"B", K_SIZE, 1.0 / 1048576}, {"KB", K_SIZE, 1.0 / 1024}, {"KiB", K_SIZE, 1.0 / 1024},
	{"MB", K_SIZE, 1}, {"MiB", K_SIZE, 1}, {"GB", K_SIZE, 1024}, {"GiB", K_SIZE, 1024},
	{"TB", K_SIZE, 1048576}, {"TiB", K_SIZE, 1048576},
	{"%", K_PCT, 1},
	{"/s", K_RATE, 1}, {"/min", K_RATE, 1.0 / 60}, {"/h", K_RATE, 1.0 / 3600},
};

static const char *const unit_help[] = {
	[K_TIME] = "a time: 5ms, 800us, 1.5s (no unit: ms)",
	[K_SIZE] = "a size: 512MB, 2GB (no unit: MB)",
	[K_PCT] = "a percentage: 10%",
	[K_RATE] = "a rate: 20/s, 3/min",
	[K_COUNT] = "a count, without a unit",
	[K_FINDING] = "nothing: a finding is a condition alone",
};

static int known_metric(const char *m)
{
	for (const char *const *n = stats_metric_names(); *n; n++)
		if (strcmp(*n, m) == 0)
			return 1;
	return analysis_metric_known(m);
}

/* The metric names of both tables, for the message. */
static void list_metrics(char *buf, size_t len)
{
	const char *const *tables[] = { stats_metric_names(), analysis_metric_names() };
	size_t k = 0;

	buf[0] = 0;
	for (int t = 0; t < 2; t++)
		for (const char *const *n = tables[t]; *n && k + 1 < len; n++) {
			int w = snprintf(buf + k, len - k, "%s%s", k ? " " : "", *n);
			if (w < 0 || (size_t)w >= len - k)
				return;
			k += (size_t)w;
		}
}

int gate_parse(const char *expr, struct gate *g, char *err, size_t errlen)
{
	const char *p = expr;
	size_t n;
	char names[1024];

	memset(g, 0, sizeof *g);
	snprintf(g->text, sizeof g->text, "%s", expr);
	while (isspace((unsigned char)*p))
		p++;
	n = 0;
	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '.' || p[n] == '_' ||
	                p[n] == '-'))
		n++;
	if (n == 0 || n >= sizeof g->metric) {
		snprintf(err, errlen, "--fail-if '%s': expected METRIC OP VALUE, "
		         "e.g. 'pause.p99 > 5ms'", expr);
		return -1;
	}
	memcpy(g->metric, p, n);
	g->metric[n] = 0;
	if (!known_metric(g->metric)) {
		list_metrics(names, sizeof names);
		snprintf(err, errlen, "--fail-if '%s': unknown metric '%s' (one of: %s)",
		         expr, g->metric, names);
		return -1;
	}
	p += n;
	while (isspace((unsigned char)*p))
		p++;
	/* finding.NAME is a condition alone: it holds when the finding does. */
	if (kind_of(g->metric) == K_FINDING) {
		if (*p) {
			snprintf(err, errlen, "--fail-if '%s': %s takes no operator or "
			         "value (it holds when the finding is raised)", expr, g->metric);
			return -1;
		}
		g->op = OP_NE;
		g->value = 0;
		return 0;
	}
	static const struct {
		const char *s;
		int op;
	} ops[] = {{">=", OP_GE}, {"<=", OP_LE}, {"==", OP_EQ}, {"!=", OP_NE},
	           {">", OP_GT}, {"<", OP_LT}, {"=", OP_EQ}};
	size_t i;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strncmp(p, ops[i].s, strlen(ops[i].s)) == 0)
			break;
	if (i == sizeof ops / sizeof ops[0]) {
		snprintf(err, errlen, "--fail-if '%s': expected one of > >= < <= == != "
		         "after '%s'", expr, g->metric);
		return -1;
	}
	g->op = ops[i].op;
	p += strlen(ops[i].s);
	while (isspace((unsigned char)*p))
		p++;
	char *end;
	errno = 0;
	double v = strtod(p, &end);
	enum kind k = kind_of(g->metric);
	if (end == p || errno || !isfinite(v)) {
		snprintf(err, errlen, "--fail-if '%s': expected %s after the operator",
		         expr, unit_help[k]);
		return -1;
	}
	p = end;
	while (isspace((unsigned char)*p))
		p++;
	/* The unit, which must fit the metric. */
	double factor = 1;
	if (*p) {
		const struct unit *u = NULL;
		size_t ul = strlen(p);
		while (ul && isspace((unsigned char)p[ul - 1]))
			ul--;
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strlen(units[i].name) == ul && strncmp(units[i].name, p, ul) == 0)
				u = &units[i];
		if (!u || u->kind != k) {
			snprintf(err, errlen, "--fail-if '%s': '%.*s' does not fit %s: "
			         "expected %s", expr, (int)ul, p, g->metric, unit_help[k]);
			return -1;
		}
		factor = u->factor;
	}
	g->value = v * factor;
	return 0;
}

const char *gate_unit(const struct gate *g)
{
	static const char *const base[] = {
		[K_TIME] = "ms", [K_SIZE] = "MB", [K_PCT] = "%", [K_RATE] = "/s", [K_COUNT] = "",
		[K_FINDING] = "",
	};
	return base[kind_of(g->metric)];
}

bool gate_holds(const struct gate *g, const struct stats *s,
                const struct analysis *a, double *actual, bool *has_value)
{
	double v = 0;
	int rc = stats_metric(s, g->metric, &v);

	if (rc < 0 && a)
		rc = analysis_metric(a, s, g->metric, &v);

	*has_value = rc == 0;
	*actual = v;
	if (rc != 0)
		return false;
	switch (g->op) {
	case OP_GT: return v > g->value;
	case OP_GE: return v >= g->value;
	case OP_LT: return v < g->value;
	case OP_LE: return v <= g->value;
	case OP_EQ: return v == g->value;
	default: return v != g->value;
	}
}
