/*
 * metadata.c — the Parquet footer: FileMetaData and page headers decoded
 * with the bounded Thrift reader, the schema mapped to Ferry columns and
 * statistics converted to fvalues. Unknown fields are skipped (newer
 * writers); anything inconsistent is an error naming the file. Decoded
 * metadata is charged against a budget proportional to the footer size so
 * that a small hostile footer cannot ask for a huge allocation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "formats/parquet/parquet_internal.h"
#include "formats/parquet/thrift.h"

#define PARQUET_MAGIC "PAR1"
#define PARQUET_MAGIC_ENCRYPTED "PARE"
/* Largest footer we accept: far beyond real files (tens of MB at most). */
#define PARQUET_MAX_FOOTER (256u << 20)
#define PARQUET_MAX_SCHEMA_DEPTH 64
/* Seconds between 1970-01-01 and 2000-01-01. */
#define UNIX_TO_PG_SECS INT64_C(946684800)
#define UNIX_TO_PG_DAYS 10957
#define JULIAN_DAY_2000 INT64_C(2451545)

/* ----------------------------------------------------------------- errors */

static ferr *pq_errv(const parquet_file *f, const char *state, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return ferr_new(state, "parquet file '%s': %s", f && f->name ? f->name : "?", msg);
}

ferr *pq_corrupt(const parquet_file *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ferr *e = pq_errv(f, SQLSTATE_DATA_CORRUPTED, fmt, ap);
	va_end(ap);
	return e;
}

ferr *pq_unsupported(const parquet_file *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ferr *e = pq_errv(f, SQLSTATE_FEATURE_NOT_SUPPORTED, fmt, ap);
	va_end(ap);
	return e;
}

/* ------------------------------------------------------- decode context */

typedef struct md_ctx {
	thrift_reader r;
	arena *a;
	size_t budget; /* bytes of decoded structures still allowed */
	bool over_budget;
} md_ctx;

static void *md_alloc(md_ctx *c, size_t n, size_t size)
{
	if (n == 0) n = 1;
	if (size && n > c->budget / size) {
		c->over_budget = true;
		thrift_fail(&c->r, "metadata too large for its footer");
		return NULL;
	}
	c->budget -= n * size;
	return arena_zalloc(c->a, n * size);
}

static const char *md_string(md_ctx *c, int type)
{
	const uint8_t *p;
	uint32_t n;
	if (!thrift_binary(&c->r, type, &p, &n)) return "";
	if (n + 1 > c->budget) {
		thrift_fail(&c->r, "metadata too large for its footer");
		return "";
	}
	c->budget -= n + 1;
	return arena_strndup(c->a, (const char *)p, n);
}

/* ---------------------------------------------------------- structures */

static void md_empty_struct(md_ctx *c, int type)
{
	/* An empty struct in a union: skip it, checking it really is a struct. */
	if (type != TT_STRUCT) thrift_fail(&c->r, "expected a struct");
	else thrift_skip(&c->r, type);
}

static int md_time_unit(md_ctx *c, int type)
{
	int unit = UNIT_NONE;
	if (type != TT_STRUCT) {
		thrift_fail(&c->r, "expected a struct");
		return UNIT_NONE;
	}
	if (!thrift_struct_begin(&c->r)) return UNIT_NONE;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		if (id >= 1 && id <= 3) unit = id;
		thrift_skip(&c->r, ft);
	}
	thrift_struct_end(&c->r);
	return unit;
}

/* TimeType / TimestampType: isAdjustedToUTC, unit. */
static void md_time_type(md_ctx *c, int type, pq_schema_elem *e)
{
	if (type != TT_STRUCT) {
		thrift_fail(&c->r, "expected a struct");
		return;
	}
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 1: e->lt_utc = thrift_bool(&c->r, ft); break;
		case 2: e->lt_unit = md_time_unit(c, ft); break;
		default: thrift_skip(&c->r, ft); break;
		}
	}
	thrift_struct_end(&c->r);
}

static void md_logical_type(md_ctx *c, int type, pq_schema_elem *e)
{
	if (type != TT_STRUCT) {
		thrift_fail(&c->r, "expected a struct");
		return;
	}
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case LT_STRING: case LT_MAP: case LT_LIST: case LT_ENUM: case LT_DATE: case LT_UNKNOWN:
		case LT_JSON: case LT_BSON: case LT_UUID: case LT_FLOAT16:
			e->logical = id;
			md_empty_struct(c, ft);
			break;
		case LT_DECIMAL: {
			e->logical = LT_DECIMAL;
			if (ft != TT_STRUCT || !thrift_struct_begin(&c->r)) {
				thrift_fail(&c->r, "expected a struct");
				break;
			}
			int16_t l2 = 0, i2;
			int t2;
			while (thrift_field(&c->r, &l2, &i2, &t2)) {
				if (i2 == 1) e->lt_scale = thrift_i32(&c->r, t2);
				else if (i2 == 2) e->lt_precision = thrift_i32(&c->r, t2);
				else thrift_skip(&c->r, t2);
			}
			thrift_struct_end(&c->r);
			break;
		}
		case LT_TIME:
		case LT_TIMESTAMP:
			e->logical = id;
			md_time_type(c, ft, e);
			break;
		case LT_INTEGER: {
			e->logical = LT_INTEGER;
			if (ft != TT_STRUCT || !thrift_struct_begin(&c->r)) {
				thrift_fail(&c->r, "expected a struct");
				break;
			}
			int16_t l2 = 0, i2;
			int t2;
			while (thrift_field(&c->r, &l2, &i2, &t2)) {
				if (i2 == 1) e->lt_bits = (int)thrift_int(&c->r, t2);
				else if (i2 == 2) e->lt_signed = thrift_bool(&c->r, t2);
				else thrift_skip(&c->r, t2);
			}
			thrift_struct_end(&c->r);
			break;
		}
		default:
			/* A logical type newer than this reader: fall back to the physical type. */
			e->logical = LT_OTHER;
			thrift_skip(&c->r, ft);
			break;
		}
	}
	thrift_struct_end(&c->r);
}

