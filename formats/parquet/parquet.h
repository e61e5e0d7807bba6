/*
 * parquet.h — Ferry's Parquet reader: footer, schema as Ferry columns,
 * row-group statistics and a batch reader over projected columns.
 *
 * The reader sees a file only through parquet_input (size + read_at), so
 * the storage layer (S3, local disk, caches) plugs in without this module
 * knowing it. Everything that comes from the file is checked: a corrupt or
 * hostile file yields an ferr naming the file, never a crash, an endless
 * loop or an allocation out of proportion to the file.
 */
#ifndef FERRY_PARQUET_H
#define FERRY_PARQUET_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "exec/batch.h"
#include "exec/types.h"

/* ------------------------------------------------------------------ input */

/*
 * A random-access byte source. read_at must fill exactly len bytes or
 * return an error; it may be called from one thread at a time per input.
 */
typedef struct parquet_input {
	const char *name; /* shown in error messages: "parquet file 'name': ..." */
	uint64_t size;
	void *ctx;
	ferr *(*read_at)(void *ctx, uint64_t offset, size_t len, void *buf);
	void (*close)(void *ctx); /* may be NULL */
} parquet_input;

/* A local file read with pread(2). Release with parquet_input_close. */
ferr *parquet_input_open_local(const char *path, parquet_input *out);
/* An in-memory buffer (not copied; must outlive the input). Release with parquet_input_close. */
void parquet_input_from_memory(const void *data, size_t len, const char *name, parquet_input *out);
void parquet_input_close(parquet_input *in);

/* --------------------------------------------------------------- metadata */

typedef struct parquet_stats {
	bool has_range;    /* min/max known and usable for ordering */
	fvalue min, max;   /* in the column's ftype; strings live in the file's arena */
	bool has_null_count;
	int64_t null_count;
} parquet_stats;

typedef struct parquet_column {
	const char *name;
	ftype type;
	bool nullable;
	/* Lists, structs and maps are presented as one json column. */
	bool nested;
	/* Not NULL when the column cannot be read (reason); metadata stays usable. */
	const char *unsupported;
	/* Parquet description, e.g. "INT64 TIMESTAMP(MICROS,utc)" (for DESCRIBE/EXPLAIN). */
	const char *parquet_type;
	int first_leaf, nleaves; /* leaf columns (column chunks) it is built from */
} parquet_column;

typedef struct parquet_row_group {
	int64_t num_rows;
	int64_t total_byte_size;  /* uncompressed */
	int64_t compressed_size;  /* sum of the column chunks */
	parquet_stats *stats;     /* one per parquet_file.cols entry */
} parquet_row_group;

typedef struct parquet_kv {
	const char *key;
	const char *value; /* NULL when absent */
} parquet_kv;

typedef struct parquet_options {
	bool binary_as_string;   /* un-annotated BYTE_ARRAY as text (default: bytea) */
	uint64_t coalesce_gap;   /* merge column ranges closer than this (default 1 MiB) */
	bool verify_crc;         /* check page CRCs when present (default off) */
} parquet_options;

typedef struct parquet_file_internal parquet_file_internal;

typedef struct parquet_file {
	const char *name;
	int64_t num_rows;
	int ncols;
	parquet_column *cols;
	int nrow_groups;
	parquet_row_group *row_groups;
	int nkv;
	parquet_kv *kv;
	const char *created_by; /* may be NULL */
	parquet_file_internal *in;
} parquet_file;

/*
 * Read and decode the footer. Everything returned lives in arena a; the
 * input must stay open while readers of this file exist. opt may be NULL.
 */
ferr *parquet_open(const parquet_input *in, const parquet_options *opt, arena *a,
                   parquet_file **out);

/* Index of the column named name, or -1. */
int parquet_column_index(const parquet_file *f, const char *name);

/* ----------------------------------------------------------------- reader */

typedef struct parquet_reader parquet_reader;

/*
 * A reader for one row group and a projection (indexes into f->cols, in the
 * order the batches should carry them; ncols may be 0 to count rows). Only
 * the projected columns' byte ranges are read, nearby ranges in one
 * request. State lives in arena a plus buffers freed by
 * parquet_reader_close, which must be called whenever *out was set, also
 * after an error (*out stays NULL when the arguments are rejected).
 */
ferr *parquet_reader_open(const parquet_file *f, int row_group, const int *cols, int ncols,
                          arena *a, parquet_reader **out);
/*
 * The same over several row groups read one after the other (a split),
 * reusing buffers between them. Batches never span two row groups.
 */
