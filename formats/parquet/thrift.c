/*
 * thrift.c — Thrift compact protocol decoding for Parquet metadata (see
 * thrift.h). Every read is bounds-checked against the input; nothing here
 * allocates, so a hostile footer can cost at most one pass over its bytes.
 */
#include "formats/parquet/thrift.h"

#include <string.h>

void thrift_init(thrift_reader *r, const void *p, size_t len)
{
	r->start = r->p = p;
	r->end = r->p + len;
	r->depth = 0;
	r->error = NULL;
	r->error_at = 0;
}

void thrift_fail(thrift_reader *r, const char *what)
{
	if (r->error) return;
	r->error = what;
	r->error_at = (size_t)(r->p - r->start);
	r->p = r->end; /* stop every later read */
}

static uint8_t read_byte(thrift_reader *r)
{
	if (r->error) return 0;
	if (r->p >= r->end) {
		thrift_fail(r, "unexpected end of data");
		return 0;
	}
	return *r->p++;
}

static uint64_t read_varint(thrift_reader *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t b = read_byte(r);
		if (r->error) return 0;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) return v;
	}
	thrift_fail(r, "varint too long");
	return 0;
}

static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

bool thrift_struct_begin(thrift_reader *r)
{
	if (r->error) return false;
	if (++r->depth > THRIFT_MAX_DEPTH) {
		thrift_fail(r, "nesting too deep");
		return false;
	}
	return true;
}

void thrift_struct_end(thrift_reader *r)
{
	if (r->depth > 0) r->depth--;
}

bool thrift_field(thrift_reader *r, int16_t *last_id, int16_t *id, int *type)
{
	uint8_t b = read_byte(r);
	if (r->error || b == TT_STOP) return false;
	*type = b & 0x0f;
	int delta = b >> 4;
	if (delta) {
		*id = (int16_t)(*last_id + delta);
	} else {
		int64_t v = unzigzag(read_varint(r));
		if (v < INT16_MIN || v > INT16_MAX) thrift_fail(r, "field id out of range");
		*id = (int16_t)v;
	}
	if (*type == TT_STOP || *type > TT_STRUCT) thrift_fail(r, "invalid field type");
	*last_id = *id;
	return r->error == NULL;
}

int64_t thrift_int(thrift_reader *r, int type)
{
	switch (type) {
	case TT_BYTE: return (int8_t)read_byte(r);
	case TT_I16:
	case TT_I32:
	case TT_I64: return unzigzag(read_varint(r));
	default: thrift_fail(r, "integer field has a non-integer type"); return 0;
	}
}

int32_t thrift_i32(thrift_reader *r, int type)
{
	int64_t v = thrift_int(r, type);
	if (v < INT32_MIN || v > INT32_MAX) {
		thrift_fail(r, "i32 value out of range");
		return 0;
	}
	return (int32_t)v;
}

bool thrift_bool(thrift_reader *r, int type)
{
	if (type == TT_TRUE) return true;
	if (type == TT_FALSE) return false;
	thrift_fail(r, "bool field has a non-bool type");
	return false;
}

double thrift_double(thrift_reader *r, int type)
{
	if (type != TT_DOUBLE) {
		thrift_fail(r, "double field has a non-double type");
		return 0;
	}
	if (r->error || r->end - r->p < 8) {
		thrift_fail(r, "unexpected end of data");
		return 0;
	}
	double d;
	memcpy(&d, r->p, 8); /* compact protocol doubles are little-endian */
	r->p += 8;
	return d;
}

bool thrift_binary(thrift_reader *r, int type, const uint8_t **p, uint32_t *len)
{
	*p = NULL;
	*len = 0;
	if (type != TT_BINARY) {
		thrift_fail(r, "binary field has a non-binary type");
		return false;
	}
	uint64_t n = read_varint(r);
	if (r->error) return false;
	if (n > (uint64_t)(r->end - r->p)) {
		thrift_fail(r, "binary length exceeds the data");
		return false;
	}
	*p = r->p;
	*len = (uint32_t)n;
	r->p += n;
	return true;
}

uint32_t thrift_list(thrift_reader *r, int type, int *elem_type)
{
	*elem_type = 0;
	if (type != TT_LIST && type != TT_SET) {
		thrift_fail(r, "list field has a non-list type");
		return 0;
	}
	uint8_t b = read_byte(r);
	uint64_t n = b >> 4;
	*elem_type = b & 0x0f;
	if (n == 15) n = read_varint(r);
	if (r->error) return 0;
	/* Every element takes at least one byte, so the count cannot exceed what is left. */
	if (n > (uint64_t)(r->end - r->p)) {
		thrift_fail(r, "list count exceeds the data");
		return 0;
	}
	if (n > 0 && (*elem_type == TT_STOP || *elem_type > TT_STRUCT)) {
		thrift_fail(r, "invalid list element type");
		return 0;
	}
	return (uint32_t)n;
}

/* Skip one value; in_list says booleans take a byte (they do in containers). */
static void skip_value(thrift_reader *r, int type, bool in_list)
{
	if (r->error) return;
	switch (type) {
	case TT_TRUE:
	case TT_FALSE:
		if (in_list) read_byte(r);
		break;
	case TT_BYTE: read_byte(r); break;
	case TT_I16:
	case TT_I32:
	case TT_I64: read_varint(r); break;
	case TT_DOUBLE:
		if (r->end - r->p < 8) thrift_fail(r, "unexpected end of data");
		else r->p += 8;
		break;
	case TT_BINARY: {
		const uint8_t *p;
		uint32_t n;
		thrift_binary(r, TT_BINARY, &p, &n);
		break;
	}
	case TT_LIST:
	case TT_SET: {
		int et;
		uint32_t n = thrift_list(r, type, &et);
		if (!thrift_struct_begin(r)) return; /* containers count toward depth */
		for (uint32_t i = 0; i < n && !r->error; i++) skip_value(r, et, true);
		thrift_struct_end(r);
		break;
	}
	case TT_MAP: {
		uint64_t n = read_varint(r);
		if (r->error || n == 0) break;
		uint8_t kv = read_byte(r);
		if (n > (uint64_t)(r->end - r->p)) {
			thrift_fail(r, "map count exceeds the data");
			break;
		}
		int kt = kv >> 4, vt = kv & 0x0f;
		if (kt == TT_STOP || kt > TT_STRUCT || vt == TT_STOP || vt > TT_STRUCT) {
			thrift_fail(r, "invalid map element type");
			break;
		}
		if (!thrift_struct_begin(r)) return;
		for (uint64_t i = 0; i < n && !r->error; i++) {
			skip_value(r, kt, true);
			skip_value(r, vt, true);
		}
		thrift_struct_end(r);
		break;
	}
	case TT_STRUCT: {
		if (!thrift_struct_begin(r)) return;
		int16_t last = 0, id;
		int ft;
		while (thrift_field(r, &last, &id, &ft)) skip_value(r, ft, false);
		thrift_struct_end(r);
		break;
	}
	default: thrift_fail(r, "invalid type"); break;
	}
}

void thrift_skip(thrift_reader *r, int type) { skip_value(r, type, false); }