static void md_schema_element(md_ctx *c, pq_schema_elem *e)
{
	e->type = -1;
	e->repetition = -1;
	e->converted = -1;
	e->name = "";
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 1: e->type = thrift_i32(&c->r, ft); break;
		case 2: e->type_length = thrift_i32(&c->r, ft); break;
		case 3: e->repetition = thrift_i32(&c->r, ft); break;
		case 4: e->name = md_string(c, ft); break;
		case 5: e->num_children = thrift_i32(&c->r, ft); break;
		case 6: e->converted = thrift_i32(&c->r, ft); break;
		case 7: e->scale = thrift_i32(&c->r, ft); break;
		case 8: e->precision = thrift_i32(&c->r, ft); break;
		case 10: md_logical_type(c, ft, e); break;
		default: thrift_skip(&c->r, ft); break;
		}
	}
	thrift_struct_end(&c->r);
}

static void md_statistics(md_ctx *c, int type, pq_raw_stats *s)
{
	if (type != TT_STRUCT) {
		thrift_fail(&c->r, "expected a struct");
		return;
	}
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 1: s->has_max = thrift_binary(&c->r, ft, &s->max, &s->max_len); break;
		case 2: s->has_min = thrift_binary(&c->r, ft, &s->min, &s->min_len); break;
		case 3:
			s->null_count = thrift_int(&c->r, ft);
			s->has_null_count = s->null_count >= 0;
			break;
		case 5: s->has_max_value = thrift_binary(&c->r, ft, &s->max_value, &s->max_value_len); break;
		case 6: s->has_min_value = thrift_binary(&c->r, ft, &s->min_value, &s->min_value_len); break;
		default: thrift_skip(&c->r, ft); break;
		}
	}
	thrift_struct_end(&c->r);
}

static void md_column_meta(md_ctx *c, int type, pq_column_meta *m)
{
	if (type != TT_STRUCT) {
		thrift_fail(&c->r, "expected a struct");
		return;
	}
	m->present = true;
	m->type = -1;
	m->dictionary_page_offset = -1;
	m->data_page_offset = -1;
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 1: m->type = thrift_i32(&c->r, ft); break;
		case 4: m->codec = thrift_i32(&c->r, ft); break;
		case 5: m->num_values = thrift_int(&c->r, ft); break;
		case 6: m->total_uncompressed_size = thrift_int(&c->r, ft); break;
		case 7: m->total_compressed_size = thrift_int(&c->r, ft); break;
		case 9: m->data_page_offset = thrift_int(&c->r, ft); break;
		case 11: m->dictionary_page_offset = thrift_int(&c->r, ft); break;
		case 12: md_statistics(c, ft, &m->stats); break;
		default: thrift_skip(&c->r, ft); break; /* encodings, path, kv, index, bloom, ... */
		}
	}
	thrift_struct_end(&c->r);
}

static void md_column_chunk(md_ctx *c, pq_chunk *ch)
{
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 1: ch->file_path = md_string(c, ft); break;
		case 3: md_column_meta(c, ft, &ch->meta); break;
		case 8: /* crypto metadata */
		case 9: /* encrypted column metadata */
			ch->encrypted = true;
			thrift_skip(&c->r, ft);
			break;
		default: thrift_skip(&c->r, ft); break;
		}
	}
	thrift_struct_end(&c->r);
}

static void md_row_group(md_ctx *c, pq_row_group *rg)
{
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft, et;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 1: {
			uint32_t n = thrift_list(&c->r, ft, &et);
			if (n && et != TT_STRUCT) thrift_fail(&c->r, "column chunks are not structs");
			rg->chunks = md_alloc(c, n, sizeof(pq_chunk));
			for (uint32_t i = 0; i < n && thrift_ok(&c->r); i++) md_column_chunk(c, &rg->chunks[i]);
			rg->nchunks = (int)n;
			break;
		}
		case 2: rg->total_byte_size = thrift_int(&c->r, ft); break;
		case 3: rg->num_rows = thrift_int(&c->r, ft); break;
		default: thrift_skip(&c->r, ft); break;
		}
	}
	thrift_struct_end(&c->r);
}

static void md_kv(md_ctx *c, parquet_kv *kv)
{
	kv->key = "";
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		if (id == 1) kv->key = md_string(c, ft);
		else if (id == 2) kv->value = md_string(c, ft);
		else thrift_skip(&c->r, ft);
	}
	thrift_struct_end(&c->r);
}

