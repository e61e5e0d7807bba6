/*
 * writer.c — Ferry's Parquet writer: flat OPTIONAL columns, data page v1,
 * PLAIN or RLE_DICTIONARY (with a PLAIN dictionary page) values, RLE
 * definition levels, zstd/snappy pages and column statistics.
 *
 * A row group is buffered as encoded, compressed column chunks and written
 * out whole once it reaches row_group_bytes, so memory is about one row
 * group's encoded size plus one open page per column. It must never write
 * a file that parquet_open would reject or that misstates its statistics:
 * min/max are computed in the order the logical type defines.
 */
#include <math.h>
#include <stdarg.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "common/sqlstate.h"
#include "exec/types_internal.h"
#include "formats/parquet/parquet_internal.h"
#include "formats/parquet/thrift.h"
#include "storage/fs.h"

#define PQW_MAGIC "PAR1"
#define PQW_DEFAULT_ROW_GROUP_BYTES (UINT64_C(128) << 20)
#define PQW_DEFAULT_PAGE_BYTES (UINT32_C(1) << 20)
#define PQW_DEFAULT_DICT_BYTES (UINT32_C(1) << 20)
#define PQW_DEFAULT_ZSTD_LEVEL 3
/* Rows appended to every column before the row-group size is checked. */
#define PQW_SLICE_ROWS 256
/* A first page with more distinct values than this fraction of its values is written PLAIN. */
#define PQW_DICT_MAX_DISTINCT_RATIO 0.5
/* Statistics of longer strings are truncated (then marked inexact). */
#define PQW_STATS_MAX_BYTES 256
#define PQW_UNIX_TO_PG_DAYS 10957
#define PQW_UNIX_TO_PG_MICROS INT64_C(946684800000000)

/* ------------------------------------------------------------ byte buffer */

typedef struct wbuf {
	uint8_t *p;
	size_t len, cap;
} wbuf;

