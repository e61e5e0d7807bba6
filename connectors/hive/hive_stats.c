/*
 * hive_stats.c — column statistics of the hive connector: collected by the
 * page sinks of INSERT and CREATE TABLE AS, kept in the file metastore as
 * Trino's HiveColumnStatistics JSON, merged with what an INSERT finds
 * there, turned into the planner's conn_column_stats, and derived from
 * Parquet footers for data nobody analyzed.
 * Never reads data files: every figure comes from rows a sink was given
 * or from a footer its caller already read.
 */
#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "common/hll.h"
#include "connectors/hive/hive_internal.h"
#include "formats/parquet/parquet.h"

static hive_stats_kind kind_of(type_id id)
{
	switch (id) {
	case TYPE_INT2:
	case TYPE_INT4:
	case TYPE_INT8:
		return HIVE_STATS_INTEGER;
	case TYPE_FLOAT4:
	case TYPE_FLOAT8:
		return HIVE_STATS_DOUBLE;
	case TYPE_DATE:
		return HIVE_STATS_DATE;
	case TYPE_NUMERIC:
		return HIVE_STATS_DECIMAL;
	case TYPE_BOOL:
		return HIVE_STATS_BOOLEAN;
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
	case TYPE_BYTEA:
		return HIVE_STATS_STRING;
	default:
		return HIVE_STATS_OTHER;
	}
}

void hive_col_stats_init(hive_col_stats *s, ftype t)
{
	memset(s, 0, sizeof *s);
	s->type = t;
	s->kind = kind_of(t.id);
}

void hive_col_stats_free(hive_col_stats *s)
{
	free(s->hll);
	s->hll = NULL;
}

double hive_col_stats_ndv(const hive_col_stats *s)
{
	if (!s->hll) return 0;
	double est = (double)hll_estimate(s->hll);
	/* never more distinct values than values */
	return est > (double)s->values ? (double)s->values : est;
}

void hive_col_stats_add(hive_col_stats *s, const vector *v, const batch *b)
{
	for (int i = 0; i < b->count; i++) {
		int row = batch_row(b, i);
		if (vector_is_null(v, row)) {
			s->nulls++;
			continue;
		}
		const void *p = vector_at(v, row);
		bool first = s->values++ == 0;
		if (!s->hll) s->hll = calloc(HLL_M, 1);
		hll_put(s->hll, hll_mix(value_hash(s->type, p)));
		switch (s->kind) {
		case HIVE_STATS_INTEGER:
		case HIVE_STATS_DATE: {
			int64_t x = s->type.id == TYPE_INT2   ? *(const int16_t *)p
			            : s->type.id == TYPE_INT8 ? *(const int64_t *)p
			                                      : *(const int32_t *)p;
			if (first || x < s->imin) s->imin = x;
			if (first || x > s->imax) s->imax = x;
			break;
		}
		case HIVE_STATS_DOUBLE: {
			double x =
			    s->type.id == TYPE_FLOAT4 ? *(const float *)p : *(const double *)p;
			if (isnan(x))
				break; /* NaN has no place in a range (Trino leaves it out too) */
			if (!s->has_range || x < s->dmin) s->dmin = x;
			if (!s->has_range || x > s->dmax) s->dmax = x;
			s->has_range = true;
			break;
		}
		case HIVE_STATS_DECIMAL: {
			__int128 x = numeric_is_wide(s->type) ? *(const __int128 *)p : *(const int64_t *)p;
			if (first || x < s->nmin) s->nmin = x;
			if (first || x > s->nmax) s->nmax = x;
			s->has_range = true;
			break;
		}
		case HIVE_STATS_BOOLEAN:
			if (*(const bool *)p)
				s->trues++;
			else
				s->falses++;
			break;
		case HIVE_STATS_STRING: {
			uint32_t len = ((const fstring *)p)->len;
			if (len > s->max_len) s->max_len = len;
			s->total_len += len;
			break;
		}
		case HIVE_STATS_OTHER:
			break;
		}
		if (s->kind == HIVE_STATS_INTEGER || s->kind == HIVE_STATS_DATE)
			s->has_range = true;
	}
}

