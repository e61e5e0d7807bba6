/*
 * types_internal.h — helpers shared by the type table, casts, functions and
 * aggregates of exec/ (numeric scaling, calendar arithmetic, time zones).
 * Not a public seam: only exec/types.c, cast.c, functions.c, expr.c and
 * agg_funcs.c include it.
 */
#ifndef FERRY_TYPES_INTERNAL_H
#define FERRY_TYPES_INTERNAL_H

#include "exec/types.h"

#define NUMERIC_MAX_PRECISION 38
#define USECS_PER_SEC INT64_C(1000000)
#define USECS_PER_DAY INT64_C(86400000000)
/* PostgreSQL's infinity markers for date and timestamp. */
#define DATE_NOBEGIN INT32_MIN
#define DATE_NOEND INT32_MAX
#define TS_NOBEGIN INT64_MIN
#define TS_NOEND INT64_MAX

typedef __int128 i128;

/* 10^n for n in 0..38. */
i128 num_pow10(int n);
/* Load a numeric value (narrow or wide) as a scaled int128. */
i128 num_load(ftype t, const void *v);
/* Store a scaled int128 in t's layout; 22003 if it exceeds t's precision. */
ferr *num_store(ftype t, i128 v, void *out);
/* Change scale, rounding half away from zero; false on overflow. */
bool num_rescale(i128 v, int from, int to, i128 *out);
/* Digits of |v| (0 has 1 digit). */
int num_digits(i128 v);
/*
 * Numeric values with a scale of their own. A value of a numeric type with
 * a per-value scale (numeric_has_value_scale) is stored as one int128:
 * mantissa << NUM_DS_BITS | scale, with a mantissa of at most
 * NUM_DS_MAX_DIGITS digits. num_load_ds gives the mantissa and its scale for
 * any numeric type (the type's scale when it has no per-value scale).
 * num_store_ds stores mantissa v of scale `scale`: into a fixed-scale type
 * rounded to the type's scale (22003 beyond its precision); into a per-value
 * type as it is, or rounded to fewer decimals when it has more than
 * NUM_DS_MAX_DIGITS digits (22003 if even its integer part is too long).
 * num_load and num_store on a per-value type see it at the type's nominal
 * scale (16).
 */
#define NUM_DS_BITS 7
#define NUM_DS_MAX_DIGITS 36
#define NUM_DS_MAX_SCALE 127
i128 num_load_ds(ftype t, const void *v, int *scale);
ferr *num_store_ds(ftype t, i128 v, int scale, void *out);
/* Compare a/10^sa with b/10^sb. */
int num_cmp_ds(i128 a, int sa, i128 b, int sb);
/* PostgreSQL's select_div_scale for a/10^sa divided by b/10^sb. */
int num_div_scale(i128 a, int sa, i128 b, int sb);
/* Append the decimal text of v with scale digits after the point. */
void num_to_text(i128 v, int scale, strbuf *out);

/* UTC offset (seconds east) of zone at a UTC instant (micros since 2000). */
long tz_offset_at_utc(const fmt_settings *fs, int64_t utc_micros);
/* Offset for a local wall-clock time (micros since 2000, local). */
long tz_offset_for_local(const fmt_settings *fs, int64_t local_micros);
/* Resolve a zone name ("UTC", "+05:30", "Europe/Paris"); false if unknown. */
bool tz_lookup(const char *name, long *fixed_offset, bool *is_fixed);

/* Days in month m of year y. */
int date_days_in_month(int y, int m);
/* Split micros since 2000-01-01 into days and time of day (floor). */
void ts_split(int64_t ts, int32_t *days, int64_t *tod);

/* timestamp(tz) text input; *zone_given tells whether the text named a zone
 * (a timestamptz without one is in the session's zone: see cast.c). */
ferr *timestamp_in_zone(ftype t, const char *s, size_t len, int64_t *out, bool *zone_given);
/* The same with ambiguous dates read in DATEORDER_* order. */
ferr *timestamp_in_zone_order(ftype t, const char *s, size_t len, int dateorder, int64_t *out,
                              bool *zone_given);
/* Offset (seconds east) and abbreviation ("PDT", "-08", "" for some POSIX
 * zones) of the session zone at a UTC instant; abbrev points to static data. */
long tz_info_at_utc(const fmt_settings *fs, int64_t utc_micros, const char **abbrev);

/* json: validate and keep the text; jsonb: validate and normalise (types_json.c). */
ferr *json_in(ftype t, const char *s, size_t len, arena *a, fstring *out);

/* Text/binary out for the float types with session digits. */
void float8_out(double d, int extra_digits, strbuf *out);
void float4_out(float f, int extra_digits, strbuf *out);

/* Names used in error messages: "integer", "double precision". */
const char *type_err_name(ftype t);

#endif