static void md_file_metadata(md_ctx *c, parquet_file *f, parquet_file_internal *in)
{
	if (!thrift_struct_begin(&c->r)) return;
	int16_t last = 0, id;
	int ft, et;
	bool have_schema = false, have_rows = false, have_rgs = false;
	while (thrift_field(&c->r, &last, &id, &ft)) {
		switch (id) {
		case 2: {
			uint32_t n = thrift_list(&c->r, ft, &et);
			if (n && et != TT_STRUCT) thrift_fail(&c->r, "schema elements are not structs");
			in->schema = md_alloc(c, n, sizeof(pq_schema_elem));
			for (uint32_t i = 0; i < n && thrift_ok(&c->r); i++) md_schema_element(c, &in->schema[i]);
			in->nschema = (int)n;
			have_schema = true;
			break;
		}
		case 3:
			f->num_rows = thrift_int(&c->r, ft);
			have_rows = true;
			break;
		case 4: {
			uint32_t n = thrift_list(&c->r, ft, &et);
			if (n && et != TT_STRUCT) thrift_fail(&c->r, "row groups are not structs");
			in->row_groups = md_alloc(c, n, sizeof(pq_row_group));
			for (uint32_t i = 0; i < n && thrift_ok(&c->r); i++) md_row_group(c, &in->row_groups[i]);
			in->nrow_groups = (int)n;
			have_rgs = true;
			break;
		}
		case 5: {
			uint32_t n = thrift_list(&c->r, ft, &et);
			if (n && et != TT_STRUCT) thrift_fail(&c->r, "key-value metadata are not structs");
			f->kv = md_alloc(c, n, sizeof(parquet_kv));
			for (uint32_t i = 0; i < n && thrift_ok(&c->r); i++) md_kv(c, &f->kv[i]);
			f->nkv = (int)n;
			break;
		}
		case 6: f->created_by = md_string(c, ft); break;
		default: thrift_skip(&c->r, ft); break; /* version, column orders, encryption */
		}
	}
	thrift_struct_end(&c->r);
	if (thrift_ok(&c->r) && (!have_schema || !have_rows || !have_rgs))
		thrift_fail(&c->r, "required field missing in FileMetaData");
}

/* ---------------------------------------------------------- page header */

static void md_data_page_header(thrift_reader *r, int type, pq_page_header *h)
{
	if (type != TT_STRUCT || !thrift_struct_begin(r)) {
		thrift_fail(r, "expected a struct");
		return;
	}
	h->has_v1 = true;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(r, &last, &id, &ft)) {
		switch (id) {
		case 1: h->num_values = thrift_i32(r, ft); break;
		case 2: h->encoding = thrift_i32(r, ft); break;
		case 3: h->def_encoding = thrift_i32(r, ft); break;
		case 4: h->rep_encoding = thrift_i32(r, ft); break;
		default: thrift_skip(r, ft); break;
		}
	}
	thrift_struct_end(r);
}

static void md_data_page_header_v2(thrift_reader *r, int type, pq_page_header *h)
{
	if (type != TT_STRUCT || !thrift_struct_begin(r)) {
		thrift_fail(r, "expected a struct");
		return;
	}
	h->has_v2 = true;
	h->is_compressed = true;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(r, &last, &id, &ft)) {
		switch (id) {
		case 1: h->num_values = thrift_i32(r, ft); break;
		case 2: h->num_nulls = thrift_i32(r, ft); break;
		case 3: h->num_rows = thrift_i32(r, ft); break;
		case 4: h->encoding = thrift_i32(r, ft); break;
		case 5: h->def_len = thrift_i32(r, ft); break;
		case 6: h->rep_len = thrift_i32(r, ft); break;
		case 7: h->is_compressed = thrift_bool(r, ft); break;
		default: thrift_skip(r, ft); break;
		}
	}
	thrift_struct_end(r);
}

static void md_dict_page_header(thrift_reader *r, int type, pq_page_header *h)
{
	if (type != TT_STRUCT || !thrift_struct_begin(r)) {
		thrift_fail(r, "expected a struct");
		return;
	}
	h->has_dict = true;
	int16_t last = 0, id;
	int ft;
	while (thrift_field(r, &last, &id, &ft)) {
		switch (id) {
		case 1: h->num_values = thrift_i32(r, ft); break;
		case 2: h->encoding = thrift_i32(r, ft); break;
		default: thrift_skip(r, ft); break;
		}
	}
	thrift_struct_end(r);
}

ferr *pq_decode_page_header(const parquet_file *f, const uint8_t *p, size_t len, uint64_t file_offset,
                            pq_page_header *h, size_t *hlen)
{
	thrift_reader r;
	thrift_init(&r, p, len);
	memset(h, 0, sizeof(*h));
	h->type = -1;
	h->uncompressed_size = h->compressed_size = -1;
	bool v1 = false, v2 = false, dict = false;
	if (thrift_struct_begin(&r)) {
		int16_t last = 0, id;
		int ft;
		while (thrift_field(&r, &last, &id, &ft)) {
			switch (id) {
			case 1: h->type = thrift_i32(&r, ft); break;
			case 2: h->uncompressed_size = thrift_i32(&r, ft); break;
			case 3: h->compressed_size = thrift_i32(&r, ft); break;
			case 4:
				h->crc = (uint32_t)thrift_i32(&r, ft);
				h->has_crc = true;
				break;
			case 5: md_data_page_header(&r, ft, h); v1 = true; break;
			case 7: md_dict_page_header(&r, ft, h); dict = true; break;
			case 8: md_data_page_header_v2(&r, ft, h); v2 = true; break;
			default: thrift_skip(&r, ft); break;
			}
		}
		thrift_struct_end(&r);
	}
	if (!thrift_ok(&r))
		return pq_corrupt(f, "corrupt page header at offset %llu: %s",
		                  (unsigned long long)file_offset, r.error);
	if (h->type < 0 || h->uncompressed_size < 0 || h->compressed_size < 0)
		return pq_corrupt(f, "corrupt page header at offset %llu: required field missing or negative",
		                  (unsigned long long)file_offset);
	if ((h->type == PAGE_DATA && !v1) || (h->type == PAGE_DATA_V2 && !v2) ||
	    (h->type == PAGE_DICTIONARY && !dict))
		return pq_corrupt(f, "corrupt page header at offset %llu: page type %d without its header",
		                  (unsigned long long)file_offset, h->type);
	if (h->num_values < 0 || h->num_nulls < 0 || h->num_rows < 0 || h->def_len < 0 || h->rep_len < 0)
		return pq_corrupt(f, "corrupt page header at offset %llu: negative count",
		                  (unsigned long long)file_offset);
	*hlen = thrift_consumed(&r);
	return NULL;
}