void hive_col_stats_merge(hive_col_stats *into, const hive_col_stats *from)
{
	if (from->has_range) {
		bool first = !into->has_range;
		if (first || from->imin < into->imin) into->imin = from->imin;
		if (first || from->imax > into->imax) into->imax = from->imax;
		if (first || from->dmin < into->dmin) into->dmin = from->dmin;
		if (first || from->dmax > into->dmax) into->dmax = from->dmax;
		if (first || from->nmin < into->nmin) into->nmin = from->nmin;
		if (first || from->nmax > into->nmax) into->nmax = from->nmax;
		into->has_range = true;
	}
	into->nulls += from->nulls;
	into->values += from->values;
	into->trues += from->trues;
	into->falses += from->falses;
	into->total_len += from->total_len;
	if (from->max_len > into->max_len) into->max_len = from->max_len;
	if (from->hll) {
		if (!into->hll) into->hll = calloc(HLL_M, 1);
		hll_union(into->hll, from->hll);
	}
}

/* DATE values count days from 2000-01-01 (PostgreSQL's epoch), 10957 days after 1970-01-01 */
#define HIVE_PG_EPOCH_DAYS 10957

/* a DATE value as ISO yyyy-mm-dd (proleptic Gregorian), and back */
static void date_text(int64_t days, char *buf, size_t n)
{
	int64_t z = days + HIVE_PG_EPOCH_DAYS + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100),
	        mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, n, "%04lld-%02lld-%02lld", (long long)(y + (m <= 2)), (long long)m,
	         (long long)d);
}

static bool date_parse(const char *s, int64_t *out)
{
	int y, m, d;
	char tail;
	if (!s || sscanf(s, "%d-%d-%d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return false;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1,
	        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + doe - 719468 - HIVE_PG_EPOCH_DAYS;
	return true;
}

/* A decimal's unscaled value as its text ("-12.50"). */
static json_t *decimal_json(ftype t, __int128 v)
{
	strbuf sb = STRBUF_INIT;
	fmt_settings fs;
	fmt_settings_default(&fs);
	int64_t narrow = (int64_t)v;
	value_out_text(t, numeric_is_wide(t) ? (const void *)&v : (const void *)&narrow, &fs, &sb);
	json_t *j = json_string(sb.data ? sb.data : "0");
	sb_free(&sb);
	return j;
}

/*
 * Order of two decimal texts ("-0012.5" < "3"): by sign, then by the
 * digits before the point, then after it. False when either is no
 * decimal (a JSON number written by another engine compares as a double).
 */
static bool decimal_text_cmp(const char *a, const char *b, int *out)
{
	const char *p[2] = {a, b};
	bool neg[2];
	size_t ilen[2];
	for (int k = 0; k < 2; k++) {
		if (!p[k]) return false;
		neg[k] = *p[k] == '-';
		if (*p[k] == '-' || *p[k] == '+') p[k]++;
		while (*p[k] == '0' && p[k][1] >= '0' && p[k][1] <= '9') p[k]++;
		ilen[k] = strspn(p[k], "0123456789");
		const char *frac = p[k] + ilen[k];
		if (*frac == '.') frac += 1 + strspn(frac + 1, "0123456789");
		if (*frac || ilen[k] == 0) return false;
	}
	/* -0 and 0 alike: a zero is neither sign */
	for (int k = 0; k < 2; k++)
		if (neg[k] && strspn(p[k], "0.") == strlen(p[k])) neg[k] = false;
	int c;
	if (neg[0] != neg[1]) c = neg[0] ? -1 : 1;
	else {
		c = ilen[0] != ilen[1] ? (ilen[0] < ilen[1] ? -1 : 1) : strncmp(p[0], p[1], ilen[0]);
		/* fractions: digit by digit, a missing digit being 0 */
		const char *f0 = p[0] + ilen[0] + (p[0][ilen[0]] == '.'), *f1 = p[1] + ilen[1] + (p[1][ilen[1]] == '.');
		while (c == 0 && (*f0 || *f1)) {
			char d0 = *f0 ? *f0++ : '0', d1 = *f1 ? *f1++ : '0';
			c = d0 < d1 ? -1 : d0 > d1;
		}
		if (c > 0) c = 1;
		if (c < 0) c = -1;
		if (neg[0]) c = -c;
	}
	*out = c;
	return true;
}

json_t *hive_col_stats_json(const hive_col_stats *s)
{
	json_t *o = json_object();
	if (s->has_range) {
		switch (s->kind) {
		case HIVE_STATS_INTEGER:
			json_object_set_new(o, "integerStatistics",
			                    json_pack("{s:I,s:I}", "min", (json_int_t)s->imin,
			                              "max", (json_int_t)s->imax));
			break;
		case HIVE_STATS_DOUBLE:
			json_object_set_new(o, "doubleStatistics",
			                    json_pack("{s:f,s:f}", "min", s->dmin, "max", s->dmax));
			break;
		case HIVE_STATS_DATE: {
			char lo[80], hi[80];
			date_text(s->imin, lo, sizeof lo);
			date_text(s->imax, hi, sizeof hi);
			json_object_set_new(o, "dateStatistics",
			                    json_pack("{s:s,s:s}", "min", lo, "max", hi));
			break;
		}
		case HIVE_STATS_DECIMAL:
			/* strings: exact at any precision (Trino reads BigDecimal from either form) */
			json_object_set_new(o, "decimalStatistics",
			                    json_pack("{s:o,s:o}", "min", decimal_json(s->type, s->nmin), "max",
			                              decimal_json(s->type, s->nmax)));
			break;
		default:
			break;
		}
	}
	if (s->kind == HIVE_STATS_BOOLEAN)
		json_object_set_new(o, "booleanStatistics",
		                    json_pack("{s:I,s:I}", "trueCount", (json_int_t)s->trues,
		                              "falseCount", (json_int_t)s->falses));
	if (s->kind == HIVE_STATS_STRING) {
		json_object_set_new(o, "maxValueSizeInBytes", json_integer((json_int_t)s->max_len));
		json_object_set_new(o, "averageColumnLength",
		                    json_real(s->values ? s->total_len / (double)s->values : 0));
	}
	json_object_set_new(o, "nullsCount", json_integer((json_int_t)s->nulls));
	json_object_set_new(o, "distinctValuesCount",
	                    json_integer((json_int_t)hive_col_stats_ndv(s)));
	return o;
}

static bool num_of(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v)) return false;
	*out = json_number_value(v);
	return true;
}

