/*
 * array.c — the array value encoding (see array.h), PostgreSQL's array_in,
 * array_out, array_send and array_recv for one-dimensional arrays, and the
 * element-wise order and hash. Input comes from users and remote servers:
 * it must never read past what it was given nor accept what PostgreSQL
 * rejects; failures are ferrs with PostgreSQL's SQLSTATE and message.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "exec/array.h"
#include "exec/types_internal.h"

static const struct {
	type_id elem;
	uint32_t oid;
	const char *name; /* pg_type.typname */
} array_types[] = {
	{TYPE_BOOL, OID_BOOL_ARRAY, "_bool"},         {TYPE_INT2, OID_INT2_ARRAY, "_int2"},
	{TYPE_INT4, OID_INT4_ARRAY, "_int4"},         {TYPE_INT8, OID_INT8_ARRAY, "_int8"},
	{TYPE_FLOAT4, OID_FLOAT4_ARRAY, "_float4"},   {TYPE_FLOAT8, OID_FLOAT8_ARRAY, "_float8"},
	{TYPE_NUMERIC, OID_NUMERIC_ARRAY, "_numeric"}, {TYPE_TEXT, OID_TEXT_ARRAY, "_text"},
	{TYPE_VARCHAR, OID_VARCHAR_ARRAY, "_varchar"}, {TYPE_BPCHAR, OID_BPCHAR_ARRAY, "_bpchar"},
	{TYPE_BYTEA, OID_BYTEA_ARRAY, "_bytea"},      {TYPE_DATE, OID_DATE_ARRAY, "_date"},
	{TYPE_TIME, OID_TIME_ARRAY, "_time"},         {TYPE_TIMESTAMP, OID_TIMESTAMP_ARRAY, "_timestamp"},
	{TYPE_TIMETZ, OID_TIMETZ_ARRAY, "_timetz"},
	{TYPE_TIMESTAMPTZ, OID_TIMESTAMPTZ_ARRAY, "_timestamptz"},
	{TYPE_INTERVAL, OID_INTERVAL_ARRAY, "_interval"}, {TYPE_UUID, OID_UUID_ARRAY, "_uuid"},
	{TYPE_JSON, OID_JSON_ARRAY, "_json"},         {TYPE_JSONB, OID_JSONB_ARRAY, "_jsonb"},
};
#define N_ARRAY_TYPES (sizeof array_types / sizeof array_types[0])

bool array_elem_supported(type_id t)
{
	for (size_t i = 0; i < N_ARRAY_TYPES; i++)
		if (array_types[i].elem == t) return true;
	return false;
}

ftype ftype_array(ftype elem)
{
	ftype t = elem;
	t.id = TYPE_ARRAY;
	t.elem = (uint8_t)elem.id;
	return t;
}

ftype ftype_array_elem(ftype arr)
{
	ftype t = arr;
	t.id = (type_id)arr.elem;
	t.elem = 0;
	return t;
}

uint32_t array_oid_of(ftype elem)
{
	if (ftype_reg_kind(elem) == FTYPE_REG_OID) return OID_OID_ARRAY; /* catalog oid[] columns */
	for (size_t i = 0; i < N_ARRAY_TYPES; i++)
		if (array_types[i].elem == elem.id) return array_types[i].oid;
	return 0;
}

bool array_from_oid(uint32_t oid, int32_t elem_typmod, ftype *out)
{
	ftype e;
	if (oid == OID_NAME_ARRAY) {
		*out = ftype_array(ftype_make(TYPE_TEXT));
		return true;
	}
	if (oid == OID_OID_ARRAY) {
		/* oid is bigint in Ferry */
		*out = ftype_array(ftype_make(TYPE_INT8));
		return true;
	}
	for (size_t i = 0; i < N_ARRAY_TYPES; i++) {
		if (array_types[i].oid != oid) continue;
		if (!ftype_from_oid(ftype_oid(ftype_make(array_types[i].elem)), elem_typmod, &e)) return false;
		*out = ftype_array(e);
		return true;
	}
	return false;
}

