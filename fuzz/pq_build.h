/*
 * pq_build.h — a tiny Parquet writer for the fuzz targets and their seed
 * generator: a Thrift compact-protocol writer, the page encodings Ferry's
 * reader decodes (RLE/bit-packed levels and indices, DELTA_*, BYTE_STREAM_SPLIT)
 * and a file assembler around caller-supplied column chunks.
 * Test tooling only: it trusts its caller, is not linked into Ferry and must
 * never read files from outside the build (seeds are generated, not copied).
 */
#ifndef FERRY_FUZZ_PQ_BUILD_H
#define FERRY_FUZZ_PQ_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ byte buffer */

typedef struct pqb_buf {
	uint8_t *p;
	size_t len, cap;
} pqb_buf;

static inline void pqb_put(pqb_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->len + n) nc *= 2;
		b->p = realloc(b->p, nc);
		if (!b->p) abort();
		b->cap = nc;
	}
	if (n) memcpy(b->p + b->len, p, n);
	b->len += n;
}
static inline void pqb_u8(pqb_buf *b, uint8_t v) { pqb_put(b, &v, 1); }
static inline void pqb_le32(pqb_buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	pqb_put(b, x, 4);
}
static inline void pqb_uvarint(pqb_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		pqb_u8(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	pqb_u8(b, (uint8_t)v);
}
static inline void pqb_zigzag(pqb_buf *b, int64_t v) { pqb_uvarint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); }
static inline void pqb_free(pqb_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------- Thrift compact writer */

enum { TW_TRUE = 1, TW_FALSE = 2, TW_I32 = 5, TW_I64 = 6, TW_BINARY = 8, TW_LIST = 9, TW_STRUCT = 12 };

typedef struct pqb_thrift {
	pqb_buf *b;
	int16_t last[32];
	int depth;
} pqb_thrift;

static inline void tw_field(pqb_thrift *w, int16_t id, int type)
{
	int16_t d = (int16_t)(id - w->last[w->depth]);
	if (d > 0 && d <= 15) pqb_u8(w->b, (uint8_t)(d << 4 | type));
	else {
		pqb_u8(w->b, (uint8_t)type);
		pqb_zigzag(w->b, id);
	}
	w->last[w->depth] = id;
}
static inline void tw_i32(pqb_thrift *w, int16_t id, int32_t v) { tw_field(w, id, TW_I32), pqb_zigzag(w->b, v); }
static inline void tw_i64(pqb_thrift *w, int16_t id, int64_t v) { tw_field(w, id, TW_I64), pqb_zigzag(w->b, v); }
static inline void tw_bool(pqb_thrift *w, int16_t id, bool v) { tw_field(w, id, v ? TW_TRUE : TW_FALSE); }
static inline void tw_binary(pqb_buf *b, const void *p, size_t n)
{
	pqb_uvarint(b, n);
	pqb_put(b, p, n);
}
static inline void tw_bin(pqb_thrift *w, int16_t id, const void *p, size_t n)
{
	tw_field(w, id, TW_BINARY);
	tw_binary(w->b, p, n);
}
static inline void tw_str(pqb_thrift *w, int16_t id, const char *s) { tw_bin(w, id, s, strlen(s)); }
/* A struct as a list element (no field header) or as the top-level value. */
static inline void tw_begin(pqb_thrift *w) { w->last[++w->depth] = 0; }
static inline void tw_struct(pqb_thrift *w, int16_t id) { tw_field(w, id, TW_STRUCT), tw_begin(w); }
static inline void tw_end(pqb_thrift *w) { pqb_u8(w->b, 0), w->depth--; }
static inline void tw_list(pqb_thrift *w, int16_t id, int elem_type, uint32_t n)
{
	tw_field(w, id, TW_LIST);
	if (n < 15) pqb_u8(w->b, (uint8_t)(n << 4 | elem_type));
	else {
		pqb_u8(w->b, (uint8_t)(0xf0 | elem_type));
		pqb_uvarint(w->b, n);
	}
}

/* ------------------------------------------------------- Parquet schema */

enum { PQB_BOOLEAN, PQB_INT32, PQB_INT64, PQB_INT96, PQB_FLOAT, PQB_DOUBLE, PQB_BYTE_ARRAY, PQB_FLBA };
enum { PQB_REQUIRED, PQB_OPTIONAL, PQB_REPEATED };

typedef struct pqb_elem {
	const char *name;
	int type; /* -1: group */
	int type_length;
	int repetition; /* -1: none (root) */
	int num_children;
	int converted; /* -1: none */
	int scale, precision;
	/* LogicalType union member: 0 none; 1 STRING, 3 LIST, 5 DECIMAL, 6 DATE, 8 TIMESTAMP, 14 UUID ... */
	int logical;
	int lt_unit;  /* TIMESTAMP/TIME: 1 millis, 2 micros, 3 nanos */
	bool lt_utc;
} pqb_elem;

static inline void pqb_write_elem(pqb_thrift *w, const pqb_elem *e)
{
	tw_begin(w);
	if (e->type >= 0) tw_i32(w, 1, e->type);
	if (e->type == PQB_FLBA) tw_i32(w, 2, e->type_length);
	if (e->repetition >= 0) tw_i32(w, 3, e->repetition);
	tw_str(w, 4, e->name);
	if (e->num_children > 0) tw_i32(w, 5, e->num_children);
	if (e->converted >= 0) tw_i32(w, 6, e->converted);
	if (e->precision > 0) {
		tw_i32(w, 7, e->scale);
		tw_i32(w, 8, e->precision);
	}
	if (e->logical) {
		tw_struct(w, 10);
		tw_struct(w, (int16_t)e->logical);
		if (e->logical == 5) {
			tw_i32(w, 1, e->scale);
			tw_i32(w, 2, e->precision);
		} else if (e->logical == 7 || e->logical == 8) {
			tw_bool(w, 1, e->lt_utc);
			tw_struct(w, 2);
			tw_struct(w, (int16_t)e->lt_unit);
			tw_end(w);
			tw_end(w);
		}
		tw_end(w);
		tw_end(w);
	}
	tw_end(w);
}

/* ------------------------------------------------------------ page header */

enum { PQB_PAGE_DATA = 0, PQB_PAGE_DICT = 2, PQB_PAGE_V2 = 3 };

typedef struct pqb_page {
	int type;
	int32_t num_values;
	int encoding;
	int32_t num_nulls, num_rows, def_len, rep_len; /* v2 */
	bool is_compressed;                            /* v2 */
} pqb_page;

/* Header then body; body already compressed by the caller when it should be. */
static inline void pqb_write_page(pqb_buf *out, const pqb_page *pg, const void *body, size_t clen, size_t ulen)
{
	pqb_thrift w = {out, {0}, 0};
	tw_begin(&w);
	tw_i32(&w, 1, pg->type);
	tw_i32(&w, 2, (int32_t)ulen);
	tw_i32(&w, 3, (int32_t)clen);
	if (pg->type == PQB_PAGE_DATA) {
		tw_struct(&w, 5);
		tw_i32(&w, 1, pg->num_values);
		tw_i32(&w, 2, pg->encoding);
		tw_i32(&w, 3, 3); /* RLE levels */
		tw_i32(&w, 4, 3);
		tw_end(&w);
	} else if (pg->type == PQB_PAGE_DICT) {
		tw_struct(&w, 7);
		tw_i32(&w, 1, pg->num_values);
		tw_i32(&w, 2, 0); /* PLAIN */
		tw_end(&w);
	} else {
		tw_struct(&w, 8);
		tw_i32(&w, 1, pg->num_values);
		tw_i32(&w, 2, pg->num_nulls);
		tw_i32(&w, 3, pg->num_rows);
		tw_i32(&w, 4, pg->encoding);
		tw_i32(&w, 5, pg->def_len);
		tw_i32(&w, 6, pg->rep_len);
		tw_bool(&w, 7, pg->is_compressed);
		tw_end(&w);
	}
	tw_end(&w);
	pqb_put(out, body, clen);
}

/* ----------------------------------------------------------- encodings */

static inline int pqb_bit_width(uint32_t max) { return max ? 32 - __builtin_clz(max) : 0; }

static inline void pqb_pack(pqb_buf *b, const uint32_t *v, size_t n, int bw)
{
	/* n is a multiple of 8; LSB first. */
	uint64_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc |= (uint64_t)v[i] << bits;
		bits += bw;
		while (bits >= 8) {
			pqb_u8(b, (uint8_t)acc);
			acc >>= 8;
			bits -= 8;
		}
	}
	if (bits) pqb_u8(b, (uint8_t)acc);
}

