/*
 * parquet_internal.h — what the files of formats/parquet share: the decoded
 * Thrift structures, the leaf (column chunk) descriptors, the value
 * decoders and codecs. Not for use outside formats/parquet.
 */
#ifndef FERRY_PARQUET_INTERNAL_H
#define FERRY_PARQUET_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/parquet/parquet.h"

/* Physical types (parquet.thrift Type). */
enum { PT_BOOLEAN = 0, PT_INT32, PT_INT64, PT_INT96, PT_FLOAT, PT_DOUBLE, PT_BYTE_ARRAY, PT_FLBA };
/* Encodings. */
enum {
	ENC_PLAIN = 0,
	ENC_PLAIN_DICTIONARY = 2,
	ENC_RLE = 3,
	ENC_BIT_PACKED = 4,
	ENC_DELTA_BINARY_PACKED = 5,
	ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
	ENC_DELTA_BYTE_ARRAY = 7,
	ENC_RLE_DICTIONARY = 8,
	ENC_BYTE_STREAM_SPLIT = 9
};
/* Codecs. */
enum { CODEC_UNCOMPRESSED = 0, CODEC_SNAPPY, CODEC_GZIP, CODEC_LZO, CODEC_BROTLI, CODEC_LZ4, CODEC_ZSTD, CODEC_LZ4_RAW };
/* Page types. */
enum { PAGE_DATA = 0, PAGE_INDEX = 1, PAGE_DICTIONARY = 2, PAGE_DATA_V2 = 3 };
/* Repetition. */
enum { REP_REQUIRED = 0, REP_OPTIONAL = 1, REP_REPEATED = 2 };
/* Converted types. */
enum {
	CT_UTF8 = 0, CT_MAP, CT_MAP_KEY_VALUE, CT_LIST, CT_ENUM, CT_DECIMAL, CT_DATE, CT_TIME_MILLIS,
	CT_TIME_MICROS, CT_TIMESTAMP_MILLIS, CT_TIMESTAMP_MICROS, CT_UINT_8, CT_UINT_16, CT_UINT_32,
	CT_UINT_64, CT_INT_8, CT_INT_16, CT_INT_32, CT_INT_64, CT_JSON, CT_BSON, CT_INTERVAL
};
/* Logical types (LogicalType union field ids); LT_NONE when absent. */
enum {
	LT_NONE = 0, LT_STRING = 1, LT_MAP = 2, LT_LIST = 3, LT_ENUM = 4, LT_DECIMAL = 5, LT_DATE = 6,
	LT_TIME = 7, LT_TIMESTAMP = 8, LT_INTEGER = 10, LT_UNKNOWN = 11, LT_JSON = 12, LT_BSON = 13,
	LT_UUID = 14, LT_FLOAT16 = 15, LT_OTHER = 1000 /* a type newer than this reader */
};
enum { UNIT_NONE = 0, UNIT_MILLIS = 1, UNIT_MICROS = 2, UNIT_NANOS = 3 };

typedef struct pq_schema_elem {
	const char *name;
	int type; /* physical type, -1 for groups */
	int32_t type_length;
	int repetition; /* -1 when absent (root) */
	int32_t num_children;
	int converted; /* -1 when absent */
	int32_t scale, precision;
	int logical; /* LT_* */
	bool lt_utc, lt_signed;
	int lt_unit;
	int lt_bits;
	int32_t lt_scale, lt_precision;
} pq_schema_elem;

typedef struct pq_raw_stats {
	const uint8_t *min, *max, *min_value, *max_value;
	uint32_t min_len, max_len, min_value_len, max_value_len;
	bool has_min, has_max, has_min_value, has_max_value;
	bool has_null_count;
	int64_t null_count;
} pq_raw_stats;

typedef struct pq_column_meta {
	bool present;
	int type;
	int codec;
	int64_t num_values;
	int64_t total_uncompressed_size;
	int64_t total_compressed_size;
	int64_t data_page_offset;
	int64_t dictionary_page_offset; /* -1 when absent */
	pq_raw_stats stats;
} pq_column_meta;

typedef struct pq_chunk {
	const char *file_path; /* set: data lives in another file (unsupported) */
	bool encrypted;
	pq_column_meta meta;
} pq_chunk;

typedef struct pq_row_group {
	int64_t num_rows;
	int64_t total_byte_size;
	int nchunks;
	pq_chunk *chunks;
} pq_row_group;