bool array_from_type_name(const char *name, ftype *out)
{
	for (size_t i = 0; i < N_ARRAY_TYPES; i++) {
		if (strcasecmp(name, array_types[i].name) != 0) continue;
		ftype e;
		if (!ftype_from_name(array_types[i].name + 1, &e)) e = ftype_make(array_types[i].elem);
		if (e.id == TYPE_BPCHAR) e.length = -1; /* _bpchar is bpchar[], no length */
		*out = ftype_array(e);
		return true;
	}
	return false;
}

void array_format_type(ftype arr, strbuf *out)
{
	ftype_format(ftype_array_elem(arr), out);
	sb_puts(out, "[]");
}

static bool elem_is_var(type_id t)
{
	switch (t) {
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_BYTEA: case TYPE_JSON:
	case TYPE_JSONB: case TYPE_UNKNOWN: return true;
	default: return false;
	}
}

/* ---------------------------------------------------------------- reading */

void array_iter_init(array_iter *it, ftype arr, fstring v)
{
	memset(it, 0, sizeof *it);
	it->elem = ftype_array_elem(arr);
	it->width = ftype_width(it->elem);
	it->var = elem_is_var(it->elem.id);
	if (v.len < 5) {
		it->p = v.ptr;
		return; /* not a packed array: reads as empty */
	}
	it->n = array_count(v);
	const char *p = v.ptr + 5;
	if ((uint8_t)v.ptr[4] & ARRAY_HAS_NULLS) {
		it->nulls = (const uint8_t *)p;
		p += (it->n + 7) / 8;
	}
	it->p = p;
}

bool array_iter_next(array_iter *it, const void **elem)
{
	if (it->i >= it->n) return false;
	uint32_t i = it->i++;
	bool isnull = it->nulls && ((it->nulls[i >> 3] >> (i & 7)) & 1);
	if (it->var) {
		uint32_t len;
		memcpy(&len, it->p, 4);
		it->slot.s.ptr = it->p + 4;
		it->slot.s.len = len;
		it->p += 4 + (size_t)len;
	} else {
		memcpy(it->slot.bytes, it->p, it->width);
		it->p += it->width;
	}
	*elem = isnull ? NULL : it->slot.bytes;
	return true;
}

bool array_get(ftype arr, fstring v, uint32_t i, array_iter *it, const void **elem)
{
	array_iter_init(it, arr, v);
	if (i >= it->n) return false;
	if (!it->var) {
		it->p += (size_t)i * it->width;
		it->i = i;
	} else {
		const void *skip;
		while (it->i < i) array_iter_next(it, &skip);
	}
	return array_iter_next(it, elem);
}

/* ---------------------------------------------------------------- building */

static void *grow(arena *a, void *old, size_t used, size_t *cap, size_t need)
{
	if (need <= *cap) return old;
	size_t nc = *cap ? *cap * 2 : 64;
	while (nc < need) nc *= 2;
	char *p = arena_alloc(a, nc);
	if (used) memcpy(p, old, used);
	memset(p + used, 0, nc - used);
	*cap = nc;
	return p;
}

void array_builder_init(array_builder *ab, ftype elem, arena *a)
{
	memset(ab, 0, sizeof *ab);
	ab->elem = elem;
	ab->width = ftype_width(elem);
	ab->var = elem_is_var(elem.id);
	ab->a = a;
}

void array_builder_add(array_builder *ab, const void *v)
{
	uint32_t i = ab->n++;
	ab->nulls = grow(ab->a, ab->nulls, ab->nulls_cap, &ab->nulls_cap, (size_t)i / 8 + 1);
	if (!v) {
		ab->has_null = true;
		ab->nulls[i >> 3] |= (uint8_t)(1u << (i & 7));
	}
	if (ab->var) {
		const fstring *s = v;
		uint32_t len = s ? s->len : 0;
		ab->buf = grow(ab->a, ab->buf, ab->len, &ab->cap, ab->len + 4 + len);
		memcpy(ab->buf + ab->len, &len, 4);
		if (len) memcpy(ab->buf + ab->len + 4, s->ptr, len);
		ab->len += 4 + (size_t)len;
	} else {
		ab->buf = grow(ab->a, ab->buf, ab->len, &ab->cap, ab->len + ab->width);
		if (v)
			memcpy(ab->buf + ab->len, v, ab->width);
		else
			memset(ab->buf + ab->len, 0, ab->width);
		ab->len += ab->width;
	}
}

