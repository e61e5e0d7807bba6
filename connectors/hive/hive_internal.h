/*
 * hive_internal.h — what the hive connector's files share: the catalog,
 * table handle and split structs, the file metastore (metastore.c), Hive
 * type names, partition path names, and the write path (hive_write.c).
 * Nothing outside connectors/hive/ includes this.
 */
#ifndef FERRY_HIVE_INTERNAL_H
#define FERRY_HIVE_INTERNAL_H

#include <jansson.h>
#include <stdatomic.h>

#include "connectors/spi.h"
#include "storage/fs.h"

/* Trino's file metastore names. */
#define HIVE_SCHEMA_FILE ".trinoSchema"
#define HIVE_DEFAULT_PARTITION "__HIVE_DEFAULT_PARTITION__"
#define HIVE_WRITER_VERSION "Ferry"

typedef struct hive_catalog {
	conn_catalog base;
	fs *fs;
	char *dir;              /* metastore root, no trailing '/' */
	int64_t max_split_size; /* bytes: larger files are split by row groups */
	bool recursive;         /* hive.recursive-directories: files below partition level count */
	atomic_int next_sink;   /* numbers page sinks for unique file names */
} hive_catalog;

/* Storage formats read and written (Trino's HiveStorageFormat names). */
typedef enum hive_format { HIVE_FMT_PARQUET, HIVE_FMT_CSV, HIVE_FMT_TEXTFILE, HIVE_FMT_JSON, HIVE_FMT_OTHER } hive_format;

/* Serde settings of the text formats (serdeParameters and table parameters). */
typedef struct hive_text_opts {
	char csv_sep, csv_quote, csv_escape; /* separatorChar, quoteChar, escapeChar */
	char field_sep;                      /* field.delim, default \001 */
	int field_escape;                    /* escape.delim, -1 none */
	const char *null_format;             /* serialization.null.format, default \N */
	int skip_header, skip_footer;        /* skip.header.line.count, skip.footer.line.count */
} hive_text_opts;

/*
 * A table handle. Columns are the data columns, then the partition
 * columns (Hive's order), then the hidden $path and $file_size.
 */
typedef struct hive_table {
	conn_table base;
	const char *location; /* data location, no trailing '/' */
	bool external;
	const char *format;   /* storageFormat, upper case ("PARQUET") */
	hive_format fmt;
	hive_text_opts text;
	int ndata, npart;
	const char **hive_types; /* ndata + npart Hive type names */
	double num_rows;         /* numRows table parameter, -1 unknown */
	conn_column_stats *col_stats; /* base.ncols entries from columnStatistics; NULL: none */
	json_t *stats_json; /* writing: the columnStatistics to record (borrowed); NULL: none */
	const struct hive_col_stats *stats_src; /* writing: the figures behind stats_json (NDV sketches) */
	const conn_domain *domain; /* pushed by apply_filter; NULL = none */
} hive_table;

#define HIVE_HIDDEN_COLUMNS 2 /* $path, $file_size */

/* One file, or a range of its row groups. */
typedef struct hive_split {
	conn_split base;
	const char *path;
	uint64_t size;
	int rg_lo, rg_hi;    /* row groups [rg_lo, rg_hi); rg_hi < 0: all */
	uint64_t start, end; /* text formats: byte range [start, end); end 0 = whole file */
	fvalue *part_values; /* npart values from the path (in the columns' types) */
} hive_split;

/* Column statistics (hive_stats.c): what a sink collects for one data column. */
typedef enum hive_stats_kind {
	HIVE_STATS_OTHER,   /* nulls and NDV only (decimal, timestamp, ...) */
	HIVE_STATS_INTEGER, /* integerStatistics */
	HIVE_STATS_DOUBLE,  /* doubleStatistics */
	HIVE_STATS_DATE,    /* dateStatistics */
	HIVE_STATS_BOOLEAN, /* booleanStatistics */
	HIVE_STATS_STRING,  /* maxValueSizeInBytes, averageColumnLength */
	HIVE_STATS_DECIMAL, /* decimalStatistics: min and max as decimal strings */
} hive_stats_kind;

typedef struct hive_col_stats {
	ftype type;
	hive_stats_kind kind;
	int64_t nulls, values; /* values: non-null ones */
	bool has_range;
	int64_t imin, imax; /* integers, dates (days) */
	double dmin, dmax;
	__int128 nmin, nmax; /* decimals: unscaled values */
	int64_t trues, falses;
	uint32_t max_len;
	double total_len;
	uint8_t *hll; /* HyperLogLog registers (malloc'd), NULL before the first value */
} hive_col_stats;

