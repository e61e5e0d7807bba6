/*
 * functions_datetime.h — to_char, to_date, to_timestamp, to_number,
 * justify_*, isfinite, make_*, clock_timestamp, timeofday, timezone (AT
 * TIME ZONE) and the values behind now() (functions_datetime.c), plugged into the
 * function library by one hook in func_lookup_ex, func_eval and func_name.
 * Ops are numbered from FOP_DATETIME_FIRST, above the catalog functions.
 */
#ifndef FERRY_FUNCTIONS_DATETIME_H
#define FERRY_FUNCTIONS_DATETIME_H

#include "exec/expr.h"

#define FOP_DATETIME_FIRST 1500

/* Resolve lower-case name(args) if it is one of ours; false: not ours. */
bool func_datetime_lookup(const char *lname, int nargs, const ftype *args, func_match *out);
ferr *func_datetime_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b,
                         arena *a, vector *out);
const char *func_datetime_name(int func);
/* Whether func must run at each call (clock_timestamp, timeofday): never
 * folded to a constant at plan time. */
bool func_datetime_volatile(int func);

/*
 * The SQL value functions at instant utc (microseconds since 2000-01-01
 * UTC) in the session zone of fs, rounded to precision fractional digits
 * (-1: not rounded; above 6 is 6): FDT_VALUE_DATE gives current_date's
 * days, FDT_VALUE_TIMESTAMPTZ current_timestamp, FDT_VALUE_TIMESTAMP
 * localtimestamp and FDT_VALUE_TIME localtime (microseconds of the day).
 * current_time (FDT_VALUE_TIMETZ) is func_datetime_timetz: localtime with
 * the session zone's offset.
 */
enum { FDT_VALUE_DATE, FDT_VALUE_TIMESTAMPTZ, FDT_VALUE_TIMESTAMP, FDT_VALUE_TIME, FDT_VALUE_TIMETZ };
int64_t func_datetime_value(int kind, int64_t utc, int precision, const fmt_settings *fs);
ftimetz func_datetime_timetz(int64_t utc, int precision, const fmt_settings *fs);

/*
 * One extract()/date_part() field (name as functions.c's field table spells
 * it) of a value of type dom, as PostgreSQL 15's extract_date,
 * time_part_common, timestamp_part_common and interval_part_common give it:
 * ts is the local timestamp (DATE: its midnight; TIMESTAMPTZ: shifted by
 * tz_east seconds, the session offset at that instant, except for epoch,
 * which takes UTC), tod-only for TIME; iv for INTERVAL. The value is
 * *mant at *scale decimals (extract's numeric) and *dbl (date_part). A field
 * the type has not is 0A000 ("unit ... not supported for type ...").
 */
ferr *func_datetime_field(const char *name, type_id dom, int64_t ts, const finterval *iv, long tz_east,
                          __int128 *mant, int *scale, double *dbl);

#endif
