/*
 * types.c — the type table and every per-type routine: PostgreSQL-exact text
 * and binary input/output, ordering and hashing, calendar and time zones.
 * It must never accept input PostgreSQL rejects, nor abort on bad input:
 * every failure is a ferr with PostgreSQL's SQLSTATE and message.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/array.h"
#include "exec/types_internal.h"

static const type_info type_table[TYPE__COUNT] = {
	[TYPE_NULL] = {TYPE_NULL, "unknown", OID_UNKNOWN, -2, 1, true},
	[TYPE_BOOL] = {TYPE_BOOL, "boolean", OID_BOOL, 1, 1, true},
	[TYPE_INT2] = {TYPE_INT2, "smallint", OID_INT2, 2, 2, true},
	[TYPE_INT4] = {TYPE_INT4, "integer", OID_INT4, 4, 4, true},
	[TYPE_INT8] = {TYPE_INT8, "bigint", OID_INT8, 8, 8, true},
	[TYPE_FLOAT4] = {TYPE_FLOAT4, "real", OID_FLOAT4, 4, 4, true},
	[TYPE_FLOAT8] = {TYPE_FLOAT8, "double precision", OID_FLOAT8, 8, 8, true},
	[TYPE_NUMERIC] = {TYPE_NUMERIC, "numeric", OID_NUMERIC, -1, 8, true},
	[TYPE_TEXT] = {TYPE_TEXT, "text", OID_TEXT, -1, sizeof(fstring), false},
	[TYPE_VARCHAR] = {TYPE_VARCHAR, "character varying", OID_VARCHAR, -1, sizeof(fstring), false},
	[TYPE_BPCHAR] = {TYPE_BPCHAR, "character", OID_BPCHAR, -1, sizeof(fstring), false},
	[TYPE_BYTEA] = {TYPE_BYTEA, "bytea", OID_BYTEA, -1, sizeof(fstring), false},
	[TYPE_DATE] = {TYPE_DATE, "date", OID_DATE, 4, 4, true},
	[TYPE_TIME] = {TYPE_TIME, "time without time zone", OID_TIME, 8, 8, true},
	[TYPE_TIMESTAMP] = {TYPE_TIMESTAMP, "timestamp without time zone", OID_TIMESTAMP, 8, 8, true},
	[TYPE_TIMESTAMPTZ] = {TYPE_TIMESTAMPTZ, "timestamp with time zone", OID_TIMESTAMPTZ, 8, 8, true},
	[TYPE_INTERVAL] = {TYPE_INTERVAL, "interval", OID_INTERVAL, 16, sizeof(finterval), false},
	[TYPE_UUID] = {TYPE_UUID, "uuid", OID_UUID, 16, sizeof(fuuid), false},
	[TYPE_JSON] = {TYPE_JSON, "json", OID_JSON, -1, sizeof(fstring), false},
	[TYPE_JSONB] = {TYPE_JSONB, "jsonb", OID_JSONB, -1, sizeof(fstring), false},
	/* OID and name depend on the element: ftype_oid, ftype_format */
	[TYPE_ARRAY] = {TYPE_ARRAY, "array", 0, -1, sizeof(fstring), false},
	[TYPE_UNKNOWN] = {TYPE_UNKNOWN, "unknown", OID_UNKNOWN, -2, sizeof(fstring), false},
	[TYPE_TIMETZ] = {TYPE_TIMETZ, "time with time zone", OID_TIMETZ, 12, sizeof(ftimetz), false},
};

/* oid and reg* types by FTYPE_REG_* kind: format_type name and OID. */
static const struct {
	const char *name;
	uint32_t oid;
} reg_types[FTYPE_REG__COUNT] = {
	[FTYPE_REG_OID] = {"oid", OID_OID},
	[FTYPE_REG_CLASS] = {"regclass", OID_REGCLASS},
	[FTYPE_REG_TYPE] = {"regtype", OID_REGTYPE},
	[FTYPE_REG_PROC] = {"regproc", OID_REGPROC},
	[FTYPE_REG_PROCEDURE] = {"regprocedure", OID_REGPROCEDURE},
	[FTYPE_REG_NAMESPACE] = {"regnamespace", OID_REGNAMESPACE},
	[FTYPE_REG_ROLE] = {"regrole", OID_REGROLE},
};
static reg_out_fn reg_out_hook;
static reg_in_fn reg_in_hook;

void type_set_reg_hooks(reg_out_fn out, reg_in_fn in)
{
	reg_out_hook = out;
	reg_in_hook = in;
}

ftype ftype_reg(int kind)
{
	ftype t = {TYPE_INT8, 0, 0, kind};
	return t;
}

ftype ftype_name(void)
{
	ftype t = {TYPE_TEXT, 0, 0, FTYPE_TEXT_NAME, 0};
	return t;
}

const type_info *type_info_of(type_id id)
{
	if ((int)id < 0 || id >= TYPE__COUNT) return &type_table[TYPE_NULL];
	return &type_table[id];
}

ftype ftype_make(type_id id)
{
	ftype t = {id, 0, 0, -1, 0};
	return t;
}

ftype ftype_numeric(int precision, int scale)
{
	ftype t = {TYPE_NUMERIC, (int16_t)precision, (int16_t)scale, -1, 0};
	return t;
}

ftype ftype_numeric_value_scale(void)
{
	ftype t = {TYPE_NUMERIC, 0, 16, NUMERIC_VALUE_SCALE, 0};
	return t;
}

ftype ftype_varchar(int length)
{
	ftype t = {TYPE_VARCHAR, 0, 0, length, 0};
	return t;
}

bool ftype_equal(ftype a, ftype b)
{
	if (a.id != b.id) return false;
	if (a.id == TYPE_ARRAY)
		return a.elem == b.elem && array_record_length(a) == array_record_length(b) &&
		       ftype_equal(ftype_array_elem(a), ftype_array_elem(b));
	if (a.id == TYPE_NUMERIC)
		return a.precision == b.precision && a.scale == b.scale &&
		       numeric_has_value_scale(a) == numeric_has_value_scale(b);
	if (a.id == TYPE_VARCHAR || a.id == TYPE_BPCHAR) return a.length == b.length;
	if (a.id == TYPE_INT8) return ftype_reg_kind(a) == ftype_reg_kind(b);
	return true;
}

void ftype_format(ftype t, strbuf *out)
{
	if (t.id == TYPE_ARRAY) {
		array_format_type(t, out);
		return;
	}
	if (ftype_is_name(t)) {
		sb_puts(out, "name");
		return;
	}
	sb_puts(out, ftype_reg_kind(t) ? reg_types[ftype_reg_kind(t)].name : type_info_of(t.id)->name);
	if (t.id == TYPE_NUMERIC && t.precision > 0)
		sb_printf(out, "(%d,%d)", t.precision, t.scale);
	else if ((t.id == TYPE_VARCHAR || t.id == TYPE_BPCHAR) && t.length >= 0)
		sb_printf(out, "(%d)", (int)t.length);
}

const char *type_err_name(ftype t)
{
	if (t.id == TYPE_ARRAY) {
		/* a few rotating buffers: messages name at most two types */
		static _Thread_local char names[4][96];
		static _Thread_local int next;
		char *buf = names[next++ & 3];
		strbuf sb = STRBUF_INIT;
		array_format_type(t, &sb);
		snprintf(buf, sizeof names[0], "%s", sb.data ? sb.data : "array");
		sb_free(&sb);
		return buf;
	}
	if (ftype_is_name(t)) return "name";
	return ftype_reg_kind(t) ? reg_types[ftype_reg_kind(t)].name : type_info_of(t.id)->name;
}

uint32_t ftype_oid(ftype t)
{
	if (array_record_length(t)) return array_record_length(t) == ARRAY_RECORD_ONE ? OID_RECORD : OID_RECORD_ARRAY;
	if (t.id == TYPE_ARRAY) return array_oid_of(ftype_array_elem(t));
	if (ftype_reg_kind(t)) return reg_types[ftype_reg_kind(t)].oid;
	if (ftype_is_name(t)) return OID_NAME;
	return type_info_of(t.id)->oid;
}

int32_t ftype_typmod(ftype t)
{
	if (t.id == TYPE_ARRAY) return ftype_typmod(ftype_array_elem(t)); /* atttypmod of an array is its element's */
	if (t.id == TYPE_NUMERIC && t.precision > 0) return ((t.precision << 16) | t.scale) + 4;
	if ((t.id == TYPE_VARCHAR || t.id == TYPE_BPCHAR) && t.length >= 0) return t.length + 4;
	return -1;
}

bool ftype_from_oid(uint32_t oid, int32_t typmod, ftype *out)
{
	for (int i = 1; i < TYPE__COUNT; i++) {
		if (type_table[i].oid != oid || i == TYPE_UNKNOWN) continue;
		*out = ftype_make((type_id)i);
		if (i == TYPE_NUMERIC) {
			if (typmod >= 4) {
				out->precision = (int16_t)(((typmod - 4) >> 16) & 0xffff);
				out->scale = (int16_t)((typmod - 4) & 0xffff);
			} else {
				/* Unconstrained numeric: Ferry fixes a scale per column. */
				out->precision = 0;
				out->scale = 6;
			}
		} else if ((i == TYPE_VARCHAR || i == TYPE_BPCHAR) && typmod >= 4) {
			out->length = typmod - 4;
		}
		return true;
	}
	for (int k = 1; k < FTYPE_REG__COUNT; k++)
		if (reg_types[k].oid == oid) {
			*out = ftype_reg(k);
			return true;
		}
	if (oid == OID_NAME) {
		*out = ftype_name();
		return true;
	}
	if (oid == OID_UNKNOWN || oid == OID_CHAR) {
		*out = ftype_make(TYPE_TEXT);
		return true;
	}
	return array_from_oid(oid, typmod, out);
}

static const struct {
	const char *name;
	type_id id;
} type_names[] = {
	{"bool", TYPE_BOOL}, {"boolean", TYPE_BOOL}, {"int2", TYPE_INT2}, {"smallint", TYPE_INT2},
	{"int", TYPE_INT4}, {"int4", TYPE_INT4}, {"integer", TYPE_INT4}, {"int8", TYPE_INT8},
	{"bigint", TYPE_INT8}, {"float4", TYPE_FLOAT4}, {"real", TYPE_FLOAT4},
	{"float8", TYPE_FLOAT8}, {"float", TYPE_FLOAT8}, {"double precision", TYPE_FLOAT8},
	{"numeric", TYPE_NUMERIC}, {"decimal", TYPE_NUMERIC}, {"text", TYPE_TEXT},
	{"varchar", TYPE_VARCHAR}, {"character varying", TYPE_VARCHAR}, {"bpchar", TYPE_BPCHAR},
	{"char", TYPE_BPCHAR}, {"character", TYPE_BPCHAR}, {"bytea", TYPE_BYTEA},
	{"date", TYPE_DATE}, {"time", TYPE_TIME}, {"time without time zone", TYPE_TIME},
	{"timetz", TYPE_TIMETZ}, {"time with time zone", TYPE_TIMETZ},
	{"timestamp", TYPE_TIMESTAMP}, {"timestamp without time zone", TYPE_TIMESTAMP},
	{"timestamptz", TYPE_TIMESTAMPTZ}, {"timestamp with time zone", TYPE_TIMESTAMPTZ},
	{"interval", TYPE_INTERVAL}, {"uuid", TYPE_UUID}, {"json", TYPE_JSON},
	{"jsonb", TYPE_JSONB},
};

bool ftype_from_name(const char *name, ftype *out)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
		if (strcasecmp(name, type_names[i].name) == 0) {
			*out = ftype_make(type_names[i].id);
			if (out->id == TYPE_NUMERIC) *out = ftype_numeric(0, 6);
			/* char without a length is char(1), as in PostgreSQL */
			if (out->id == TYPE_BPCHAR && strcasecmp(name, "bpchar") != 0) out->length = 1;
			return true;
		}
	}
	for (int k = 1; k < FTYPE_REG__COUNT; k++)
		if (strcasecmp(name, reg_types[k].name) == 0) {
			*out = ftype_reg(k);
			return true;
		}
	if (name[0] == '_') return array_from_type_name(name, out);
	return false;
}

ftype ftype_unconstrained_numeric_for(ftype from)
{
	switch (from.id) {
	case TYPE_INT2: case TYPE_INT4: case TYPE_INT8: return ftype_numeric(0, 0);
	case TYPE_NUMERIC: return numeric_has_value_scale(from) ? from : ftype_numeric(0, from.scale);
	/* floats and text carry their own digits: each value keeps its scale (PostgreSQL's) */
	default: return ftype_numeric_value_scale();
	}
}

size_t ftype_width(ftype t)
{
	if (t.id == TYPE_NUMERIC) return numeric_is_wide(t) ? sizeof(i128) : sizeof(int64_t);
	return (size_t)type_info_of(t.id)->width;
}

const void *fvalue_ptr(ftype t, const fvalue *v)
{
	/* fvalue keeps integers in an int64; little-endian makes the narrow
	 * views of u.i valid pointers for INT2/INT4/DATE. */
	switch (t.id) {
	case TYPE_BOOL: return &v->u.b;
	case TYPE_FLOAT4: {
		/* float needs its own storage: the union holds a double */
		static _Thread_local float f4[8];
		static _Thread_local int next;
		float *p = &f4[next++ & 7];
		*p = (float)v->u.f;
		return p;
	}
	case TYPE_FLOAT8: return &v->u.f;
	case TYPE_NUMERIC: return numeric_is_wide(t) ? (const void *)&v->u.n : (const void *)&v->u.i;
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_BYTEA: case TYPE_JSON:
	case TYPE_JSONB: case TYPE_UNKNOWN: case TYPE_ARRAY:
		return &v->u.s;
	case TYPE_INTERVAL: return &v->u.iv;
	case TYPE_UUID: return &v->u.uuid;
	case TYPE_TIMETZ: return &v->u.tt;
	default: return &v->u.i;
	}
}