/* A decimal bound as a double: a JSON number, or a string that is wholly a number. */
static bool decimal_value(json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	const char *s = json_string_value(v);
	char *end;
	if (!s || !*s) return false;
	*out = strtod(s, &end);
	return *end == 0;
}

/* a <= b for two decimal bounds (strings or numbers); false when not comparable */
static bool decimal_le(json_t *a, json_t *b, bool *le)
{
	int c;
	if (json_is_string(a) && json_is_string(b) &&
	    decimal_text_cmp(json_string_value(a), json_string_value(b), &c)) {
		*le = c <= 0;
		return true;
	}
	double x, y;
	if (!decimal_value(a, &x) || !decimal_value(b, &y)) return false;
	*le = x <= y;
	return true;
}

/* min of mins and max of maxes of {"min","max"} objects; NULL when either side lacks them */
static json_t *merge_range(json_t *a, json_t *b, bool dates, bool decimals)
{
	if (!json_is_object(a) || !json_is_object(b)) return NULL;
	if (decimals) {
		bool lo, hi;
		if (!decimal_le(json_object_get(a, "min"), json_object_get(b, "min"), &lo) ||
		    !decimal_le(json_object_get(b, "max"), json_object_get(a, "max"), &hi))
			return NULL;
		return json_pack("{s:O,s:O}", "min", json_object_get(lo ? a : b, "min"), "max",
		                 json_object_get(hi ? a : b, "max"));
	}
	if (dates) {
		int64_t amin, amax, bmin, bmax;
		const char *k[2] = {"min", "max"};
		if (!date_parse(json_string_value(json_object_get(a, k[0])), &amin) ||
		    !date_parse(json_string_value(json_object_get(a, k[1])), &amax) ||
		    !date_parse(json_string_value(json_object_get(b, k[0])), &bmin) ||
		    !date_parse(json_string_value(json_object_get(b, k[1])), &bmax))
			return NULL;
		return json_pack("{s:O,s:O}", "min", json_object_get(amin <= bmin ? a : b, "min"),
		                 "max", json_object_get(amax >= bmax ? a : b, "max"));
	}
	double amin, amax, bmin, bmax;
	if (!num_of(a, "min", &amin) || !num_of(a, "max", &amax) || !num_of(b, "min", &bmin) ||
	    !num_of(b, "max", &bmax))
		return NULL;
	return json_pack("{s:O,s:O}", "min", json_object_get(amin <= bmin ? a : b, "min"), "max",
	                 json_object_get(amax >= bmax ? a : b, "max"));
}