/* RLE/bit-packed hybrid: runs of 8+ equal values as RLE, else one bit-packed group of 8
 * (the last group padded with zeros, as writers do). */
static inline void pqb_rle(pqb_buf *b, const uint32_t *v, size_t n, int bw)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && v[j] == v[i]) j++;
		if (j - i >= 8) {
			pqb_uvarint(b, (uint64_t)(j - i) << 1);
			for (int k = 0; k < (bw + 7) / 8; k++) pqb_u8(b, (uint8_t)(v[i] >> (8 * k)));
			i = j;
			continue;
		}
		uint32_t tmp[8];
		for (int k = 0; k < 8; k++) tmp[k] = i + (size_t)k < n ? v[i + (size_t)k] : 0;
		pqb_uvarint(b, 1u << 1 | 1);
		pqb_pack(b, tmp, 8, bw);
		i += 8;
	}
}

/* DELTA_BINARY_PACKED, blocks of 128 values in 4 miniblocks of 32. */
static inline void pqb_delta(pqb_buf *b, const int64_t *v, size_t n)
{
	pqb_uvarint(b, 128);
	pqb_uvarint(b, 4);
	pqb_uvarint(b, n);
	pqb_zigzag(b, n ? v[0] : 0);
	for (size_t i = 1; i < n; i += 128) {
		size_t k = n - i < 128 ? n - i : 128;
		int64_t d[128], mn = INT64_MAX;
		for (size_t j = 0; j < k; j++) {
			d[j] = (int64_t)((uint64_t)v[i + j] - (uint64_t)v[i + j - 1]);
			if (d[j] < mn) mn = d[j];
		}
		pqb_zigzag(b, mn);
		uint8_t widths[4];
		uint64_t u[128] = {0};
		for (size_t j = 0; j < k; j++) u[j] = (uint64_t)d[j] - (uint64_t)mn;
		for (int m = 0; m < 4; m++) {
			uint64_t mx = 0;
			for (size_t j = (size_t)m * 32; j < (size_t)m * 32 + 32 && j < k; j++) mx |= u[j];
			widths[m] = (uint8_t)(mx ? 64 - __builtin_clzll(mx) : 0);
		}
		pqb_put(b, widths, 4);
		for (int m = 0; m < 4 && (size_t)m * 32 < k; m++) {
			uint64_t acc = 0;
			int bits = 0;
			for (int j = 0; j < 32; j++) {
				uint64_t x = u[m * 32 + j];
				for (int bit = 0; bit < widths[m]; bit++) {
					acc |= ((x >> bit) & 1) << bits;
					if (++bits == 8) {
						pqb_u8(b, (uint8_t)acc);
						acc = 0;
						bits = 0;
					}
				}
			}
		}
	}
}