void fmt_settings_default(fmt_settings *fs)
{
	fs->extra_float_digits = 1;
	fs->datestyle = DATESTYLE_ISO;
	fs->dateorder = DATEORDER_MDY;
	fs->timezone = "UTC";
	fs->tz_offset_secs = 0;
	fs->intervalstyle = INTERVALSTYLE_POSTGRES;
	fs->bytea_hex = true;
}

static const char *const datestyle_names[] = {"ISO", "Postgres", "SQL", "German"};
static const char *const dateorder_names[] = {"MDY", "DMY", "YMD"};

bool fmt_datestyle_parse(const char *value, int *style, int *order, const char **detail)
{
	int new_style = -1, new_order = -1;
	bool german = false;
	const char *p = value;
	*detail = "List syntax is invalid.";
	while (*p == ' ' || *p == '\t') p++;
	if (!*p) return true; /* an empty list changes nothing */
	for (;;) {
		/* one token of PostgreSQL's SplitIdentifierString: word or "quoted" */
		char tok[32];
		size_t n = 0;
		while (*p == ' ' || *p == '\t') p++;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (n + 1 < sizeof tok) tok[n++] = *p;
			if (*p != '"') return false;
			p++;
		} else {
			for (; *p && *p != ',' && *p != ' ' && *p != '\t'; p++)
				if (n + 1 < sizeof tok) tok[n++] = *p;
		}
		tok[n] = 0;
		if (!n) return false;
		int st = -1, od = -1;
		if (!strcasecmp(tok, "ISO")) st = DATESTYLE_ISO;
		else if (!strcasecmp(tok, "SQL")) st = DATESTYLE_SQL;
		else if (!strncasecmp(tok, "POSTGRES", 8)) st = DATESTYLE_POSTGRES;
		else if (!strcasecmp(tok, "GERMAN")) st = DATESTYLE_GERMAN;
		else if (!strcasecmp(tok, "YMD")) od = DATEORDER_YMD;
		else if (!strcasecmp(tok, "DMY") || !strncasecmp(tok, "EURO", 4)) od = DATEORDER_DMY;
		else if (!strcasecmp(tok, "MDY") || !strcasecmp(tok, "US") || !strncasecmp(tok, "NONEURO", 7))
			od = DATEORDER_MDY;
		else if (!strcasecmp(tok, "DEFAULT")) {
			/* the built-in default "ISO, MDY" fills what is not given */
			if (new_style < 0) new_style = DATESTYLE_ISO;
			if (new_order < 0) new_order = DATEORDER_MDY;
			goto next;
		} else {
			static _Thread_local char msg[64];
			snprintf(msg, sizeof msg, "Unrecognized key word: \"%.30s\".", tok);
			*detail = msg;
			return false;
		}
		if ((st >= 0 && new_style >= 0 && st != new_style) || (od >= 0 && new_order >= 0 && od != new_order)) {
			*detail = "Conflicting \"datestyle\" specifications.";
			return false;
		}
		if (st >= 0) new_style = st, german = st == DATESTYLE_GERMAN;
		if (od >= 0) new_order = od;
	next:
		while (*p == ' ' || *p == '\t') p++;
		if (!*p) break;
		if (*p != ',') return false;
		p++;
	}
	if (new_style >= 0) *style = new_style;
	if (new_order >= 0) *order = new_order;
	else if (german) *order = DATEORDER_DMY;
	*detail = NULL;
	return true;
}

void fmt_datestyle_show(int style, int order, char *buf, size_t bufsz)
{
	if (style < 0 || style > DATESTYLE_GERMAN) style = DATESTYLE_ISO;
	if (order < 0 || order > DATEORDER_YMD) order = DATEORDER_MDY;
	snprintf(buf, bufsz, "%s, %s", datestyle_names[style], dateorder_names[order]);
}

int fmt_intervalstyle_parse(const char *value)
{
	static const char *const names[] = {"postgres", "postgres_verbose", "sql_standard", "iso_8601"};
	for (int i = 0; i < 4; i++)
		if (!strcasecmp(value, names[i])) return i;
	return -1;
}

/* ---------------------------------------------------------------- numeric */

static i128 pow10_tab[39];

/* Filled before main(): the table is then read-only, so threads share it
 * without synchronisation. */
__attribute__((constructor)) static void pow10_init(void)
{
	i128 p = 1;
	for (int i = 0; i < 39; i++) {
		pow10_tab[i] = p;
		if (i < 38) p *= 10;
	}
}

i128 num_pow10(int n)
{
	if (n < 0) n = 0;
	if (n > 38) n = 38;
	return pow10_tab[n];
}

i128 num_load(ftype t, const void *v)
{
	if (numeric_has_value_scale(t)) {
		int s;
		i128 m = num_load_ds(t, v, &s), r;
		return num_rescale(m, s, t.scale, &r) ? r : m;
	}
	if (numeric_is_wide(t)) {
		i128 x;
		memcpy(&x, v, sizeof x);
		return x;
	}
	int64_t x;
	memcpy(&x, v, sizeof x);
	return x;
}

int num_digits(i128 v)
{
	if (v < 0) v = -v;
	int n = 1;
	while (n < 39 && v >= num_pow10(n)) n++;
	return n;
}

ferr *num_store(ftype t, i128 v, void *out)
{
	if (numeric_has_value_scale(t)) return num_store_ds(t, v, t.scale, out);
	int maxdig = t.precision > 0 ? t.precision : NUMERIC_MAX_PRECISION;
	if (v != 0 && num_digits(v) > maxdig) {
		if (t.precision > 0)
			return ferr_detail(ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow"),
			                   "A field with precision %d, scale %d must round to an absolute value "
			                   "less than %s%d.",
			                   t.precision, t.scale, t.precision - t.scale > 0 ? "10^" : "1",
			                   t.precision - t.scale > 0 ? t.precision - t.scale : 0);
		return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
	}
	if (numeric_is_wide(t)) {
		memcpy(out, &v, sizeof v);
	} else {
		int64_t x = (int64_t)v;
		memcpy(out, &x, sizeof x);
	}
	return NULL;
}

bool num_rescale(i128 v, int from, int to, i128 *out)
{
	if (to == from) {
		*out = v;
		return true;
	}
	if (to > from) {
		int d = to - from;
		if (d > 38) return v == 0 ? (*out = 0, true) : false;
		i128 p = num_pow10(d);
		i128 lim = num_pow10(38) / p;
		if (v >= lim || v <= -lim) {
			/* may still fit in int128 but exceeds 38 digits: overflow */
			return false;
		}
		*out = v * p;
		return true;
	}
	int d = from - to;
	if (d > 38) {
		*out = 0;
		return true;
	}
	i128 p = num_pow10(d);
	i128 q = v / p, r = v % p;
	if (r < 0) r = -r;
	if (r * 2 >= p) q += v < 0 ? -1 : 1; /* half away from zero */
	*out = q;
	return true;
}

i128 num_load_ds(ftype t, const void *v, int *scale)
{
	if (!numeric_has_value_scale(t)) {
		*scale = t.scale;
		return num_load(t, v);
	}
	i128 x;
	memcpy(&x, v, sizeof x);
	*scale = (int)(x & ((1 << NUM_DS_BITS) - 1));
	return x >> NUM_DS_BITS; /* arithmetic shift: floor, so exact for negatives */
}

ferr *num_store_ds(ftype t, i128 v, int scale, void *out)
{
	if (!numeric_has_value_scale(t)) {
		i128 r;
		if (!num_rescale(v, scale, t.scale, &r)) return num_store(t, num_pow10(38), out);
		return num_store(t, r, out);
	}
	if (scale < 0) {
		if (!num_rescale(v, scale, 0, &v)) return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
		scale = 0;
	}
	if (scale > NUM_DS_MAX_SCALE) {
		num_rescale(v, scale, NUM_DS_MAX_SCALE, &v);
		scale = NUM_DS_MAX_SCALE;
	}
	/* more digits than the mantissa holds: give up decimals, rounding once
	 * (a carry can add a digit, hence the loop) */
	int nd;
	while (v != 0 && (nd = num_digits(v)) > NUM_DS_MAX_DIGITS) {
		int cut = nd - NUM_DS_MAX_DIGITS;
		if (cut > scale) return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
		num_rescale(v, scale, scale - cut, &v);
		scale -= cut;
	}
	i128 x = v * (1 << NUM_DS_BITS) + scale;
	memcpy(out, &x, sizeof x);
	return NULL;
}

int num_cmp_ds(i128 a, int sa, i128 b, int sb)
{
	if (sa < sb) return -num_cmp_ds(b, sb, a, sa);
	i128 bs;
	/* b scaled up past 38 digits is larger in magnitude than any a */
	if (!num_rescale(b, sb, sa, &bs)) return b < 0 ? 1 : -1;
	return a < bs ? -1 : a > bs;
}

/*
 * Weight and first digit of a numeric value in PostgreSQL's base 10000.
 * Works on the decimal digits of the unsigned magnitude: scaling the value
 * itself to a whole number of base-10000 groups could overflow 128 bits.
 */
static void num_weight(i128 v, int scale, int *weight, int *first)
{
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	if (u == 0) {
		*weight = 0;
		*first = 0;
		return;
	}
	char rev[48];
	int r = 0;
	while (u) {
		rev[r++] = (char)('0' + (int)(u % 10));
		u /= 10;
	}
	/* digits, most significant first, then zeros up to whole fraction groups */
	int fracgroups = (scale + 3) / 4;
	int len = r + fracgroups * 4 - scale;
	int n = (len + 3) / 4;
	int lead = len - 4 * (n - 1);
	int top = 0;
	for (int i = 0; i < lead; i++) top = top * 10 + (i < r ? rev[r - 1 - i] - '0' : 0);
	*weight = n - fracgroups - 1;
	*first = top;
}

int num_div_scale(i128 a, int sa, i128 b, int sb)
{
	int w1, f1, w2, f2;
	num_weight(a, sa, &w1, &f1);
	num_weight(b, sb, &w2, &f2);
	int qweight = w1 - w2;
	if (f1 <= f2) qweight--;
	/* NUMERIC_MIN_SIG_DIGITS (16) significant digits, never fewer
	 * decimals than either operand shows */
	int rscale = 16 - qweight * 4;
	if (rscale < sa) rscale = sa;
	if (rscale < sb) rscale = sb;
	if (rscale < 0) rscale = 0;
	return rscale > NUM_DS_MAX_SCALE ? NUM_DS_MAX_SCALE : rscale;
}