fstring array_builder_finish(array_builder *ab)
{
	size_t nb = ab->has_null ? ((size_t)ab->n + 7) / 8 : 0;
	size_t total = 5 + nb + ab->len;
	char *p = arena_alloc(ab->a, total);
	memcpy(p, &ab->n, 4);
	p[4] = ab->has_null ? ARRAY_HAS_NULLS : 0;
	if (nb) memcpy(p + 5, ab->nulls, nb);
	if (ab->len) memcpy(p + 5 + nb, ab->buf, ab->len);
	fstring f = {(uint32_t)total, p};
	return f;
}

/* ---------------------------------------------------------------- text out */

static bool array_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* One element as array_out writes it: quoted when it is empty, "NULL", or
 * holds a brace, comma, quote, backslash or white space. */
static void put_elem_text(const char *s, size_t n, strbuf *out)
{
	bool quote = n == 0 || (n == 4 && strncasecmp(s, "NULL", 4) == 0);
	for (size_t i = 0; i < n && !quote; i++) {
		char c = s[i];
		if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || array_isspace(c)) quote = true;
	}
	if (!quote) {
		sb_append(out, s, n);
		return;
	}
	sb_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') sb_putc(out, '\\');
		sb_putc(out, s[i]);
	}
	sb_putc(out, '"');
}

bool array_record_elem_ok(ftype elem)
{
	switch (elem.id) {
	case TYPE_BOOL: case TYPE_INT2: case TYPE_INT4: case TYPE_FLOAT4: case TYPE_FLOAT8: case TYPE_TEXT:
	case TYPE_DATE: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ: case TYPE_UUID: return true;
	case TYPE_INT8: return ftype_reg_kind(elem) == 0;
	default: return false;
	}
}

void record_field_out(const char *s, size_t n, strbuf *out)
{
	bool quote = n == 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == '"' || s[i] == '\\' || s[i] == '(' || s[i] == ')' || s[i] == ',' || array_isspace(s[i]);
	if (!quote) {
		sb_append(out, s, n);
		return;
	}
	sb_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') sb_putc(out, s[i]);
		sb_putc(out, s[i]);
	}
	sb_putc(out, '"');
}

/* An ARRAY_RECORDS(k) or ARRAY_RECORD_ONE value (array.h) as its records. */
static void array_out_records(ftype arr, fstring v, const fmt_settings *fs, strbuf *out)
{
	uint32_t k = arr.length == ARRAY_RECORD_ONE ? 0 : (uint32_t)(-1000 - arr.length);
	array_iter it;
	array_iter_init(&it, arr, v);
	strbuf el = STRBUF_INIT, rec = STRBUF_INIT;
	strbuf *dst = k ? &rec : out;
	const void *e;
	sb_putc(out, k ? '{' : '(');
	for (uint32_t n = 0; array_iter_next(&it, &e); n++) {
		if (k && n % k == 0) {
			sb_reset(&rec);
			sb_putc(&rec, '(');
		} else if (n > 0) {
			sb_putc(dst, ',');
		}
		if (e) {
			sb_reset(&el);
			value_out_text(it.elem, e, fs, &el);
			record_field_out(el.data ? el.data : "", el.len, dst);
		}
		if (k && (n + 1) % k == 0) {
			sb_putc(&rec, ')');
			if (n + 1 > k) sb_putc(out, ',');
			put_elem_text(rec.data, rec.len, out);
		}
	}
	sb_putc(out, k ? '}' : ')');
	sb_free(&el);
	sb_free(&rec);
}

void array_out_text(ftype arr, fstring v, const fmt_settings *fs, strbuf *out)
{
	if (array_record_length(arr)) {
		array_out_records(arr, v, fs, out);
		return;
	}
	array_iter it;
	array_iter_init(&it, arr, v);
	strbuf el = STRBUF_INIT;
	const void *e;
	sb_putc(out, '{');
	while (array_iter_next(&it, &e)) {
		if (it.i > 1) sb_putc(out, ',');
		if (!e) {
			sb_puts(out, "NULL");
			continue;
		}
		sb_reset(&el);
		value_out_text(it.elem, e, fs, &el);
		put_elem_text(el.data ? el.data : "", el.len, out);
	}
	sb_putc(out, '}');
	sb_free(&el);
}

/* ---------------------------------------------------------------- text in */