/* ------------------------------------------------------------ the file */

typedef struct pqb_chunk {
	const uint8_t *data; /* page headers and pages */
	size_t len;
	int64_t num_values; /* level entries */
	int codec;
	const void *min, *max; /* Statistics min_value/max_value (PLAIN), NULL: none */
	size_t min_len, max_len;
	int64_t null_count; /* -1: none */
} pqb_chunk;

/*
 * "PAR1", each leaf's chunk once, then a footer of nrg row groups of rows
 * rows that all point at those same chunks (readers must cope with reuse).
 * Leaves are the schema elements with type >= 0, in order.
 */
static inline void pqb_file(pqb_buf *out, const pqb_elem *schema, int nschema, const pqb_chunk *chunks, int nrg,
                            int64_t rows, const char *created_by)
{
	int64_t offs[64];
	int types[64];
	const char *names[64];
	int nl = 0;
	pqb_put(out, "PAR1", 4);
	for (int i = 0; i < nschema && nl < 64; i++) {
		if (schema[i].type < 0) continue;
		offs[nl] = (int64_t)out->len;
		types[nl] = schema[i].type;
		names[nl] = schema[i].name;
		pqb_put(out, chunks[nl].data, chunks[nl].len);
		nl++;
	}
	size_t fstart = out->len;
	pqb_thrift w = {out, {0}, 0};
	tw_begin(&w);
	tw_i32(&w, 1, 1);
	tw_list(&w, 2, TW_STRUCT, (uint32_t)nschema);
	for (int i = 0; i < nschema; i++) pqb_write_elem(&w, &schema[i]);
	tw_i64(&w, 3, rows * nrg);
	tw_list(&w, 4, TW_STRUCT, (uint32_t)nrg);
	for (int g = 0; g < nrg; g++) {
		tw_begin(&w);
		tw_list(&w, 1, TW_STRUCT, (uint32_t)nl);
		int64_t total = 0;
		for (int l = 0; l < nl; l++) {
			const pqb_chunk *c = &chunks[l];
			total += (int64_t)c->len;
			tw_begin(&w);
			tw_i64(&w, 2, offs[l]);
			tw_struct(&w, 3);
			tw_i32(&w, 1, types[l]);
			tw_list(&w, 2, TW_I32, 1);
			pqb_zigzag(out, 0);
			tw_list(&w, 3, TW_BINARY, 1);
			tw_binary(out, names[l], strlen(names[l]));
			tw_i32(&w, 4, c->codec);
			tw_i64(&w, 5, c->num_values);
			tw_i64(&w, 6, (int64_t)c->len);
			tw_i64(&w, 7, (int64_t)c->len);
			tw_i64(&w, 9, offs[l]);
			if (c->min || c->null_count >= 0) {
				tw_struct(&w, 12);
				if (c->null_count >= 0) tw_i64(&w, 3, c->null_count);
				if (c->min && c->max) {
					tw_bin(&w, 5, c->max, c->max_len);
					tw_bin(&w, 6, c->min, c->min_len);
				}
				tw_end(&w);
			}
			tw_end(&w);
			tw_end(&w);
		}
		tw_i64(&w, 2, total);
		tw_i64(&w, 3, rows);
		tw_end(&w);
	}
	tw_list(&w, 5, TW_STRUCT, 1);
	tw_begin(&w);
	tw_str(&w, 1, "ferry.fuzz");
	tw_str(&w, 2, "seed");
	tw_end(&w);
	if (created_by) tw_str(&w, 6, created_by);
	tw_end(&w);
	pqb_le32(out, (uint32_t)(out->len - fstart));
	pqb_put(out, "PAR1", 4);
}

#endif