void num_to_text(i128 v, int scale, strbuf *out)
{
	/* 39 digits of an int128, or scale + 1 zeros when the scale is larger */
	char buf[NUM_DS_MAX_SCALE + 48];
	if (scale < 0) scale = 0;
	if (scale > NUM_DS_MAX_SCALE) scale = NUM_DS_MAX_SCALE;
	int n = 0;
	bool neg = v < 0;
	unsigned __int128 u = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
	do {
		buf[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	while (n <= scale) buf[n++] = '0';
	if (neg) sb_putc(out, '-');
	for (int i = n - 1; i >= 0; i--) {
		sb_putc(out, buf[i]);
		if (i == scale && scale > 0) sb_putc(out, '.');
	}
}

/* ---------------------------------------------------------------- floats */

/*
 * Shortest digits that read back as the same value (what PostgreSQL 12+'s
 * Ryu output gives), then laid out like Ryu's to_chars: fixed notation when
 * -4 <= exponent < maxexp (15 for double, 6 for real), else d.ddde+XX.
 */
static void float_shortest(double d, bool is4, strbuf *out)
{
	char buf[64];
	int maxp = is4 ? 9 : 17;
	for (int p = 1; p <= maxp; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, d);
		if (is4 ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d) break;
	}
	/* buf: [-]D[.DDD]e[+-]XX */
	char digits[32];
	int nd = 0;
	const char *p = buf;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (isdigit((unsigned char)*p)) digits[nd++] = *p;
	int exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0') nd--;
	if (neg) sb_putc(out, '-');
	int maxexp = is4 ? 6 : 15;
	if (exp >= -4 && exp < maxexp) {
		if (exp < 0) {
			sb_puts(out, "0.");
			for (int i = 0; i < -exp - 1; i++) sb_putc(out, '0');
			sb_append(out, digits, (size_t)nd);
		} else {
			for (int i = 0; i <= exp; i++) sb_putc(out, i < nd ? digits[i] : '0');
			if (nd > exp + 1) {
				sb_putc(out, '.');
				sb_append(out, digits + exp + 1, (size_t)(nd - exp - 1));
			}
		}
	} else {
		sb_putc(out, digits[0]);
		if (nd > 1) {
			sb_putc(out, '.');
			sb_append(out, digits + 1, (size_t)(nd - 1));
		}
		sb_printf(out, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
	}
}

static bool float_special(double d, strbuf *out)
{
	if (isnan(d)) {
		sb_puts(out, "NaN");
		return true;
	}
	if (isinf(d)) {
		sb_puts(out, d > 0 ? "Infinity" : "-Infinity");
		return true;
	}
	return false;
}

void float8_out(double d, int extra_digits, strbuf *out)
{
	if (float_special(d, out)) return;
	if (extra_digits > 0) {
		float_shortest(d, false, out);
		return;
	}
	int nd = 15 + extra_digits;
	if (nd < 1) nd = 1;
	sb_printf(out, "%.*g", nd, d);
}

void float4_out(float f, int extra_digits, strbuf *out)
{
	if (float_special(f, out)) return;
	if (extra_digits > 0) {
		float_shortest(f, true, out);
		return;
	}
	int nd = 6 + extra_digits;
	if (nd < 1) nd = 1;
	sb_printf(out, "%.*g", nd, (double)f);
}

/* ---------------------------------------------------------------- calendar */

/* Julian day numbers as in PostgreSQL's date2j/j2date. */
static int date2j(int y, int m, int d)
{
	int julian, century;
	if (m > 2) {
		m += 1;
		y += 4800;
	} else {
		m += 13;
		y += 4799;
	}
	century = y / 100;
	julian = y * 365 - 32167;
	julian += y / 4 - century + century / 4;
	julian += 7834 * m / 256 + d;
	return julian;
}

static void j2date(int jd, int *year, int *month, int *day)
{
	unsigned int julian, quad, extra;
	int y;
	julian = (unsigned)jd;
	julian += 32044;
	quad = julian / 146097;
	extra = (julian - quad * 146097) * 4 + 3;
	julian += 60 + quad * 3 + extra / 146097;
	quad = julian / 1461;
	julian -= quad * 1461;
	y = (int)(julian * 4 / 1461);
	julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
	y += (int)quad * 4;
	*year = y - 4800;
	quad = julian * 2141 / 65536;
	*day = (int)(julian - 7834 * quad / 256);
	*month = (int)((quad + 10) % 12 + 1);
}

#define POSTGRES_EPOCH_JDATE 2451545

int32_t date_from_ymd(int y, int m, int d)
{
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	j2date(days + POSTGRES_EPOCH_JDATE, y, m, d);
}

int date_days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

void ts_split(int64_t ts, int32_t *days, int64_t *tod)
{
	int64_t d = ts / USECS_PER_DAY, r = ts % USECS_PER_DAY;
	if (r < 0) {
		r += USECS_PER_DAY;
		d--;
	}
	*days = (int32_t)d;
	*tod = r;
}

static void put_date(int32_t days, strbuf *out, bool *bc)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	*bc = y <= 0;
	sb_printf(out, "%04d-%02d-%02d", *bc ? 1 - y : y, m, d);
}

static void put_time(int64_t tod, strbuf *out)
{
	int64_t secs = tod / USECS_PER_SEC, frac = tod % USECS_PER_SEC;
	sb_printf(out, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	if (frac) {
		char f[8];
		snprintf(f, sizeof f, "%06d", (int)frac);
		int n = 6;
		while (n > 0 && f[n - 1] == '0') n--;
		sb_putc(out, '.');
		sb_append(out, f, (size_t)n);
	}
}

/* ---------------------------------------------------------------- time zones */

#define TZ_ABBR_MAX 16

/* A POSIX TZ rule ("PST8PDT,M3.2.0,M11.1.0"): the footer of TZif v2+ files,
 * which governs instants after the last transition, or a session zone
 * written as such. Offsets are seconds east, times seconds after midnight. */
typedef struct tz_rule {
	char std[TZ_ABBR_MAX], dst[TZ_ABBR_MAX];
	long stdoff, dstoff;
	bool has_dst;
	int sm, sw, sd; /* DST starts: month, week (5 = last), weekday (0 = Sunday) */
	int em, ew, ed;
	long stime, etime;
} tz_rule;

/*
 * A tiny reader of TZif files (zoneinfo). Zones are loaded once and kept
 * for the life of the process behind a mutex; lookups read immutable data.
 */
typedef struct tz_zone {
	char name[64];
	int ntrans;
	int64_t *trans; /* UTC seconds since 1970 */
	uint8_t *idx;
	int ntypes;
	int32_t *gmtoff;
	char (*abbr)[TZ_ABBR_MAX];
	bool has_rule;  /* rule applies from the last transition on */
	bool synthetic; /* made from a session TimeZone value, not a zoneinfo file */
	tz_rule rule;
	struct tz_zone *next;
} tz_zone;

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static tz_zone *tz_zones;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* POSIX zone name: "<...>" or three or more letters. */
static const char *posix_name(const char *p, char *out)
{
	size_t n = 0;
	if (*p == '<') {
		p++;
		while (*p && *p != '>') {
			if (n + 1 >= TZ_ABBR_MAX) return NULL;
			out[n++] = *p++;
		}
		if (*p != '>') return NULL;
		out[n] = 0;
		return p + 1;
	}
	while (isalpha((unsigned char)*p)) {
		if (n + 1 >= TZ_ABBR_MAX) return NULL;
		out[n++] = *p++;
	}
	out[n] = 0;
	return n >= 3 ? p : NULL;
}

/* [+-]h[h][:mm[:ss]], POSIX sign: positive is west. Returns seconds as written. */
static const char *posix_offset(const char *p, long *secs, int maxh)
{
	int sign = 1;
	if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p)) return NULL;
	long h = 0, m = 0, s = 0;
	int nd = 0;
	while (isdigit((unsigned char)*p) && nd < 3) h = h * 10 + (*p++ - '0'), nd++;
	if (*p == ':') {
		if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return NULL;
		m = (p[1] - '0') * 10 + p[2] - '0';
		p += 3;
		if (*p == ':') {
			if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return NULL;
			s = (p[1] - '0') * 10 + p[2] - '0';
			p += 3;
		}
	}
	if (h > maxh || m > 59 || s > 59) return NULL;
	*secs = sign * (h * 3600 + m * 60 + s);
	return p;
}

/* ",Mm.w.d[/time]" */
static const char *posix_mrule(const char *p, int *m, int *w, int *d, long *time)
{
	if (*p++ != ',' || *p++ != 'M') return NULL;
	char *e;
	*m = (int)strtol(p, &e, 10);
	if (e == p || *e != '.') return NULL;
	p = e + 1;
	*w = (int)strtol(p, &e, 10);
	if (e == p || *e != '.') return NULL;
	p = e + 1;
	*d = (int)strtol(p, &e, 10);
	if (e == p || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *d < 0 || *d > 6) return NULL;
	p = e;
	*time = 7200;
	if (*p == '/') return posix_offset(p + 1, time, 167);
	return p;
}

/* A whole POSIX TZ string; the std name may be empty when empty_std. */
static bool posix_parse(const char *s, tz_rule *r, bool empty_std)
{
	memset(r, 0, sizeof *r);
	const char *p = s;
	if (empty_std && (*p == '+' || *p == '-' || isdigit((unsigned char)*p))) r->std[0] = 0;
	else if (!(p = posix_name(p, r->std))) return false;
	long off;
	if (!(p = posix_offset(p, &off, 24))) return false;
	r->stdoff = -off;
	if (!*p) return true;
	if (!(p = posix_name(p, r->dst))) return false;
	r->has_dst = true;
	r->dstoff = r->stdoff + 3600;
	if (*p && *p != ',') {
		if (!(p = posix_offset(p, &off, 24))) return false;
		r->dstoff = -off;
	}
	/* rules in Jn or n form do not occur in zoneinfo footers: not supported */
	if (!(p = posix_mrule(p, &r->sm, &r->sw, &r->sd, &r->stime))) return false;
	if (!(p = posix_mrule(p, &r->em, &r->ew, &r->ed, &r->etime))) return false;
	return *p == 0;
}

/* Days since 2000-01-01 of the w'th weekday d of month m (w = 5: the last). */
static int32_t rule_day(int y, int m, int w, int d)
{
	int32_t first = date_from_ymd(y, m, 1);
	int wd_first = (int)(((first % 7) + 7 + 6) % 7); /* 2000-01-01 was a Saturday */
	int day = 1 + (d - wd_first + 7) % 7 + (w - 1) * 7;
	while (day > date_days_in_month(y, m)) day -= 7;
	return first + day - 1;
}

#define UNIX_EPOCH_TO_PG_SECS INT64_C(946684800)

static void rule_at(const tz_rule *r, int64_t unix_secs, long *off, const char **abbr)
{
	*off = r->stdoff;
	*abbr = r->std;
	if (!r->has_dst) return;
	int32_t days;
	int64_t tod;
	ts_split((unix_secs - UNIX_EPOCH_TO_PG_SECS + r->stdoff) * USECS_PER_SEC, &days, &tod);
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	int64_t start = ((int64_t)rule_day(y, r->sm, r->sw, r->sd) * 86400 + r->stime - r->stdoff) +
	                UNIX_EPOCH_TO_PG_SECS;
	int64_t end = ((int64_t)rule_day(y, r->em, r->ew, r->ed) * 86400 + r->etime - r->dstoff) +
	              UNIX_EPOCH_TO_PG_SECS;
	bool dst = start < end ? unix_secs >= start && unix_secs < end : !(unix_secs >= end && unix_secs < start);
	if (dst) {
		*off = r->dstoff;
		*abbr = r->dst;
	}
}

/*
 * Resolve a zone name to its spelling under /usr/share/zoneinfo, matching
 * each path component case-insensitively as PostgreSQL does.
 */
static bool tz_path_canonical(const char *name, char *out, size_t outsz)
{
	char dir[256];
	snprintf(dir, sizeof dir, "/usr/share/zoneinfo");
	size_t on = 0;
	const char *p = name;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t cl = slash ? (size_t)(slash - p) : strlen(p);
		if (cl == 0 || cl >= 64 || (cl <= 2 && p[0] == '.')) return false;
		DIR *d = opendir(dir);
		if (!d) return false;
		char found[64] = "";
		struct dirent *ent;
		while ((ent = readdir(d))) {
			if (strlen(ent->d_name) != cl || strncasecmp(ent->d_name, p, cl) != 0) continue;
			memcpy(found, ent->d_name, cl + 1); /* cl < 64 */
			if (strncmp(ent->d_name, p, cl) == 0) break; /* exact spelling wins */
		}
		closedir(d);
		if (!found[0]) return false;
		size_t dl = strlen(dir);
		if (dl + 1 + strlen(found) >= sizeof dir || on + strlen(found) + 2 >= outsz) return false;
		snprintf(dir + dl, sizeof dir - dl, "/%s", found);
		on += (size_t)snprintf(out + on, outsz - on, "%s%s", on ? "/" : "", found);
		p += cl;
		if (*p == '/') p++;
	}
	return on > 0;
}

static tz_zone *tz_new(const char *name, int ntrans, int ntypes)
{
	tz_zone *z = xcalloc(1, sizeof *z);
	snprintf(z->name, sizeof z->name, "%s", name);
	z->ntrans = ntrans;
	z->trans = xcalloc((size_t)ntrans + 1, sizeof(int64_t));
	z->idx = xcalloc((size_t)ntrans + 1, 1);
	z->ntypes = ntypes;
	z->gmtoff = xcalloc((size_t)ntypes, sizeof(int32_t));
	z->abbr = xcalloc((size_t)ntypes, sizeof *z->abbr);
	return z;
}

static tz_zone *tz_load(const char *name)
{
	if (strstr(name, "..") || name[0] == '/' || strlen(name) >= 64) return NULL;
	char canon[128];
	if (!tz_path_canonical(name, canon, sizeof canon)) return NULL;
	char path[192];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", canon);
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	/* zone files are a few kB; loads happen under tz_lock, so one buffer */
	static uint8_t buf[1 << 17];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n < 44 || memcmp(buf, "TZif", 4) != 0) return NULL;
	const uint8_t *h = buf;
	uint32_t isutcnt = be32(h + 20), isstdcnt = be32(h + 24), leapcnt = be32(h + 28);
	uint32_t timecnt = be32(h + 32), typecnt = be32(h + 36), charcnt = be32(h + 40);
	int tsize = 4;
	const uint8_t *p = h + 44;
	if (buf[4] >= '2') {
		/* skip the v1 body and use the 64-bit one */
		size_t v1 = timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
		if (44 + v1 + 44 > n) return NULL;
		h = p + v1;
		if (memcmp(h, "TZif", 4) != 0) return NULL;
		isutcnt = be32(h + 20);
		isstdcnt = be32(h + 24);
		leapcnt = be32(h + 28);
		timecnt = be32(h + 32);
		typecnt = be32(h + 36);
		charcnt = be32(h + 40);
		p = h + 44;
		tsize = 8;
	}
	size_t body = (size_t)timecnt * (tsize + 1) + typecnt * 6 + charcnt;
	if ((size_t)(p - buf) + body > n || typecnt == 0 || typecnt > 256) return NULL;
	tz_zone *z = tz_new(name, (int)timecnt, (int)typecnt);
	for (uint32_t i = 0; i < timecnt; i++) {
		if (tsize == 8)
			z->trans[i] = (int64_t)((uint64_t)be32(p + i * 8) << 32 | be32(p + i * 8 + 4));
		else
			z->trans[i] = (int32_t)be32(p + i * 4);
	}
	p += timecnt * tsize;
	for (uint32_t i = 0; i < timecnt; i++) z->idx[i] = p[i] < typecnt ? p[i] : 0;
	p += timecnt;
	const uint8_t *chars = p + typecnt * 6;
	for (uint32_t i = 0; i < typecnt; i++) {
		z->gmtoff[i] = (int32_t)be32(p + i * 6);
		uint8_t ai = p[i * 6 + 5];
		size_t k = 0;
		while (ai + k < charcnt && chars[ai + k] && k + 1 < TZ_ABBR_MAX) {
			z->abbr[i][k] = (char)chars[ai + k];
			k++;
		}
	}
	/* v2+: the footer "\n<POSIX TZ>\n" after the leap and indicator arrays */
	if (tsize == 8) {
		size_t foot = (size_t)(chars - buf) + charcnt + leapcnt * 12 + isstdcnt + isutcnt;
		if (foot < n && buf[foot] == '\n') {
			char tzs[128];
			size_t k = 0;
			for (foot++; foot < n && buf[foot] != '\n' && k + 1 < sizeof tzs; foot++) tzs[k++] = (char)buf[foot];
			tzs[k] = 0;
			z->has_rule = k > 0 && posix_parse(tzs, &z->rule, false);
		}
	}
	return z;
}