/* -------------------------------------------------------- type mapping */

typedef enum { K_NONE, K_STRING, K_ENUM, K_JSON, K_BSON, K_DECIMAL, K_DATE, K_TIME, K_TIMESTAMP,
	           K_INT, K_UUID, K_FLOAT16, K_INTERVAL, K_NULL } lkind;

typedef struct lt_info {
	lkind kind;
	int unit;
	bool utc;
	int bits;
	bool is_signed;
	int precision, scale;
} lt_info;

static lt_info logical_of(const pq_schema_elem *e)
{
	lt_info l = {K_NONE, UNIT_NONE, false, 0, true, 0, 0};
	if (e->logical != LT_NONE && e->logical != LT_OTHER) {
		switch (e->logical) {
		case LT_STRING: l.kind = K_STRING; break;
		case LT_ENUM: l.kind = K_ENUM; break;
		case LT_JSON: l.kind = K_JSON; break;
		case LT_BSON: l.kind = K_BSON; break;
		case LT_DECIMAL:
			l.kind = K_DECIMAL;
			l.precision = e->lt_precision;
			l.scale = e->lt_scale;
			break;
		case LT_DATE: l.kind = K_DATE; break;
		case LT_TIME: l.kind = K_TIME; l.unit = e->lt_unit; l.utc = e->lt_utc; break;
		case LT_TIMESTAMP: l.kind = K_TIMESTAMP; l.unit = e->lt_unit; l.utc = e->lt_utc; break;
		case LT_INTEGER: l.kind = K_INT; l.bits = e->lt_bits; l.is_signed = e->lt_signed; break;
		case LT_UUID: l.kind = K_UUID; break;
		case LT_FLOAT16: l.kind = K_FLOAT16; break;
		case LT_UNKNOWN: l.kind = K_NULL; break;
		default: break;
		}
		return l;
	}
	switch (e->converted) {
	case CT_UTF8: l.kind = K_STRING; break;
	case CT_ENUM: l.kind = K_ENUM; break;
	case CT_JSON: l.kind = K_JSON; break;
	case CT_BSON: l.kind = K_BSON; break;
	case CT_DECIMAL: l.kind = K_DECIMAL; l.precision = e->precision; l.scale = e->scale; break;
	case CT_DATE: l.kind = K_DATE; break;
	case CT_TIME_MILLIS: l.kind = K_TIME; l.unit = UNIT_MILLIS; l.utc = true; break;
	case CT_TIME_MICROS: l.kind = K_TIME; l.unit = UNIT_MICROS; l.utc = true; break;
	case CT_TIMESTAMP_MILLIS: l.kind = K_TIMESTAMP; l.unit = UNIT_MILLIS; l.utc = true; break;
	case CT_TIMESTAMP_MICROS: l.kind = K_TIMESTAMP; l.unit = UNIT_MICROS; l.utc = true; break;
	case CT_UINT_8: l.kind = K_INT; l.bits = 8; l.is_signed = false; break;
	case CT_UINT_16: l.kind = K_INT; l.bits = 16; l.is_signed = false; break;
	case CT_UINT_32: l.kind = K_INT; l.bits = 32; l.is_signed = false; break;
	case CT_UINT_64: l.kind = K_INT; l.bits = 64; l.is_signed = false; break;
	case CT_INT_8: l.kind = K_INT; l.bits = 8; break;
	case CT_INT_16: l.kind = K_INT; l.bits = 16; break;
	case CT_INT_32: l.kind = K_INT; l.bits = 32; break;
	case CT_INT_64: l.kind = K_INT; l.bits = 64; break;
	case CT_INTERVAL: l.kind = K_INTERVAL; break;
	default: break;
	}
	return l;
}

static const char *phys_name(int t)
{
	static const char *names[] = {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY",
	                              "FIXED_LEN_BYTE_ARRAY"};
	return t >= 0 && t <= PT_FLBA ? names[t] : "?";
}

static const char *unit_name(int u)
{
	return u == UNIT_MILLIS ? "MILLIS" : u == UNIT_MICROS ? "MICROS" : u == UNIT_NANOS ? "NANOS" : "?";
}