void hive_col_stats_init(hive_col_stats *s, ftype t);
void hive_col_stats_free(hive_col_stats *s);
/* Count the rows of b (its selection) in column vector v. */
void hive_col_stats_add(hive_col_stats *s, const vector *v, const batch *b);
/* Statistics of the union of both row sets (HLL registers united: exact). */
void hive_col_stats_merge(hive_col_stats *into, const hive_col_stats *from);
double hive_col_stats_ndv(const hive_col_stats *s);
/* Trino's HiveColumnStatistics JSON object (new reference). */
json_t *hive_col_stats_json(const hive_col_stats *s);
/*
 * Statistics of old rows plus added rows from their two JSON objects:
 * min of mins, max of maxes, sums of null and boolean counts, the larger
 * NDV (an estimate: the sets may overlap), the weighted average length.
 * A figure missing on either side is left out. NULL unless both are objects.
 */
json_t *hive_col_stats_json_merge(json_t *old, double old_rows, json_t *add, double add_rows);
/* Per column of two columnStatistics objects (new reference; old may be NULL). */
json_t *hive_stats_json_merge_all(json_t *old, double old_rows, json_t *add, double add_rows);
/* The columnStatistics object of t's data columns from st (new reference; NULL when st is). */
json_t *hive_stats_to_json(const hive_table *t, const hive_col_stats *st);
/*
 * NDV sketches kept beside Trino's figures: parameter "ferry.hll.<column>"
 * of a table or partition document. hive_sketches_record writes st's (with
 * merge, united with the recorded ones: a column without one loses its
 * sketch, one with it gets the united estimate, at most its non-null
 * values of rows, as distinctValuesCount in cs). hive_sketch_get: false
 * when the column has none or it does not decode.
 */
void hive_sketches_record(json_t *params, json_t *cs, const hive_table *t, const hive_col_stats *st, bool merge,
                          double rows);
bool hive_sketch_get(json_t *params, const char *col, uint8_t *regs);
/* A HiveColumnStatistics object to the planner's form (unknowns are -1). */
void hive_col_stats_from_json(json_t *o, ftype t, double rows, arena *a, conn_column_stats *out);

/*
 * Column figures from Parquet footers, for data never analyzed (no
 * columnStatistics): per data column, summed over the row groups of the
 * files added. hive_footer_add takes, per data column, the index of the
 * file's column or one of the two codes below.
 */
typedef struct hive_footer_col {
	double rows, nulls; /* rows of the files added, NULLs counted among them */
	bool nulls_unknown; /* a row group had no null count */
	bool range_unknown; /* a row group with values had no usable min/max */
	bool has_range;
	fvalue min, max; /* in the table column's type */
} hive_footer_col;

#define HIVE_FOOTER_ABSENT (-1)   /* the file lacks the column: its rows are NULL there */
#define HIVE_FOOTER_UNUSABLE (-2) /* nested, unreadable, or not of the table column's order */

struct parquet_file;
/* Adds one file's row groups to fc (t->ndata entries). */
void hive_footer_add(const hive_table *t, hive_footer_col *fc, const struct parquet_file *pf,
                     const int *fcol);
/*
 * The planner's figures (t->base.ncols entries; partition and hidden
 * columns unknown) for a table of rows rows (estimated). complete: every
 * data file was added, so min/max are the table's and the distinct count
 * an upper bound (integers, dates, decimals: max - min + 1 steps, at most
 * the non-null values; booleans 2); otherwise ranges are left unknown
 * and the sample's bound is an estimate.
 */
void hive_footer_stats(const hive_table *t, const hive_footer_col *fc, double rows, bool complete,
                       conn_column_stats *out);

/* text, varchar(n) and char(n): one layout (fstring), one order */
static inline bool hive_is_string(type_id id)
{
	return id == TYPE_TEXT || id == TYPE_VARCHAR || id == TYPE_BPCHAR;
}

/* ---- metastore.c ---- */

/* "<dir>/<schema>/.trinoSchema" etc.; names are checked by hive_check_name. */
ferr *hive_check_name(const char *what, const char *name);
char *hive_schema_dir(const hive_catalog *c, const char *schema, arena *a);
char *hive_table_dir(const hive_catalog *c, const char *schema, const char *table, arena *a);
/* Read a JSON metadata file; *out = NULL (no error) when it does not exist. */
ferr *hive_read_json(hive_catalog *c, const char *location, json_t **out);
ferr *hive_write_json(hive_catalog *c, const char *location, json_t *doc);
ferr *hive_ms_schema_exists(hive_catalog *c, const char *schema, bool *exists);
/* 3F000 unless the schema exists. */
ferr *hive_ms_require_schema(hive_catalog *c, const char *schema);
/* Names of the direct subdirectories of prefix holding a .trinoSchema. */
ferr *hive_ms_list(hive_catalog *c, const char *prefix, arena *a, int *n, const char ***names);
ferr *hive_ms_get_table(hive_catalog *c, const char *schema, const char *table, arena *a,
                        hive_table **out);
/*
 * A handle from its parts: cols holds ndata + npart columns (copied), the
 * hidden columns are appended.
 */
hive_table *hive_table_new(arena *a, const char *schema, const char *table, int ndata, int npart,
                           const conn_column *cols, const char **hive_types, const char *location,
                           bool external, const char *format);