/* A session zone that is no file: hours east ("-8", "5.5") or a POSIX string. */
static tz_zone *tz_synthesize(const char *name)
{
	tz_rule r;
	char *end;
	double hours = strtod(name, &end);
	if (end != name && !*end && isfinite(hours) && fabs(hours) <= 15) {
		long east = lround(hours * 3600);
		char abbr[TZ_ABBR_MAX];
		long a = east < 0 ? -east : east;
		int k = snprintf(abbr, sizeof abbr, "%c%02ld", east < 0 ? '-' : '+', a / 3600);
		if (a % 3600) k += snprintf(abbr + k, sizeof abbr - (size_t)k, ":%02ld", a / 60 % 60);
		if (a % 60) snprintf(abbr + k, sizeof abbr - (size_t)k, ":%02ld", a % 60);
		memset(&r, 0, sizeof r);
		snprintf(r.std, sizeof r.std, "%s", abbr);
		r.stdoff = east;
	} else if (!posix_parse(name, &r, true)) {
		return NULL;
	}
	tz_zone *z = tz_new(name, 0, 1);
	z->gmtoff[0] = (int32_t)r.stdoff;
	memcpy(z->abbr[0], r.std, sizeof r.std);
	z->has_rule = true;
	z->synthetic = true;
	z->rule = r;
	return z;
}

/* A zone by name; session also accepts synthetic zones (tz_synthesize). */
static const tz_zone *tz_find_mode(const char *name, bool session)
{
	/* zones are immutable and never freed: a per-thread memo of the last
	 * lookup keeps the mutex off the per-value path */
	static _Thread_local char last_name[64];
	static _Thread_local const tz_zone *last_zone;
	const tz_zone *z = NULL;
	if (last_zone && strcmp(last_name, name) == 0) {
		z = last_zone;
	} else {
		pthread_mutex_lock(&tz_lock);
		tz_zone *w;
		for (w = tz_zones; w; w = w->next)
			if (strcmp(w->name, name) == 0) break;
		if (!w) {
			w = tz_load(name);
			if (!w && session) w = tz_synthesize(name);
			if (w) {
				w->next = tz_zones;
				tz_zones = w;
			}
		}
		pthread_mutex_unlock(&tz_lock);
		z = w;
		if (z && strlen(name) < sizeof last_name) {
			strcpy(last_name, name);
			last_zone = z;
		}
	}
	if (z && z->synthetic && !session) return NULL;
	return z;
}

static const tz_zone *tz_find(const char *name)
{
	return tz_find_mode(name, false);
}

/* "+05:30", "-8", "UTC", "GMT", "Z": ISO-8601 sign (east positive). */
static bool tz_parse_fixed(const char *s, long *off)
{
	if (!strcasecmp(s, "UTC") || !strcasecmp(s, "GMT") || !strcasecmp(s, "Z") ||
	    !strcasecmp(s, "Etc/UTC") || !strcasecmp(s, "Zulu") || !strcasecmp(s, "UCT")) {
		*off = 0;
		return true;
	}
	if (*s != '+' && *s != '-') return false;
	int sign = *s == '-' ? -1 : 1;
	s++;
	int h = 0, m = 0, sec = 0, nd = 0;
	while (isdigit((unsigned char)*s) && nd < 2) h = h * 10 + (*s++ - '0'), nd++;
	if (!nd) return false;
	if (*s == ':') s++;
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) {
		m = (s[0] - '0') * 10 + s[1] - '0';
		s += 2;
		if (*s == ':') s++;
		if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) {
			sec = (s[0] - '0') * 10 + s[1] - '0';
			s += 2;
		}
	}
	if (*s || h > 15 || m > 59 || sec > 59) return false;
	*off = sign * (h * 3600L + m * 60L + sec);
	return true;
}

bool tz_lookup(const char *name, long *fixed_offset, bool *is_fixed)
{
	if (tz_parse_fixed(name, fixed_offset)) {
		*is_fixed = true;
		return true;
	}
	*is_fixed = false;
	*fixed_offset = 0;
	return tz_find(name) != NULL;
}

bool tz_session_canonical(const char *value, char *buf, size_t bufsz)
{
	if (!value[0] || strlen(value) >= 64 || strstr(value, "..")) return false;
	char canon[128];
	if (value[0] != '/' && tz_path_canonical(value, canon, sizeof canon) && tz_find(value)) {
		snprintf(buf, bufsz, "%s", canon);
		return true;
	}
	const tz_zone *z = tz_find_mode(value, true);
	if (!z) return false;
	char *end;
	double hours = strtod(value, &end);
	if (end != value && !*end) {
		/* PostgreSQL shows a numeric zone as the POSIX zone it stands for */
		const char *a = z->abbr[0];
		snprintf(buf, bufsz, "<%s>%c%s", a, a[0] == '-' ? '+' : '-', a + 1);
		(void)hours;
		return true;
	}
	snprintf(buf, bufsz, "%s", value);
	return true;
}

static int zone_type_at(const tz_zone *z, int64_t unix_secs)
{
	if (z->ntrans == 0 || unix_secs < z->trans[0]) return 0; /* before the first transition: LMT */
	int lo = 0, hi = z->ntrans - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (z->trans[mid] <= unix_secs)
			lo = mid;
		else
			hi = mid - 1;
	}
	return z->idx[lo];
}

static long zone_at(const tz_zone *z, int64_t unix_secs, const char **abbr)
{
	if (z->has_rule && (z->ntrans == 0 || unix_secs >= z->trans[z->ntrans - 1])) {
		long off;
		rule_at(&z->rule, unix_secs, &off, abbr);
		return off;
	}
	int t = zone_type_at(z, unix_secs);
	*abbr = z->abbr[t];
	return z->gmtoff[t];
}

long tz_info_at_utc(const fmt_settings *fs, int64_t utc_micros, const char **abbrev)
{
	*abbrev = NULL;
	if (!fs) return 0;
	if (!fs->timezone) return fs->tz_offset_secs;
	const tz_zone *z = tz_find_mode(fs->timezone, true);
	if (!z) {
		/* no zoneinfo installed: UTC and ISO offsets still work */
		long off;
		return tz_parse_fixed(fs->timezone, &off) ? off : fs->tz_offset_secs;
	}
	int64_t secs = utc_micros / USECS_PER_SEC + UNIX_EPOCH_TO_PG_SECS;
	if (utc_micros < 0 && utc_micros % USECS_PER_SEC) secs--;
	return zone_at(z, secs, abbrev);
}

long tz_offset_at_utc(const fmt_settings *fs, int64_t utc_micros)
{
	const char *abbr;
	return tz_info_at_utc(fs, utc_micros, &abbr);
}

long tz_offset_for_local(const fmt_settings *fs, int64_t local_micros)
{
	/*
	 * PostgreSQL's DetermineTimeZoneOffset: take the offsets a day before and
	 * after; a local time in a spring-forward gap uses the earlier offset
	 * (02:30 becomes 03:30 DST), one in a fall-back overlap the later one
	 * (standard time).
	 */
	long before = tz_offset_at_utc(fs, local_micros - USECS_PER_DAY);
	long after = tz_offset_at_utc(fs, local_micros + USECS_PER_DAY);
	if (before == after) {
		/* no transition near: still correct a zone that moved twice in two days */
		long o1 = tz_offset_at_utc(fs, local_micros - before * USECS_PER_SEC);
		return o1;
	}
	int64_t bt = local_micros - before * USECS_PER_SEC, at = local_micros - after * USECS_PER_SEC;
	long ob = tz_offset_at_utc(fs, bt), oa = tz_offset_at_utc(fs, at);
	if (ob == before && oa == before) return before;
	if (ob == after && oa == after) return after;
	return bt > at ? before : after;
}

/* ---------------------------------------------------------------- text out */

/* Seconds and a fraction without trailing zeros (PostgreSQL's AppendSeconds);
 * both already made non-negative by the caller. */
static void put_seconds(strbuf *out, uint64_t sec, uint64_t frac, bool fillzeros)
{
	sb_printf(out, fillzeros ? "%02llu" : "%llu", (unsigned long long)sec);
	if (frac) {
		char f[8];
		snprintf(f, sizeof f, "%06llu", (unsigned long long)(frac % 1000000));
		int n = 6;
		while (n > 0 && f[n - 1] == '0') n--;
		sb_putc(out, '.');
		sb_append(out, f, (size_t)n);
	}
}

/* An interval split as PostgreSQL's interval2itm: every time field carries
 * the sign of the time part. */
typedef struct itm {
	int64_t year, mon, mday, hour, min, sec, fsec;
} itm;

static void interval_split(const finterval *iv, itm *tm)
{
	tm->year = iv->months / 12;
	tm->mon = iv->months % 12;
	tm->mday = iv->days;
	int64_t t = iv->micros;
	tm->hour = t / INT64_C(3600000000);
	t -= tm->hour * INT64_C(3600000000);
	tm->min = t / INT64_C(60000000);
	t -= tm->min * INT64_C(60000000);
	tm->sec = t / USECS_PER_SEC;
	tm->fsec = t - tm->sec * USECS_PER_SEC;
}