/* Choose the Ferry type and conversion of a primitive schema element. */
static void map_leaf(const parquet_options *opt, const pq_schema_elem *e, pq_leaf *lf, arena *a,
                     const char **desc)
{
	lt_info l = logical_of(e);
	lf->conv = CONV_COPY;
	lf->unsupported = NULL;
	const char *ann = "";
	bool decimal_ok = l.kind == K_DECIMAL && l.precision >= 1 && l.precision <= 38 && l.scale >= 0 &&
	                  l.scale <= l.precision;
	if (l.kind == K_DECIMAL) {
		ann = arena_sprintf(a, " DECIMAL(%d,%d)", l.precision, l.scale);
		if (!decimal_ok) {
			lf->unsupported = arena_sprintf(a, "decimal precision %d scale %d is not supported",
			                                l.precision, l.scale);
			lf->type = ftype_make(TYPE_BYTEA);
			lf->conv = CONV_BINARY;
			*desc = arena_sprintf(a, "%s%s", phys_name(e->type), ann);
			return;
		}
	}
	ftype dec = decimal_ok ? ftype_numeric(l.precision, l.scale) : ftype_make(TYPE_NUMERIC);
	switch (e->type) {
	case PT_BOOLEAN: lf->type = ftype_make(TYPE_BOOL); break;
	case PT_INT32:
		if (l.kind == K_INT && l.bits <= 16 && (l.is_signed || l.bits == 8)) {
			lf->type = ftype_make(TYPE_INT2);
			lf->conv = CONV_I32_TO_I16;
			ann = arena_sprintf(a, " INT(%d,%s)", l.bits, l.is_signed ? "signed" : "unsigned");
		} else if (l.kind == K_INT && l.bits == 32 && !l.is_signed) {
			lf->type = ftype_make(TYPE_INT8);
			lf->conv = CONV_U32_TO_I64;
			ann = " INT(32,unsigned)";
		} else if (l.kind == K_INT) {
			lf->type = ftype_make(TYPE_INT4);
			ann = arena_sprintf(a, " INT(%d,%s)", l.bits, l.is_signed ? "signed" : "unsigned");
		} else if (l.kind == K_DECIMAL) {
			lf->type = dec;
			lf->conv = numeric_is_wide(dec) ? CONV_I32_TO_I128 : CONV_I32_TO_I64;
		} else if (l.kind == K_DATE) {
			lf->type = ftype_make(TYPE_DATE);
			lf->conv = CONV_DATE;
			ann = " DATE";
		} else if (l.kind == K_TIME && l.unit == UNIT_MILLIS) {
			lf->type = ftype_make(TYPE_TIME);
			lf->conv = CONV_TIME_MILLIS;
			ann = " TIME(MILLIS)";
		} else {
			lf->type = ftype_make(TYPE_INT4);
		}
		break;
	case PT_INT64:
		if (l.kind == K_INT && !l.is_signed && l.bits == 64) {
			lf->type = ftype_numeric(20, 0);
			lf->conv = CONV_U64_TO_I128;
			ann = " INT(64,unsigned)";
		} else if (l.kind == K_DECIMAL) {
			lf->type = dec;
			lf->conv = numeric_is_wide(dec) ? CONV_I64_TO_I128 : CONV_COPY;
		} else if (l.kind == K_TIMESTAMP && l.unit != UNIT_NONE) {
			lf->type = ftype_make(l.utc ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP);
			lf->conv = l.unit == UNIT_MILLIS ? CONV_TS_MILLIS
			           : l.unit == UNIT_MICROS ? CONV_TS_MICROS : CONV_TS_NANOS;
			ann = arena_sprintf(a, " TIMESTAMP(%s,%s)", unit_name(l.unit), l.utc ? "utc" : "local");
		} else if (l.kind == K_TIME && (l.unit == UNIT_MICROS || l.unit == UNIT_NANOS)) {
			lf->type = ftype_make(TYPE_TIME);
			lf->conv = l.unit == UNIT_MICROS ? CONV_COPY : CONV_TIME_NANOS;
			ann = arena_sprintf(a, " TIME(%s)", unit_name(l.unit));
		} else {
			lf->type = ftype_make(TYPE_INT8);
			if (l.kind == K_INT) ann = " INT(64,signed)";
		}
		break;
	case PT_INT96:
		lf->type = ftype_make(TYPE_TIMESTAMP);
		lf->conv = CONV_INT96_TS;
		break;
	case PT_FLOAT: lf->type = ftype_make(TYPE_FLOAT4); break;
	case PT_DOUBLE: lf->type = ftype_make(TYPE_FLOAT8); break;
	case PT_BYTE_ARRAY:
	case PT_FLBA:
		if (l.kind == K_STRING || l.kind == K_ENUM) {
			lf->type = ftype_make(TYPE_TEXT);
			lf->conv = CONV_STRING;
			ann = l.kind == K_STRING ? " STRING" : " ENUM";
		} else if (l.kind == K_JSON) {
			lf->type = ftype_make(TYPE_JSON);
			lf->conv = CONV_STRING;
			ann = " JSON";
		} else if (l.kind == K_DECIMAL) {
			lf->type = dec;
			lf->conv = CONV_DECIMAL_BIN;
		} else if (l.kind == K_UUID && e->type == PT_FLBA && e->type_length == 16) {
			lf->type = ftype_make(TYPE_UUID);
			lf->conv = CONV_UUID;
			ann = " UUID";
		} else if (l.kind == K_FLOAT16 && e->type == PT_FLBA && e->type_length == 2) {
			lf->type = ftype_make(TYPE_FLOAT4);
			lf->conv = CONV_FLOAT16;
			ann = " FLOAT16";
		} else if (l.kind == K_NONE && e->type == PT_BYTE_ARRAY && opt->binary_as_string) {
			lf->type = ftype_make(TYPE_TEXT);
			lf->conv = CONV_STRING;
		} else {
			lf->type = ftype_make(TYPE_BYTEA);
			lf->conv = CONV_BINARY;
			if (l.kind == K_BSON) ann = " BSON";
			if (l.kind == K_INTERVAL) ann = " INTERVAL";
		}
		break;
	default:
		lf->type = ftype_make(TYPE_BYTEA);
		lf->conv = CONV_BINARY;
		lf->unsupported = arena_sprintf(a, "unknown physical type %d", e->type);
		break;
	}
	if (e->type == PT_FLBA)
		*desc = arena_sprintf(a, "FIXED_LEN_BYTE_ARRAY(%d)%s", e->type_length, ann);
	else
		*desc = arena_sprintf(a, "%s%s", phys_name(e->type), ann);
}

