#include "analysis/analysis.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/fmt.h"
#include "text/json.h"
#include "text/wrap.h"

/* Labels are padded as stats_print pads them. */
#define LABEL "%-13s"

static const char *const mmu_names[MMU_WINDOWS] = {
	"mmu.10ms", "mmu.50ms", "mmu.100ms", "mmu.1s",
};

/* mmu.* then finding.*, built once from the two tables. */
static const char *metric_names[MMU_WINDOWS + FIND_COUNT + 1];
static char finding_metric[FIND_COUNT][40];

static void build_names(void)
{
	if (metric_names[0])
		return;
	for (int i = 0; i < FIND_COUNT; i++) {
		snprintf(finding_metric[i], sizeof finding_metric[i], "finding.%s",
		         finding_name((enum finding_id)i));
		metric_names[MMU_WINDOWS + i] = finding_metric[i];
	}
	for (int i = 0; i < MMU_WINDOWS; i++)
		metric_names[i] = mmu_names[i];
}

const char *const *analysis_metric_names(void)
{
	build_names();
	return metric_names;
}

void analysis_init(struct analysis *a, const struct analysis_opts *o)
{
	memset(a, 0, sizeof *a);
	a->o = *o;
	mmu_init(&a->mmu);
	whatif_init(&a->whatif);
	findings_init(&a->findings, o->gogc, o->limit_mb);
}

void analysis_free(struct analysis *a)
{
	if (a)
		mmu_free(&a->mmu);
}

size_t analysis_bytes(const struct analysis *a)
{
	return sizeof *a + mmu_bytes(&a->mmu);
}

bool analysis_mmu_of(const struct feed *f, unsigned first, unsigned n,
                     double util[MMU_WINDOWS])
{
	struct mmu m;
	bool any = false;

	mmu_init(&m);
	for (unsigned i = first; i < first + n && i < f->nrecent; i++)
		mmu_add(&m, feed_record(f, i));
	for (int i = 0; i < MMU_WINDOWS; i++) {
		if (!mmu_get(&m, i, &util[i]))
			util[i] = -1;
		else
			any = true;
	}
	mmu_free(&m);
	return any;
}

unsigned analysis_recent_first(const struct feed *f, int64_t seconds)
{
	unsigned i = f->nrecent;
	int64_t last;

	while (i > 0 && feed_record(f, i - 1)->at_ms < 0)
		i--;
	if (i == 0)
		return f->nrecent;
	last = feed_record(f, i - 1)->at_ms;
	/* Back to the first record of the latest run inside the span. */
	while (i > 1 && !feed_is_restart(f, i - 1) &&
	       feed_record(f, i - 2)->at_ms >= last - seconds * 1000)
		i--;
	return i - 1;
}

void analysis_add(struct analysis *a, const struct gc_record *r)
{
	mmu_add(&a->mmu, r);
	whatif_add(&a->whatif, r);
	findings_add(&a->findings, r);
}

static double rate_of(const struct stats *s)
{
	double v;

	return stats_metric(s, "gc.rate", &v) == 0 ? v : -1;
}

int analysis_findings(const struct analysis *a, const struct stats *s,
                      struct finding *out)
{
	struct whatif_est est;
	struct findings_ctx c = {
		.rate = rate_of(s),
		.est = whatif_estimate(&a->whatif, &est) ? &est : NULL,
		.recent = &a->whatif,
	};

	return findings_eval(&a->findings, &c, out);
}

bool analysis_metric_is_finding(const char *name)
{
	return strncmp(name, "finding.", 8) == 0 && finding_lookup(name + 8) >= 0;
}

bool analysis_metric_known(const char *name)
{
	for (const char *const *n = analysis_metric_names(); *n; n++)
		if (strcmp(*n, name) == 0)
			return true;
	return false;
}

