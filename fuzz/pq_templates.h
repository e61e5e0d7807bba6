/*
 * pq_templates.h — the column shapes fuzz_parquet_pages puts fuzzed column
 * chunks into, and the seed generator writes valid chunks for: every
 * physical type, the logical types with their own conversions, and the
 * nested shapes (list, map, struct, repeated primitive).
 * Test tooling only; element 0 of every template's schema is its field.
 */
#ifndef FERRY_FUZZ_PQ_TEMPLATES_H
#define FERRY_FUZZ_PQ_TEMPLATES_H

#include "fuzz/pq_build.h"

#define PQT_MAX_ELEMS 4

typedef struct pq_template {
	int nelems; /* schema elements of the field (group + children) */
	int nleaves;
	pqb_elem el[PQT_MAX_ELEMS];
} pq_template;

/* name, type, type_length, repetition, num_children, converted, scale, precision, logical, unit, utc */
#define PQT_LEAF(n, t, len, rep, conv, sc, pr, lt, unit, utc) {n, t, len, rep, 0, conv, sc, pr, lt, unit, utc}
#define PQT_GROUP(n, rep, nch, conv, lt) {n, -1, 0, rep, nch, conv, 0, 0, lt, 0, false}

static const pq_template pq_templates[] = {
	{1, 1, {PQT_LEAF("i32", PQB_INT32, 0, PQB_REQUIRED, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("i64", PQB_INT64, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("s", PQB_BYTE_ARRAY, 0, PQB_OPTIONAL, 0 /* UTF8 */, 0, 0, 1 /* STRING */, 0, false)}},
	{1, 1, {PQT_LEAF("b", PQB_BOOLEAN, 0, PQB_REQUIRED, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("ob", PQB_BOOLEAN, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("d", PQB_DOUBLE, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("f", PQB_FLOAT, 0, PQB_REQUIRED, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("u", PQB_FLBA, 16, PQB_OPTIONAL, -1, 0, 0, 14 /* UUID */, 0, false)}},
	{1, 1, {PQT_LEAF("dec", PQB_FLBA, 5, PQB_OPTIONAL, 5 /* DECIMAL */, 2, 10, 5, 0, false)}},
	{1, 1, {PQT_LEAF("ts96", PQB_INT96, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("dt", PQB_INT32, 0, PQB_OPTIONAL, 6 /* DATE */, 0, 0, 6, 0, false)}},
	{1, 1, {PQT_LEAF("ts", PQB_INT64, 0, PQB_OPTIONAL, 9 /* TIMESTAMP_MILLIS */, 0, 0, 8, 1, true)}},
	{1, 1, {PQT_LEAF("bin", PQB_BYTE_ARRAY, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("i16", PQB_INT32, 0, PQB_OPTIONAL, 16 /* INT_16 */, 0, 0, 0, 0, false)}},
	{1, 1, {PQT_LEAF("f16", PQB_FLBA, 2, PQB_OPTIONAL, -1, 0, 0, 15 /* FLOAT16 */, 0, false)}},
	{1, 1, {PQT_LEAF("wdec", PQB_BYTE_ARRAY, 0, PQB_OPTIONAL, 5, 4, 30, 5, 0, false)}},
	{1, 1, {PQT_LEAF("tsn", PQB_INT64, 0, PQB_OPTIONAL, -1, 0, 0, 8, 3, false)}},
	/* list<int32>: optional group (LIST) { repeated group list { optional int32 element } } */
	{3, 1, {PQT_GROUP("l", PQB_OPTIONAL, 1, 3 /* LIST */, 3), PQT_GROUP("list", PQB_REPEATED, 1, -1, 0),
	        PQT_LEAF("element", PQB_INT32, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	/* map<string,int64> */
	{4, 2, {PQT_GROUP("m", PQB_OPTIONAL, 1, 1 /* MAP */, 2), PQT_GROUP("key_value", PQB_REPEATED, 2, 2, 0),
	        PQT_LEAF("key", PQB_BYTE_ARRAY, 0, PQB_REQUIRED, 0, 0, 0, 1, 0, false),
	        PQT_LEAF("value", PQB_INT64, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false)}},
	/* struct { a int32, b string } */
	{3, 2, {PQT_GROUP("st", PQB_OPTIONAL, 2, -1, 0),
	        PQT_LEAF("a", PQB_INT32, 0, PQB_OPTIONAL, -1, 0, 0, 0, 0, false),
	        PQT_LEAF("b", PQB_BYTE_ARRAY, 0, PQB_OPTIONAL, 0, 0, 0, 1, 0, false)}},
	/* repeated int64 r (a repeated primitive) */
	{1, 1, {PQT_LEAF("r", PQB_INT64, 0, PQB_REPEATED, -1, 0, 0, 0, 0, false)}},
};

#define PQT_COUNT ((int)(sizeof(pq_templates) / sizeof(pq_templates[0])))

/* The schema of a one-field file: root + the template's elements. Returns the element count. */
static inline int pqt_schema(const pq_template *t, pqb_elem *out)
{
	out[0] = (pqb_elem){"schema", -1, 0, -1, 1, -1, 0, 0, 0, 0, false};
	for (int i = 0; i < t->nelems; i++) out[1 + i] = t->el[i];
	return 1 + t->nelems;
}

/*
 * fuzz_parquet_pages input: an 8-byte header, then the column chunk bytes
 * (page headers and pages); a two-leaf template splits them at `split`.
 */
typedef struct pqt_header {
	uint8_t tmpl;
	uint8_t flags;      /* bit 0: two row groups; bits 1-3: codec; bit 4: verify CRC; bit 5: binary_as_string */
	uint16_t rows;      /* per row group */
	uint16_t values;    /* level entries per chunk (flat columns: ignored, = rows) */
	uint16_t split;     /* two-leaf templates: length of the first chunk */
} pqt_header;

#define PQT_HEADER_LEN 8

static inline void pqt_header_write(pqb_buf *b, const pqt_header *h)
{
	uint8_t x[PQT_HEADER_LEN] = {h->tmpl, h->flags, (uint8_t)h->rows, (uint8_t)(h->rows >> 8),
	                             (uint8_t)h->values, (uint8_t)(h->values >> 8), (uint8_t)h->split,
	                             (uint8_t)(h->split >> 8)};
	pqb_put(b, x, PQT_HEADER_LEN);
}

static inline void pqt_header_read(const uint8_t *p, pqt_header *h)
{
	h->tmpl = p[0];
	h->flags = p[1];
	h->rows = (uint16_t)(p[2] | p[3] << 8);
	h->values = (uint16_t)(p[4] | p[5] << 8);
	h->split = (uint16_t)(p[6] | p[7] << 8);
}

/* Codec ids (parquet.thrift CompressionCodec) reachable from the 3 flag bits. */
static const int pqt_codecs[8] = {0 /* UNCOMPRESSED */, 1 /* SNAPPY */, 2 /* GZIP */, 4 /* BROTLI */,
                                  5 /* LZ4 (hadoop) */, 6 /* ZSTD */, 7 /* LZ4_RAW */, 0};

#endif