static uint64_t uabs64(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

static void interval_part(strbuf *out, int64_t value, const char *unit, bool *is_zero, bool *is_before)
{
	if (value == 0) return;
	sb_printf(out, "%s%s%lld %s%s", !*is_zero ? " " : "", (*is_before && value > 0) ? "+" : "",
	          (long long)value, unit, value != 1 ? "s" : "");
	*is_before = value < 0;
	*is_zero = false;
}

static void interval_out_postgres(const itm *tm, strbuf *out)
{
	bool is_zero = true, is_before = false;
	interval_part(out, tm->year, "year", &is_zero, &is_before);
	interval_part(out, tm->mon, "mon", &is_zero, &is_before);
	interval_part(out, tm->mday, "day", &is_zero, &is_before);
	if (is_zero || tm->hour || tm->min || tm->sec || tm->fsec) {
		bool minus = tm->hour < 0 || tm->min < 0 || tm->sec < 0 || tm->fsec < 0;
		sb_printf(out, "%s%s%02llu:%02llu:", is_zero ? "" : " ", minus ? "-" : (is_before ? "+" : ""),
		          (unsigned long long)uabs64(tm->hour), (unsigned long long)uabs64(tm->min));
		put_seconds(out, uabs64(tm->sec), uabs64(tm->fsec), true);
	}
}

/* postgres_verbose: "@ 1 year 2 mons -3 days ago"; the first nonzero field
 * sets the direction and later fields are printed relative to it. */
static void verbose_part(strbuf *out, int64_t value, const char *unit, bool *is_zero, bool *is_before)
{
	if (value == 0) return;
	if (*is_zero) {
		*is_before = value < 0;
		value = value < 0 ? -value : value;
	} else if (*is_before) {
		value = -value;
	}
	sb_printf(out, " %lld %s%s", (long long)value, unit, value == 1 ? "" : "s");
	*is_zero = false;
}

static void interval_out_verbose(const itm *tm, strbuf *out)
{
	bool is_zero = true, is_before = false;
	sb_putc(out, '@');
	verbose_part(out, tm->year, "year", &is_zero, &is_before);
	verbose_part(out, tm->mon, "mon", &is_zero, &is_before);
	verbose_part(out, tm->mday, "day", &is_zero, &is_before);
	verbose_part(out, tm->hour, "hour", &is_zero, &is_before);
	verbose_part(out, tm->min, "min", &is_zero, &is_before);
	if (tm->sec || tm->fsec) {
		sb_putc(out, ' ');
		if (tm->sec < 0 || (tm->sec == 0 && tm->fsec < 0)) {
			if (is_zero) is_before = true;
			else if (!is_before) sb_putc(out, '-');
		} else if (is_before) {
			sb_putc(out, '-');
		}
		put_seconds(out, uabs64(tm->sec), uabs64(tm->fsec), false);
		sb_printf(out, " sec%s", (uabs64(tm->sec) != 1 || tm->fsec) ? "s" : "");
		is_zero = false;
	}
	if (is_zero) sb_puts(out, " 0");
	if (is_before) sb_puts(out, " ago");
}

static void interval_out_sql(itm tm, strbuf *out)
{
	bool has_neg = tm.year < 0 || tm.mon < 0 || tm.mday < 0 || tm.hour < 0 || tm.min < 0 || tm.sec < 0 || tm.fsec < 0;
	bool has_pos = tm.year > 0 || tm.mon > 0 || tm.mday > 0 || tm.hour > 0 || tm.min > 0 || tm.sec > 0 || tm.fsec > 0;
	bool has_ym = tm.year || tm.mon;
	bool has_dt = tm.mday || tm.hour || tm.min || tm.sec || tm.fsec;
	bool standard = !(has_neg && has_pos) && !(has_ym && has_dt);
	if (has_neg && standard) {
		sb_putc(out, '-');
		tm.year = -tm.year, tm.mon = -tm.mon, tm.mday = -tm.mday, tm.hour = -tm.hour;
		tm.min = -tm.min, tm.sec = -tm.sec, tm.fsec = -tm.fsec;
	}
	if (!has_neg && !has_pos) {
		sb_putc(out, '0');
	} else if (!standard) {
		/* mixed signs or fields: every part gets an explicit sign */
		sb_printf(out, "%c%llu-%llu %c%llu %c%llu:%02llu:", tm.year < 0 || tm.mon < 0 ? '-' : '+',
		          (unsigned long long)uabs64(tm.year), (unsigned long long)uabs64(tm.mon),
		          tm.mday < 0 ? '-' : '+', (unsigned long long)uabs64(tm.mday),
		          tm.hour < 0 || tm.min < 0 || tm.sec < 0 || tm.fsec < 0 ? '-' : '+',
		          (unsigned long long)uabs64(tm.hour), (unsigned long long)uabs64(tm.min));
		put_seconds(out, uabs64(tm.sec), uabs64(tm.fsec), true);
	} else if (has_ym) {
		sb_printf(out, "%lld-%lld", (long long)tm.year, (long long)tm.mon);
	} else {
		if (tm.mday) sb_printf(out, "%lld ", (long long)tm.mday);
		sb_printf(out, "%lld:%02lld:", (long long)tm.hour, (long long)tm.min);
		put_seconds(out, uabs64(tm.sec), uabs64(tm.fsec), true);
	}
}

static void iso_part(strbuf *out, int64_t value, char unit)
{
	if (value) sb_printf(out, "%lld%c", (long long)value, unit);
}

static void interval_out_iso(const itm *tm, strbuf *out)
{
	if (!tm->year && !tm->mon && !tm->mday && !tm->hour && !tm->min && !tm->sec && !tm->fsec) {
		sb_puts(out, "PT0S");
		return;
	}
	sb_putc(out, 'P');
	iso_part(out, tm->year, 'Y');
	iso_part(out, tm->mon, 'M');
	iso_part(out, tm->mday, 'D');
	if (tm->hour || tm->min || tm->sec || tm->fsec) sb_putc(out, 'T');
	iso_part(out, tm->hour, 'H');
	iso_part(out, tm->min, 'M');
	if (tm->sec || tm->fsec) {
		if (tm->sec < 0 || tm->fsec < 0) sb_putc(out, '-');
		put_seconds(out, uabs64(tm->sec), uabs64(tm->fsec), false);
		sb_putc(out, 'S');
	}
}

static void interval_out(const finterval *iv, int style, strbuf *out)
{
	itm tm;
	interval_split(iv, &tm);
	switch (style) {
	case INTERVALSTYLE_POSTGRES_VERBOSE: interval_out_verbose(&tm, out); break;
	case INTERVALSTYLE_SQL_STANDARD: interval_out_sql(tm, out); break;
	case INTERVALSTYLE_ISO_8601: interval_out_iso(&tm, out); break;
	default: interval_out_postgres(&tm, out); break;
	}
}

/* Numeric zone suffix as PostgreSQL's EncodeTimezone: +hh[:mm[:ss]]. */
static void tz_suffix(long off, strbuf *out)
{
	long a = off < 0 ? -off : off;
	sb_printf(out, "%c%02ld", off < 0 ? '-' : '+', a / 3600);
	if (a % 3600) sb_printf(out, ":%02ld", a / 60 % 60);
	if (a % 60) sb_printf(out, ":%02ld", a % 60);
}

static const char month_abbr[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char day_abbr[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

/* The date part in a non-ISO style (EncodeDateOnly); year is printed 1-based for BC. */
static void put_date_style(int y, int m, int d, const fmt_settings *fs, strbuf *out)
{
	int yy = y > 0 ? y : 1 - y;
	bool dmy = fs->dateorder == DATEORDER_DMY;
	switch (fs->datestyle) {
	case DATESTYLE_SQL: sb_printf(out, "%02d/%02d/%04d", dmy ? d : m, dmy ? m : d, yy); break;
	case DATESTYLE_GERMAN: sb_printf(out, "%02d.%02d.%04d", d, m, yy); break;
	case DATESTYLE_POSTGRES: sb_printf(out, "%02d-%02d-%04d", dmy ? d : m, dmy ? m : d, yy); break;
	default: sb_printf(out, "%04d-%02d-%02d", yy, m, d); break;
	}
}

static void date_out(int32_t days, const fmt_settings *fs, strbuf *out)
{
	if (days == DATE_NOBEGIN || days == DATE_NOEND) {
		sb_puts(out, days == DATE_NOEND ? "infinity" : "-infinity");
		return;
	}
	bool bc;
	if (fs->datestyle == DATESTYLE_ISO) {
		put_date(days, out, &bc);
	} else {
		int y, m, d;
		date_to_ymd(days, &y, &m, &d);
		bc = y <= 0;
		put_date_style(y, m, d, fs, out);
	}
	if (bc) sb_puts(out, " BC");
}

/*
 * timestamp and timestamptz (EncodeDateTime). Non-ISO styles name the zone
 * by its abbreviation when it has one and fall back to the numeric offset;
 * MAXTZLEN clips it to 10 characters as PostgreSQL does.
 */
static void timestamp_out(int64_t ts, const fmt_settings *fs, strbuf *out, bool with_tz)
{
	if (ts == TS_NOBEGIN || ts == TS_NOEND) {
		sb_puts(out, ts == TS_NOEND ? "infinity" : "-infinity");
		return;
	}
	long off = 0;
	const char *abbr = NULL;
	if (with_tz) off = fs->datestyle == DATESTYLE_ISO ? tz_offset_at_utc(fs, ts) : tz_info_at_utc(fs, ts, &abbr);
	int32_t days;
	int64_t tod;
	ts_split(ts + (int64_t)off * USECS_PER_SEC, &days, &tod);
	bool bc;
	if (fs->datestyle == DATESTYLE_ISO) {
		put_date(days, out, &bc);
		sb_putc(out, ' ');
		put_time(tod, out);
		if (with_tz) tz_suffix(off, out);
		if (bc) sb_puts(out, " BC");
		return;
	}
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	bc = y <= 0;
	if (fs->datestyle == DATESTYLE_POSTGRES) {
		int wday = (int)((((int64_t)days % 7) + 7 + 6) % 7); /* 2000-01-01 was a Saturday */
		if (fs->dateorder == DATEORDER_DMY)
			sb_printf(out, "%s %02d %s ", day_abbr[wday], d, month_abbr[m - 1]);
		else
			sb_printf(out, "%s %s %02d ", day_abbr[wday], month_abbr[m - 1], d);
		put_time(tod, out);
		sb_printf(out, " %04d", bc ? 1 - y : y);
	} else {
		put_date_style(y, m, d, fs, out);
		sb_putc(out, ' ');
		put_time(tod, out);
	}
	if (with_tz) {
		if (abbr) {
			sb_printf(out, " %.10s", abbr);
		} else {
			/* SQL and German glue a numeric zone to the time; Postgres keeps a space */
			if (fs->datestyle == DATESTYLE_POSTGRES) sb_putc(out, ' ');
			tz_suffix(off, out);
		}
	}
	if (bc) sb_puts(out, " BC");
}

void value_out_text(ftype t, const void *v, const fmt_settings *fs, strbuf *out)
{
	fmt_settings defaults;
	if (!fs) {
		fmt_settings_default(&defaults);
		fs = &defaults;
	}
	switch (t.id) {
	case TYPE_BOOL: sb_putc(out, *(const uint8_t *)v ? 't' : 'f'); break;
	case TYPE_INT2: sb_printf(out, "%d", *(const int16_t *)v); break;
	case TYPE_INT4: sb_printf(out, "%d", *(const int32_t *)v); break;
	case TYPE_INT8:
		/* a reg* value prints its object's name; an unknown OID prints as a number */
		if (ftype_reg_kind(t) > FTYPE_REG_OID && reg_out_hook &&
		    reg_out_hook(ftype_reg_kind(t), *(const int64_t *)v, fs, out))
			break;
		sb_printf(out, "%lld", (long long)*(const int64_t *)v);
		break;
	case TYPE_FLOAT4: float4_out(*(const float *)v, fs->extra_float_digits, out); break;
	case TYPE_FLOAT8: float8_out(*(const double *)v, fs->extra_float_digits, out); break;
	case TYPE_NUMERIC: {
		int s;
		i128 m = num_load_ds(t, v, &s);
		num_to_text(m, s, out);
		break;
	}
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_JSON: case TYPE_JSONB:
	case TYPE_UNKNOWN: {
		const fstring *s = v;
		sb_append(out, s->ptr, s->len);
		break;
	}
	case TYPE_BYTEA: {
		const fstring *s = v;
		static const char hex[] = "0123456789abcdef";
		sb_puts(out, "\\x");
		for (uint32_t i = 0; i < s->len; i++) {
			uint8_t c = (uint8_t)s->ptr[i];
			sb_putc(out, hex[c >> 4]);
			sb_putc(out, hex[c & 15]);
		}
		break;
	}
	case TYPE_DATE: date_out(*(const int32_t *)v, fs, out); break;
	case TYPE_TIME: put_time(*(const int64_t *)v, out); break;
	case TYPE_TIMETZ:
		put_time(((const ftimetz *)v)->time, out);
		tz_suffix(-(long)((const ftimetz *)v)->zone, out);
		break;
	case TYPE_TIMESTAMP: timestamp_out(*(const int64_t *)v, fs, out, false); break;
	case TYPE_TIMESTAMPTZ: timestamp_out(*(const int64_t *)v, fs, out, true); break;
	case TYPE_INTERVAL: interval_out(v, fs->intervalstyle, out); break;
	case TYPE_UUID: {
		const uint8_t *b = ((const fuuid *)v)->b;
		for (int i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10) sb_putc(out, '-');
			sb_printf(out, "%02x", b[i]);
		}
		break;
	}
	case TYPE_ARRAY: array_out_text(t, *(const fstring *)v, fs, out); break;
	case TYPE_NULL: case TYPE__COUNT: break;
	}
}

/* ---------------------------------------------------------------- binary out */

static void numeric_send(i128 v, int scale, strbuf *out)
{
	/* Base-10000 digits aligned on the decimal point, as numeric_send. */
	bool neg = v < 0;
	unsigned __int128 u = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
	/* pad the fraction to a multiple of 4 digits */
	int fracgroups = (scale + 3) / 4;
	int pad = fracgroups * 4 - scale;
	for (int i = 0; i < pad; i++) u *= 10;
	int16_t groups[24];
	int n = 0;
	while (u) {
		groups[n++] = (int16_t)(u % 10000);
		u /= 10000;
	}
	/* groups[0] is the least significant; fracgroups of them are fraction */
	int lo = 0;
	while (lo < n && groups[lo] == 0) lo++; /* strip trailing zero groups */
	int ndigits = n - lo;
	int weight = n - fracgroups - 1;
	if (ndigits == 0) weight = 0;
	sb_put_u16(out, (uint16_t)ndigits);
	sb_put_u16(out, (uint16_t)(int16_t)weight);
	sb_put_u16(out, ndigits && neg ? 0x4000 : 0x0000);
	sb_put_u16(out, (uint16_t)scale);
	for (int i = n - 1; i >= lo; i--) sb_put_u16(out, (uint16_t)groups[i]);
}

void value_out_binary(ftype t, const void *v, strbuf *out)
{
	switch (t.id) {
	case TYPE_BOOL: sb_put_u8(out, *(const uint8_t *)v ? 1 : 0); break;
	case TYPE_INT2: sb_put_u16(out, (uint16_t)*(const int16_t *)v); break;
	case TYPE_INT4: case TYPE_DATE: sb_put_u32(out, (uint32_t)*(const int32_t *)v); break;
	case TYPE_INT8: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ:
		if (ftype_reg_kind(t)) sb_put_u32(out, (uint32_t)*(const int64_t *)v); /* oid is 4 bytes */
		else sb_put_u64(out, (uint64_t)*(const int64_t *)v);
		break;
	case TYPE_FLOAT4: {
		uint32_t u;
		memcpy(&u, v, 4);
		sb_put_u32(out, u);
		break;
	}
	case TYPE_FLOAT8: {
		uint64_t u;
		memcpy(&u, v, 8);
		sb_put_u64(out, u);
		break;
	}
	case TYPE_NUMERIC: {
		int s;
		i128 m = num_load_ds(t, v, &s);
		numeric_send(m, s, out);
		break;
	}
	case TYPE_JSONB: sb_put_u8(out, 1); /* fallthrough: version then text */
	/* fallthrough */
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_BYTEA: case TYPE_JSON:
	case TYPE_UNKNOWN: {
		const fstring *s = v;
		sb_append(out, s->ptr, s->len);
		break;
	}
	case TYPE_INTERVAL: {
		const finterval *iv = v;
		sb_put_u64(out, (uint64_t)iv->micros);
		sb_put_u32(out, (uint32_t)iv->days);
		sb_put_u32(out, (uint32_t)iv->months);
		break;
	}
	case TYPE_UUID: sb_append(out, ((const fuuid *)v)->b, 16); break;
	case TYPE_TIMETZ:
		sb_put_u64(out, (uint64_t)((const ftimetz *)v)->time);
		sb_put_u32(out, (uint32_t)((const ftimetz *)v)->zone);
		break;
	case TYPE_ARRAY: array_out_binary(t, *(const fstring *)v, out); break;
	case TYPE_NULL: case TYPE__COUNT: break;
	}
}

/* ---------------------------------------------------------------- text in */

static ferr *bad_syntax(ftype t, const char *s, size_t len)
{
	return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type %s: \"%.*s\"",
	                type_err_name(t), (int)len, s);
}

static ferr *bad_datetime(ftype t, const char *s, size_t len)
{
	return ferr_new(SQLSTATE_INVALID_DATETIME_FORMAT, "invalid input syntax for type %s: \"%.*s\"",
	                type_err_name(t), (int)len, s);
}

static ferr *datetime_range(const char *s, size_t len)
{
	return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date/time field value out of range: \"%.*s\"",
	                (int)len, s);
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) (*s)++, (*len)--;
	while (*len && isspace((unsigned char)(*s)[*len - 1])) (*len)--;
}