json_t *hive_col_stats_json_merge(json_t *old, double old_rows, json_t *add, double add_rows)
{
	if (!json_is_object(old) || !json_is_object(add)) return NULL;
	json_t *o = json_object();
	static const char *const ranges[] = {"integerStatistics", "doubleStatistics",
	                                     "decimalStatistics", "dateStatistics"};
	for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
		json_t *m =
		    merge_range(json_object_get(old, ranges[i]), json_object_get(add, ranges[i]),
		                strcmp(ranges[i], "dateStatistics") == 0,
		                strcmp(ranges[i], "decimalStatistics") == 0);
		if (m) json_object_set_new(o, ranges[i], m);
	}
	json_t *ob = json_object_get(old, "booleanStatistics"),
	       *ab = json_object_get(add, "booleanStatistics");
	double ot, of, at, af;
	if (num_of(ob, "trueCount", &ot) && num_of(ob, "falseCount", &of) &&
	    num_of(ab, "trueCount", &at) && num_of(ab, "falseCount", &af))
		json_object_set_new(o, "booleanStatistics",
		                    json_pack("{s:I,s:I}", "trueCount", (json_int_t)(ot + at),
		                              "falseCount", (json_int_t)(of + af)));
	double on, an, ox, ax, oa, aa, od, ad;
	bool nulls = num_of(old, "nullsCount", &on) && num_of(add, "nullsCount", &an);
	if (nulls) json_object_set_new(o, "nullsCount", json_integer((json_int_t)(on + an)));
	if (num_of(old, "maxValueSizeInBytes", &ox) && num_of(add, "maxValueSizeInBytes", &ax))
		json_object_set_new(o, "maxValueSizeInBytes",
		                    json_integer((json_int_t)(ox > ax ? ox : ax)));
	/* the average over non-null values of both sides */
	if (nulls && num_of(old, "averageColumnLength", &oa) &&
	    num_of(add, "averageColumnLength", &aa)) {
		double ov = old_rows - on, av = add_rows - an;
		if (ov >= 0 && av >= 0)
			json_object_set_new(
			    o, "averageColumnLength",
			    json_real(ov + av > 0 ? (oa * ov + aa * av) / (ov + av) : 0));
	}
	/* the sets may overlap completely or not at all: the larger count is the estimate */
	if (num_of(old, "distinctValuesCount", &od) && num_of(add, "distinctValuesCount", &ad))
		json_object_set_new(o, "distinctValuesCount",
		                    json_integer((json_int_t)(od > ad ? od : ad)));
	return o;
}

json_t *hive_stats_json_merge_all(json_t *old, double old_rows, json_t *add, double add_rows)
{
	json_t *merged = json_object();
	const char *name;
	json_t *v;
	json_object_foreach(add, name, v)
	{
		json_t *m = hive_col_stats_json_merge(json_is_object(old) ? json_object_get(old, name) : NULL, old_rows, v,
		                                      add_rows);
		if (m) json_object_set_new(merged, name, m);
	}
	return merged;
}