ferr *parquet_reader_open_groups(const parquet_file *f, const int *row_groups, int nrow_groups,
                                 const int *cols, int ncols, arena *a, parquet_reader **out);
/*
 * The next batch of up to BATCH_CAPACITY rows, allocated in batch_arena
 * (values and strings: the batch does not point into reader memory).
 * *out is NULL after the last row of the row group.
 */
ferr *parquet_reader_next(parquet_reader *r, arena *batch_arena, batch **out);
void parquet_reader_close(parquet_reader *r);
/* Bytes fetched from the input and requests made so far (for tests and EXPLAIN ANALYZE). */
uint64_t parquet_reader_bytes_read(const parquet_reader *r);
int parquet_reader_requests(const parquet_reader *r);

/* ----------------------------------------------------------------- filter */

/*
 * What a predicate needs of one column, for row-group skipping: values in
 * [lo, hi] (inclusive; a missing side is unbounded), and whether NULL
 * satisfies it. lo/hi are in the column's ftype.
 */
typedef struct parquet_col_range {
	int col;
	bool has_lo, has_hi;
	fvalue lo, hi;
	bool null_allowed;  /* NULL rows may satisfy the predicate */
	bool only_null;     /* the predicate is "col IS NULL" */
} parquet_col_range;

/*
 * True when the row group's statistics prove that no row satisfies all of
 * ranges (a conjunction). Unknown statistics never allow a skip.
 */
bool parquet_row_group_can_skip(const parquet_file *f, int row_group,
                                const parquet_col_range *ranges, int nranges);

/* ----------------------------------------------------------------- writer */

/*
 * The writer streams a flat Parquet file (data page v1, PLAIN or
 * RLE_DICTIONARY, all columns OPTIONAL) to a byte sink. It holds about one
 * row group's encoded bytes in memory: a row group is flushed once its
 * columns' encoded (compressed) size reaches row_group_bytes. Nothing is
 * complete until parquet_writer_close has written the footer; after any
 * error the writer is failed and the caller must abort it (close does so
 * itself when it fails).
 */

/* A sequential byte sink. commit and abort may be NULL. */
typedef struct parquet_output {
	const char *name; /* shown in error messages: "parquet writer 'name': ..." */
	void *ctx;
	ferr *(*write)(void *ctx, const void *data, size_t len);
	ferr *(*commit)(void *ctx); /* after the footer; must release ctx */
	void (*abort)(void *ctx);   /* discard everything written; must release ctx */
} parquet_output;

typedef struct fs_writer fs_writer;
/* A storage/fs.h streaming writer (local temp file + rename, S3 multipart) as a sink. */
void parquet_output_from_fs_writer(fs_writer *w, const char *name, parquet_output *out);

typedef enum parquet_codec {
	PARQUET_CODEC_ZSTD = 0, /* the default */
	PARQUET_CODEC_SNAPPY,
	PARQUET_CODEC_UNCOMPRESSED
} parquet_codec;

typedef struct parquet_write_options {
	parquet_codec codec;
	int zstd_level;            /* 0: 3 */
	uint64_t row_group_bytes;  /* encoded bytes per row group; 0: 128 MiB */
	uint32_t page_bytes;       /* uncompressed bytes per data page; 0: 1 MiB */
	bool no_dictionary;        /* never dictionary-encode */
	uint32_t dictionary_bytes; /* a column's dictionary beyond this falls back to PLAIN; 0: 1 MiB */
	const char *created_by;    /* NULL: "Ferry" */
} parquet_write_options;

typedef struct parquet_writer parquet_writer;

/*
 * Start a file with ncols columns (names and Ferry types); writes the
 * leading magic. opt may be NULL (defaults). A type Parquet cannot carry
 * (interval) is error 0A000 naming the column. On success *out owns the
 * output until close or abort; on failure the output is aborted.
 */
ferr *parquet_writer_open(const parquet_output *out, const char *const *names, const ftype *types, int ncols,
                          const parquet_write_options *opt, parquet_writer **w);
/* Append the live rows of b (selection vector, validity, constant vectors honoured). */
ferr *parquet_writer_write_batch(parquet_writer *w, const batch *b);
/* Flush the last row group, write the footer, commit the output and free w (also on error). */
ferr *parquet_writer_close(parquet_writer *w);
/* Discard the file (output aborted) and free w. */
void parquet_writer_abort(parquet_writer *w);
/* Rows accepted and bytes handed to the output so far. */
int64_t parquet_writer_rows(const parquet_writer *w);
uint64_t parquet_writer_bytes(const parquet_writer *w);

#endif