/* ---------------------------------------------------------- schema tree */

typedef struct tree_ctx {
	parquet_file_internal *in;
	arena *a;
	int next;      /* next schema element */
	int nleaves;   /* leaves found so far */
	const char *error;
} tree_ctx;

static void build_node(tree_ctx *t, pq_node *n, const pq_node *parent, const char *path, int depth)
{
	if (t->error) return;
	if (depth > PARQUET_MAX_SCHEMA_DEPTH) {
		t->error = "schema nested too deeply";
		return;
	}
	if (t->next >= t->in->nschema) {
		t->error = "schema ends early (num_children larger than the element list)";
		return;
	}
	const pq_schema_elem *e = &t->in->schema[t->next++];
	n->el = e;
	n->leaf = -1;
	n->def = parent ? parent->def : 0;
	n->rep = parent ? parent->rep : 0;
	if (parent) {
		if (e->repetition == REP_OPTIONAL) n->def++;
		else if (e->repetition == REP_REPEATED) {
			n->def++;
			n->rep++;
		} else if (e->repetition != REP_REQUIRED) {
			t->error = "invalid repetition type";
			return;
		}
	}
	const char *mypath = parent ? (path[0] ? arena_sprintf(t->a, "%s.%s", path, e->name) : e->name) : "";
	n->first_leaf = t->nleaves;
	if (e->num_children > 0 || (!parent && e->type < 0)) {
		if (e->num_children < 0 || e->num_children > t->in->nschema - t->next) {
			t->error = "invalid num_children";
			return;
		}
		n->nchildren = e->num_children;
		n->children = arena_zalloc(t->a, (size_t)(n->nchildren ? n->nchildren : 1) * sizeof(pq_node));
		for (int i = 0; i < n->nchildren && !t->error; i++)
			build_node(t, &n->children[i], n, mypath, depth + 1);
	} else {
		if (!parent) {
			t->error = "root of the schema is not a group";
			return;
		}
		if (e->type < 0) {
			/* A group without children: Spark writes these for empty structs. */
			t->error = "group without children";
			return;
		}
		if (e->type == PT_FLBA && (e->type_length <= 0 || e->type_length > (1 << 24))) {
			t->error = "invalid FIXED_LEN_BYTE_ARRAY length";
			return;
		}
		n->leaf = t->nleaves++;
		pq_leaf *lf = &t->in->leaves[n->leaf];
		lf->schema_index = (int)(e - t->in->schema);
		lf->path = mypath;
		lf->phys = e->type;
		lf->type_length = e->type_length;
		lf->max_def = n->def;
		lf->max_rep = n->rep;
	}
	n->nleaves = t->nleaves - n->first_leaf;
}

/* ------------------------------------------------------------ statistics */

static int64_t load_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
	return (int64_t)v;
}

/* Big-endian two's complement (1..16 bytes, or longer with sign extension) to int128. */
bool pq_decimal_from_be(const uint8_t *p, uint32_t len, __int128 *out)
{
	if (len == 0) {
		*out = 0;
		return true;
	}
	uint8_t sign = (p[0] & 0x80) ? 0xff : 0;
	while (len > 16) {
		if (p[0] != sign) return false;
		p++;
		len--;
	}
	unsigned __int128 v = sign ? ~(unsigned __int128)0 : 0;
	for (uint32_t i = 0; i < len; i++) v = v << 8 | p[i];
	*out = (__int128)v;
	return true;
}

bool pq_stat_value(const pq_leaf *lf, const uint8_t *p, uint32_t len, arena *a, fvalue *out)
{
	memset(out, 0, sizeof(*out));
	int need = 0;
	switch (lf->phys) {
	case PT_BOOLEAN: need = 1; break;
	case PT_INT32: case PT_FLOAT: need = 4; break;
	case PT_INT64: case PT_DOUBLE: need = 8; break;
	case PT_INT96: return false; /* INT96 statistics are unreliable (sort order undefined) */
	case PT_FLBA: if ((int64_t)len != lf->type_length) return false; break;
	default: break;
	}
	if (need && len < (uint32_t)need) return false;
	int64_t i32 = need == 4 ? (int32_t)load_le(p, 4) : 0;
	int64_t i64 = need == 8 ? load_le(p, 8) : 0;
	switch (lf->conv) {
	case CONV_COPY:
		if (lf->phys == PT_BOOLEAN) out->u.b = p[0] != 0;
		else if (lf->phys == PT_FLOAT) {
			float x;
			memcpy(&x, p, 4);
			if (x != x) return false;
			out->u.f = x;
		} else if (lf->phys == PT_DOUBLE) {
			double x;
			memcpy(&x, p, 8);
			if (x != x) return false;
			out->u.f = x;
		} else out->u.i = lf->phys == PT_INT32 ? i32 : i64;
		break;
	case CONV_I32_TO_I16:
		if (i32 < INT16_MIN || i32 > INT16_MAX) return false;
		out->u.i = i32;
		break;
	case CONV_I32_TO_I64: out->u.i = i32; break;
	case CONV_U32_TO_I64: out->u.i = (uint32_t)i32; break;
	case CONV_I32_TO_I128: out->u.n = i32; break;
	case CONV_I64_TO_I128: out->u.n = i64; break;
	case CONV_U64_TO_I128: out->u.n = (__int128)(uint64_t)i64; break;
	case CONV_DATE: out->u.i = i32 - UNIX_TO_PG_DAYS; break;
	case CONV_TIME_MILLIS: out->u.i = i32 * 1000; break;
	case CONV_TIME_NANOS: out->u.i = i64 / 1000; break;
	case CONV_TS_MILLIS: {
		int64_t ms;
		if (__builtin_sub_overflow(i64, UNIX_TO_PG_SECS * 1000, &ms) || __builtin_mul_overflow(ms, 1000, &out->u.i))
			return false;
		break;
	}
	case CONV_TS_MICROS:
		if (__builtin_sub_overflow(i64, UNIX_TO_PG_SECS * 1000000, &out->u.i)) return false;
		break;
	case CONV_TS_NANOS: {
		int64_t us = i64 / 1000 - (i64 % 1000 < 0); /* floor */
		if (__builtin_sub_overflow(us, UNIX_TO_PG_SECS * 1000000, &out->u.i)) return false;
		break;
	}
	case CONV_STRING:
		if (!pq_utf8_valid(p, len)) return false;
		/* fall through */
	case CONV_BINARY: {
		char *s = arena_alloc(a, len ? len : 1);
		if (len) memcpy(s, p, len);
		out->u.s.ptr = s;
		out->u.s.len = len;
		break;
	}
	case CONV_DECIMAL_BIN: {
		__int128 v;
		if (!pq_decimal_from_be(p, len, &v)) return false;
		if (numeric_is_wide(lf->type)) out->u.n = v;
		else {
			if (v < INT64_MIN || v > INT64_MAX) return false;
			out->u.i = (int64_t)v;
		}
		break;
	}
	case CONV_UUID: memcpy(out->u.uuid.b, p, 16); break;
	default: return false; /* FLOAT16, INT96: no ordering statistics */
	}
	return true;
}