json_t *hive_stats_to_json(const hive_table *t, const hive_col_stats *st)
{
	if (!st) return NULL;
	json_t *o = json_object();
	for (int i = 0; i < t->ndata; i++) json_object_set_new(o, t->base.cols[i].name, hive_col_stats_json(&st[i]));
	return o;
}

void hive_col_stats_from_json(json_t *o, ftype t, double rows, arena *a, conn_column_stats *out)
{
	memset(out, 0, sizeof *out);
	out->distinct_count = out->null_fraction = out->avg_width = -1;
	if (!json_is_object(o)) return;
	double x;
	if (num_of(o, "distinctValuesCount", &x) && x >= 0) out->distinct_count = x;
	if (num_of(o, "nullsCount", &x) && x >= 0 && rows > 0)
		out->null_fraction = x > rows ? 1 : x / rows;
	if (rows == 0) out->null_fraction = 0;
	if (num_of(o, "averageColumnLength", &x) && x >= 0) out->avg_width = x;
	hive_stats_kind k = kind_of(t.id);
	json_t *r = NULL;
	double lo, hi;
	int64_t dlo, dhi;
	switch (k) {
	case HIVE_STATS_INTEGER:
		r = json_object_get(o, "integerStatistics");
		if (num_of(r, "min", &lo) && num_of(r, "max", &hi)) {
			out->has_range = true;
			out->min.u.i = (int64_t)lo;
			out->max.u.i = (int64_t)hi;
		}
		break;
	case HIVE_STATS_DOUBLE:
		r = json_object_get(o, "doubleStatistics");
		if (num_of(r, "min", &lo) && num_of(r, "max", &hi)) {
			out->has_range = true;
			out->min.u.f = lo;
			out->max.u.f = hi;
		}
		break;
	case HIVE_STATS_DECIMAL: {
		r = json_object_get(o, "decimalStatistics");
		json_t *bound[2] = {json_object_get(r, "min"), json_object_get(r, "max")};
		fvalue *dst[2] = {&out->min, &out->max};
		bool ok = true;
		for (int k = 0; k < 2 && ok; k++) {
			char num[64];
			const char *txt = json_string_value(bound[k]);
			if (!txt && json_is_number(bound[k])) {
				snprintf(num, sizeof num, "%.17g", json_number_value(bound[k]));
				txt = num;
			}
			ferr *e = txt ? value_in_text(t, txt, strlen(txt), a, (void *)fvalue_ptr(t, dst[k])) : NULL;
			ok = txt && !e;
			ferr_free(e);
		}
		out->has_range = ok;
		break;
	}
	case HIVE_STATS_DATE:
		r = json_object_get(o, "dateStatistics");
		if (r && date_parse(json_string_value(json_object_get(r, "min")), &dlo) &&
		    date_parse(json_string_value(json_object_get(r, "max")), &dhi)) {
			out->has_range = true;
			out->min.u.i = dlo;
			out->max.u.i = dhi;
		}
		break;
	default:
		break;
	}
}

/* ---- NDV sketches ----
 *
 * Trino's format keeps only the distinct count, so two row sets' counts
 * cannot be added (they may overlap). Ferry also records each column's
 * HyperLogLog registers in the document's parameters, under
 * "ferry.hll.<column>" (zstd, then base64: a few hundred bytes for a
 * small partition, at most about 2.7 kB), which any other reader ignores.
 * Unions of them (an INSERT's rows with the recorded ones, the partitions
 * a query reads) are then estimated as one set.
 */

#define HIVE_SKETCH_PREFIX "ferry.hll."

static char *sketch_key(const char *col)
{
	size_t n = strlen(HIVE_SKETCH_PREFIX) + strlen(col) + 1;
	char *k = xmalloc(n);
	snprintf(k, n, HIVE_SKETCH_PREFIX "%s", col);
	return k;
}

static void sketch_put(json_t *params, const char *col, const uint8_t *regs)
{
	uint8_t packed[ZSTD_COMPRESSBOUND(HLL_M)];
	size_t n = ZSTD_compress(packed, sizeof packed, regs, HLL_M, 3);
	if (ZSTD_isError(n)) return;
	char *text = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)text, packed, (int)n);
	char *k = sketch_key(col);
	json_object_set_new(params, k, json_string(text));
	free(k);
	free(text);
}