int analysis_metric(const struct analysis *a, const struct stats *s,
                    const char *name, double *value)
{
	for (int i = 0; i < MMU_WINDOWS; i++)
		if (strcmp(name, mmu_names[i]) == 0) {
			if (!mmu_get(&a->mmu, i, value))
				return 1;
			*value *= 100.0;
			return 0;
		}
	if (analysis_metric_is_finding(name)) {
		struct finding f[FIND_COUNT];
		int n = analysis_findings(a, s, f), id = finding_lookup(name + 8);
		*value = 0;
		for (int i = 0; i < n; i++)
			if ((int)f[i].id == id)
				*value = 1;
		return 0;
	}
	return -1;
}

static double gogc_for_limit(const struct analysis *a, const struct whatif_est *e);

void analysis_digest_mmu(const struct analysis *a, struct analysis_digest *d)
{
	memset(d, 0, sizeof *d);
	d->gogc = -2;
	if (!a)
		return;
	d->have = true;
	d->cycles = a->mmu.cycles;
	for (int i = 0; i < MMU_WINDOWS; i++)
		if (!mmu_get(&a->mmu, i, &d->mmu[i]))
			d->mmu[i] = -1;
}

void analysis_digest_rest(const struct analysis *a, const struct stats *s,
                          struct analysis_digest *d)
{
	if (!a || !d->have)
		return;
	d->nfind = analysis_findings(a, s, d->find);
	d->have_est = whatif_estimate(&a->whatif, &d->est);
	if (a->o.gogc > -2) {
		d->gogc = a->o.gogc;
		d->gogc_given = true;
	} else if (d->have_est && d->est.gogc >= 0) {
		d->gogc = floor(d->est.gogc + 0.5);
	}
	if (!d->have_est)
		return;
	for (int i = 0; i < WHATIF_NGOGC; i++)
		whatif_predict(&a->whatif, &d->est, whatif_gogc(i), 0, &d->pred[d->npred++]);
	if (a->o.whatif_limit_mb > 0)
		whatif_predict(&a->whatif, &d->est, gogc_for_limit(a, &d->est),
		               a->o.whatif_limit_mb, &d->pred[d->npred++]);
}

void analysis_digest(const struct analysis *a, const struct stats *s,
                     struct analysis_digest *d)
{
	analysis_digest_mmu(a, d);
	analysis_digest_rest(a, s, d);
}

/* ---- the text summary ---- */

static void print_mmu(const struct analysis *a, FILE *out)
{
	char v[FMT_MAX];
	double u;

	fprintf(out, LABEL, "mmu");
	if (a->mmu.cycles == 0) {
		fputs("n/a\n", out);
		return;
	}
	for (int i = 0; i < MMU_WINDOWS; i++) {
		if (mmu_get(&a->mmu, i, &u))
			fmt_pct(v, 100.0 * u);
		else
			snprintf(v, sizeof v, "n/a");
		fprintf(out, "%s%s %s", i ? "  " : "", mmu_window_name(i), v);
	}
	if (a->mmu.lost)
		fprintf(out, "  (%llu windows not measured: over %d collections a "
		        "second)", (unsigned long long)a->mmu.lost, MMU_RING);
	fputc('\n', out);
}

static const char *gogc_text(double g, char *buf, size_t len)
{
	if (g == -1)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "%.0f", g);
	return buf;
}

/* GOGC that a limit row uses: the one in force, else the inferred one. */
static double gogc_for_limit(const struct analysis *a, const struct whatif_est *e)
{
	if (a->o.gogc > -2)
		return a->o.gogc;
	return e->gogc >= 0 ? floor(e->gogc + 0.5) : 100;
}

/*
 * The what-if as a small table, a column per GOGC (and the limit's), the
 * measured figures first: five or six lines however many rows.
 */