typedef struct pq_page_header {
	int type;
	int32_t uncompressed_size;
	int32_t compressed_size;
	bool has_crc;
	uint32_t crc;
	bool has_v1, has_v2, has_dict;
	int32_t num_values;
	int encoding;
	int def_encoding, rep_encoding; /* v1 */
	int32_t num_nulls, num_rows, def_len, rep_len; /* v2 */
	bool is_compressed;                          /* v2, default true */
} pq_page_header;

/* How a leaf's physical values become Ferry's vector layout. */
typedef enum pq_conv {
	CONV_COPY,          /* same bytes: BOOLEAN, INT32->int4, INT64->int8, FLOAT, DOUBLE */
	CONV_I32_TO_I16,
	CONV_I32_TO_I64,    /* sign-extend (decimal, int) */
	CONV_U32_TO_I64,
	CONV_I32_TO_I128,   /* wide numeric */
	CONV_I64_TO_I128,
	CONV_U64_TO_I128,
	CONV_DATE,          /* days since 1970 -> since 2000 */
	CONV_TIME_MILLIS,   /* int32 ms -> int64 us */
	CONV_TIME_NANOS,    /* int64 ns -> us */
	CONV_TS_MILLIS,
	CONV_TS_MICROS,
	CONV_TS_NANOS,
	CONV_INT96_TS,
	CONV_FLOAT16,
	CONV_STRING,        /* BYTE_ARRAY/FLBA -> text/json (UTF-8 checked) */
	CONV_BINARY,        /* BYTE_ARRAY/FLBA -> bytea */
	CONV_DECIMAL_BIN,   /* big-endian two's complement -> numeric */
	CONV_UUID
} pq_conv;

/* One leaf of the schema: a column chunk in every row group. */
typedef struct pq_leaf {
	int schema_index;
	const char *path; /* dotted */
	int phys;
	int32_t type_length;
	int16_t max_def, max_rep;
	ftype type; /* Ferry type of one value */
	pq_conv conv;
	const char *unsupported;
	const char *desc; /* "INT64 TIMESTAMP(MICROS,utc)" */
} pq_leaf;

/* A node of the schema tree (for nested columns). */
typedef struct pq_node {
	const pq_schema_elem *el;
	int nchildren;
	struct pq_node *children;
	int16_t def, rep; /* levels at this node, counting itself */
	int leaf;         /* leaf index for primitives, else -1 */
	int first_leaf, nleaves;
} pq_node;

struct parquet_file_internal {
	parquet_input input;
	parquet_options opt;
	int nschema;
	pq_schema_elem *schema;
	int nleaves;
	pq_leaf *leaves;
	pq_node *root;
	int nrow_groups;
	pq_row_group *row_groups;
};

/* ------------------------------------------------------ metadata.c */
/* Decode a page header at p (up to len bytes); *hlen = header size. */
ferr *pq_decode_page_header(const parquet_file *f, const uint8_t *p, size_t len, uint64_t file_offset,
                            pq_page_header *h, size_t *hlen);