/* Legacy min/max (fields 1, 2) were written with signed comparison: usable
 * only where that is the type's order. */
static bool legacy_stats_usable(const pq_leaf *lf)
{
	switch (lf->conv) {
	case CONV_COPY: case CONV_I32_TO_I16: case CONV_I32_TO_I64: case CONV_I32_TO_I128:
	case CONV_I64_TO_I128: case CONV_DATE: case CONV_TIME_MILLIS: case CONV_TIME_NANOS:
	case CONV_TS_MILLIS: case CONV_TS_MICROS: case CONV_TS_NANOS:
		return lf->phys != PT_INT96;
	default: return false;
	}
}

static void convert_stats(const pq_leaf *lf, const pq_column_meta *m, int64_t rows, arena *a,
                          parquet_stats *st)
{
	const pq_raw_stats *s = &m->stats;
	memset(st, 0, sizeof(*st));
	if (s->has_null_count && s->null_count <= rows) {
		st->has_null_count = true;
		st->null_count = s->null_count;
	}
	const uint8_t *mn = NULL, *mx = NULL;
	uint32_t mnl = 0, mxl = 0;
	if (s->has_min_value && s->has_max_value) {
		mn = s->min_value; mnl = s->min_value_len;
		mx = s->max_value; mxl = s->max_value_len;
	} else if (s->has_min && s->has_max && legacy_stats_usable(lf)) {
		mn = s->min; mnl = s->min_len;
		mx = s->max; mxl = s->max_len;
	}
	if (!mn || !mx) return;
	if (!pq_stat_value(lf, mn, mnl, a, &st->min) || !pq_stat_value(lf, mx, mxl, a, &st->max)) return;
	/* -0.0 and +0.0 compare equal but writers disagree on which is the bound. */
	if (lf->type.id == TYPE_FLOAT4 || lf->type.id == TYPE_FLOAT8) {
		if (st->min.u.f == 0) st->min.u.f = -0.0;
		if (st->max.u.f == 0) st->max.u.f = 0.0;
	}
	st->has_range = true;
}

/* ----------------------------------------------------------------- open */

static ferr *read_footer(const parquet_input *in, parquet_file *f, arena *a, uint8_t **buf, uint32_t *len)
{
	uint8_t tail[8], head[4];
	if (in->size < 12) return pq_corrupt(f, "file is too small to be parquet (%llu bytes)",
	                                     (unsigned long long)in->size);
	ferr *e = in->read_at(in->ctx, in->size - 8, 8, tail);
	if (e) return ferr_prefix(e, "parquet file '%s'", f->name);
	e = in->read_at(in->ctx, 0, 4, head);
	if (e) return ferr_prefix(e, "parquet file '%s'", f->name);
	if (memcmp(tail + 4, PARQUET_MAGIC_ENCRYPTED, 4) == 0)
		return pq_unsupported(f, "encrypted parquet files are not supported");
	if (memcmp(tail + 4, PARQUET_MAGIC, 4) != 0 || memcmp(head, PARQUET_MAGIC, 4) != 0)
		return pq_corrupt(f, "not a parquet file (magic bytes missing)");
	uint32_t flen = (uint32_t)load_le(tail, 4);
	if ((uint64_t)flen + 12 > in->size || flen > PARQUET_MAX_FOOTER || flen == 0)
		return pq_corrupt(f, "footer length %u does not fit the file (%llu bytes)", flen,
		                  (unsigned long long)in->size);
	*buf = arena_alloc(a, flen);
	e = in->read_at(in->ctx, in->size - 8 - flen, flen, *buf);
	if (e) return ferr_prefix(e, "parquet file '%s'", f->name);
	*len = flen;
	return NULL;
}

int parquet_column_index(const parquet_file *f, const char *name)
{
	for (int i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i].name, name) == 0) return i;
	return -1;
}