static void print_whatif(const struct analysis *a, FILE *out)
{
	struct whatif_est e;
	struct whatif_pred p[WHATIF_NGOGC + 1];
	char lv[FMT_MAX], rt[FMT_MAX], v[FMT_MAX], g[16], notes[256] = "";
	int n = 0;

	fprintf(out, LABEL, "what-if");
	if (!whatif_estimate(&a->whatif, &e)) {
		fputs("n/a (needs two timed collections with allocation between)\n", out);
		return;
	}
	fmt_mb(lv, (int64_t)(e.live_mb + 0.5));
	fmt_mb(rt, (int64_t)(e.roots_mb + 0.5));
	fprintf(out, "from %llu collections over %.1fs: alloc %.1f MB/s, live %s, roots %s%s; GOGC ",
	        (unsigned long long)e.cycles, e.span_s, e.alloc_mb_s, lv, rt,
	        e.roots_known ? "" : " (not in this Go's trace)");
	if (a->o.gogc > -2)
		fprintf(out, "%s (%s)\n", gogc_text(a->o.gogc, g, sizeof g),
		        a->o.gogc_from ? a->o.gogc_from : "given");
	else if (e.gogc >= 0)
		fprintf(out, "%.0f (inferred)\n", floor(e.gogc + 0.5));
	else
		fputs("unknown\n", out);
	for (int i = 0; i < WHATIF_NGOGC; i++)
		whatif_predict(&a->whatif, &e, whatif_gogc(i), 0, &p[n++]);
	if (a->o.whatif_limit_mb > 0)
		whatif_predict(&a->whatif, &e, gogc_for_limit(a, &e), a->o.whatif_limit_mb, &p[n++]);

	fprintf(out, LABEL "%-10s %7s", "", "GOGC", "now");
	for (int i = 0; i < n; i++)
		fprintf(out, " %7s", p[i].limit_mb > 0 ? "+limit" : gogc_text(p[i].gogc, g, sizeof g));
	fprintf(out, "\n" LABEL "%-10s %7s", "", "GC CPU", fmt_pct(v, e.gc_cpu_pct));
	for (int i = 0; i < n; i++)
		fprintf(out, " %7s", fmt_pct(v, p[i].gc_cpu_pct));
	fprintf(out, "\n" LABEL "%-10s %7s", "", "GC/s", fmt_rate(v, e.rate));
	for (int i = 0; i < n; i++)
		fprintf(out, " %7s", fmt_rate(v, p[i].rate));
	fprintf(out, "\n" LABEL "%-10s %7s", "", "peak heap", fmt_mb(v, (int64_t)(e.peak_mb + 0.5)));
	for (int i = 0; i < n; i++)
		fprintf(out, " %7s", fmt_mb(v, (int64_t)(p[i].peak_mb + 0.5)));
	fputc('\n', out);

	/* What the columns do not say: the limit's GOGC, the flags, and the
	 * inputs the trace lacks. */
	for (int i = 0; i < n; i++) {
		size_t len = strlen(notes);
		if (p[i].limit_mb > 0) {
			const char *flag = p[i].limiter ? ", CPU limiter at 50%"
			                   : p[i].at_limit ? ", goal at the limit" : "";
			snprintf(notes + len, sizeof notes - len, "%s+limit = GOGC %s, limit %s%s",
			         len ? "; " : "", gogc_text(p[i].gogc, g, sizeof g),
			         fmt_mb(v, (int64_t)p[i].limit_mb), flag);
		} else if (p[i].at_minimum) {
			/* "minimum heap at GOGC 50, 100" */
			bool first = i == 0 || !p[i - 1].at_minimum || p[i - 1].limit_mb > 0;
			snprintf(notes + len, sizeof notes - len, "%s%s", first ?
			         (len ? "; minimum heap at GOGC " : "minimum heap at GOGC ") : ", ",
			         gogc_text(p[i].gogc, g, sizeof g));
		}
	}
	if (n > WHATIF_NGOGC) {
		size_t len = strlen(notes);
		fmt_mb(v, (int64_t)(e.nonheap_mb + 0.5));
		snprintf(notes + len, sizeof notes - len,
		         " (non-heap memory, not in the trace: %s + %.0f%% assumed)", v,
		         100.0 * WHATIF_NONHEAP_SHARE);
	}
	if (notes[0])
		fprintf(out, LABEL "%s\n", "", notes);
}