bool hive_sketch_get(json_t *params, const char *col, uint8_t *regs)
{
	char *k = sketch_key(col);
	const char *text = json_string_value(json_object_get(params, k));
	free(k);
	size_t len = text ? strlen(text) : 0;
	if (len == 0 || len % 4 || len > 4 * ZSTD_COMPRESSBOUND(HLL_M)) return false;
	uint8_t *packed = xmalloc(len);
	int n = EVP_DecodeBlock(packed, (const unsigned char *)text, (int)len);
	/* DecodeBlock counts the padding's zero bytes: zstd stops at its frame's end anyway */
	size_t got = n > 0 ? ZSTD_decompress(regs, HLL_M, packed, (size_t)n - (text[len - 1] == '=') - (text[len - 2] == '='))
	                   : 0;
	free(packed);
	if (n <= 0 || ZSTD_isError(got) || got != HLL_M) return false;
	for (int j = 0; j < HLL_M; j++)
		if (regs[j] > 64 - HLL_BITS + 1) return false; /* not registers */
	return true;
}

void hive_sketches_record(json_t *params, json_t *cs, const hive_table *t, const hive_col_stats *st, bool merge,
                          double rows)
{
	if (!json_is_object(params) || !st) return;
	uint8_t *old = xmalloc(HLL_M);
	for (int i = 0; i < t->ndata; i++) {
		const char *name = t->base.cols[i].name;
		uint8_t *regs = xcalloc(HLL_M, 1);
		if (st[i].hll) memcpy(regs, st[i].hll, HLL_M);
		bool keep = true;
		if (merge) {
			keep = hive_sketch_get(params, name, old);
			if (keep) hll_union(regs, old);
		}
		if (!keep) {
			char *k = sketch_key(name);
			json_object_del(params, k);
			free(k);
			free(regs);
			continue;
		}
		sketch_put(params, name, regs);
		/* the united estimate replaces the merge's larger-of-two guess */
		json_t *c = json_object_get(cs, name);
		double nulls;
		if (merge && json_is_number(json_object_get(c, "distinctValuesCount"))) {
			double est = (double)hll_estimate(regs);
			if (rows >= 0 && num_of(c, "nullsCount", &nulls) && est > rows - nulls) est = rows - nulls;
			json_object_set_new(c, "distinctValuesCount", json_integer((json_int_t)(est > 0 ? est : 0)));
		}
		free(regs);
	}
	free(old);
}

/* ---- figures from Parquet footers ----
 *
 * A table another engine wrote and nobody analyzed has no
 * columnStatistics, but its footers carry per row group a null count and
 * min/max. Summed over the row groups they give null fractions, ranges
 * and, where the values are steps of one (integers, dates, decimals'
 * unscaled values), an upper bound of the distinct count: max - min + 1,
 * and never more than the non-null values. The bound is loose for sparse
 * keys but it is what the join order needs: a key's bound is about its row
 * count, a low-cardinality column's (a nation key) is its few steps.
 */

/* the types whose footer min/max the planner's form shows */
static bool footer_ranged(type_id id)
{
	hive_stats_kind k = kind_of(id);
	return k == HIVE_STATS_INTEGER || k == HIVE_STATS_DOUBLE || k == HIVE_STATS_DATE ||
	       k == HIVE_STATS_DECIMAL || id == TYPE_TIMESTAMP || id == TYPE_TIMESTAMPTZ;
}

/* a file's statistic in the table's type (the reader's widenings keep the order) */
static fvalue footer_value(ftype from, ftype to, fvalue v)
{
	if (from.id == TYPE_NUMERIC && to.id == TYPE_NUMERIC && !numeric_is_wide(from) &&
	    numeric_is_wide(to))
		v.u.n = v.u.i;
	return v;
}