ferr *parquet_open(const parquet_input *input, const parquet_options *opt, arena *a, parquet_file **out)
{
	*out = NULL;
	parquet_file *f = arena_zalloc(a, sizeof(*f));
	parquet_file_internal *in = arena_zalloc(a, sizeof(*in));
	f->in = in;
	f->name = arena_strdup(a, input->name ? input->name : "?");
	in->input = *input;
	in->opt.coalesce_gap = 1 << 20;
	if (opt) {
		in->opt = *opt;
		if (!in->opt.coalesce_gap) in->opt.coalesce_gap = 1 << 20;
	}

	uint8_t *buf = NULL;
	uint32_t flen = 0;
	TRY(read_footer(input, f, a, &buf, &flen));
	uint64_t footer_at = input->size - 8 - flen;

	md_ctx c;
	thrift_init(&c.r, buf, flen);
	c.a = a;
	c.budget = (size_t)flen * 8 + (1 << 20);
	c.over_budget = false;
	md_file_metadata(&c, f, in);
	if (!thrift_ok(&c.r))
		return pq_corrupt(f, "corrupt footer at offset %llu: %s",
		                  (unsigned long long)(footer_at + c.r.error_at), c.r.error);
	if (in->nschema < 1) return pq_corrupt(f, "corrupt footer: empty schema");
	if (f->num_rows < 0) return pq_corrupt(f, "corrupt footer: negative row count");

	/* Schema tree: leaves are at most the schema elements. */
	in->leaves = arena_zalloc(a, (size_t)in->nschema * sizeof(pq_leaf));
	in->root = arena_zalloc(a, sizeof(pq_node));
	tree_ctx t = {in, a, 0, 0, NULL};
	build_node(&t, in->root, NULL, "", 0);
	if (!t.error && t.next != in->nschema) t.error = "schema has elements outside the root";
	if (t.error) return pq_corrupt(f, "corrupt schema: %s", t.error);
	in->nleaves = t.nleaves;

	/* Columns: one per top-level field. */
	pq_node *root = in->root;
	f->ncols = root->nchildren;
	f->cols = arena_zalloc(a, (size_t)(f->ncols ? f->ncols : 1) * sizeof(parquet_column));
	for (int i = 0; i < in->nleaves; i++) {
		pq_leaf *lf = &in->leaves[i];
		map_leaf(&in->opt, &in->schema[lf->schema_index], lf, a, &lf->desc);
	}
	for (int i = 0; i < f->ncols; i++) {
		pq_node *n = &root->children[i];
		parquet_column *col = &f->cols[i];
		col->name = n->el->name;
		col->nullable = n->el->repetition != REP_REQUIRED;
		col->first_leaf = n->first_leaf;
		col->nleaves = n->nleaves;
		if (n->leaf >= 0 && n->el->repetition != REP_REPEATED) {
			pq_leaf *lf = &in->leaves[n->leaf];
			col->type = lf->type;
			col->unsupported = lf->unsupported;
			col->parquet_type = lf->desc;
		} else {
			col->nested = true;
			col->type = ftype_make(TYPE_JSON);
			col->parquet_type = n->leaf >= 0 ? "repeated primitive" : "group";
			for (int l = n->first_leaf; l < n->first_leaf + n->nleaves; l++)
				if (in->leaves[l].unsupported && !col->unsupported)
					col->unsupported = in->leaves[l].unsupported;
		}
	}

	/* Row groups: each must have one chunk per leaf, of the leaf's type. */
	f->nrow_groups = in->nrow_groups;
	f->row_groups = arena_zalloc(a, (size_t)(in->nrow_groups ? in->nrow_groups : 1) * sizeof(parquet_row_group));
	int64_t total_rows = 0;
	for (int g = 0; g < in->nrow_groups; g++) {
		pq_row_group *rg = &in->row_groups[g];
		parquet_row_group *prg = &f->row_groups[g];
		if (rg->nchunks != in->nleaves)
			return pq_corrupt(f, "corrupt footer: row group %d has %d column chunks for %d leaf columns", g,
			                  rg->nchunks, in->nleaves);
		if (rg->num_rows < 0 || rg->num_rows > INT64_MAX / 2)
			return pq_corrupt(f, "corrupt footer: row group %d has an invalid row count", g);
		total_rows += rg->num_rows;
		prg->num_rows = rg->num_rows;
		prg->total_byte_size = rg->total_byte_size;
		for (int l = 0; l < rg->nchunks; l++) {
			pq_chunk *ch = &rg->chunks[l];
			if (!ch->meta.present) continue; /* checked when read (encrypted or external) */
			if (ch->meta.type != in->leaves[l].phys)
				return pq_corrupt(f, "corrupt footer: column chunk '%s' in row group %d has type %d, schema says %d",
				                  in->leaves[l].path, g, ch->meta.type, in->leaves[l].phys);
			if (ch->meta.total_compressed_size > 0) prg->compressed_size += ch->meta.total_compressed_size;
		}
		prg->stats = arena_zalloc(a, (size_t)(f->ncols ? f->ncols : 1) * sizeof(parquet_stats));
		for (int c2 = 0; c2 < f->ncols; c2++) {
			parquet_column *col = &f->cols[c2];
			if (col->nested || col->unsupported) continue;
			pq_chunk *ch = &rg->chunks[col->first_leaf];
			if (ch->meta.present)
				convert_stats(&in->leaves[col->first_leaf], &ch->meta, rg->num_rows, a, &prg->stats[c2]);
		}
	}
	/* Some writers leave FileMetaData.num_rows at 0; the row groups are authoritative. */
	f->num_rows = total_rows;
	*out = f;
	return NULL;
}