static ferr *int_in(ftype t, const char *s0, size_t len0, void *v)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	bool neg = false;
	size_t i = 0;
	if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
	if (i == len) return bad_syntax(t, s0, len0);
	unsigned __int128 acc = 0;
	bool big = false;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)s[i])) return bad_syntax(t, s0, len0);
		acc = acc * 10 + (unsigned)(s[i] - '0');
		if (acc > ((unsigned __int128)1 << 70)) big = true, acc = (unsigned __int128)1 << 70;
	}
	i128 x = neg ? -(i128)acc : (i128)acc;
	i128 lo = t.id == TYPE_INT2 ? INT16_MIN : t.id == TYPE_INT4 ? INT32_MIN : INT64_MIN;
	i128 hi = t.id == TYPE_INT2 ? INT16_MAX : t.id == TYPE_INT4 ? INT32_MAX : INT64_MAX;
	if (big || x < lo || x > hi)
		return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value \"%.*s\" is out of range for type %s",
		                (int)len0, s0, type_err_name(t));
	if (t.id == TYPE_INT2) *(int16_t *)v = (int16_t)x;
	else if (t.id == TYPE_INT4) *(int32_t *)v = (int32_t)x;
	else *(int64_t *)v = (int64_t)x;
	return NULL;
}

static ferr *float_in(ftype t, const char *s0, size_t len0, void *v)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	char buf[512];
	if (len == 0 || len >= sizeof buf) return bad_syntax(t, s0, len0);
	memcpy(buf, s, len);
	buf[len] = 0;
	double d;
	const char *b = buf;
	bool neg = false;
	if (*b == '+' || *b == '-') neg = *b++ == '-';
	if (!strcasecmp(b, "nan")) d = NAN;
	else if (!strcasecmp(b, "infinity") || !strcasecmp(b, "inf")) d = neg ? -INFINITY : INFINITY;
	else {
		/* strtod also accepts hex and "nan(...)"; PostgreSQL accepts decimal only */
		for (const char *p = b; *p; p++)
			if (!isdigit((unsigned char)*p) && *p != '.' && *p != 'e' && *p != 'E' && *p != '+' &&
			    *p != '-')
				return bad_syntax(t, s0, len0);
		char *end;
		errno = 0;
		/* float4 parses with strtof so subnormals round as PostgreSQL's do */
		d = t.id == TYPE_FLOAT4 ? (double)strtof(buf, &end) : strtod(buf, &end);
		if (*end || end == buf) return bad_syntax(t, s0, len0);
		/* ERANGE also flags subnormal results, which PostgreSQL accepts:
		 * only overflow, or a nonzero input that became zero, is an error */
		bool range = isinf(d);
		if (!range && d == 0) {
			for (const char *p = b; *p && *p != 'e' && *p != 'E'; p++)
				if (*p >= '1' && *p <= '9') range = true;
		}
		if (range)
			return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "\"%.*s\" is out of range for type %s",
			                (int)len, s, type_err_name(t));
	}
	if (t.id == TYPE_FLOAT4) *(float *)v = (float)d;
	else *(double *)v = d;
	return NULL;
}

/* Parse decimal text into a scaled int128 at the given scale. */
/* Decimals PostgreSQL's numeric_in keeps for a text: digits after the point
 * less the exponent, at least 0 (capped to what a mantissa holds). */
static int numeric_text_scale(const char *s, size_t len)
{
	size_t i = 0;
	int frac = 0, exp = 0;
	bool point = false, eneg = false;
	while (i < len && !isdigit((unsigned char)s[i]) && s[i] != '.') i++;
	for (; i < len; i++) {
		if (s[i] == '.') point = true;
		else if (isdigit((unsigned char)s[i])) frac += point;
		else break;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
		for (; i < len && isdigit((unsigned char)s[i]) && exp < 1000; i++) exp = exp * 10 + (s[i] - '0');
	}
	int ds = frac + (eneg ? exp : -exp);
	return ds < 0 ? 0 : ds > NUM_DS_MAX_DIGITS ? NUM_DS_MAX_DIGITS : ds;
}

static ferr *numeric_parse(ftype t, const char *s0, size_t len0, i128 *out)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	size_t i = 0;
	bool neg = false, any = false;
	if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
	char dig[128];
	int nd = 0, point = -1, lead = 0;
	for (; i < len; i++) {
		if (isdigit((unsigned char)s[i])) {
			any = true;
			if (nd == 0 && s[i] == '0' && point < 0) {
				lead++;
				continue; /* leading zeros never count */
			}
			if (nd >= (int)sizeof dig) goto overflow;
			dig[nd++] = s[i];
		} else if (s[i] == '.' && point < 0) {
			point = nd;
		} else
			break;
	}
	if (!any) return bad_syntax(t, s0, len0);
	int exp = 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < len && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
		if (i == len || !isdigit((unsigned char)s[i])) return bad_syntax(t, s0, len0);
		for (; i < len && isdigit((unsigned char)s[i]); i++) {
			exp = exp * 10 + (s[i] - '0');
			if (exp > 1000) goto overflow;
		}
		if (eneg) exp = -exp;
	}
	if (i != len) {
		if (!strncasecmp(s, "nan", len) && len == 3)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "numeric NaN is not supported");
		return bad_syntax(t, s0, len0);
	}
	if (point < 0) point = nd;
	/* value = 0.dig * 10^(point+exp); scaled = dig * 10^(scale - (nd - point - exp)) */
	int shift = t.scale - (nd - point - exp);
	i128 acc = 0;
	int keep = nd;
	if (shift < 0) {
		keep = nd + shift; /* digits beyond the scale are rounded away */
		shift = 0;
	}
	if (keep > 39) goto overflow;
	for (int k = 0; k < keep && k < nd; k++) {
		if (acc > num_pow10(37)) goto overflow;
		acc = acc * 10 + (dig[k] - '0');
	}
	if (keep >= 0 && keep < nd && dig[keep] >= '5') acc += 1;
	if (shift > 0) {
		i128 r;
		if (!num_rescale(acc, 0, shift, &r)) goto overflow;
		acc = r;
	}
	*out = neg ? -acc : acc;
	return NULL;
overflow:
	if (t.precision > 0)
		return ferr_detail(ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow"),
		                   "A field with precision %d, scale %d must round to an absolute value less "
		                   "than 10^%d.",
		                   t.precision, t.scale, t.precision - t.scale);
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
}

static ferr *bool_in(ftype t, const char *s0, size_t len0, void *v)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	static const struct {
		const char *word;
		size_t minlen;
		bool val;
	} words[] = {{"true", 1, true}, {"false", 1, false}, {"yes", 1, true}, {"no", 1, false},
	             {"on", 2, true},   {"off", 2, false},   {"1", 1, true},   {"0", 1, false}};
	for (size_t i = 0; len && i < sizeof words / sizeof words[0]; i++) {
		if (len >= words[i].minlen && len <= strlen(words[i].word) &&
		    strncasecmp(s, words[i].word, len) == 0) {
			*(uint8_t *)v = words[i].val;
			return NULL;
		}
	}
	return bad_syntax(t, s0, len0);
}

static int read_int(const char **p, const char *end, int maxdig, int *out)
{
	int n = 0, v = 0;
	while (*p < end && isdigit((unsigned char)**p) && n < maxdig) v = v * 10 + (*(*p)++ - '0'), n++;
	*out = v;
	return n;
}

/* Date part: YYYY-MM-DD, YYYYMMDD, or three short fields in DateStyle order
 * (MM/DD/YYYY, DD.MM.YYYY, YY-MM-DD...); sets *pp past it. */
static int date_part_in(const char **pp, const char *end, int order, int *y, int *m, int *d)
{
	const char *p = *pp;
	int a, b, c, na, nb, nc;
	na = read_int(&p, end, 9, &a);
	if (na == 8 && (p >= end || !(*p == '-' || *p == '/' || *p == '.'))) {
		/* YYYYMMDD */
		*y = a / 10000, *m = a / 100 % 100, *d = a % 100;
		*pp = p;
		return 0;
	}
	if (!na || p >= end) return -1;
	char sep = *p;
	if (sep != '-' && sep != '/' && sep != '.') return -1;
	p++;
	nb = read_int(&p, end, 2, &b);
	if (!nb || p >= end || *p != sep) return -1;
	p++;
	nc = read_int(&p, end, 9, &c);
	if (!nc) return -1;
	int ny = nc; /* digits of the year field */
	if (na >= 3) *y = a, *m = b, *d = c, ny = na;
	else if (order == DATEORDER_DMY) *d = a, *m = b, *y = c;
	else if (order == DATEORDER_YMD) *y = a, *m = b, *d = c, ny = na;
	else *m = a, *d = b, *y = c;
	if (ny <= 2) *y += *y < 70 ? 2000 : 1900;
	*pp = p;
	return 0;
}

static bool skip_bc(const char **p, const char *end, bool *bc)
{
	const char *q = *p;
	while (q < end && isspace((unsigned char)*q)) q++;
	if (end - q >= 2 && !strncasecmp(q, "BC", 2)) {
		*bc = true;
		*p = q + 2;
		return true;
	}
	if (end - q >= 2 && !strncasecmp(q, "AD", 2)) {
		*p = q + 2;
		return true;
	}
	return false;
}


static ferr *date_in(ftype t, const char *s0, size_t len0, int order, int32_t *out)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	if (len == 8 && !strncasecmp(s, "infinity", 8)) return *out = DATE_NOEND, NULL;
	if (len == 9 && !strncasecmp(s, "-infinity", 9)) return *out = DATE_NOBEGIN, NULL;
	if (len == 5 && !strncasecmp(s, "epoch", 5)) return *out = date_from_ymd(1970, 1, 1), NULL;
	const char *p = s, *end = s + len;
	int y, m, d;
	bool bc = false;
	if (date_part_in(&p, end, order, &y, &m, &d)) return bad_datetime(t, s0, len0);
	skip_bc(&p, end, &bc);
	while (p < end && isspace((unsigned char)*p)) p++;
	if (p != end) {
		/* A time or zone after the date ("1998-01-01 +00" from pgjdbc, "2024-01-02
		 * 10:00") is accepted and dropped, as PostgreSQL's date_in does. */
		int64_t ts;
		bool zone_given;
		ferr *e = timestamp_in_zone_order(ftype_make(TYPE_TIMESTAMP), s0, len0, order, &ts, &zone_given);
		if (e) {
			ferr_free(e);
			return bad_datetime(t, s0, len0);
		}
		int64_t days = ts / USECS_PER_DAY;
		if (ts < 0 && ts % USECS_PER_DAY) days--;
		*out = (int32_t)days;
		return NULL;
	}
	if (bc) y = 1 - y;
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m) || (y == 0 && !bc))
		return datetime_range(s0, len0);
	if (y < -4713 || y > 5874897) return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date out of range: \"%.*s\"", (int)len0, s0);
	*out = date_from_ymd(y, m, d);
	return NULL;
}

/* HH:MM[:SS[.frac]] */
static int time_part_in_h(const char **pp, const char *end, int64_t *out, bool *range, int hdigits)
{
	const char *p = *pp;
	int h, m, sec = 0;
	if (!read_int(&p, end, hdigits, &h) || p >= end || *p != ':') return -1;
	p++;
	if (read_int(&p, end, 2, &m) != 2) return -1;
	int64_t frac = 0;
	if (p < end && *p == ':') {
		p++;
		if (read_int(&p, end, 2, &sec) != 2) return -1;
		if (p < end && *p == '.') {
			p++;
			int n = 0;
			int64_t scale = 100000;
			while (p < end && isdigit((unsigned char)*p)) {
				if (n < 6) frac += (*p - '0') * scale, scale /= 10;
				else if (n == 6 && *p >= '5') frac += 1; /* round to microseconds */
				n++;
				p++;
			}
		}
	}
	/* a time of day ends at 24:00:00; an interval's hours (hdigits > 2) have no bound */
	*range = m > 59 || sec > 60 || (hdigits <= 2 && (h > 24 || (h == 24 && (m || sec || frac))));
	*out = ((int64_t)h * 3600 + m * 60 + sec) * USECS_PER_SEC + frac;
	*pp = p;
	return 0;
}

static int time_part_in(const char **pp, const char *end, int64_t *out, bool *range)
{
	return time_part_in_h(pp, end, out, range, 2);
}

static ferr *time_in(ftype t, const char *s0, size_t len0, int64_t *out)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	const char *p = s, *end = s + len;
	bool range;
	if (time_part_in(&p, end, out, &range) || p != end) return bad_datetime(t, s0, len0);
	if (range) return datetime_range(s0, len0);
	return NULL;
}

/* The offset east of UTC of a fixed zone (+hh[:mm], an abbreviation), or
 * without one the session zone's offset now (the date a time alone lacks,
 * as PostgreSQL takes it); false for a zone whose offset needs a date. */
static bool zone_offset_now(const char *zone, const fmt_settings *fs, long *off)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t utc = ((int64_t)now.tv_sec - INT64_C(946684800)) * USECS_PER_SEC;
	if (zone) {
		bool fixed;
		return tz_lookup(zone, off, &fixed) && fixed;
	}
	*off = fs ? tz_offset_at_utc(fs, utc) : 0;
	return true;
}

/* time with time zone: a time, then a zone (+hh[:mm[:ss]], Z or a name);
 * without one the session zone's offset today, as PostgreSQL's timetz_in. */