static void wb_reserve(wbuf *b, size_t n)
{
	if (b->len + n <= b->cap) return;
	size_t nc = b->cap ? b->cap * 2 : 256;
	while (nc < b->len + n) nc *= 2;
	b->p = xrealloc(b->p, nc);
	b->cap = nc;
}
static void wb_put(wbuf *b, const void *p, size_t n)
{
	wb_reserve(b, n);
	if (n) memcpy(b->p + b->len, p, n);
	b->len += n;
}
static void wb_u8(wbuf *b, uint8_t v) { wb_put(b, &v, 1); }
static void wb_le32(wbuf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	wb_put(b, x, 4);
}
static void wb_uvarint(wbuf *b, uint64_t v)
{
	uint8_t x[10];
	int n = 0;
	while (v >= 0x80) {
		x[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	x[n++] = (uint8_t)v;
	wb_put(b, x, (size_t)n);
}
static void wb_free(wbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---------------------------------------------- Thrift compact protocol */

/* A compact-protocol encoder: field ids are delta-coded per nesting level. */
typedef struct twriter {
	wbuf *b;
	int depth;
	int16_t last[THRIFT_MAX_DEPTH];
} twriter;

static void tw_init(twriter *t, wbuf *b)
{
	t->b = b;
	t->depth = 0;
	t->last[0] = 0;
}
static void tw_field(twriter *t, int16_t id, int type)
{
	int16_t delta = (int16_t)(id - t->last[t->depth]);
	if (delta > 0 && delta <= 15) wb_u8(t->b, (uint8_t)(delta << 4 | type));
	else {
		wb_u8(t->b, (uint8_t)type);
		wb_uvarint(t->b, (uint64_t)(((uint32_t)id << 1) ^ (uint32_t)(id >> 15)));
	}
	t->last[t->depth] = id;
}
static void tw_zigzag(twriter *t, int64_t v) { wb_uvarint(t->b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); }
static void tw_i32(twriter *t, int16_t id, int32_t v)
{
	tw_field(t, id, TT_I32);
	tw_zigzag(t, v);
}
static void tw_i64(twriter *t, int16_t id, int64_t v)
{
	tw_field(t, id, TT_I64);
	tw_zigzag(t, v);
}
static void tw_bool(twriter *t, int16_t id, bool v) { tw_field(t, id, v ? TT_TRUE : TT_FALSE); }
static void tw_bin(twriter *t, int16_t id, const void *p, size_t len)
{
	tw_field(t, id, TT_BINARY);
	wb_uvarint(t->b, len);
	wb_put(t->b, p, len);
}
static void tw_str(twriter *t, int16_t id, const char *s) { tw_bin(t, id, s, strlen(s)); }
/* Begin a struct: as field id of the enclosing struct, or (id < 0) as a list element. */
static void tw_struct_begin(twriter *t, int16_t id)
{
	if (id >= 0) tw_field(t, id, TT_STRUCT);
	t->last[++t->depth] = 0;
}
static void tw_struct_end(twriter *t)
{
	wb_u8(t->b, TT_STOP);
	t->depth--;
}
static void tw_list(twriter *t, int16_t id, int elem_type, uint32_t n)
{
	tw_field(t, id, TT_LIST);
	if (n < 15) wb_u8(t->b, (uint8_t)(n << 4 | elem_type));
	else {
		wb_u8(t->b, (uint8_t)(0xF0 | elem_type));
		wb_uvarint(t->b, n);
	}
}
/* An empty struct as a union member (StringType, DateType, MICROS, ...). */
static void tw_empty(twriter *t, int16_t id)
{
	tw_struct_begin(t, id);
	tw_struct_end(t);
}

/* ------------------------------------------------ RLE / bit-packed hybrid */

static int bit_width(uint32_t max)
{
	int w = 0;
	while (max) {
		w++;
		max >>= 1;
	}
	return w;
}

static bool run_of_8(const uint32_t *v, size_t i, size_t n)
{
	if (i + 8 > n) return false;
	for (int k = 1; k < 8; k++)
		if (v[i + k] != v[i]) return false;
	return true;
}

/*
 * Encode n values of bw bits: runs of 8 or more equal values as RLE runs,
 * the rest as bit-packed groups of 8 (the last group zero-padded).
 */
static void rle_encode(wbuf *out, const uint32_t *v, size_t n, int bw)
{
	int vbytes = (bw + 7) / 8;
	size_t i = 0;
	while (i < n) {
		if (run_of_8(v, i, n)) {
			size_t j = i + 8;
			while (j < n && v[j] == v[i]) j++;
			wb_uvarint(out, (uint64_t)(j - i) << 1);
			for (int k = 0; k < vbytes; k++) wb_u8(out, (uint8_t)(v[i] >> (8 * k)));
			i = j;
			continue;
		}
		size_t start = i;
		int groups = 0;
		while (i < n && groups < 63 && (groups == 0 || !run_of_8(v, i, n))) {
			i += 8;
			groups++;
		}
		if (i > n) i = n;
		wb_uvarint(out, (uint64_t)groups << 1 | 1);
		size_t nbytes = (size_t)groups * (size_t)bw;
		wb_reserve(out, nbytes);
		uint8_t *dst = out->p + out->len;
		memset(dst, 0, nbytes);
		uint64_t acc = 0;
		int bits = 0;
		size_t o = 0;
		for (size_t k = 0; k < (size_t)groups * 8; k++) {
			uint64_t x = start + k < n ? v[start + k] : 0;
			acc |= x << bits;
			bits += bw;
			while (bits >= 8) {
				dst[o++] = (uint8_t)acc;
				acc >>= 8;
				bits -= 8;
			}
		}
		out->len += nbytes;
	}
}

/* ------------------------------------------------------------- columns */

/* How statistics are ordered for a column. */
typedef enum sort_kind { SK_BOOL, SK_I32, SK_I64, SK_FLOAT, SK_DOUBLE, SK_BYTES, SK_DECIMAL_BE } sort_kind;

typedef struct chunk_meta {
	int64_t num_values;
	int64_t data_page_offset, dict_page_offset; /* -1 when no dictionary */
	int64_t uncompressed, compressed;           /* headers included */
	bool used_dict, used_plain;
	int64_t null_count;
	bool has_minmax, min_exact, max_exact;
	uint8_t *min, *max; /* PLAIN bytes, without a length prefix */
	uint32_t min_len, max_len;
} chunk_meta;

typedef struct dict_slot {
	uint32_t hash;
	uint32_t idx1; /* index + 1; 0 = empty */
} dict_slot;

typedef struct wcol {
	const char *name;
	ftype type;
	int phys;
	int32_t type_length; /* FLBA */
	int width;           /* fixed physical width (0 for BYTE_ARRAY, 1 for BOOLEAN) */
	sort_kind sk;
	bool legacy_stats; /* signed min/max (fields 1 and 2) are well-defined */

	/* open page */
	uint32_t *defs;
	size_t ndefs, defs_cap;
	uint32_t *idx; /* dictionary indices of the present values */
	size_t nidx, idx_cap;
	wbuf plain;    /* PLAIN values (BOOLEAN: one byte per value, packed at flush) */
	int64_t page_nonnull;

	/* dictionary of the current chunk */
	bool dict_on;       /* values go to the dictionary */
	bool dict_disabled; /* fell back in an earlier chunk: stay PLAIN */
	wbuf dict;          /* PLAIN-encoded entries */
	uint32_t *dict_off; /* entry i starts at dict.p + dict_off[i] (BYTE_ARRAY: its length prefix) */
	uint32_t ndict, dict_off_cap;
	dict_slot *slots;
	uint32_t nslots;
	int dict_pages_emitted; /* data pages of this chunk that reference the dictionary */

	/* encoded data pages of the current chunk */
	wbuf chunk;
	chunk_meta cm;
	uint8_t *min_buf, *max_buf;
	size_t min_cap, max_cap;
} wcol;

struct parquet_writer {
	parquet_output out;
	char *name;
	parquet_write_options opt;
	int ncols;
	wcol *cols;
	uint64_t offset; /* bytes handed to the output */
	int64_t rows, rg_rows;
	int64_t rg_uncompressed;
	wbuf row_groups; /* serialized RowGroup structs */
	uint32_t nrow_groups;
	wbuf page_body, page_comp, hdr; /* scratch */
	uint32_t *scratch_idx;
	size_t scratch_cap;
	ZSTD_CCtx *zctx;
	ferr *failed; /* sticky: a copy is returned by every later call */
};

static ferr *wfail(parquet_writer *w, ferr *e)
{
	if (!w->failed) w->failed = ferr_copy(e);
	return e;
}

static ferr *werr(parquet_writer *w, const char *sqlstate, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static ferr *werr(parquet_writer *w, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ferr *e = ferr_newv(sqlstate, fmt, ap);
	va_end(ap);
	return wfail(w, ferr_prefix(e, "parquet writer '%s'", w->name));
}

static ferr *emit(parquet_writer *w, const void *p, size_t len)
{
	if (!len) return NULL;
	ferr *e = w->out.write(w->out.ctx, p, len);
	if (e) return wfail(w, ferr_prefix(e, "parquet writer '%s'", w->name));
	w->offset += len;
	return NULL;
}

/* Bytes of a FIXED_LEN_BYTE_ARRAY that hold every value of precision p. */
static int32_t decimal_bytes(int p)
{
	__int128 max = 1;
	for (int i = 0; i < p; i++) max *= 10;
	max -= 1;
	for (int32_t n = 1; n < 16; n++)
		if (max < ((__int128)1 << (8 * n - 1))) return n;
	return 16;
}

static int decimal_precision(ftype t) { return t.precision > 0 ? t.precision : 38; }

/* Physical layout of a Ferry type; false when Parquet has no place for it. */
static bool col_layout(wcol *c)
{
	c->type_length = 0;
	c->legacy_stats = true;
	switch (c->type.id) {
	case TYPE_BOOL: c->phys = PT_BOOLEAN; c->width = 1; c->sk = SK_BOOL; break;
	case TYPE_INT2:
	case TYPE_INT4:
	case TYPE_DATE: c->phys = PT_INT32; c->width = 4; c->sk = SK_I32; break;
	case TYPE_INT8:
	case TYPE_TIME:
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ: c->phys = PT_INT64; c->width = 8; c->sk = SK_I64; break;
	case TYPE_FLOAT4: c->phys = PT_FLOAT; c->width = 4; c->sk = SK_FLOAT; break;
	case TYPE_FLOAT8: c->phys = PT_DOUBLE; c->width = 8; c->sk = SK_DOUBLE; break;
	case TYPE_NUMERIC: {
		int p = decimal_precision(c->type);
		if (p <= 9) {
			c->phys = PT_INT32; c->width = 4; c->sk = SK_I32;
		} else if (p <= 18) {
			c->phys = PT_INT64; c->width = 8; c->sk = SK_I64;
		} else {
			c->phys = PT_FLBA;
			c->type_length = c->width = decimal_bytes(p);
			c->sk = SK_DECIMAL_BE;
			c->legacy_stats = false;
		}
		break;
	}
	case TYPE_UUID:
		c->phys = PT_FLBA;
		c->type_length = c->width = 16;
		c->sk = SK_BYTES;
		c->legacy_stats = false;
		break;
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
	case TYPE_BYTEA:
	case TYPE_JSON:
	case TYPE_JSONB:
	case TYPE_UNKNOWN:
		c->phys = PT_BYTE_ARRAY;
		c->width = 0;
		c->sk = SK_BYTES;
		c->legacy_stats = false;
		break;
	default: return false;
	}
	return true;
}

/* ---------------------------------------------------------- statistics */

static int stat_cmp(const wcol *c, const uint8_t *a, uint32_t al, const uint8_t *b, uint32_t bl)
{
	switch (c->sk) {
	case SK_BOOL: return (int)a[0] - (int)b[0];
	case SK_I32: {
		int32_t x, y;
		memcpy(&x, a, 4);
		memcpy(&y, b, 4);
		return (x > y) - (x < y);
	}
	case SK_I64: {
		int64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		return (x > y) - (x < y);
	}
	case SK_FLOAT: {
		float x, y;
		memcpy(&x, a, 4);
		memcpy(&y, b, 4);
		return (x > y) - (x < y);
	}
	case SK_DOUBLE: {
		double x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		return (x > y) - (x < y);
	}
	case SK_DECIMAL_BE: {
		/* Two's complement big-endian: the sign byte compares signed, the rest unsigned. */
		int d = (int)(int8_t)a[0] - (int)(int8_t)b[0];
		if (d) return d;
		return memcmp(a + 1, b + 1, al - 1);
	}
	case SK_BYTES: {
		uint32_t n = al < bl ? al : bl;
		int d = n ? memcmp(a, b, n) : 0;
		if (d) return d;
		return (al > bl) - (al < bl);
	}
	}
	return 0;
}

static void stat_set(uint8_t **buf, size_t *cap, uint8_t **dst, uint32_t *dst_len, const uint8_t *p, uint32_t len)
{
	if (len > *cap) {
		size_t nc = *cap ? *cap : 16;
		while (nc < len) nc *= 2;
		*buf = xrealloc(*buf, nc);
		*cap = nc;
	}
	if (len) memcpy(*buf, p, len);
	*dst = *buf;
	*dst_len = len;
}

/* Fold one present value (physical bytes) into the chunk's min/max. */
static void stat_update(wcol *c, const uint8_t *p, uint32_t len)
{
	chunk_meta *m = &c->cm;
	if (c->sk == SK_FLOAT) {
		float x;
		memcpy(&x, p, 4);
		if (isnan(x)) return;
	} else if (c->sk == SK_DOUBLE) {
		double x;
		memcpy(&x, p, 8);
		if (isnan(x)) return;
	}
	if (!m->has_minmax) {
		stat_set(&c->min_buf, &c->min_cap, &m->min, &m->min_len, p, len);
		stat_set(&c->max_buf, &c->max_cap, &m->max, &m->max_len, p, len);
		m->has_minmax = true;
		return;
	}
	if (stat_cmp(c, p, len, m->min, m->min_len) < 0) stat_set(&c->min_buf, &c->min_cap, &m->min, &m->min_len, p, len);
	else if (stat_cmp(c, p, len, m->max, m->max_len) > 0)
		stat_set(&c->max_buf, &c->max_cap, &m->max, &m->max_len, p, len);
}

/* ----------------------------------------------------------- dictionary */

static uint32_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	while (n >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		h = (h ^ x) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	uint64_t x = 0;
	memcpy(&x, p, n);
	h = (h ^ x) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static void dict_entry(const wcol *c, uint32_t i, const uint8_t **p, uint32_t *len)
{
	const uint8_t *e = c->dict.p + c->dict_off[i];
	if (c->phys == PT_BYTE_ARRAY) {
		*len = (uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 | (uint32_t)e[3] << 24;
		*p = e + 4;
	} else {
		*len = (uint32_t)c->width;
		*p = e;
	}
}

static void dict_grow_slots(wcol *c)
{
	uint32_t n = c->nslots ? c->nslots * 2 : 1024;
	dict_slot *s = xcalloc(n, sizeof(*s));
	for (uint32_t i = 0; i < c->nslots; i++) {
		if (!c->slots[i].idx1) continue;
		uint32_t k = c->slots[i].hash & (n - 1);
		while (s[k].idx1) k = (k + 1) & (n - 1);
		s[k] = c->slots[i];
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
}

/* Index of the value in the dictionary, adding it when new (*added). */
static uint32_t dict_lookup(wcol *c, const uint8_t *p, uint32_t len, bool *added)
{
	if ((c->ndict + 1) * 2 > c->nslots) dict_grow_slots(c);
	uint32_t h = hash_bytes(p, len);
	uint32_t k = h & (c->nslots - 1);
	for (;;) {
		dict_slot *s = &c->slots[k];
		if (!s->idx1) break;
		if (s->hash == h) {
			const uint8_t *q;
			uint32_t ql;
			dict_entry(c, s->idx1 - 1, &q, &ql);
			if (ql == len && (len == 0 || memcmp(p, q, len) == 0)) {
				*added = false;
				return s->idx1 - 1;
			}
		}
		k = (k + 1) & (c->nslots - 1);
	}
	if (c->ndict == c->dict_off_cap) {
		c->dict_off_cap = c->dict_off_cap ? c->dict_off_cap * 2 : 256;
		c->dict_off = xrealloc(c->dict_off, c->dict_off_cap * sizeof(uint32_t));
	}
	c->dict_off[c->ndict] = (uint32_t)c->dict.len;
	if (c->phys == PT_BYTE_ARRAY) wb_le32(&c->dict, len);
	wb_put(&c->dict, p, len);
	c->slots[k].hash = h;
	c->slots[k].idx1 = ++c->ndict;
	*added = true;
	return c->ndict - 1;
}

static void dict_reset(wcol *c)
{
	c->dict.len = 0;
	c->ndict = 0;
	if (c->slots) memset(c->slots, 0, c->nslots * sizeof(*c->slots));
}

/* ---------------------------------------------------------------- pages */

static ferr *compress_into(parquet_writer *w, const wbuf *src, wbuf *dst)
{
	dst->len = 0;
	switch (w->opt.codec) {
	case PARQUET_CODEC_UNCOMPRESSED: wb_put(dst, src->p, src->len); return NULL;
	case PARQUET_CODEC_SNAPPY: {
		size_t n = snappy_max_compressed_length(src->len);
		wb_reserve(dst, n);
		if (snappy_compress((const char *)src->p, src->len, (char *)dst->p, &n) != SNAPPY_OK)
			return werr(w, SQLSTATE_INTERNAL_ERROR, "snappy compression failed");
		dst->len = n;
		return NULL;
	}
	case PARQUET_CODEC_ZSTD: {
		size_t n = ZSTD_compressBound(src->len);
		wb_reserve(dst, n);
		n = ZSTD_compressCCtx(w->zctx, dst->p, n, src->p, src->len, w->opt.zstd_level);
		if (ZSTD_isError(n)) return werr(w, SQLSTATE_INTERNAL_ERROR, "zstd compression failed: %s", ZSTD_getErrorName(n));
		dst->len = n;
		return NULL;
	}
	}
	return werr(w, SQLSTATE_INTERNAL_ERROR, "unknown codec %d", (int)w->opt.codec);
}

static int codec_id(parquet_codec c)
{
	switch (c) {
	case PARQUET_CODEC_SNAPPY: return CODEC_SNAPPY;
	case PARQUET_CODEC_ZSTD: return CODEC_ZSTD;
	default: return CODEC_UNCOMPRESSED;
	}
}

/* Compress w->page_body and append header + page to dst (chunk bytes). */
static ferr *put_page(parquet_writer *w, wcol *c, wbuf *dst, int page_type, int32_t num_values, int encoding)
{
	if (w->page_body.len > INT32_MAX) return werr(w, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "page of column \"%s\" exceeds 2 GiB", c->name);
	TRY(compress_into(w, &w->page_body, &w->page_comp));
	if (w->page_comp.len > INT32_MAX) return werr(w, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "page of column \"%s\" exceeds 2 GiB", c->name);
	w->hdr.len = 0;
	twriter t;
	tw_init(&t, &w->hdr);
	tw_struct_begin(&t, -1);
	tw_i32(&t, 1, page_type);
	tw_i32(&t, 2, (int32_t)w->page_body.len);
	tw_i32(&t, 3, (int32_t)w->page_comp.len);
	if (page_type == PAGE_DATA) {
		tw_struct_begin(&t, 5);
		tw_i32(&t, 1, num_values);
		tw_i32(&t, 2, encoding);
		tw_i32(&t, 3, ENC_RLE);
		tw_i32(&t, 4, ENC_RLE);
		tw_struct_end(&t);
	} else {
		tw_struct_begin(&t, 7);
		tw_i32(&t, 1, num_values);
		tw_i32(&t, 2, ENC_PLAIN);
		tw_struct_end(&t);
	}
	tw_struct_end(&t);
	wb_put(dst, w->hdr.p, w->hdr.len);
	wb_put(dst, w->page_comp.p, w->page_comp.len);
	c->cm.uncompressed += (int64_t)(w->hdr.len + w->page_body.len);
	c->cm.compressed += (int64_t)(w->hdr.len + w->page_comp.len);
	return NULL;
}

/* PLAIN bytes of dictionary entries idx[0..n) into out. */
static void gather_plain(const wcol *c, const uint32_t *idx, size_t n, wbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p;
		uint32_t len;
		dict_entry(c, idx[i], &p, &len);
		if (c->phys == PT_BYTE_ARRAY) wb_le32(out, len);
		wb_put(out, p, len);
	}
}

static void plain_body(const wcol *c, const wbuf *plain, size_t nvals, wbuf *out)
{
	if (c->phys != PT_BOOLEAN) {
		wb_put(out, plain->p, plain->len);
		return;
	}
	size_t nb = (nvals + 7) / 8;
	wb_reserve(out, nb);
	memset(out->p + out->len, 0, nb);
	for (size_t i = 0; i < nvals; i++)
		if (plain->p[i]) out->p[out->len + i / 8] |= (uint8_t)(1u << (i % 8));
	out->len += nb;
}

/* Encode the open page of c (if any) into its chunk. */
static ferr *flush_page(parquet_writer *w, wcol *c)
{
	if (c->ndefs == 0) return NULL;
	wbuf *body = &w->page_body;
	body->len = 0;
	/* definition levels: 4-byte length, then the hybrid encoding (bit width 1) */
	wb_le32(body, 0);
	size_t at = body->len;
	rle_encode(body, c->defs, c->ndefs, 1);
	uint32_t dlen = (uint32_t)(body->len - at);
	for (int k = 0; k < 4; k++) body->p[at - 4 + k] = (uint8_t)(dlen >> (8 * k));

	int enc = ENC_PLAIN;
	if (c->dict_on) {
		bool too_big = c->dict.len > w->opt.dictionary_bytes;
		bool pays = c->ndict <= (double)c->nidx * PQW_DICT_MAX_DISTINCT_RATIO;
		if (c->dict_pages_emitted == 0 && (too_big || !pays)) {
			/* The dictionary does not pay: this chunk becomes PLAIN. */
			wbuf tmp = {0};
			gather_plain(c, c->idx, c->nidx, &tmp);
			plain_body(c, &tmp, c->nidx, body);
			wb_free(&tmp);
			c->dict_on = false;
			c->dict_disabled = true;
			dict_reset(c);
			c->cm.used_plain = true;
		} else {
			int bw = bit_width(c->ndict ? c->ndict - 1 : 0);
			if (bw == 0) bw = 1;
			wb_u8(body, (uint8_t)bw);
			rle_encode(body, c->idx, c->nidx, bw);
			enc = ENC_RLE_DICTIONARY;
			c->dict_pages_emitted++;
			c->cm.used_dict = true;
			if (too_big) {
				c->dict_on = false; /* later pages of the chunk are PLAIN */
				c->dict_disabled = true;
			}
		}
	} else {
		plain_body(c, &c->plain, (size_t)c->page_nonnull, body);
		c->cm.used_plain = true;
	}
	if (c->ndefs > INT32_MAX) return werr(w, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "too many values in a page");
	TRY(put_page(w, c, &c->chunk, PAGE_DATA, (int32_t)c->ndefs, enc));
	c->cm.num_values += (int64_t)c->ndefs;
	c->ndefs = c->nidx = 0;
	c->plain.len = 0;
	c->page_nonnull = 0;
	return NULL;
}

static size_t page_estimate(const wcol *c)
{
	size_t levels = c->ndefs / 8 + 1;
	if (c->dict_on) return levels + (c->nidx * (size_t)(bit_width(c->ndict) + 1) + 7) / 8;
	return levels + c->plain.len;
}

/* -------------------------------------------------------------- values */

/*
 * The physical bytes of row r of v (Ferry layout -> Parquet PLAIN layout):
 * fixed-width values go to tmp, strings are pointed at.
 */
static ferr *phys_value(parquet_writer *w, const wcol *c, const vector *v, int r, uint8_t *tmp, const uint8_t **p,
                        uint32_t *len)
{
	const void *src = vector_at(v, r);
	*p = tmp;
	*len = (uint32_t)c->width;
	switch (c->type.id) {
	case TYPE_BOOL: tmp[0] = *(const uint8_t *)src ? 1 : 0; break;
	case TYPE_INT2: {
		int32_t x = *(const int16_t *)src;
		memcpy(tmp, &x, 4);
		break;
	}
	case TYPE_INT4:
	case TYPE_FLOAT4: memcpy(tmp, src, 4); break;
	case TYPE_INT8:
	case TYPE_TIME:
	case TYPE_FLOAT8: memcpy(tmp, src, 8); break;
	case TYPE_DATE: {
		int32_t d;
		memcpy(&d, src, 4);
		if (__builtin_add_overflow(d, PQW_UNIX_TO_PG_DAYS, &d))
			return werr(w, SQLSTATE_DATETIME_FIELD_OVERFLOW, "date out of range in column \"%s\"", c->name);
		memcpy(tmp, &d, 4);
		break;
	}
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ: {
		int64_t t;
		memcpy(&t, src, 8);
		if (__builtin_add_overflow(t, PQW_UNIX_TO_PG_MICROS, &t))
			return werr(w, SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range in column \"%s\"", c->name);
		memcpy(tmp, &t, 8);
		break;
	}
	case TYPE_NUMERIC: {
		/* at the column's scale: per-value-scale numerics (avg, division) are
		 * rounded to the type's nominal scale, which the schema declares */
		__int128 n = num_load(c->type, src);
		if (c->phys == PT_INT32) {
			int32_t x = (int32_t)n;
			memcpy(tmp, &x, 4);
		} else if (c->phys == PT_INT64) {
			int64_t x = (int64_t)n;
			memcpy(tmp, &x, 8);
		} else {
			if (c->type.precision == 0) {
				/* unconstrained numeric is written as DECIMAL(38, s) */
				static const __int128 lim = (__int128)10000000000000000000ull * (__int128)10000000000000000000ull;
				if (n >= lim || n <= -lim)
					return werr(w, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
					            "numeric value in column \"%s\" exceeds 38 digits", c->name);
			}
			for (int i = 0; i < c->width; i++) tmp[c->width - 1 - i] = (uint8_t)(n >> (8 * i));
		}
		break;
	}
	case TYPE_UUID: memcpy(tmp, src, 16); break;
	default: {
		const fstring *s = src;
		*p = (const uint8_t *)s->ptr;
		*len = s->len;
		if (!s->len) *p = (const uint8_t *)"";
		break;
	}
	}
	return NULL;
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap) return p;
	size_t nc = *cap ? *cap * 2 : 1024;
	while (nc < need) nc *= 2;
	*cap = nc;
	return xrealloc(p, nc * elem);
}

/* Append rows sel-range [from, to) of column ci of b. */
static ferr *append_rows(parquet_writer *w, wcol *c, const vector *v, const batch *b, int from, int to)
{
	uint8_t tmp[16];
	for (int i = from; i < to; i++) {
		int r = batch_row(b, i);
		c->defs = grow(c->defs, &c->defs_cap, c->ndefs + 1, sizeof(uint32_t));
		if (vector_is_null(v, r)) {
			c->defs[c->ndefs++] = 0;
			c->cm.null_count++;
		} else {
			c->defs[c->ndefs++] = 1;
			const uint8_t *p;
			uint32_t len;
			TRY(phys_value(w, c, v, r, tmp, &p, &len));
			if (c->phys == PT_BYTE_ARRAY && len > INT32_MAX)
				return werr(w, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "value in column \"%s\" is too long", c->name);
			c->page_nonnull++;
			if (c->dict_on) {
				bool added;
				uint32_t k = dict_lookup(c, p, len, &added);
				if (added) stat_update(c, p, len);
				c->idx = grow(c->idx, &c->idx_cap, c->nidx + 1, sizeof(uint32_t));
				c->idx[c->nidx++] = k;
				if (c->dict.len > w->opt.dictionary_bytes) {
					TRY(flush_page(w, c));
					continue;
				}
			} else {
				stat_update(c, p, len);
				if (c->phys == PT_BYTE_ARRAY) wb_le32(&c->plain, len);
				wb_put(&c->plain, p, len);
			}
		}
		if (page_estimate(c) >= w->opt.page_bytes) TRY(flush_page(w, c));
	}
	return NULL;
}

/* ----------------------------------------------------------- row groups */

static void chunk_reset(wcol *c)
{
	memset(&c->cm, 0, sizeof(c->cm));
	c->cm.dict_page_offset = -1;
	c->cm.min_exact = c->cm.max_exact = true;
	c->chunk.len = 0;
	c->dict_pages_emitted = 0;
	dict_reset(c);
	c->dict_on = !c->dict_disabled;
}

/* Bounds no longer than PQW_STATS_MAX_BYTES: a prefix for min, prefix + 1 for max. */
static void stats_truncate(chunk_meta *m)
{
	if (m->min_len > PQW_STATS_MAX_BYTES) {
		m->min_len = PQW_STATS_MAX_BYTES;
		m->min_exact = false;
	}
	if (m->max_len > PQW_STATS_MAX_BYTES) {
		uint32_t n = PQW_STATS_MAX_BYTES;
		while (n > 0 && m->max[n - 1] == 0xFF) n--;
		if (n == 0) {
			m->has_minmax = false; /* no short upper bound exists */
			return;
		}
		m->max[n - 1]++;
		m->max_len = n;
		m->max_exact = false;
	}
}

static void write_stats(twriter *t, const wcol *c, chunk_meta *m)
{
	tw_struct_begin(t, 12);
	uint8_t zmin[8], zmax[8];
	const uint8_t *mn = m->min, *mx = m->max;
	if (m->has_minmax && (c->sk == SK_FLOAT || c->sk == SK_DOUBLE)) {
		/* A zero bound is written as -0.0 (min) and +0.0 (max), as the spec asks. */
		memcpy(zmin, m->min, (size_t)c->width);
		memcpy(zmax, m->max, (size_t)c->width);
		if (c->sk == SK_FLOAT) {
			float a, b;
			memcpy(&a, zmin, 4);
			memcpy(&b, zmax, 4);
			if (a == 0) a = -0.0f;
			if (b == 0) b = 0.0f;
			memcpy(zmin, &a, 4);
			memcpy(zmax, &b, 4);
		} else {
			double a, b;
			memcpy(&a, zmin, 8);
			memcpy(&b, zmax, 8);
			if (a == 0) a = -0.0;
			if (b == 0) b = 0.0;
			memcpy(zmin, &a, 8);
			memcpy(zmax, &b, 8);
		}
		mn = zmin;
		mx = zmax;
	}
	if (m->has_minmax && c->sk == SK_BYTES) stats_truncate(m);
	if (m->has_minmax && c->legacy_stats) {
		tw_bin(t, 1, mx, m->max_len);
		tw_bin(t, 2, mn, m->min_len);
	}
	tw_i64(t, 3, m->null_count);
	if (m->has_minmax) {
		tw_bin(t, 5, mx, m->max_len);
		tw_bin(t, 6, mn, m->min_len);
		tw_bool(t, 7, m->max_exact);
		tw_bool(t, 8, m->min_exact);
	}
	tw_struct_end(t);
}

static ferr *flush_row_group(parquet_writer *w)
{
	if (w->rg_rows == 0) return NULL;
	/* Finish every chunk: last page, then the dictionary page ahead of the data pages. */
	for (int i = 0; i < w->ncols; i++) {
		wcol *c = &w->cols[i];
		TRY(flush_page(w, c));
	}
	uint64_t rg_start = w->offset;
	int64_t total_uncompressed = 0, total_compressed = 0;
	wbuf dictpage = {0};
	ferr *e = NULL;
	for (int i = 0; i < w->ncols && !e; i++) {
		wcol *c = &w->cols[i];
		dictpage.len = 0;
		if (c->dict_pages_emitted > 0) {
			w->page_body.len = 0;
			wb_put(&w->page_body, c->dict.p, c->dict.len);
			if ((e = put_page(w, c, &dictpage, PAGE_DICTIONARY, (int32_t)c->ndict, ENC_PLAIN))) break;
			c->cm.dict_page_offset = (int64_t)w->offset;
		}
		c->cm.data_page_offset = (int64_t)(w->offset + dictpage.len);
		if ((e = emit(w, dictpage.p, dictpage.len)) || (e = emit(w, c->chunk.p, c->chunk.len))) break;
		total_uncompressed += c->cm.uncompressed;
		total_compressed += c->cm.compressed;
	}
	wb_free(&dictpage);
	if (e) return e;

	/* The RowGroup struct, kept for the footer. */
	twriter t;
	tw_init(&t, &w->row_groups);
	tw_struct_begin(&t, -1);
	tw_list(&t, 1, TT_STRUCT, (uint32_t)w->ncols);
	for (int i = 0; i < w->ncols; i++) {
		wcol *c = &w->cols[i];
		chunk_meta *m = &c->cm;
		int64_t start = m->dict_page_offset >= 0 ? m->dict_page_offset : m->data_page_offset;
		tw_struct_begin(&t, -1); /* ColumnChunk */
		tw_i64(&t, 2, start);
		tw_struct_begin(&t, 3); /* ColumnMetaData */
		tw_i32(&t, 1, c->phys);
		int encs[3], nenc = 0;
		if (m->used_dict) encs[nenc++] = ENC_RLE_DICTIONARY;
		if (m->used_plain || m->used_dict) encs[nenc++] = ENC_PLAIN; /* dictionary page is PLAIN */
		encs[nenc++] = ENC_RLE;
		tw_list(&t, 2, TT_I32, (uint32_t)nenc);
		for (int k = 0; k < nenc; k++) tw_zigzag(&t, encs[k]);
		tw_list(&t, 3, TT_BINARY, 1);
		wb_uvarint(t.b, strlen(c->name));
		wb_put(t.b, c->name, strlen(c->name));
		tw_i32(&t, 4, codec_id(w->opt.codec));
		tw_i64(&t, 5, m->num_values);
		tw_i64(&t, 6, m->uncompressed);
		tw_i64(&t, 7, m->compressed);
		tw_i64(&t, 9, m->data_page_offset);
		if (m->dict_page_offset >= 0) tw_i64(&t, 11, m->dict_page_offset);
		write_stats(&t, c, m);
		tw_struct_end(&t); /* ColumnMetaData */
		tw_struct_end(&t); /* ColumnChunk */
	}
	tw_i64(&t, 2, total_uncompressed);
	tw_i64(&t, 3, w->rg_rows);
	tw_i64(&t, 5, (int64_t)rg_start);
	tw_i64(&t, 6, total_compressed);
	tw_field(&t, 7, TT_I16);
	tw_zigzag(&t, (int16_t)w->nrow_groups);
	tw_struct_end(&t);
	w->nrow_groups++;
	w->rg_rows = 0;
	for (int i = 0; i < w->ncols; i++) chunk_reset(&w->cols[i]);
	return NULL;
}

static uint64_t row_group_estimate(const parquet_writer *w)
{
	uint64_t n = 0;
	for (int i = 0; i < w->ncols; i++) {
		const wcol *c = &w->cols[i];
		n += c->chunk.len + page_estimate(c) + (c->dict_on ? c->dict.len : 0);
	}
	return n;
}

/* ------------------------------------------------------------- footer */

static void write_schema_element(twriter *t, const wcol *c)
{
	tw_struct_begin(t, -1);
	tw_i32(t, 1, c->phys);
	if (c->phys == PT_FLBA) tw_i32(t, 2, c->type_length);
	tw_i32(t, 3, REP_OPTIONAL);
	tw_str(t, 4, c->name);
	int converted = -1;
	switch (c->type.id) {
	case TYPE_INT2: converted = CT_INT_16; break;
	case TYPE_NUMERIC: converted = CT_DECIMAL; break;
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
	case TYPE_UNKNOWN: converted = CT_UTF8; break;
	case TYPE_DATE: converted = CT_DATE; break;
	case TYPE_TIMESTAMPTZ: converted = CT_TIMESTAMP_MICROS; break;
	case TYPE_JSON:
	case TYPE_JSONB: converted = CT_JSON; break;
	default: break;
	}
	if (converted >= 0) tw_i32(t, 6, converted);
	if (c->type.id == TYPE_NUMERIC) {
		tw_i32(t, 7, c->type.scale);
		tw_i32(t, 8, decimal_precision(c->type));
	}
	/* LogicalType union */
	switch (c->type.id) {
	case TYPE_INT2:
		tw_struct_begin(t, 10);
		tw_struct_begin(t, LT_INTEGER);
		tw_field(t, 1, TT_BYTE);
		wb_u8(t->b, 16);
		tw_bool(t, 2, true);
		tw_struct_end(t);
		tw_struct_end(t);
		break;
	case TYPE_NUMERIC:
		tw_struct_begin(t, 10);
		tw_struct_begin(t, LT_DECIMAL);
		tw_i32(t, 1, c->type.scale);
		tw_i32(t, 2, decimal_precision(c->type));
		tw_struct_end(t);
		tw_struct_end(t);
		break;
	case TYPE_TIME:
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ:
		tw_struct_begin(t, 10);
		tw_struct_begin(t, c->type.id == TYPE_TIME ? LT_TIME : LT_TIMESTAMP);
		tw_bool(t, 1, c->type.id == TYPE_TIMESTAMPTZ);
		tw_struct_begin(t, 2);
		tw_empty(t, UNIT_MICROS);
		tw_struct_end(t);
		tw_struct_end(t);
		tw_struct_end(t);
		break;
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
	case TYPE_UNKNOWN:
	case TYPE_DATE:
	case TYPE_JSON:
	case TYPE_JSONB:
	case TYPE_UUID: {
		int lt = c->type.id == TYPE_DATE ? LT_DATE
		         : c->type.id == TYPE_UUID ? LT_UUID
		         : (c->type.id == TYPE_JSON || c->type.id == TYPE_JSONB) ? LT_JSON
		                                                                 : LT_STRING;
		tw_struct_begin(t, 10);
		tw_empty(t, (int16_t)lt);
		tw_struct_end(t);
		break;
	}
	default: break;
	}
	tw_struct_end(t);
}

static ferr *write_footer(parquet_writer *w)
{
	wbuf f = {0};
	twriter t;
	tw_init(&t, &f);
	tw_struct_begin(&t, -1);
	tw_i32(&t, 1, 2);
	tw_list(&t, 2, TT_STRUCT, (uint32_t)w->ncols + 1);
	tw_struct_begin(&t, -1);
	tw_str(&t, 4, "schema");
	tw_i32(&t, 5, w->ncols);
	tw_struct_end(&t);
	for (int i = 0; i < w->ncols; i++) write_schema_element(&t, &w->cols[i]);
	tw_i64(&t, 3, w->rows);
	tw_list(&t, 4, TT_STRUCT, w->nrow_groups);
	wb_put(&f, w->row_groups.p, w->row_groups.len);
	tw_str(&t, 6, w->opt.created_by);
	tw_list(&t, 7, TT_STRUCT, (uint32_t)w->ncols);
	for (int i = 0; i < w->ncols; i++) {
		tw_struct_begin(&t, -1); /* ColumnOrder union: TYPE_ORDER */
		tw_empty(&t, 1);
		tw_struct_end(&t);
	}
	tw_struct_end(&t);
	ferr *e = NULL;
	if (f.len > UINT32_MAX) e = werr(w, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "footer exceeds 4 GiB");
	if (!e) {
		wb_le32(&f, (uint32_t)f.len);
		wb_put(&f, PQW_MAGIC, 4);
		e = emit(w, f.p, f.len);
	}
	wb_free(&f);
	return e;
}

/* --------------------------------------------------------------- API */

static ferr *fs_out_write(void *ctx, const void *p, size_t len) { return fs_writer_write(ctx, p, len); }
static ferr *fs_out_commit(void *ctx) { return fs_writer_commit(ctx); }
static void fs_out_abort(void *ctx) { fs_writer_abort(ctx); }

void parquet_output_from_fs_writer(fs_writer *fw, const char *name, parquet_output *out)
{
	memset(out, 0, sizeof(*out));
	out->name = name;
	out->ctx = fw;
	out->write = fs_out_write;
	out->commit = fs_out_commit;
	out->abort = fs_out_abort;
}

static void writer_free(parquet_writer *w)
{
	for (int i = 0; i < w->ncols; i++) {
		wcol *c = &w->cols[i];
		free(c->defs);
		free(c->idx);
		wb_free(&c->plain);
		wb_free(&c->dict);
		free(c->dict_off);
		free(c->slots);
		wb_free(&c->chunk);
		free(c->min_buf);
		free(c->max_buf);
		free((char *)c->name);
	}
	free(w->cols);
	wb_free(&w->row_groups);
	wb_free(&w->page_body);
	wb_free(&w->page_comp);
	wb_free(&w->hdr);
	if (w->zctx) ZSTD_freeCCtx(w->zctx);
	if (w->failed) ferr_free(w->failed);
	free((char *)w->opt.created_by);
	free(w->name);
	free(w);
}

ferr *parquet_writer_open(const parquet_output *out, const char *const *names, const ftype *types, int ncols,
                          const parquet_write_options *opt, parquet_writer **wp)
{
	*wp = NULL;
	parquet_writer *w = xcalloc(1, sizeof(*w));
	w->out = *out;
	w->name = xstrdup(out->name ? out->name : "output");
	if (opt) w->opt = *opt;
	if (!w->opt.row_group_bytes) w->opt.row_group_bytes = PQW_DEFAULT_ROW_GROUP_BYTES;
	if (!w->opt.page_bytes) w->opt.page_bytes = PQW_DEFAULT_PAGE_BYTES;
	if (!w->opt.dictionary_bytes) w->opt.dictionary_bytes = PQW_DEFAULT_DICT_BYTES;
	if (!w->opt.zstd_level) w->opt.zstd_level = PQW_DEFAULT_ZSTD_LEVEL;
	w->opt.created_by = xstrdup(w->opt.created_by ? w->opt.created_by : "Ferry");
	w->ncols = ncols;
	w->cols = xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof(wcol));
	ferr *e = NULL;
	if (ncols <= 0) e = werr(w, SQLSTATE_INVALID_PARAMETER_VALUE, "a parquet file needs at least one column");
	if (w->opt.codec != PARQUET_CODEC_ZSTD && w->opt.codec != PARQUET_CODEC_SNAPPY &&
	    w->opt.codec != PARQUET_CODEC_UNCOMPRESSED)
		e = werr(w, SQLSTATE_INVALID_PARAMETER_VALUE, "unknown codec %d", (int)w->opt.codec);
	for (int i = 0; i < ncols && !e; i++) {
		wcol *c = &w->cols[i];
		c->name = xstrdup(names[i]);
		c->type = types[i];
		if (!col_layout(c)) {
			strbuf sb = STRBUF_INIT;
			ftype_format(c->type, &sb);
			e = werr(w, SQLSTATE_FEATURE_NOT_SUPPORTED, "column \"%s\" of type %s cannot be written to parquet",
			         c->name, sb.data ? sb.data : "?");
			sb_free(&sb);
			break;
		}
		c->dict_disabled = w->opt.no_dictionary || c->phys == PT_BOOLEAN;
		chunk_reset(c);
	}
	if (!e && w->opt.codec == PARQUET_CODEC_ZSTD) w->zctx = ZSTD_createCCtx();
	if (!e) e = emit(w, PQW_MAGIC, 4);
	if (e) {
		parquet_writer_abort(w);
		return e;
	}
	*wp = w;
	return NULL;
}

ferr *parquet_writer_write_batch(parquet_writer *w, const batch *b)
{
	if (w->failed) return ferr_copy(w->failed);
	if (b->ncols != w->ncols)
		return werr(w, SQLSTATE_INTERNAL_ERROR, "batch has %d columns, the file %d", b->ncols, w->ncols);
	for (int i = 0; i < w->ncols; i++)
		if (b->cols[i].type.id != w->cols[i].type.id)
			return werr(w, SQLSTATE_DATATYPE_MISMATCH, "column \"%s\": batch type does not match", w->cols[i].name);
	for (int from = 0; from < b->count; from += PQW_SLICE_ROWS) {
		int to = from + PQW_SLICE_ROWS < b->count ? from + PQW_SLICE_ROWS : b->count;
		for (int i = 0; i < w->ncols; i++) TRY(append_rows(w, &w->cols[i], &b->cols[i], b, from, to));
		w->rows += to - from;
		w->rg_rows += to - from;
		if (row_group_estimate(w) >= w->opt.row_group_bytes) TRY(flush_row_group(w));
	}
	return NULL;
}

ferr *parquet_writer_close(parquet_writer *w)
{
	ferr *e = w->failed ? ferr_copy(w->failed) : NULL;
	if (!e) e = flush_row_group(w);
	if (!e) e = write_footer(w);
	if (!e && w->out.commit) {
		e = w->out.commit(w->out.ctx);
		w->out.abort = NULL; /* a failed commit released the output */
		if (e) e = ferr_prefix(e, "parquet writer '%s'", w->name);
	}
	if (e) {
		parquet_writer_abort(w);
		return e;
	}
	writer_free(w);
	return NULL;
}

void parquet_writer_abort(parquet_writer *w)
{
	if (!w) return;
	if (w->out.abort) w->out.abort(w->out.ctx);
	writer_free(w);
}

int64_t parquet_writer_rows(const parquet_writer *w) { return w->rows; }
uint64_t parquet_writer_bytes(const parquet_writer *w) { return w->offset; }

