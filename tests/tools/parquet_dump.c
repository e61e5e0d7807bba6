/*
 * parquet_dump — print a Parquet file's rows, read with Ferry's reader over
 * all row groups, in the canonical text form that tests/tools/duckdb_dump.mjs
 * produces from DuckDB's read_parquet, so the two can be compared with cmp.
 *
 *   parquet_dump FILE
 *
 * Output: a header line of the column names, then one line per row, columns
 * separated by a tab:
 *   NULL                 \N
 *   boolean              true / false
 *   integers, numeric    decimal digits; numeric with its scale ("-1.50")
 *   real, double         the shortest "%.Ne" (N+1 <= 17 significant digits)
 *                        that reads back to the same double, normalised:
 *                        trailing zeros of the mantissa and of the exponent
 *                        dropped ("1.1e+0", "1e+2", "-0e+0"). (Not %.17g:
 *                        glibc rounds an exact tie to even, V8's
 *                        toExponential(16) away from zero, so 17 fixed
 *                        digits of the same double can differ; the
 *                        shortest round-trip digits are unique.)
 *                        NaN, inf, -inf (a NaN's sign/payload is not shown);
 *                        a real is widened to double exactly first
 *   date                 YYYY-MM-DD (proleptic Gregorian, year may be
 *                        negative / more than 4 digits)
 *   time                 HH:MM:SS.ffffff
 *   timestamp(tz)        YYYY-MM-DD HH:MM:SS.ffffff, UTC; timestamptz gets
 *                        the suffix "+00"
 *   text, flat json      the string with \ tab newline CR escaped as
 *                        \\ \t \n \r
 *   bytea                lowercase hex, no prefix
 *   uuid                 8-4-4-4-12 lowercase hex
 *   nested (json)        compact JSON (no spaces); every number as
 *                        described in canon_json_number below
 * Exit status 0 on success; on any error the message on stderr and exit 1.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/parquet/parquet.h"

#define PG_EPOCH_DAYS 10957 /* 1970-01-01 .. 2000-01-01 */

static void put_escaped(FILE *o, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		switch (c) {
		case '\\': fputs("\\\\", o); break;
		case '\t': fputs("\\t", o); break;
		case '\n': fputs("\\n", o); break;
		case '\r': fputs("\\r", o); break;
		default: fputc(c, o);
		}
	}
}

/* Canonical double: see the header comment (the same rule as fmtFloat in duckdb_dump.mjs). */
static void canon_double(double d, char *out, size_t outsz)
{
	if (isnan(d)) { snprintf(out, outsz, "NaN"); return; }
	if (isinf(d)) { snprintf(out, outsz, d < 0 ? "-inf" : "inf"); return; }
	char buf[40];
	/* the fewest significant digits (1..17) that read back to the same double */
	for (int prec = 0; prec <= 16; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, d);
		if (strtod(buf, NULL) == d) break;
	}
	char *e = strchr(buf, 'e');
	char mant[40];
	size_t ml = (size_t)(e - buf);
	memcpy(mant, buf, ml);
	mant[ml] = 0;
	if (strchr(mant, '.')) {
		while (ml > 0 && mant[ml - 1] == '0') mant[--ml] = 0;
		if (ml > 0 && mant[ml - 1] == '.') mant[--ml] = 0;
	}
	int ex = atoi(e + 1);
	snprintf(out, outsz, "%se%c%d", mant, ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	/* days since 1970-01-01 -> proleptic Gregorian (H. Hinnant's algorithm) */
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static void put_date(FILE *o, int64_t days1970)
{
	int64_t y;
	int m, d;
	civil_from_days(days1970, &y, &m, &d);
	fprintf(o, "%04lld-%02d-%02d", (long long)y, m, d);
}

static void put_time(FILE *o, int64_t us)
{
	fprintf(o, "%02lld:%02lld:%02lld.%06lld", (long long)(us / 3600000000LL), (long long)(us / 60000000LL % 60),
	        (long long)(us / 1000000LL % 60), (long long)(us % 1000000LL));
}

static void put_timestamp(FILE *o, int64_t us_pg)
{
	/* µs since 2000-01-01 -> since 1970, then split with floor division */
	__int128 us = (__int128)us_pg + (__int128)PG_EPOCH_DAYS * 86400000000LL;
	int64_t days = (int64_t)(us / 86400000000LL);
	__int128 rem = us % 86400000000LL;
	if (rem < 0) { rem += 86400000000LL; days--; }
	put_date(o, days);
	fputc(' ', o);
	put_time(o, (int64_t)rem);
}

/*
 * A JSON number from Ferry's nested rendering. Integers without fraction or
 * exponent stay as they are; any other number is parsed as a double and, when
 * it is integral and below 2^53 in magnitude, printed as an integer, else with
 * canon_double. (Ferry prints a float 1.0 inside json as 1 and DuckDB hands
 * JS the number 1 for it: the JSON value is the same number either way.)
 */
static void canon_json_number(FILE *o, const char *p, size_t n)
{
	bool intlike = true;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '.' || p[i] == 'e' || p[i] == 'E') intlike = false;
	if (intlike) {
		fwrite(p, 1, n, o);
		return;
	}
	char tmp[128];
	if (n >= sizeof(tmp)) n = sizeof(tmp) - 1;
	memcpy(tmp, p, n);
	tmp[n] = 0;
	double d = strtod(tmp, NULL);
	if (d == floor(d) && fabs(d) < 9007199254740992.0 && !(d == 0 && signbit(d))) {
		fprintf(o, "%.0f", d);
		return;
	}
	char c[64];
	canon_double(d, c, sizeof(c));
	fputs(c, o);
}