static ferr *malformed(const char *s, size_t len, const char *detail, char c)
{
	ferr *e = ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "malformed array literal: \"%.*s\"", (int)len, s);
	if (c)
		ferr_detail(e, "Unexpected \"%c\" character.", c);
	else
		ferr_detail(e, "%s", detail ? detail : "");
	return e;
}

typedef enum {
	AS_LEVEL_STARTED, AS_ELEM_STARTED, AS_QUOTED_STARTED, AS_QUOTED_DONE, AS_ELEM_DELIMITED, AS_LEVEL_DONE
} array_state;

typedef struct raw_elem {
	const char *p; /* de-escaped text in the arena */
	size_t len;
	bool isnull;
} raw_elem;

/* One element's text from *pp: quotes and backslashes removed, unquoted
 * white space trimmed; stops at the ',' or '}' that ends it. */
static ferr *scan_elem(const char *s, size_t len, const char **pp, const char *end, arena *a, raw_elem *out,
                       array_state *state)
{
	const char *p = *pp;
	char *buf = arena_alloc(a, (size_t)(end - p) + 1);
	size_t n = 0, keep = 0; /* keep: length up to the last char that must stay */
	bool in_quotes = false, literal = false;
	for (;; p++) {
		if (p >= end) return malformed(s, len, "Unexpected end of input.", 0);
		char c = *p;
		if (c == '\\') {
			if (*state != AS_ELEM_STARTED && *state != AS_QUOTED_STARTED) {
				if (*state != AS_LEVEL_STARTED && *state != AS_ELEM_DELIMITED) return malformed(s, len, NULL, '\\');
				*state = AS_ELEM_STARTED;
			}
			if (++p >= end) return malformed(s, len, "Unexpected end of input.", 0);
			buf[n++] = *p;
			keep = n;
			literal = true;
		} else if (c == '"') {
			if (*state != AS_LEVEL_STARTED && *state != AS_QUOTED_STARTED && *state != AS_ELEM_DELIMITED)
				return malformed(s, len, NULL, '"');
			in_quotes = !in_quotes;
			*state = in_quotes ? AS_QUOTED_STARTED : AS_QUOTED_DONE;
			literal = true;
			keep = n;
		} else if (in_quotes) {
			buf[n++] = c;
			keep = n;
		} else if (c == ',' || c == '}') {
			if (*state == AS_LEVEL_STARTED || *state == AS_ELEM_DELIMITED) return malformed(s, len, NULL, c);
			break;
		} else if (c == '{') {
			if (*state == AS_LEVEL_STARTED || *state == AS_ELEM_DELIMITED)
				return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported");
			return malformed(s, len, NULL, '{');
		} else if (array_isspace(c)) {
			if (n) buf[n++] = c; /* leading space is dropped, trailing trimmed below */
		} else {
			if (*state == AS_QUOTED_DONE) return malformed(s, len, "Unexpected array element.", 0);
			if (*state != AS_LEVEL_STARTED && *state != AS_ELEM_STARTED && *state != AS_ELEM_DELIMITED)
				return malformed(s, len, NULL, c);
			*state = AS_ELEM_STARTED;
			buf[n++] = c;
			keep = n;
		}
	}
	*pp = p;
	out->p = buf;
	out->len = keep;
	out->isnull = !literal && keep == 4 && strncasecmp(buf, "NULL", 4) == 0;
	return NULL;
}

/* An element's value from its text, reading a timestamptz without a zone
 * in the session's zone as a cast from text does. */
static ferr *elem_in(ftype et, const raw_elem *r, arena *a, const fmt_settings *fs, void *v)
{
	if (et.id == TYPE_TIMESTAMPTZ) {
		int64_t ts;
		bool zone_given;
		TRY(timestamp_in_zone_order(et, r->p, r->len, fs ? fs->dateorder : DATEORDER_MDY, &ts, &zone_given));
		if (!zone_given && fs && ts != TS_NOBEGIN && ts != TS_NOEND)
			ts -= (int64_t)tz_offset_for_local(fs, ts) * USECS_PER_SEC;
		*(int64_t *)v = ts;
		return NULL;
	}
	return value_in_text_fs(et, r->p, r->len, a, v, fs);
}

