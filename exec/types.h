/*
 * types.h — Ferry's SQL types, their in-memory value layout and the one
 * table that describes each (PostgreSQL OID, text and binary in/out,
 * compare, hash). Nothing else switches on types by hand: code that needs
 * per-type behaviour goes through type_info().
 *
 * Value layout inside vectors (and in fvalue):
 *   BOOL uint8_t (0/1)         INT2 int16_t   INT4 int32_t   INT8 int64_t
 *   FLOAT4 float               FLOAT8 double
 *   NUMERIC  int64_t scaled by 10^scale when precision <= 18, else __int128
 *            (numeric_is_wide()); precision and scale come from the type
 *   TEXT/VARCHAR/BPCHAR/BYTEA/JSON/JSONB  fstring
 *   DATE int32_t days since 2000-01-01
 *   TIME int64_t microseconds since midnight
 *   TIMESTAMP/TIMESTAMPTZ int64_t microseconds since 2000-01-01 00:00 (UTC for tz)
 *   TIMETZ   ftimetz: local time of day and its zone (seconds WEST, as PostgreSQL)
 *   INTERVAL finterval         UUID fuuid
 *   ARRAY    fstring holding the packed encoding of exec/array.h; the
 *            element type is ftype.elem, its modifier precision/scale/length
 */
#ifndef FERRY_TYPES_H
#define FERRY_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"

/* PostgreSQL type OIDs (pg_type.dat). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_CHAR 18
#define OID_NAME 19
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_OID 26
#define OID_JSON 114
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_UNKNOWN 705
#define OID_BPCHAR 1042
#define OID_VARCHAR 1043
#define OID_DATE 1082
#define OID_TIME 1083
#define OID_TIMESTAMP 1114
#define OID_TIMESTAMPTZ 1184
#define OID_TIMETZ 1266
#define OID_INTERVAL 1186
#define OID_NUMERIC 1700
#define OID_UUID 2950
#define OID_JSONB 3802
/* Array types (pg_type.dat's _int4 & co.): see exec/array.h. */
#define OID_BOOL_ARRAY 1000
#define OID_BYTEA_ARRAY 1001
#define OID_NAME_ARRAY 1003
#define OID_INT2_ARRAY 1005
#define OID_INT4_ARRAY 1007
#define OID_TEXT_ARRAY 1009
#define OID_BPCHAR_ARRAY 1014
#define OID_VARCHAR_ARRAY 1015
#define OID_INT8_ARRAY 1016
#define OID_FLOAT4_ARRAY 1021
#define OID_FLOAT8_ARRAY 1022
#define OID_OID_ARRAY 1028
#define OID_TIMESTAMP_ARRAY 1115
#define OID_DATE_ARRAY 1182
#define OID_TIME_ARRAY 1183
#define OID_TIMESTAMPTZ_ARRAY 1185
#define OID_INTERVAL_ARRAY 1187
#define OID_TIMETZ_ARRAY 1270
#define OID_NUMERIC_ARRAY 1231
#define OID_UUID_ARRAY 2951
#define OID_JSON_ARRAY 199
#define OID_JSONB_ARRAY 3807
/* record and record[]: only the SEARCH columns of WITH RECURSIVE (exec/array.h) */
#define OID_RECORD 2249
#define OID_RECORD_ARRAY 2287
/* oid and the reg* types (see FTYPE_REG_OID below). */
#define OID_REGPROC 24
#define OID_REGPROCEDURE 2202
#define OID_REGCLASS 2205
#define OID_REGTYPE 2206
#define OID_REGNAMESPACE 4089
#define OID_REGROLE 4096

typedef enum type_id {
	TYPE_NULL = 0, /* type of an untyped NULL literal; never stored */
	TYPE_BOOL,
	TYPE_INT2,
	TYPE_INT4,
	TYPE_INT8,
	TYPE_FLOAT4,
	TYPE_FLOAT8,
	TYPE_NUMERIC,
	TYPE_TEXT,
	TYPE_VARCHAR,
	TYPE_BPCHAR,
	TYPE_BYTEA,
	TYPE_DATE,
	TYPE_TIME,
	TYPE_TIMESTAMP,
	TYPE_TIMESTAMPTZ,
	TYPE_INTERVAL,
	TYPE_UUID,
	TYPE_JSON,
	TYPE_JSONB,
	TYPE_ARRAY, /* one-dimensional array of ftype.elem (exec/array.h) */
	TYPE_UNKNOWN, /* string literal whose type is not yet decided */
	TYPE_TIMETZ,  /* time with time zone (ftimetz) */
	TYPE__COUNT
} type_id;

/*
 * A type with its modifier. For NUMERIC, precision/scale (precision 0 means
 * unconstrained: stored wide, scale as given); for VARCHAR/BPCHAR, length
 * (-1 unlimited). For ARRAY, elem is the element's type_id and
 * precision/scale/length are the element's modifier.
 */