/* Error helpers: "parquet file 'x': ..." */
ferr *pq_corrupt(const parquet_file *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ferr *pq_unsupported(const parquet_file *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Convert one PLAIN-encoded statistics value to an fvalue of the leaf's type. */
bool pq_stat_value(const pq_leaf *leaf, const uint8_t *p, uint32_t len, arena *a, fvalue *out);

/* Big-endian two's complement (sign-extended beyond 16 bytes) to int128. */
bool pq_decimal_from_be(const uint8_t *p, uint32_t len, __int128 *out);

/* ------------------------------------------------------ codec.c */
/* Decompress src into dst of exactly dst_len bytes. */
ferr *pq_decompress(const parquet_file *f, int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                    size_t dst_len);
const char *pq_codec_name(int codec);

/* ------------------------------------------------------ encoding.c */

/* RLE / bit-packed hybrid decoder (levels, dictionary indices, booleans). */
typedef struct pq_rle {
	const uint8_t *p, *end;
	int bw;
	uint32_t rle_left;   /* values left in the current RLE run */
	uint32_t rle_value;
	uint32_t bp_left;    /* values left in the current bit-packed run */
	const uint8_t *bp;   /* start of the current bit-packed group of 8 */
	uint32_t bp_pos;     /* index in the group sequence of the run */
	const uint8_t *bp_end;
} pq_rle;

void pq_rle_init(pq_rle *d, const uint8_t *p, size_t len, int bit_width);
/* Decode n values; false when the data ends early or is malformed. */
bool pq_rle_get_u32(pq_rle *d, uint32_t *out, int n);
bool pq_rle_get_u16(pq_rle *d, uint16_t *out, int n);

/* DELTA_BINARY_PACKED: decode all values of a stream (at most max_n) into
 * out (int64 or int32 by width); *used = bytes consumed. */
bool pq_delta_decode(const uint8_t *p, size_t len, int width, void *out, int64_t max_n, int64_t *n_out,
                     size_t *used);
/* Count of values announced by a DELTA_BINARY_PACKED header. */
bool pq_delta_count(const uint8_t *p, size_t len, int64_t *n);

/* Unpack n (multiple of 8) values of bw bits (LSB first) into out (uint32). */
void pq_unpack32(const uint8_t *in, size_t in_len, int bw, uint32_t *out, int n);

/* UTF-8 validity (for text columns). */
bool pq_utf8_valid(const uint8_t *p, size_t len);

/* ------------------------------------------------------ column.c */

/*
 * Decoder of one column chunk: pages in order, levels, values. Buffers it
 * grows (decompressed pages, dictionary) are malloc'd and released by
 * pq_column_free; the chunk bytes belong to the caller.
 */
typedef struct pq_column {
	const parquet_file *f;
	const pq_leaf *leaf;
	int codec;
	const uint8_t *chunk;
	size_t chunk_len, pos;
	uint64_t chunk_offset;  /* file offset of chunk[0], for messages */
	int64_t values_total;   /* level entries announced by the column metadata */
	int64_t entries_read;   /* level entries delivered so far */
	int psize;              /* bytes per physical value in scratch */

	/* dictionary */
	bool has_dict;
	bool dict_utf8_checked;
	int32_t dict_n;
	uint8_t *dict;          /* dict_n physical values */
	size_t dict_cap;
	uint8_t *dict_page;     /* decompressed dictionary page (strings point here) */
	size_t dict_page_cap;

	/* current data page */
	uint8_t *page_buf;
	size_t page_cap;
	int64_t page_left;      /* level entries left */
	int enc;
	pq_rle def, rep;
	const uint8_t *vp, *vend;
	uint64_t bool_bit;      /* PLAIN booleans: next bit */
	pq_rle vrle;            /* dictionary indices or RLE booleans */
	size_t bss_n, bss_i;    /* BYTE_STREAM_SPLIT: values in the page, next value */
	uint8_t *eager;         /* DELTA_*: the page's values decoded up front */
	size_t eager_cap;
	int64_t eager_n, eager_i;
	uint8_t *eager_bytes;   /* DELTA_BYTE_ARRAY: rebuilt strings */
	size_t eager_bytes_cap;
	bool values_utf8_checked;

	/* per-call scratch, BATCH_CAPACITY entries */
	uint16_t *defs, *reps;
	uint32_t *idx;
	uint8_t *phys;
} pq_column;

/* Set up c for a column chunk; a c used before (defs set) keeps its buffers. */
void pq_column_init(pq_column *c, const parquet_file *f, int leaf, const pq_chunk *ch, const uint8_t *chunk,
                    size_t chunk_len, uint64_t chunk_offset, arena *a);
void pq_column_free(pq_column *c);
/* Flat column: n rows into v at rows [off, off+n). Strings are copied to a. */
ferr *pq_column_read_flat(pq_column *c, vector *v, int off, int n, int capacity, arena *a);
/*
 * Nested: up to n level entries (stops at a page end); defs/reps receive
 * them, present values are appended densely to v at *nvals (v must have
 * room for n more). *got = entries read (0 at the end of the chunk).
 */
ferr *pq_column_read_entries(pq_column *c, int n, uint16_t *defs, uint16_t *reps, vector *v, int64_t *nvals,
                             arena *a, int *got);

/* ------------------------------------------------------ nested.c */
typedef struct pq_nested pq_nested;
/* Read every leaf of a nested column of one row group, to render rows as JSON. */
ferr *pq_nested_open(const parquet_file *f, int col, pq_column *leaves, int64_t num_rows, arena *a,
                     pq_nested **out);
/* Render the next n rows into v (json text); NULL top-level rows become SQL NULL. */
ferr *pq_nested_read(pq_nested *nd, vector *v, int n, int capacity, arena *a);

#endif