/* The indent of a finding's continuation lines: the label column. */
#define LABEL_WIDTH 13

void analysis_print(const struct analysis *a, const struct stats *s, FILE *out,
                    int width)
{
	struct finding f[FIND_COUNT];
	char line[64 + sizeof f[0].evidence + sizeof f[0].try_];
	int n;

	if (s->count == 0)
		return;
	print_mmu(a, out);
	n = analysis_findings(a, s, f);
	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof line, "finding %s: %s; try %s", f[i].name,
		         f[i].evidence, f[i].try_);
		wrap_line(out, line, width, LABEL_WIDTH);
	}
	print_whatif(a, out);
}

/* ---- JSON ---- */

static void json_mmu_set(FILE *out, const double util[MMU_WINDOWS])
{
	for (int i = 0; i < MMU_WINDOWS; i++) {
		fprintf(out, "%s\"%s\":", i ? "," : "", mmu_window_name(i));
		if (util[i] >= 0)
			json_num(out, floor(util[i] * 10000.0 + 0.5) / 10000.0);
		else
			fputs("null", out);
	}
}

static void json_pred(FILE *out, const struct whatif_pred *p)
{
	fputs("{\"gogc\":", out);
	if (p->gogc < 0)
		fputs("\"off\"", out);
	else
		json_num(out, p->gogc);
	fputs(",\"limit_mb\":", out);
	if (p->limit_mb > 0)
		json_num(out, p->limit_mb);
	else
		fputs("null", out);
	fputs(",\"goal_mb\":", out);
	json_num(out, floor(p->goal_mb * 10 + 0.5) / 10);
	fputs(",\"gc_cpu_pct\":", out);
	json_num(out, floor(p->gc_cpu_pct * 100 + 0.5) / 100);
	fputs(",\"rate\":", out);
	json_num(out, floor(p->rate * 1000 + 0.5) / 1000);
	fputs(",\"peak_mb\":", out);
	json_num(out, floor(p->peak_mb * 10 + 0.5) / 10);
	fprintf(out, ",\"at_minimum\":%s,\"at_limit\":%s,\"limiter\":%s}",
	        p->at_minimum ? "true" : "false", p->at_limit ? "true" : "false",
	        p->limiter ? "true" : "false");
}

static void json_field(FILE *out, const char *name, double v, double scale)
{
	fprintf(out, ",\"%s\":", name);
	json_num(out, floor(v * scale + 0.5) / scale);
}

