/*
 * datetime_fmt.h — PostgreSQL's formatting templates (formatting.c's
 * to_char, to_timestamp, to_date and to_number) over broken-down values:
 * no vectors, no sessions, so the template engine is unit-testable alone.
 * Bad templates and bad input give errors with PostgreSQL's SQLSTATEs and
 * wording; nothing here may read outside the given lengths.
 */
#ifndef FERRY_DATETIME_FMT_H
#define FERRY_DATETIME_FMT_H

#include "exec/types_internal.h"

/* A broken-down timestamp or interval, as to_char sees it. */
typedef struct dtfmt_tm {
	int64_t year;     /* astronomical (0 = 1 BC); interval: whole years */
	int mon;          /* 1..12; interval: months beyond the years (may be < 0) */
	int64_t mday;     /* interval: days */
	int64_t hour;     /* interval: may exceed 23 or be negative */
	int min, sec;
	int usec;
	int wday;         /* 0 = Sunday */
	int yday;         /* 1-based */
	int32_t days;     /* days since 2000-01-01 (ISO week computations) */
	bool is_interval;
	long gmtoff;      /* seconds east of UTC */
	const char *tzn;  /* zone abbreviation; NULL for timestamp without time zone */
} dtfmt_tm;

/* Fill tm from micros since 2000 (a local wall-clock time). */
void dtfmt_tm_from_ts(int64_t local, dtfmt_tm *tm);
/* Fill tm from an interval. */
void dtfmt_tm_from_interval(const finterval *iv, dtfmt_tm *tm);

/* Append to_char(value, template) to out; 22007 for what a template cannot print. */
ferr *dtfmt_to_char(const char *fmt, size_t flen, const dtfmt_tm *tm, strbuf *out);

/* What to_timestamp/to_date read from a string. */
typedef struct dtfmt_parsed {
	int64_t local;   /* micros since 2000, wall-clock */
	bool has_tz;     /* TZH/TZM/OF given: tzoff applies */
	long tzoff;      /* seconds east of UTC */
} dtfmt_parsed;

/* Parse s against fmt as to_timestamp does (to_date uses the day of the result). */
ferr *dtfmt_parse(const char *s, size_t slen, const char *fmt, size_t flen, bool date_only,
                  dtfmt_parsed *out);

/*
 * to_char over a number given as decimal digits: v / 10^scale.
 * is_float: the value came from a float (EEEE and rounding follow its digits).
 */
ferr *dtfmt_num_to_char(const char *fmt, size_t flen, i128 v, int scale, strbuf *out);
/* to_char of a double precision value (NaN and infinities print as PostgreSQL does). */
ferr *dtfmt_float_to_char(const char *fmt, size_t flen, double d, strbuf *out);
/* to_number: a numeric mantissa and scale read from s against fmt. */
ferr *dtfmt_to_number(const char *s, size_t slen, const char *fmt, size_t flen, i128 *v, int *scale);

#endif