/*
 * The table's .trinoSchema document (Trino's TableMetadata); a managed
 * table stored elsewhere than default_location records it in parameters.
 */
json_t *hive_ms_table_json(const hive_table *t, const char *default_location);
/* A partition's .trinoSchema document (Trino's PartitionMetadata). */
json_t *hive_ms_partition_json(const hive_table *t, const char *location);

/* Hive type name <-> Ferry type. */
bool hive_type_parse(const char *name, ftype *out);
ferr *hive_type_name(const char *column, ftype t, arena *a, const char **out);

/* Partition directory names: Hive's escaping of values and keys. */
void hive_escape_path(strbuf *out, const char *s, size_t len);
char *hive_unescape_path(const char *s, size_t len, arena *a);

/* Data files under a location (hidden '.'/'_' files and directories skipped). */
typedef ferr *(*hive_file_cb)(void *ctx, const char *path, uint64_t size, const char *relative);
ferr *hive_list_data_files(hive_catalog *c, const char *location, hive_file_cb cb, void *ctx);

/* ---- hive.c ---- */

/* A partition directory ("k=v/k2=v2", relative to the table's location) and its key values. */
typedef struct hive_partition {
	const char *name;
	fvalue *values; /* npart values in the key columns' types */
} hive_partition;

/* Length of the partition directory at the start of a data file's path below t's location (0: none). */
size_t hive_partition_name_len(const hive_table *t, const char *path);
/* The partitions holding data files that t's pushed domain leaves, in listing order, each once. */
ferr *hive_list_partitions(hive_catalog *c, const hive_table *t, arena *a, int *n, hive_partition **out);

/* ---- hive_analyze.c ---- */

/* ANALYZE t [WITH (partitions = ARRAY[ARRAY['v1', 'v2'], ...])]: the SPI's analyze. */
ferr *hive_analyze(conn_catalog *cat, const conn_table *t, int nprops, const char **prop_names,
                   const char **prop_values, int64_t *rows);

/*
 * The constant value of column k in split sp: a partition key or a hidden
 * column; false for a data column.
 */
bool hive_const_column(const hive_table *t, const hive_split *sp, int k, fvalue *out);
/* A constant vector holding v. */
void hive_const_vector(vector *v, arena *a, ftype type, const fvalue *value);

/* ---- hive_text.c: CSV, TEXTFILE and JSON tables ---- */

hive_format hive_format_of(const char *name);
void hive_text_opts_default(hive_text_opts *o);
/* From a metastore document's serdeParameters and parameters. */
ferr *hive_text_opts_read(json_t *doc, const char *loc, hive_text_opts *o, arena *a);
/* Into a metastore document's serdeParameters and parameters (only what the format uses). */
void hive_text_opts_write(const hive_table *t, json_t *serde, json_t *params);
/* A CREATE TABLE property of the text formats; *handled false when k is none of them. */
ferr *hive_text_table_property(const char *k, const char *v, hive_text_opts *o, arena *a, bool *handled,
                               unsigned *seen);
/* What Trino refuses for a new table of the format (CSV columns, properties of another format). */
ferr *hive_text_check_table(const hive_table *t, unsigned seen);
/* Whether a file of the table may be cut into byte ranges. */
bool hive_text_splittable(const hive_table *t, const char *path);
ferr *hive_text_open_source(hive_catalog *c, const hive_table *t, const hive_split *sp, int ncols,
                            const int *cols, arena *a, conn_page_source **out);
/* Refusals of INSERT into a text table (header over 1 line, footer lines). */
ferr *hive_text_check_insert(const hive_table *t);

/* A writer of one text file into a parquet_output-style sink. */
typedef struct hive_text_writer hive_text_writer;
struct parquet_output;
ferr *hive_text_writer_open(const hive_table *t, const struct parquet_output *out, hive_text_writer **w);
ferr *hive_text_writer_write_batch(hive_text_writer *w, const batch *b);
/* Writes what is buffered and commits the output; frees w. */
ferr *hive_text_writer_close(hive_text_writer *w);
void hive_text_writer_abort(hive_text_writer *w);

/* ---- hive_write.c ---- */

ferr *hive_create_schema(conn_catalog *cat, const char *schema, int nprops, const char **prop_names,
                         const char **prop_values);
ferr *hive_drop_schema(conn_catalog *cat, const char *schema, bool cascade);
ferr *hive_create_table(conn_catalog *cat, const conn_table_def *def);
ferr *hive_drop_table(conn_catalog *cat, const conn_table *t);
ferr *hive_begin_create_table(conn_catalog *cat, const conn_table_def *def, conn_write **out);
ferr *hive_begin_insert(conn_catalog *cat, const conn_table *t, conn_write_mode mode,
                        conn_write **out);
ferr *hive_open_page_sink(conn_catalog *cat, conn_write *w, conn_page_sink **out);
ferr *hive_finish_write(conn_catalog *cat, conn_write *w);
void hive_abort_write(conn_catalog *cat, conn_write *w);

#endif