typedef struct ftype {
	type_id id;
	int16_t precision;
	int16_t scale;
	int32_t length;
	uint8_t elem; /* TYPE_ARRAY only: element type_id */
} ftype;

typedef struct fstring {
	uint32_t len;
	const char *ptr; /* not NUL-terminated; points into an arena */
} fstring;

typedef struct finterval {
	int64_t micros;
	int32_t days;
	int32_t months;
} finterval;

/* time with time zone: PostgreSQL's TimeTzADT (compares by UTC instant, then zone). */
typedef struct ftimetz {
	int64_t time; /* microseconds since local midnight, 0..24:00 */
	int32_t zone; /* seconds WEST of UTC */
	int32_t pad;  /* zero */
} ftimetz;

typedef struct fuuid {
	uint8_t b[16];
} fuuid;

/* One value outside a vector: constants, parameters, statistics. */
typedef struct fvalue {
	bool isnull;
	union {
		bool b;
		int64_t i; /* INT2/4/8, DATE, TIME, TIMESTAMP(TZ), narrow NUMERIC */
		double f;  /* FLOAT4/8 */
		__int128 n; /* wide NUMERIC */
		fstring s;
		finterval iv;
		fuuid uuid;
		ftimetz tt;
	} u;
} fvalue;

/* Session settings that change text output (DateStyle, TimeZone, ...). */
typedef struct fmt_settings {
	int extra_float_digits; /* PostgreSQL default 1 = shortest exact */
	int datestyle;          /* DATESTYLE_*: output style of date/time values */
	int dateorder;          /* DATEORDER_*: field order for output and ambiguous input */
	const char *timezone;   /* TimeZone as SHOW prints it (see tz_session_canonical) */
	long tz_offset_secs;    /* resolved fixed offset used for timestamptz output */
	int intervalstyle;      /* INTERVALSTYLE_* */
	bool bytea_hex;         /* bytea_output = hex */
	/* Where reg* values are looked up (catalog, search_path, user; NULL: defaults). */
	const char *reg_catalog, *reg_search_path, *reg_user;
} fmt_settings;

/* DateStyle, first part (output style) and second part (field order). Zero is
 * PostgreSQL's default "ISO, MDY", so a zeroed fmt_settings is valid. */
#define DATESTYLE_ISO 0
#define DATESTYLE_POSTGRES 1
#define DATESTYLE_SQL 2
#define DATESTYLE_GERMAN 3
#define DATEORDER_MDY 0
#define DATEORDER_DMY 1
#define DATEORDER_YMD 2
#define INTERVALSTYLE_POSTGRES 0
#define INTERVALSTYLE_POSTGRES_VERBOSE 1
#define INTERVALSTYLE_SQL_STANDARD 2
#define INTERVALSTYLE_ISO_8601 3

/*
 * DateStyle as PostgreSQL's check_datestyle reads it: a comma list of
 * ISO|SQL|Postgres|German, MDY|DMY|YMD, US|NonEuro[pean], Euro[pean] and
 * Default, case-insensitive. *style and *order hold the current values on
 * entry and the new ones on return (a part not named is kept; German alone
 * also sets DMY). On failure returns false and sets *detail to PostgreSQL's
 * DETAIL text. fmt_datestyle_show prints the pair as SHOW does: "Postgres, MDY".
 */
bool fmt_datestyle_parse(const char *value, int *style, int *order, const char **detail);
void fmt_datestyle_show(int style, int order, char *buf, size_t bufsz);
/* IntervalStyle name (case-insensitive) to INTERVALSTYLE_*, or -1. */
int fmt_intervalstyle_parse(const char *value);
/*
 * TimeZone as PostgreSQL accepts it: a zoneinfo name (any case; the result
 * is spelled as on disk), a number of hours east ("-8" becomes "<-08>+08"),
 * or a POSIX zone without DST rules ("EST5", "<+03>-3", "-03:00", which are
 * hours WEST as in POSIX). Writes what SHOW prints into buf; false if unknown.
 */
bool tz_session_canonical(const char *value, char *buf, size_t bufsz);

typedef struct type_info {
	type_id id;
	const char *name; /* PostgreSQL's format_type name: "integer", "character varying" */
	uint32_t oid;
	int16_t typlen; /* RowDescription type size: -1 varlena */
	int16_t width;  /* bytes per value in a vector */
	bool byval;
} type_info;