void analysis_json(const struct analysis *a, const struct stats *s,
                   const struct feed *fd, FILE *out)
{
	double util[MMU_WINDOWS];
	struct finding f[FIND_COUNT];
	struct whatif_est e;
	struct whatif_pred p;
	int n;
	bool have;

	fputs(",\"mmu\":{", out);
	for (int i = 0; i < MMU_WINDOWS; i++)
		if (!mmu_get(&a->mmu, i, &util[i]))
			util[i] = -1;
	json_mmu_set(out, util);
	fprintf(out, ",\"exact\":%s,\"lost_windows\":%llu,\"recent\":",
	        a->mmu.lost ? "false" : "true", (unsigned long long)a->mmu.lost);
	if (fd) {
		unsigned first = analysis_recent_first(fd, ANALYSIS_RECENT_S);
		analysis_mmu_of(fd, first, fd->nrecent - first, util);
		fprintf(out, "{\"seconds\":%d,\"collections\":%u,", ANALYSIS_RECENT_S,
		        fd->nrecent - first);
		json_mmu_set(out, util);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fputc('}', out);

	n = analysis_findings(a, s, f);
	fputs(",\"findings\":[", out);
	for (int i = 0; i < n; i++) {
		fprintf(out, "%s{\"name\":", i ? "," : "");
		json_str(out, f[i].name);
		fprintf(out, ",\"harmless\":%s,\"evidence\":", f[i].harmless ? "true" : "false");
		json_str(out, f[i].evidence);
		fputs(",\"try\":", out);
		json_str(out, f[i].try_);
		fputc('}', out);
	}
	fputc(']', out);

	have = whatif_estimate(&a->whatif, &e);
	fputs(",\"what_if\":[", out);
	if (have) {
		for (int i = 0; i < WHATIF_NGOGC; i++) {
			whatif_predict(&a->whatif, &e, whatif_gogc(i), 0, &p);
			if (i)
				fputc(',', out);
			json_pred(out, &p);
		}
		if (a->o.whatif_limit_mb > 0) {
			whatif_predict(&a->whatif, &e, gogc_for_limit(a, &e), a->o.whatif_limit_mb, &p);
			fputc(',', out);
			json_pred(out, &p);
		}
	}
	fputs("],\"what_if_inputs\":", out);
	if (!have) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"cycles\":%llu", (unsigned long long)e.cycles);
	json_field(out, "span_s", e.span_s, 1000);
	json_field(out, "alloc_mb_per_s", e.alloc_mb_s, 100);
	json_field(out, "live_mb", e.live_mb, 10);
	fputs(",\"roots_mb\":", out);
	if (e.roots_known)
		json_num(out, floor(e.roots_mb * 10 + 0.5) / 10);
	else
		fputs("null", out);
	json_field(out, "mark_cpu_ms_per_mb", e.mark_us_per_mb / 1000.0, 10000);
	json_field(out, "stw_cpu_ms", e.stw_us / 1000.0, 1000);
	json_field(out, "procs", e.procs, 1);
	json_field(out, "pacer", e.pacer, 1000);
	json_field(out, "share_ok", e.share_ok, 1000);
	json_field(out, "share_hit", e.share_hit, 1000);
	json_field(out, "goal_reached", e.hits, 1);
	fputs(",\"gogc\":", out);
	if (a->o.gogc > -2) {
		if (a->o.gogc < 0)
			fputs("\"off\"", out);
		else
			json_num(out, a->o.gogc);
		fputs(",\"gogc_from\":", out);
		json_str(out, a->o.gogc_from ? a->o.gogc_from : "given");
	} else {
		if (e.gogc >= 0)
			json_num(out, floor(e.gogc + 0.5));
		else
			fputs("null", out);
		fputs(",\"gogc_from\":", out);
		json_str(out, e.gogc >= 0 ? "inferred" : "unknown");
	}
	json_field(out, "nonheap_mb", e.nonheap_mb, 10);
	fputs(",\"measured\":{", out);
	fputs("\"gc_cpu_pct\":", out);
	json_num(out, floor(e.gc_cpu_pct * 100 + 0.5) / 100);
	json_field(out, "rate", e.rate, 1000);
	json_field(out, "peak_mb", e.peak_mb, 1);
	fputs("},\"lacks\":[\"nonheap_mb\"", out);
	if (a->o.gogc <= -2)
		fputs(",\"gogc\"", out);
	fputs("]}", out);
}

/* ---- parsing what the environment or the command line says ---- */

double analysis_parse_gogc(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return 100;
	if (strcmp(s, "off") == 0)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -2;
	return (double)v;
}

bool analysis_parse_size(const char *s, double def_unit_mb, double *mb)
{
	static const struct {
		const char *name;
		double mb;
	} units[] = {
		{ "B", 1.0 / 1048576 }, { "KB", 1.0 / 1024 }, { "KiB", 1.0 / 1024 },
		{ "MB", 1 }, { "MiB", 1 }, { "GB", 1024 }, { "GiB", 1024 },
		{ "TB", 1048576 }, { "TiB", 1048576 },
	};
	char *end;
	double v;

	if (!s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v <= 0)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (!*end) {
		*mb = v * def_unit_mb;
		return true;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].name) == 0) {
			*mb = v * units[i].mb;
			return true;
		}
	return false;
}