static ferr *timetz_in(ftype t, const char *s0, size_t len0, const fmt_settings *fs, ftimetz *out)
{
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	const char *p = s, *end = s + len;
	bool range;
	int64_t tod;
	if (time_part_in(&p, end, &tod, &range)) return bad_datetime(t, s0, len0);
	while (p < end && *p == ' ') p++;
	char zone[64];
	size_t zl = (size_t)(end - p);
	if (zl >= sizeof zone) return bad_datetime(t, s0, len0);
	memcpy(zone, p, zl);
	zone[zl] = 0;
	long off;
	if (!zone_offset_now(zl ? zone : NULL, fs, &off)) {
		long o;
		bool fixed;
		if (zone[0] == '+' || zone[0] == '-')
			return ferr_new(SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT,
			                "time zone displacement out of range: \"%.*s\"", (int)len0, s0);
		if (!isalpha((unsigned char)zone[0]) || tz_lookup(zone, &o, &fixed)) return bad_datetime(t, s0, len0);
		for (char *q = zone; *q; q++) *q = (char)tolower((unsigned char)*q);
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", zone);
	}
	if (range || tod > USECS_PER_DAY) return datetime_range(s0, len0);
	if (off > 15 * 3600 + 59 * 60 + 59 || off < -(15 * 3600 + 59 * 60 + 59))
		return ferr_new(SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT,
		                "time zone displacement out of range: \"%.*s\"", (int)len0, s0);
	out->time = tod;
	out->zone = (int32_t)-off;
	out->pad = 0;
	return NULL;
}

ferr *timestamp_in_zone(ftype t, const char *s0, size_t len0, int64_t *out, bool *zone_given)
{
	return timestamp_in_zone_order(t, s0, len0, DATEORDER_MDY, out, zone_given);
}

ferr *timestamp_in_zone_order(ftype t, const char *s0, size_t len0, int order, int64_t *out,
                              bool *zone_given)
{
	*zone_given = false;
	const char *s = s0;
	size_t len = len0;
	trim(&s, &len);
	if (len == 8 && !strncasecmp(s, "infinity", 8)) return *out = TS_NOEND, NULL;
	if (len == 9 && !strncasecmp(s, "-infinity", 9)) return *out = TS_NOBEGIN, NULL;
	const char *p = s, *end = s + len;
	int y, m, d;
	bool bc = false, range = false;
	int64_t tod = 0;
	if (date_part_in(&p, end, order, &y, &m, &d)) return bad_datetime(t, s0, len0);
	if (p < end && (*p == 'T' || *p == 't' || *p == ' ')) {
		const char *q = p + 1;
		while (q < end && *q == ' ') q++;
		if (q < end && isdigit((unsigned char)*q)) {
			p = q;
			if (time_part_in(&p, end, &tod, &range)) return bad_datetime(t, s0, len0);
		}
	}
	/* zone: Z, +hh[:mm], or a name after a space */
	long off = 0;
	bool have_zone = false;
	while (p < end && *p == ' ') p++;
	if (p < end && (*p == '+' || *p == '-' || *p == 'Z' || *p == 'z' || isalpha((unsigned char)*p))) {
		const char *z = p;
		while (p < end && !isspace((unsigned char)*p)) p++;
		char zone[64];
		size_t zl = (size_t)(p - z);
		if (zl >= sizeof zone) return bad_datetime(t, s0, len0);
		memcpy(zone, z, zl);
		zone[zl] = 0;
		if (!strcasecmp(zone, "BC") || !strcasecmp(zone, "AD")) {
			bc = !strcasecmp(zone, "BC");
		} else {
			bool fixed;
			if (!tz_lookup(zone, &off, &fixed))
				return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", zone);
			have_zone = true;
			if (!fixed) {
				fmt_settings fs;
				fmt_settings_default(&fs);
				fs.timezone = zone;
				if (bc) y = 1 - y;
				int64_t local = (int64_t)date_from_ymd(y, m, d) * USECS_PER_DAY + tod;
				if (bc) y = 1 - y;
				off = tz_offset_for_local(&fs, local);
			}
		}
		skip_bc(&p, end, &bc);
	}
	while (p < end && isspace((unsigned char)*p)) p++;
	if (p != end) return bad_datetime(t, s0, len0);
	if (bc) y = 1 - y;
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m) || range) return datetime_range(s0, len0);
	/* PostgreSQL's timestamp range: 4713 BC to 294276 AD */
	if (y < -4712 || y > 294276)
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"%.*s\"", (int)len0, s0);
	int64_t ts = (int64_t)date_from_ymd(y, m, d) * USECS_PER_DAY + tod;
	/* timestamp without time zone ignores a zone, as PostgreSQL does */
	if (t.id == TYPE_TIMESTAMPTZ && have_zone) ts -= (int64_t)off * USECS_PER_SEC;
	*out = ts;
	*zone_given = have_zone;
	return NULL;
}

static ferr *timestamp_in(ftype t, const char *s0, size_t len0, int order, int64_t *out)
{
	bool zone_given;
	return timestamp_in_zone_order(t, s0, len0, order, out, &zone_given);
}

static ferr *interval_in(ftype t, const char *s0, size_t len0, int style, finterval *iv)
{
	const char *p = s0, *end = s0 + len0;
	finterval r = {0, 0, 0};
	bool any = false, ago = false;
	int nfields = 0;
	bool first_neg = false, more_signs = false;
	while (p < end) {
		while (p < end && isspace((unsigned char)*p)) p++;
		if (p >= end) break;
		if (*p == '@') {
			p++;
			continue;
		}
		if (end - p >= 3 && !strncasecmp(p, "ago", 3)) {
			ago = true;
			p += 3;
			continue;
		}
		if (nfields++ == 0) first_neg = *p == '-';
		else if (*p == '-' || *p == '+') more_signs = true;
		bool neg = false;
		const char *q = p;
		if (*q == '-' || *q == '+') neg = *q++ == '-';
		/* hh:mm[:ss] */
		const char *c = q;
		while (c < end && isdigit((unsigned char)*c)) c++;
		if (c < end && *c == ':' && c > q) {
			int64_t tod;
			bool range;
			const char *tp = q;
			if (time_part_in_h(&tp, end, &tod, &range, 9)) return bad_datetime(t, s0, len0);
			/* PostgreSQL reads a signed field that fails as a time as a bad number */
			if (range && q != p) return bad_datetime(t, s0, len0);
			if (range) return ferr_new("22015", "interval field value out of range: \"%.*s\"", (int)len0, s0);
			r.micros += neg ? -tod : tod;
			p = tp;
			any = true;
			continue;
		}
		char *numend;
		char nbuf[64];
		size_t nl = 0;
		while (p + nl < end && nl < 63 && (isdigit((unsigned char)p[nl]) || p[nl] == '.' || p[nl] == '-' || p[nl] == '+'))
			nl++;
		if (!nl) return bad_datetime(t, s0, len0);
		memcpy(nbuf, p, nl);
		nbuf[nl] = 0;
		double val = strtod(nbuf, &numend);
		if (*numend) return bad_datetime(t, s0, len0);
		p += nl;
		while (p < end && isspace((unsigned char)*p)) p++;
		const char *u = p;
		while (p < end && isalpha((unsigned char)*p)) p++;
		size_t ul = (size_t)(p - u);
		char unit[32];
		if (ul >= sizeof unit) return bad_datetime(t, s0, len0);
		for (size_t i = 0; i < ul; i++) unit[i] = (char)tolower((unsigned char)u[i]);
		unit[ul] = 0;
		if (ul > 1 && unit[ul - 1] == 's' && strcmp(unit, "s") != 0) unit[--ul] = 0;
		/* fractions spill into smaller fields as in PostgreSQL (month = 30 days) */
		double months = 0, days = 0, usecs = 0;
		if (!strcmp(unit, "year") || !strcmp(unit, "y") || !strcmp(unit, "yr")) months = val * 12;
		else if (!strcmp(unit, "mon") || !strcmp(unit, "month")) months = val;
		else if (!strcmp(unit, "week") || !strcmp(unit, "w")) days = val * 7;
		else if (!strcmp(unit, "day") || !strcmp(unit, "d")) days = val;
		else if (!strcmp(unit, "hour") || !strcmp(unit, "h") || !strcmp(unit, "hr")) usecs = val * 3600e6;
		else if (!strcmp(unit, "minute") || !strcmp(unit, "min") || !strcmp(unit, "m")) usecs = val * 60e6;
		else if (!strcmp(unit, "second") || !strcmp(unit, "sec") || !strcmp(unit, "s") || ul == 0) usecs = val * 1e6;
		else if (!strcmp(unit, "millisecond") || !strcmp(unit, "msec") || !strcmp(unit, "ms")) usecs = val * 1e3;
		else if (!strcmp(unit, "microsecond") || !strcmp(unit, "usec") || !strcmp(unit, "us")) usecs = val;
		else return bad_datetime(t, s0, len0);
		/* every field must fit before it is converted, and the sums too (22015, as PostgreSQL) */
		if (!(fabs(months) < 2147483648.0))
			return ferr_new("22015", "interval field value out of range: \"%.*s\"", (int)len0, s0);
		int32_t whole_m = (int32_t)months;
		days += (months - whole_m) * 30;
		if (!(fabs(days) < 2147483648.0))
			return ferr_new("22015", "interval field value out of range: \"%.*s\"", (int)len0, s0);
		int32_t whole_d = (int32_t)days;
		usecs += (days - whole_d) * 86400e6;
		if (!(fabs(usecs) < 9.2e18) || __builtin_add_overflow(r.months, whole_m, &r.months) ||
		    __builtin_add_overflow(r.days, whole_d, &r.days) ||
		    __builtin_add_overflow(r.micros, (int64_t)llround(usecs), &r.micros))
			return ferr_new("22015", "interval field value out of range: \"%.*s\"", (int)len0, s0);
		any = true;
	}
	if (!any) return bad_datetime(t, s0, len0);
	/* IntervalStyle sql_standard: "-1 1:00:00" is minus one day and one hour
	 * when no other field carries a sign */
	if (style == INTERVALSTYLE_SQL_STANDARD && first_neg && !more_signs) {
		if (r.micros > 0) r.micros = -r.micros;
		if (r.days > 0) r.days = -r.days;
		if (r.months > 0) r.months = -r.months;
	}
	if (ago) {
		r.micros = -r.micros;
		r.days = -r.days;
		r.months = -r.months;
	}
	*iv = r;
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static ferr *uuid_in(ftype t, const char *s0, size_t len0, fuuid *u)
{
	const char *p = s0, *end = s0 + len0;
	bool brace = p < end && *p == '{';
	if (brace) p++;
	for (int i = 0; i < 16; i++) {
		if (p + 2 > end) return bad_syntax(t, s0, len0);
		int a = hexval(p[0]), b = hexval(p[1]);
		if (a < 0 || b < 0) return bad_syntax(t, s0, len0);
		u->b[i] = (uint8_t)(a << 4 | b);
		p += 2;
		if (p < end && *p == '-' && (i % 2) == 1 && i < 15) p++;
	}
	if (brace) {
		if (p >= end || *p != '}') return bad_syntax(t, s0, len0);
		p++;
	}
	if (p != end) return bad_syntax(t, s0, len0);
	return NULL;
}

static ferr *bytea_in(const char *s, size_t len, arena *a, fstring *out)
{
	if (len >= 2 && s[0] == '\\' && s[1] == 'x') {
		char *buf = arena_alloc(a, len / 2 + 1);
		uint32_t n = 0;
		for (size_t i = 2; i < len;) {
			if (isspace((unsigned char)s[i])) {
				i++;
				continue;
			}
			int hi = hexval(s[i]);
			if (hi < 0) return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid hexadecimal digit: \"%c\"", s[i]);
			if (i + 1 >= len) return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid hexadecimal data: odd number of digits");
			int lo = hexval(s[i + 1]);
			if (lo < 0) return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid hexadecimal digit: \"%c\"", s[i + 1]);
			buf[n++] = (char)(hi << 4 | lo);
			i += 2;
		}
		out->ptr = buf;
		out->len = n;
		return NULL;
	}
	/* escape format: \\ and \ooo */
	char *buf = arena_alloc(a, len + 1);
	uint32_t n = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] != '\\') {
			buf[n++] = s[i++];
		} else if (i + 1 < len && s[i + 1] == '\\') {
			buf[n++] = '\\';
			i += 2;
		} else if (i + 3 < len + 0 && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
		           s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			buf[n++] = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 4;
		} else {
			return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type bytea");
		}
	}
	out->ptr = buf;
	out->len = n;
	return NULL;
}

/*
 * oid and reg* input: a number is the OID itself (as PostgreSQL's oidin,
 * and "-" for InvalidOid in reg* types); anything else
 * is a name for the hook.
 */
static ferr *reg_in(ftype t, const char *s, size_t len, const fmt_settings *fs, void *v)
{
	size_t b = 0, e = len;
	while (b < e && isspace((unsigned char)s[b])) b++;
	while (e > b && isspace((unsigned char)s[e - 1])) e--;
	int kind = ftype_reg_kind(t);
	if (kind > FTYPE_REG_OID && e - b == 1 && s[b] == '-') {
		*(int64_t *)v = 0;
		return NULL;
	}
	bool digits = e > b;
	for (size_t i = b; i < e && digits; i++) digits = isdigit((unsigned char)s[i]) != 0;
	if (digits || kind == FTYPE_REG_OID || !reg_in_hook) {
		int64_t x;
		TRY(int_in(ftype_make(TYPE_INT8), s, len, &x));
		/* oidin reads a negative 32-bit number as its unsigned twin ('-1' is 4294967295) */
		if (x < INT32_MIN || x > (int64_t)UINT32_MAX)
			return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
			                "value \"%.*s\" is out of range for type oid", (int)len, s);
		*(int64_t *)v = x < 0 ? x + ((int64_t)UINT32_MAX + 1) : x;
		return NULL;
	}
	return reg_in_hook(kind, s + b, e - b, fs, v);
}