/* Re-emit Ferry's json text compactly (whitespace outside strings dropped), numbers canonical. */
static void put_json(FILE *o, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		char c = p[i];
		if (c == '"') {
			size_t j = i + 1;
			while (j < n && p[j] != '"') j += p[j] == '\\' ? 2 : 1;
			if (j >= n) j = n - 1;
			/* the JSON string as written (its escapes are JSON's); only \t \n \\ need
			 * no care here because JSON already escapes control characters */
			put_escaped(o, p + i, j + 1 - i);
			i = j + 1;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i + 1;
			while (j < n && (isdigit((unsigned char)p[j]) || p[j] == '.' || p[j] == 'e' || p[j] == 'E' ||
			                 p[j] == '+' || p[j] == '-'))
				j++;
			canon_json_number(o, p + i, j - i);
			i = j;
		} else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			i++;
		} else {
			fputc(c, o);
			i++;
		}
	}
}

static void put_value(FILE *o, const parquet_column *col, const vector *v, int row, const fmt_settings *fs)
{
	if (vector_is_null(v, row)) {
		fputs("\\N", o);
		return;
	}
	const void *p = vector_at(v, row);
	char buf[64];
	switch (v->type.id) {
	case TYPE_BOOL: fputs(*(const uint8_t *)p ? "true" : "false", o); return;
	case TYPE_INT2: fprintf(o, "%d", *(const int16_t *)p); return;
	case TYPE_INT4: fprintf(o, "%d", *(const int32_t *)p); return;
	case TYPE_INT8: fprintf(o, "%lld", (long long)*(const int64_t *)p); return;
	case TYPE_FLOAT4: canon_double((double)*(const float *)p, buf, sizeof(buf)); fputs(buf, o); return;
	case TYPE_FLOAT8: canon_double(*(const double *)p, buf, sizeof(buf)); fputs(buf, o); return;
	case TYPE_DATE: put_date(o, (int64_t)*(const int32_t *)p + PG_EPOCH_DAYS); return;
	case TYPE_TIME: put_time(o, *(const int64_t *)p); return;
	case TYPE_TIMESTAMP: put_timestamp(o, *(const int64_t *)p); return;
	case TYPE_TIMESTAMPTZ: put_timestamp(o, *(const int64_t *)p); fputs("+00", o); return;
	case TYPE_BYTEA: {
		const fstring *s = p;
		for (uint32_t i = 0; i < s->len; i++) fprintf(o, "%02x", (unsigned char)s->ptr[i]);
		return;
	}
	case TYPE_JSON:
	case TYPE_JSONB:
		if (col->nested) {
			const fstring *s = p;
			put_json(o, s->ptr, s->len);
			return;
		}
		/* a flat JSON-annotated string is compared as text */
		__attribute__((fallthrough));
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR: {
		const fstring *s = p;
		put_escaped(o, s->ptr, s->len);
		return;
	}
	default: {
		/* numeric, uuid (and anything else): Ferry's own text output */
		strbuf sb = STRBUF_INIT;
		value_out_text(v->type, p, fs, &sb);
		put_escaped(o, sb.data ? sb.data : "", sb.len);
		sb_free(&sb);
		return;
	}
	}
}

static ferr *dump(const char *path, FILE *o, long long *nrows)
{
	parquet_input in;
	TRY(parquet_input_open_local(path, &in));
	arena *a = arena_create(NULL, "parquet_dump");
	parquet_file *f = NULL;
	ferr *e = parquet_open(&in, NULL, a, &f);
	if (!e) {
		for (int c = 0; c < f->ncols; c++) {
			if (c) fputc('\t', o);
			put_escaped(o, f->cols[c].name, strlen(f->cols[c].name));
		}
		fputc('\n', o);
	}
	int *cols = NULL;
	if (!e) {
		cols = arena_alloc(a, sizeof(int) * (size_t)(f->ncols + 1));
		for (int i = 0; i < f->ncols; i++) cols[i] = i;
	}
	fmt_settings fs;
	fmt_settings_default(&fs);
	arena *ba = arena_create(a, "batches");
	for (int g = 0; !e && g < f->nrow_groups; g++) {
		parquet_reader *r = NULL;
		e = parquet_reader_open(f, g, cols, f->ncols, a, &r);
		batch *b;
		while (!e && !(e = parquet_reader_next(r, ba, &b)) && b) {
			for (int i = 0; i < b->count; i++) {
				int row = batch_row(b, i);
				for (int c = 0; c < b->ncols; c++) {
					if (c) fputc('\t', o);
					put_value(o, &f->cols[c], &b->cols[c], row, &fs);
				}
				fputc('\n', o);
				(*nrows)++;
			}
			arena_reset(ba);
		}
		if (r) parquet_reader_close(r);
	}
	arena_destroy(a);
	parquet_input_close(&in);
	return e;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: parquet_dump FILE\n");
		return 2;
	}
	long long n = 0;
	ferr *e = dump(argv[1], stdout, &n);
	if (fflush(stdout) != 0) {
		perror("parquet_dump: stdout");
		return 1;
	}
	if (e) {
		fprintf(stderr, "ERROR %s: %s\n", e->sqlstate, e->message);
		ferr_free(e);
		return 1;
	}
	fprintf(stderr, "%lld rows\n", n);
	return 0;
}