const type_info *type_info_of(type_id id);
ftype ftype_make(type_id id);
ftype ftype_numeric(int precision, int scale);
ftype ftype_varchar(int length);
bool ftype_equal(ftype a, ftype b);
/* PostgreSQL's display of the type: numeric(12,2), character varying(25). */
void ftype_format(ftype t, strbuf *out);
uint32_t ftype_oid(ftype t);
/* RowDescription typmod: -1 or PostgreSQL's encoding (e.g. varchar len+4). */
int32_t ftype_typmod(ftype t);
/* From a PostgreSQL OID and typmod (parameters, sources); false if unknown. */
bool ftype_from_oid(uint32_t oid, int32_t typmod, ftype *out);
/* Parse a type name as written in SQL ("int", "varchar", "numeric"). */
bool ftype_from_name(const char *name, ftype *out);
static inline bool numeric_is_wide(ftype t) { return t.precision == 0 || t.precision > 18; }
/*
 * Unconstrained numeric whose values carry their own display scale, as every
 * value of PostgreSQL's numeric does (dscale). It is what avg() and numeric
 * division return, and what arithmetic on such a value returns. The type is
 * numeric(0, 16) with length NUMERIC_VALUE_SCALE; each value packs its
 * mantissa and scale into 16 bytes (see num_load_ds in exec/types_internal.h).
 */
#define NUMERIC_VALUE_SCALE 1
ftype ftype_numeric_value_scale(void);
static inline bool numeric_has_value_scale(ftype t)
{
	return t.id == TYPE_NUMERIC && t.length == NUMERIC_VALUE_SCALE;
}
size_t ftype_width(ftype t);
/*
 * The type of a cast to bare "numeric" (no typmod) from a value of type
 * from: integers get numeric(0,0), numerics keep their type, and
 * everything else (floats, text) the per-value-scale numeric, so that each
 * value keeps the digits it has, as in PostgreSQL.
 */
ftype ftype_unconstrained_numeric_for(ftype from);

/*
 * oid, regclass, regtype, regproc, regprocedure, regnamespace and regrole
 * are bigint values (the OID) told apart by ftype.length, one FTYPE_REG_*
 * kind each (a plain bigint has length -1): every operator, comparison,
 * hash and cast between them is bigint's, while RowDescription, format_type
 * and text in/out are the type's own. Names are resolved through hooks the
 * catalog emulation registers (type_set_reg_hooks), so this module stays
 * free of catalog code; without hooks the number is printed and read.
 */
enum { FTYPE_REG_OID = 1, FTYPE_REG_CLASS, FTYPE_REG_TYPE, FTYPE_REG_PROC, FTYPE_REG_PROCEDURE,
       FTYPE_REG_NAMESPACE, FTYPE_REG_ROLE, FTYPE_REG__COUNT };
ftype ftype_reg(int kind);
/* The FTYPE_REG_* kind of t, 0 when t is no oid/reg* type. */
static inline int ftype_reg_kind(ftype t)
{
	return t.id == TYPE_INT8 && t.length > 0 && t.length < FTYPE_REG__COUNT ? t.length : 0;
}
/* out: append the name of oid (false: no such object, the number is printed).
 * in: the OID a name denotes, or the error PostgreSQL raises (42P01...). */
typedef bool (*reg_out_fn)(int kind, int64_t oid, const fmt_settings *fs, strbuf *out);
typedef ferr *(*reg_in_fn)(int kind, const char *s, size_t len, const fmt_settings *fs,
                           int64_t *oid);
void type_set_reg_hooks(reg_out_fn out, reg_in_fn in);

/*
 * name (PostgreSQL's identifier type, OID 19) is text told apart by
 * ftype.length == FTYPE_TEXT_NAME (text has no length otherwise): values,
 * operators and casts are text's, RowDescription and format_type say name.
 * The catalog emulation's identifier columns (information_schema's
 * sql_identifier, a domain over name) have it.
 */
#define FTYPE_TEXT_NAME 64
ftype ftype_name(void);
static inline bool ftype_is_name(ftype t)
{
	return t.id == TYPE_TEXT && t.length == FTYPE_TEXT_NAME;
}

/* Text output exactly as PostgreSQL prints it. v must not be null. */
void value_out_text(ftype t, const void *v, const fmt_settings *fs, strbuf *out);
/* Binary send format (without the length word). */
void value_out_binary(ftype t, const void *v, strbuf *out);
/* Text input: parse into *v (width ftype_width(t)); strings are copied into a.
 * Ambiguous dates (01/02/2024) are read month first (DateStyle MDY). */
ferr *value_in_text(ftype t, const char *s, size_t len, arena *a, void *v);
/* The same, reading ambiguous dates in fs->dateorder (fs may be NULL: MDY). */
ferr *value_in_text_fs(ftype t, const char *s, size_t len, arena *a, void *v, const fmt_settings *fs);
/* Binary receive format. */
ferr *value_in_binary(ftype t, const char *p, size_t len, arena *a, void *v);
/* Total order used by sort and compare (NULLs handled by callers). */
int value_compare(ftype t, const void *a, const void *b);
uint64_t value_hash(ftype t, const void *v);

/* Pointer to the payload of an fvalue in the vector layout for type t. */
const void *fvalue_ptr(ftype t, const fvalue *v);

/* Default settings PostgreSQL starts a session with. */
void fmt_settings_default(fmt_settings *fs);

/* Calendar helpers (proleptic Gregorian, PostgreSQL's epoch 2000-01-01). */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);

#endif