ferr *value_in_text(ftype t, const char *s, size_t len, arena *a, void *v)
{
	return value_in_text_fs(t, s, len, a, v, NULL);
}

ferr *value_in_text_fs(ftype t, const char *s, size_t len, arena *a, void *v, const fmt_settings *fs)
{
	int order = fs ? fs->dateorder : DATEORDER_MDY;
	switch (t.id) {
	case TYPE_BOOL: return bool_in(t, s, len, v);
	case TYPE_INT2: case TYPE_INT4: case TYPE_INT8:
		if (ftype_reg_kind(t)) return reg_in(t, s, len, fs, v);
		return int_in(t, s, len, v);
	case TYPE_FLOAT4: case TYPE_FLOAT8: return float_in(t, s, len, v);
	case TYPE_NUMERIC: {
		i128 x = 0;
		if (numeric_has_value_scale(t)) {
			/* the value keeps the decimals it was written with, as in PostgreSQL */
			ftype at = ftype_numeric(0, numeric_text_scale(s, len));
			TRY(numeric_parse(at, s, len, &x));
			return num_store_ds(t, x, at.scale, v);
		}
		TRY(numeric_parse(t, s, len, &x));
		return num_store(t, x, v);
	}
	case TYPE_VARCHAR: case TYPE_BPCHAR: {
		/* PostgreSQL allows excess trailing spaces; anything else is too long */
		size_t n = len;
		if (t.length >= 0 && n > (size_t)t.length) {
			size_t k = (size_t)t.length;
			for (size_t i = k; i < n; i++)
				if (s[i] != ' ')
					return ferr_new(SQLSTATE_STRING_DATA_RIGHT_TRUNCATION, "value too long for type %s(%d)",
					                type_err_name(t), (int)t.length);
			n = k;
		}
		fstring *f = v;
		if (t.id == TYPE_BPCHAR && t.length > 0 && n < (size_t)t.length) {
			char *buf = arena_alloc(a, (size_t)t.length);
			memcpy(buf, s, n);
			memset(buf + n, ' ', (size_t)t.length - n);
			f->ptr = buf;
			f->len = (uint32_t)t.length;
		} else {
			f->ptr = arena_strndup(a, s, n);
			f->len = (uint32_t)n;
		}
		return NULL;
	}
	case TYPE_JSON: case TYPE_JSONB: return json_in(t, s, len, a, v);
	case TYPE_TEXT: case TYPE_UNKNOWN: {
		fstring *f = v;
		f->ptr = arena_strndup(a, s, len);
		f->len = (uint32_t)len;
		return NULL;
	}
	case TYPE_BYTEA: return bytea_in(s, len, a, v);
	case TYPE_DATE: return date_in(t, s, len, order, v);
	case TYPE_TIME: return time_in(t, s, len, v);
	case TYPE_TIMETZ: return timetz_in(t, s, len, fs, v);
	case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ: return timestamp_in(t, s, len, order, v);
	case TYPE_INTERVAL: return interval_in(t, s, len, fs ? fs->intervalstyle : INTERVALSTYLE_POSTGRES, v);
	case TYPE_UUID: return uuid_in(t, s, len, v);
	case TYPE_ARRAY: return array_in_text(t, s, len, a, fs, v);
	case TYPE_NULL: case TYPE__COUNT: break;
	}
	return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot read values of type %s", type_err_name(t));
}

/* ---------------------------------------------------------------- binary in */

static uint64_t rd_be(const char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++) v = v << 8 | (uint8_t)p[i];
	return v;
}

static ferr *bad_binary(ftype t)
{
	return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format for type %s",
	                type_err_name(t));
}

ferr *value_in_binary(ftype t, const char *p, size_t len, arena *a, void *v)
{
	switch (t.id) {
	case TYPE_BOOL:
		if (len != 1) return bad_binary(t);
		*(uint8_t *)v = p[0] != 0;
		return NULL;
	case TYPE_INT2:
		if (len != 2) return bad_binary(t);
		*(int16_t *)v = (int16_t)rd_be(p, 2);
		return NULL;
	case TYPE_INT4: case TYPE_DATE: case TYPE_FLOAT4:
		if (len != 4) return bad_binary(t);
		{
			uint32_t u = (uint32_t)rd_be(p, 4);
			memcpy(v, &u, 4);
		}
		return NULL;
	case TYPE_INT8: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ: case TYPE_FLOAT8:
		if (ftype_reg_kind(t) && len == 4) {
			*(int64_t *)v = (int64_t)rd_be(p, 4); /* oid is an unsigned 4-byte value */
			return NULL;
		}
		if (len != 8) return bad_binary(t);
		{
			uint64_t u = rd_be(p, 8);
			memcpy(v, &u, 8);
		}
		return NULL;
	case TYPE_INTERVAL:
		if (len != 16) return bad_binary(t);
		{
			finterval *iv = v;
			iv->micros = (int64_t)rd_be(p, 8);
			iv->days = (int32_t)rd_be(p + 8, 4);
			iv->months = (int32_t)rd_be(p + 12, 4);
		}
		return NULL;
	case TYPE_UUID:
		if (len != 16) return bad_binary(t);
		memcpy(((fuuid *)v)->b, p, 16);
		return NULL;
	case TYPE_TIMETZ: {
		if (len != 12) return bad_binary(t);
		ftimetz *tt = v;
		tt->time = (int64_t)rd_be(p, 8);
		tt->zone = (int32_t)(uint32_t)rd_be(p + 8, 4);
		tt->pad = 0;
		if (tt->time < 0 || tt->time > USECS_PER_DAY) return bad_binary(t);
		return NULL;
	}
	case TYPE_NUMERIC: {
		if (len < 8) return bad_binary(t);
		int ndigits = (int16_t)rd_be(p, 2), weight = (int16_t)rd_be(p + 2, 2);
		int sign = (int)rd_be(p + 4, 2), dscale = (int16_t)rd_be(p + 6, 2);
		if (ndigits < 0 || len != 8 + (size_t)ndigits * 2 || dscale < 0) return bad_binary(t);
		if (sign == 0xC000) return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "numeric NaN is not supported");
		if (sign != 0 && sign != 0x4000) return bad_binary(t);
		/* value = sum digit[i] * 10000^(weight - i); scale to t.scale */
		i128 acc = 0;
		for (int i = 0; i < ndigits; i++) {
			int dg = (int)rd_be(p + 8 + i * 2, 2);
			if (dg >= 10000) return bad_binary(t);
			if (acc > num_pow10(33)) return num_store(t, num_pow10(38), v);
			acc = acc * 10000 + dg;
		}
		/* the last digit group stands for 10000^(weight - ndigits + 1) */
		int e4 = weight - ndigits + 1, accscale = 0;
		i128 r;
		if (ndigits > 0 && e4 > 0) {
			if (!num_rescale(acc, 0, e4 * 4, &r)) return num_store(t, num_pow10(38), v);
			acc = r;
		} else if (ndigits > 0) {
			accscale = -e4 * 4;
		}
		if (numeric_has_value_scale(t)) {
			int ds = dscale > NUM_DS_MAX_DIGITS ? NUM_DS_MAX_DIGITS : dscale;
			if (!num_rescale(acc, accscale, ds, &r)) return num_store(t, num_pow10(38), v);
			return num_store_ds(t, sign == 0x4000 ? -r : r, ds, v);
		}
		if (!num_rescale(acc, accscale, t.scale, &r)) return num_store(t, num_pow10(38), v);
		return num_store(t, sign == 0x4000 ? -r : r, v);
	}
	case TYPE_JSONB:
		if (len < 1 || p[0] != 1) return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "unsupported jsonb version number %d", len ? p[0] : 0);
		return value_in_text(t, p + 1, len - 1, a, v);
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_JSON: case TYPE_UNKNOWN:
		return value_in_text(t, p, len, a, v);
	case TYPE_BYTEA: {
		fstring *f = v;
		f->ptr = arena_strndup(a, p, len);
		f->len = (uint32_t)len;
		return NULL;
	}
	case TYPE_ARRAY: return array_in_binary(t, p, len, a, v);
	case TYPE_NULL: case TYPE__COUNT: break;
	}
	return bad_binary(t);
}

/* ---------------------------------------------------------------- compare, hash */

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int float_cmp(double a, double b)
{
	/* PostgreSQL: NaN equals NaN and sorts above everything */
	if (isnan(a)) return isnan(b) ? 0 : 1;
	if (isnan(b)) return -1;
	return CMP(a, b);
}

static i128 interval_span(const finterval *iv)
{
	/* PostgreSQL compares intervals as if a month were 30 days */
	return (i128)iv->micros + ((i128)iv->days + (i128)iv->months * 30) * USECS_PER_DAY;
}

int value_compare(ftype t, const void *a, const void *b)
{
	switch (t.id) {
	case TYPE_BOOL: return CMP(*(const uint8_t *)a, *(const uint8_t *)b);
	case TYPE_INT2: return CMP(*(const int16_t *)a, *(const int16_t *)b);
	case TYPE_INT4: case TYPE_DATE: return CMP(*(const int32_t *)a, *(const int32_t *)b);
	case TYPE_INT8: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ:
		return CMP(*(const int64_t *)a, *(const int64_t *)b);
	case TYPE_FLOAT4: return float_cmp(*(const float *)a, *(const float *)b);
	case TYPE_FLOAT8: return float_cmp(*(const double *)a, *(const double *)b);
	case TYPE_NUMERIC: {
		if (numeric_has_value_scale(t)) {
			int sa, sb;
			i128 x = num_load_ds(t, a, &sa), y = num_load_ds(t, b, &sb);
			return num_cmp_ds(x, sa, y, sb);
		}
		i128 x = num_load(t, a), y = num_load(t, b);
		return CMP(x, y);
	}
	case TYPE_INTERVAL: {
		i128 x = interval_span(a), y = interval_span(b);
		return CMP(x, y);
	}
	case TYPE_UUID: return memcmp(a, b, 16) < 0 ? -1 : memcmp(a, b, 16) > 0;
	case TYPE_TIMETZ: {
		/* timetz_cmp_internal: the UTC instant, then the zone */
		const ftimetz *x = a, *y = b;
		int64_t ux = x->time + (int64_t)x->zone * USECS_PER_SEC, uy = y->time + (int64_t)y->zone * USECS_PER_SEC;
		return ux != uy ? CMP(ux, uy) : CMP(x->zone, y->zone);
	}
	case TYPE_ARRAY: return array_compare(t, *(const fstring *)a, *(const fstring *)b);
	default: {
		const fstring *x = a, *y = b;
		if (t.id == TYPE_BPCHAR) {
			/* character(n) ignores trailing blanks when comparing */
			fstring tx = *x, ty = *y;
			while (tx.len && tx.ptr[tx.len - 1] == ' ') tx.len--;
			while (ty.len && ty.ptr[ty.len - 1] == ' ') ty.len--;
			return value_compare(ftype_make(TYPE_TEXT), &tx, &ty);
		}
		uint32_t n = x->len < y->len ? x->len : y->len;
		int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
		if (c) return c < 0 ? -1 : 1;
		return CMP(x->len, y->len);
	}
	}
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static uint64_t hash_bytes(const void *p, size_t n)
{
	/* FNV-1a then a final mix: strings are short, this is fast enough */
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * UINT64_C(0x100000001b3);
	return mix64(h);
}

uint64_t value_hash(ftype t, const void *v)
{
	switch (t.id) {
	case TYPE_BOOL: return mix64(*(const uint8_t *)v);
	case TYPE_INT2: return mix64((uint64_t)(int64_t)*(const int16_t *)v);
	case TYPE_INT4: case TYPE_DATE: return mix64((uint64_t)(int64_t)*(const int32_t *)v);
	case TYPE_INT8: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ:
		return mix64((uint64_t)*(const int64_t *)v);
	case TYPE_FLOAT4: case TYPE_FLOAT8: {
		double d = t.id == TYPE_FLOAT4 ? *(const float *)v : *(const double *)v;
		if (d == 0) d = 0; /* -0 equals 0 */
		if (isnan(d)) d = NAN;
		uint64_t u;
		memcpy(&u, &d, 8);
		return mix64(u);
	}
	case TYPE_NUMERIC: {
		i128 x;
		if (numeric_has_value_scale(t)) {
			/* equal values hash alike whatever their scale: 1.50 = 1.5 */
			int sc;
			x = num_load_ds(t, v, &sc);
			while (sc > 0 && x % 10 == 0) {
				x /= 10;
				sc--;
			}
			x = x * (NUM_DS_MAX_SCALE + 1) + sc;
		} else {
			x = num_load(t, v);
		}
		return mix64((uint64_t)x ^ mix64((uint64_t)(x >> 64)));
	}
	case TYPE_INTERVAL: {
		i128 x = interval_span(v);
		return mix64((uint64_t)x ^ mix64((uint64_t)(x >> 64)));
	}
	case TYPE_UUID: return hash_bytes(v, 16);
	case TYPE_TIMETZ: return mix64((uint64_t)((const ftimetz *)v)->time ^ mix64((uint64_t)((const ftimetz *)v)->zone));
	case TYPE_ARRAY: return array_hash(t, *(const fstring *)v);
	default: {
		const fstring *s = v;
		uint32_t n = s->len;
		if (t.id == TYPE_BPCHAR)
			while (n && s->ptr[n - 1] == ' ') n--;
		return hash_bytes(s->ptr, n);
	}
	}
}
