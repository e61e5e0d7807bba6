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