ferr *array_in_text(ftype arr, const char *s, size_t len, arena *a, const fmt_settings *fs, fstring *out)
{
	const char *p = s, *end = s + len;
	while (p < end && array_isspace(*p)) p++;
	if (p < end && *p == '[')
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "array dimension decorations are not supported");
	if (p >= end || *p != '{')
		return malformed(s, len, "Array value must start with \"{\" or dimension information.", 0);
	p++;
	/* pass 1: the syntax and each element's text, as PostgreSQL's ArrayCount
	 * checks the whole literal before reading any element */
	raw_elem *elems = NULL;
	size_t n = 0, cap = 0;
	array_state state = AS_LEVEL_STARTED;
	while (p < end && array_isspace(*p)) p++;
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			if (n == ARRAY_MAX_ELEMS)
				return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
				                "array size exceeds the maximum allowed (%u)", ARRAY_MAX_ELEMS);
			elems = grow(a, elems, n * sizeof *elems, &cap, (n + 1) * sizeof *elems);
			TRY(scan_elem(s, len, &p, end, a, &elems[n], &state));
			n++;
			if (*p++ == '}') break;
			state = AS_ELEM_DELIMITED;
		}
	}
	while (p < end && array_isspace(*p)) p++;
	if (p < end) return malformed(s, len, "Junk after closing right brace.", 0);
	/* pass 2: the element values */
	ftype et = ftype_array_elem(arr);
	array_builder ab;
	array_builder_init(&ab, et, a);
	array_slot slot;
	for (size_t i = 0; i < n; i++) {
		if (elems[i].isnull) {
			array_builder_add(&ab, NULL);
			continue;
		}
		TRY(elem_in(et, &elems[i], a, fs, slot.bytes));
		array_builder_add(&ab, slot.bytes);
	}
	*out = array_builder_finish(&ab);
	return NULL;
}

/* ---------------------------------------------------------------- binary */

/* An ARRAY_RECORDS(k) value as PostgreSQL's array_send of record_send
 * elements (element type record), or an ARRAY_RECORD_ONE one as one
 * record_send: field count, then each field's type, length and value. */
static void array_out_records_binary(ftype arr, fstring v, strbuf *out)
{
	uint32_t k = arr.length == ARRAY_RECORD_ONE ? 0 : (uint32_t)(-1000 - arr.length);
	array_iter it;
	array_iter_init(&it, arr, v);
	uint32_t oid = ftype_oid(it.elem);
	if (k) {
		sb_put_u32(out, it.n ? 1 : 0);
		sb_put_u32(out, 0);
		sb_put_u32(out, OID_RECORD);
		if (it.n) {
			sb_put_u32(out, it.n / k);
			sb_put_u32(out, 1);
		}
	} else {
		sb_put_u32(out, it.n);
	}
	strbuf el = STRBUF_INIT, rec = STRBUF_INIT;
	strbuf *dst = k ? &rec : out;
	const void *e;
	for (uint32_t n = 0; array_iter_next(&it, &e); n++) {
		if (k && n % k == 0) {
			sb_reset(&rec);
			sb_put_u32(&rec, k);
		}
		sb_put_u32(dst, oid);
		if (!e) {
			sb_put_u32(dst, UINT32_MAX);
		} else {
			sb_reset(&el);
			value_out_binary(it.elem, e, &el);
			sb_put_u32(dst, (uint32_t)el.len);
			if (el.len) sb_append(dst, el.data, el.len);
		}
		if (k && (n + 1) % k == 0) {
			sb_put_u32(out, (uint32_t)rec.len);
			sb_append(out, rec.data, rec.len);
		}
	}
	sb_free(&el);
	sb_free(&rec);
}

void array_out_binary(ftype arr, fstring v, strbuf *out)
{
	if (array_record_length(arr)) {
		array_out_records_binary(arr, v, out);
		return;
	}
	array_iter it;
	array_iter_init(&it, arr, v);
	sb_put_u32(out, it.n ? 1 : 0);
	sb_put_u32(out, it.nulls ? 1 : 0);
	sb_put_u32(out, ftype_oid(it.elem));
	if (it.n) {
		sb_put_u32(out, it.n);
		sb_put_u32(out, 1);
	}
	strbuf el = STRBUF_INIT;
	const void *e;
	while (array_iter_next(&it, &e)) {
		if (!e) {
			sb_put_u32(out, UINT32_MAX);
			continue;
		}
		sb_reset(&el);
		value_out_binary(it.elem, e, &el);
		sb_put_u32(out, (uint32_t)el.len);
		if (el.len) sb_append(out, el.data, el.len);
	}
	sb_free(&el);
}