void hive_footer_add(const hive_table *t, hive_footer_col *fc, const parquet_file *pf,
                     const int *fcol)
{
	for (int i = 0; i < t->ndata; i++) {
		hive_footer_col *c = &fc[i];
		ftype tt = t->base.cols[i].type;
		for (int g = 0; g < pf->nrow_groups; g++) {
			const parquet_row_group *rg = &pf->row_groups[g];
			if (rg->num_rows <= 0) continue;
			c->rows += (double)rg->num_rows;
			if (fcol[i] == HIVE_FOOTER_ABSENT) {
				c->nulls += (double)rg->num_rows;
				continue;
			}
			if (fcol[i] < 0 || fcol[i] >= pf->ncols) {
				c->nulls_unknown = c->range_unknown = true;
				continue;
			}
			const parquet_stats *st = &rg->stats[fcol[i]];
			if (st->has_null_count)
				c->nulls += (double)st->null_count;
			else
				c->nulls_unknown = true;
			if (!st->has_range) {
				/* a row group of NULLs only has no range to miss */
				if (!st->has_null_count || st->null_count < rg->num_rows)
					c->range_unknown = true;
				continue;
			}
			if (!footer_ranged(tt.id) && tt.id != TYPE_BOOL) continue;
			ftype ft = pf->cols[fcol[i]].type;
			fvalue lo = footer_value(ft, tt, st->min),
			       hi = footer_value(ft, tt, st->max);
			if (!c->has_range ||
			    value_compare(tt, fvalue_ptr(tt, &lo), fvalue_ptr(tt, &c->min)) < 0)
				c->min = lo;
			if (!c->has_range ||
			    value_compare(tt, fvalue_ptr(tt, &hi), fvalue_ptr(tt, &c->max)) > 0)
				c->max = hi;
			c->has_range = true;
		}
	}
}

/* Values the range [min, max] can hold (-1: not a type of steps). */
static double footer_span(ftype t, const hive_footer_col *c)
{
	switch (kind_of(t.id)) {
	case HIVE_STATS_INTEGER:
	case HIVE_STATS_DATE:
		return (double)((__int128)c->max.u.i - c->min.u.i + 1);
	case HIVE_STATS_DECIMAL:
		if (numeric_is_wide(t)) return (double)(c->max.u.n - c->min.u.n) + 1;
		return (double)((__int128)c->max.u.i - c->min.u.i + 1);
	case HIVE_STATS_BOOLEAN:
		return c->min.u.b == c->max.u.b ? 1 : 2;
	default:
		return -1;
	}
}

void hive_footer_stats(const hive_table *t, const hive_footer_col *fc, double rows, bool complete,
                       conn_column_stats *out)
{
	for (int i = 0; i < t->base.ncols; i++) {
		conn_column_stats *o = &out[i];
		memset(o, 0, sizeof *o);
		o->distinct_count = o->null_fraction = o->avg_width = -1;
		if (i >= t->ndata) continue;
		const hive_footer_col *c = &fc[i];
		ftype tt = t->base.cols[i].type;
		if (c->rows <= 0) {
			if (complete) o->distinct_count = o->null_fraction = 0; /* no rows at all */
			continue;
		}
		double nf = c->nulls_unknown ? -1 : (c->nulls >= c->rows ? 1 : c->nulls / c->rows);
		o->null_fraction = nf;
		/* non-null values: of the files added, and of the whole table */
		double values = c->rows - (nf >= 0 ? c->nulls : 0);
		double all = rows >= 0 ? rows * (nf >= 0 ? 1 - nf : 1) : values;
		if (nf == 1) {
			o->distinct_count = 0;
			continue;
		}
		bool range = c->has_range && !c->range_unknown;
		if (range && complete && footer_ranged(tt.id)) {
			o->has_range = true;
			o->min = c->min;
			o->max = c->max;
		}
		double span = range ? footer_span(tt, c) : tt.id == TYPE_BOOL ? 2 : -1;
		if (span < 0) continue;
		double ndv = span;
		if (complete) {
			if (ndv > values) ndv = values;
		} else if (ndv >= values) {
			/* bounded by the rows, not the range: key-like in the sample, so in the
			 * table */
			ndv = all;
		}
		if (ndv > all) ndv = all;
		o->distinct_count = ndv < 0 ? 0 : ndv;
	}
}