static int32_t rd32(const char *p)
{
	const uint8_t *u = (const uint8_t *)p;
	return (int32_t)((uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]);
}

static ferr *bad_array_binary(void)
{
	return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "insufficient data left in message");
}

ferr *array_in_binary(ftype arr, const char *p, size_t len, arena *a, fstring *out)
{
	ftype et = ftype_array_elem(arr);
	if (len < 12) return bad_array_binary();
	int32_t ndim = rd32(p), flags = rd32(p + 4);
	uint32_t eoid = (uint32_t)rd32(p + 8);
	if (ndim < 0 || ndim > 6)
		return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "invalid number of dimensions: %d", ndim);
	if (ndim > 1) return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported");
	if (flags != 0 && flags != 1)
		return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "invalid array flags");
	ftype sent;
	/* name[] and oid[] elements arrive under their own OIDs */
	bool same = eoid == ftype_oid(et) || (et.id == TYPE_TEXT && (eoid == OID_NAME || eoid == OID_VARCHAR)) ||
	            (et.id == TYPE_INT8 && eoid == OID_OID);
	if (!same && !(ftype_from_oid(eoid, -1, &sent) && sent.id == et.id))
		return ferr_new(SQLSTATE_DATATYPE_MISMATCH, "binary data has array element type %u instead of expected %u",
		                eoid, ftype_oid(et));
	size_t off = 12;
	uint32_t n = 0;
	if (ndim == 1) {
		if (len < off + 8) return bad_array_binary();
		int32_t dim = rd32(p + off);
		if (dim < 0 || (uint32_t)dim > ARRAY_MAX_ELEMS)
			return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "array size exceeds the maximum allowed (%u)",
			                ARRAY_MAX_ELEMS);
		n = (uint32_t)dim;
		off += 8; /* the lower bound is not kept: Ferry's arrays start at 1 */
		if ((len - off) / 4 < n) return bad_array_binary();
	}
	array_builder ab;
	array_builder_init(&ab, et, a);
	array_slot slot;
	for (uint32_t i = 0; i < n; i++) {
		if (len - off < 4) return bad_array_binary();
		int32_t el = rd32(p + off);
		off += 4;
		if (el == -1) {
			array_builder_add(&ab, NULL);
			continue;
		}
		if (el < 0 || (size_t)el > len - off) return bad_array_binary();
		ftype rt = et;
		if (eoid == OID_OID && et.id == TYPE_INT8) {
			/* an oid is 4 bytes on the wire */
			if (el != 4) return bad_array_binary();
			*(int64_t *)slot.bytes = (int64_t)(uint32_t)rd32(p + off);
		} else {
			TRY(value_in_binary(rt, p + off, (size_t)el, a, slot.bytes));
		}
		off += (size_t)el;
		array_builder_add(&ab, slot.bytes);
	}
	if (off != len) return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in array");
	*out = array_builder_finish(&ab);
	return NULL;
}

/* ---------------------------------------------------------------- order, hash */

int array_compare(ftype arr, fstring x, fstring y)
{
	array_iter ix, iy;
	array_iter_init(&ix, arr, x);
	array_iter_init(&iy, arr, y);
	const void *ex, *ey;
	for (;;) {
		bool hx = array_iter_next(&ix, &ex), hy = array_iter_next(&iy, &ey);
		if (!hx || !hy) return hx ? 1 : hy ? -1 : 0;
		/* as array_cmp: NULL elements are equal to each other and sort last */
		if (!ex || !ey) {
			if (ex || ey) return ex ? -1 : 1;
			continue;
		}
		int c = value_compare(ix.elem, ex, ey);
		if (c) return c;
	}
}

uint64_t array_hash(ftype arr, fstring v)
{
	array_iter it;
	array_iter_init(&it, arr, v);
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ it.n;
	const void *e;
	while (array_iter_next(&it, &e)) {
		uint64_t eh = e ? value_hash(it.elem, e) : 0x5bd1e995;
		h = (h ^ eh) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	return h;
}
