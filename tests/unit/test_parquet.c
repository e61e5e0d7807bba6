/*
 * test_parquet.c — the Parquet reader against the apache/parquet-testing
 * conformance files (read in place from $FERRY_PARQUET_TESTING, default
 * /work/shared/fixtures/parquet-testing; tests skip when it is absent),
 * hand-built hostile footers, and a deterministic mutation fuzz that must
 * end in success or an error, never a crash (run it under `make asan`).
 *
 * Expected values were obtained by reading the same files with DuckDB
 * (@duckdb/node-api, read_parquet) and cross-checked with the CSV files
 * and READMEs that parquet-testing ships beside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/parquet/parquet.h"
#include "formats/parquet/thrift.h"

static char fixtures[512];
static bool have_fixtures;

#define REQUIRE_FIXTURES()                                                                    \
	do {                                                                                      \
		if (!have_fixtures) {                                                                 \
			print_message("SKIP: parquet-testing fixtures not found at %s\n", fixtures);      \
			skip();                                                                           \
		}                                                                                     \
	} while (0)

static int setup_fixtures(void **state)
{
	const char *d = getenv("FERRY_PARQUET_TESTING");
	snprintf(fixtures, sizeof(fixtures), "%s", d && *d ? d : "/work/shared/fixtures/parquet-testing");
	char probe[600];
	snprintf(probe, sizeof(probe), "%s/data", fixtures);
	struct stat st;
	have_fixtures = stat(probe, &st) == 0 && S_ISDIR(st.st_mode);
	if (!have_fixtures)
		fprintf(stderr, "test_parquet: %s does not exist; fixture-based tests are skipped\n", probe);
	return 0;
}

static char *fixture_path(const char *rel)
{
	static char buf[8][700];
	static int k;
	char *p = buf[k++ & 7];
	snprintf(p, 700, "%s/%s", fixtures, rel);
	return p;
}

/* ------------------------------------------------------------- helpers */

/* A whole file as text cells (NULL for SQL NULL), like psql would show it. */
typedef struct table {
	parquet_file *f;
	int nrows, ncols;
	char **cells;
	arena *a;
	parquet_input in;
} table;

static const char *cell(const table *t, int row, int col) { return t->cells[(size_t)row * t->ncols + col]; }

static void append_batch(table *t, const batch *b, int *cap, const fmt_settings *fs)
{
	for (int r = 0; r < b->count; r++) {
		if (t->nrows == *cap) {
			int nc = *cap ? *cap * 2 : 64;
			t->cells = arena_realloc(t->a, t->cells, (size_t)*cap * t->ncols * sizeof(char *) + 1,
			                         (size_t)nc * t->ncols * sizeof(char *) + 1);
			*cap = nc;
		}
		for (int c = 0; c < t->ncols; c++) {
			char *s = NULL;
			if (!vector_is_null(&b->cols[c], r)) {
				strbuf sb = STRBUF_INIT;
				value_out_text(b->cols[c].type, vector_at(&b->cols[c], r), fs, &sb);
				s = arena_strndup(t->a, sb.data ? sb.data : "", sb.len);
				sb_free(&sb);
			}
			t->cells[(size_t)t->nrows * t->ncols + c] = s;
		}
		t->nrows++;
	}
}

/* Read every row group and column of in; returns an error or fills t. */
static ferr *read_input(parquet_input *in, const parquet_options *opt, table *t)
{
	memset(t, 0, sizeof(*t));
	t->a = arena_create(NULL, "test table");
	t->in = *in;
	TRY(parquet_open(in, opt, t->a, &t->f));
	t->ncols = t->f->ncols;
	int *cols = arena_alloc(t->a, sizeof(int) * (size_t)(t->ncols + 1));
	for (int i = 0; i < t->ncols; i++) cols[i] = i;
	fmt_settings fs;
	fmt_settings_default(&fs);
	int cap = 0;
	arena *ba = arena_create(t->a, "batches");
	for (int g = 0; g < t->f->nrow_groups; g++) {
		parquet_reader *r = NULL;
		ferr *e = parquet_reader_open(t->f, g, cols, t->ncols, t->a, &r);
		batch *b;
		while (!e && !(e = parquet_reader_next(r, ba, &b)) && b) {
			append_batch(t, b, &cap, &fs);
			arena_reset(ba);
		}
		parquet_reader_close(r);
		if (e) return e;
	}
	return NULL;
}

static void table_free(table *t)
{
	arena_destroy(t->a);
	parquet_input_close(&t->in);
}

static void load(const char *rel, const parquet_options *opt, table *t)
{
	parquet_input in;
	ferr *e = parquet_input_open_local(fixture_path(rel), &in);
	if (!e) e = read_input(&in, opt, t);
	if (e) fail_msg("%s: %s", rel, e->message);
}

static ferr *load_err(const char *rel)
{
	parquet_input in;
	table t;
	ferr *e = parquet_input_open_local(fixture_path(rel), &in);
	if (e) return e;
	e = read_input(&in, NULL, &t);
	table_free(&t);
	return e;
}

static void assert_col(const table *t, int col, const char *name, const char *type)
{
	assert_string_equal(t->f->cols[col].name, name);
	strbuf sb = STRBUF_INIT;
	ftype_format(t->f->cols[col].type, &sb);
	assert_string_equal(sb.data, type);
	sb_free(&sb);
}

static void assert_cell(const table *t, int row, int col, const char *want)
{
	const char *got = cell(t, row, col);
	if (!want) {
		if (got) fail_msg("row %d col %d: want NULL, got '%s'", row, col, got);
		return;
	}
	if (!got) fail_msg("row %d col %d: want '%s', got NULL", row, col, want);
	if (strcmp(got, want) != 0) fail_msg("row %d col %d: want '%s', got '%s'", row, col, want, got);
}

/* ---------------------------------------------------------- flat files */

static void test_alltypes_plain(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	load("data/alltypes_plain.parquet", NULL, &t);
	assert_int_equal(t.ncols, 11);
	assert_int_equal(t.nrows, 8);
	assert_int_equal(t.f->num_rows, 8);
	assert_col(&t, 0, "id", "integer");
	assert_col(&t, 1, "bool_col", "boolean");
	assert_col(&t, 5, "bigint_col", "bigint");
	assert_col(&t, 6, "float_col", "real");
	assert_col(&t, 7, "double_col", "double precision");
	assert_col(&t, 8, "date_string_col", "bytea");
	assert_col(&t, 10, "timestamp_col", "timestamp without time zone");
	static const char *ids[] = {"4", "5", "6", "7", "2", "3", "0", "1"};
	static const char *ts[] = {"2009-03-01 00:00:00", "2009-03-01 00:01:00", "2009-04-01 00:00:00",
	                           "2009-04-01 00:01:00", "2009-02-01 00:00:00", "2009-02-01 00:01:00",
	                           "2009-01-01 00:00:00", "2009-01-01 00:01:00"};
	for (int r = 0; r < 8; r++) {
		assert_cell(&t, r, 0, ids[r]);
		assert_cell(&t, r, 1, r % 2 ? "f" : "t");
		assert_cell(&t, r, 4, r % 2 ? "1" : "0");
		assert_cell(&t, r, 5, r % 2 ? "10" : "0");
		assert_cell(&t, r, 6, r % 2 ? "1.1" : "0");
		assert_cell(&t, r, 7, r % 2 ? "10.1" : "0");
		assert_cell(&t, r, 9, r % 2 ? "\\x31" : "\\x30");
		assert_cell(&t, r, 10, ts[r]);
	}
	assert_cell(&t, 0, 8, "\\x30332f30312f3039"); /* "03/01/09" */
	table_free(&t);
}

static void test_alltypes_snappy_and_dictionary(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	load("data/alltypes_plain.snappy.parquet", NULL, &t);
	assert_int_equal(t.nrows, 2);
	assert_cell(&t, 0, 0, "6");
	assert_cell(&t, 1, 0, "7");
	assert_cell(&t, 1, 10, "2009-04-01 00:01:00");
	table_free(&t);
	load("data/alltypes_dictionary.parquet", NULL, &t);
	assert_int_equal(t.nrows, 2);
	assert_cell(&t, 0, 0, "0");
	assert_cell(&t, 1, 0, "1");
	assert_cell(&t, 1, 7, "10.1");
	assert_cell(&t, 0, 10, "2009-01-01 00:00:00");
	table_free(&t);
}

static void test_binary_as_string(void **state)
{
	REQUIRE_FIXTURES();
	parquet_options opt = {.binary_as_string = true};
	table t;
	load("data/alltypes_plain.parquet", &opt, &t);
	assert_col(&t, 8, "date_string_col", "text");
	assert_cell(&t, 0, 8, "03/01/09");
	assert_cell(&t, 1, 9, "1");
	table_free(&t);
}

static void test_tiny_pages_types(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	/* Many small pages, INT(8)/INT(16) annotated columns -> smallint. */
	load("data/alltypes_tiny_pages.parquet", NULL, &t);
	assert_int_equal(t.nrows, 7300);
	assert_col(&t, 2, "tinyint_col", "smallint");
	assert_col(&t, 3, "smallint_col", "smallint");
	assert_col(&t, 8, "date_string_col", "text");
	/* DuckDB: row 8 = 130|t|0|0|0|0|0|0|01/14/09|0|2009-01-14 01:10:05.85|2009|1 */
	assert_cell(&t, 8, 0, "130");
	assert_cell(&t, 8, 8, "01/14/09");
	assert_cell(&t, 8, 10, "2009-01-14 01:10:05.85");
	assert_cell(&t, 8, 11, "2009");
	table_free(&t);
	table p;
	load("data/alltypes_tiny_pages_plain.parquet", NULL, &p);
	load("data/alltypes_tiny_pages.parquet", NULL, &t);
	assert_int_equal(p.nrows, t.nrows);
	for (int r = 0; r < t.nrows; r++)
		for (int c = 0; c < t.ncols; c++) {
			const char *x = cell(&t, r, c), *y = cell(&p, r, c);
			assert_true((!x && !y) || (x && y && strcmp(x, y) == 0));
		}
	table_free(&t);
	table_free(&p);
}

static void test_datapage_v2(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	load("data/datapage_v2.snappy.parquet", NULL, &t);
	assert_int_equal(t.nrows, 5);
	assert_col(&t, 0, "a", "text");
	assert_col(&t, 4, "e", "json");
	/* DuckDB: abc|1|2.0|t|[1,2,3]; abc|2|3.0|t|NULL; abc|3|4.0|t|NULL; NULL|4|5.0|f|[1,2,3]; abc|5|2.0|t|[1,2] */
	static const char *want[5][5] = {{"abc", "1", "2", "t", "[1,2,3]"},
	                                 {"abc", "2", "3", "t", NULL},
	                                 {"abc", "3", "4", "t", NULL},
	                                 {NULL, "4", "5", "f", "[1,2,3]"},
	                                 {"abc", "5", "2", "t", "[1,2]"}};
	for (int r = 0; r < 5; r++)
		for (int c = 0; c < 5; c++) assert_cell(&t, r, c, want[r][c]);
	table_free(&t);
	/* v2 pages whose compressed data is empty or an empty stream. */
	load("data/datapage_v2_empty_datapage.snappy.parquet", NULL, &t);
	assert_int_equal(t.nrows, 1);
	assert_cell(&t, 0, 0, NULL);
	table_free(&t);
	load("data/page_v2_empty_compressed.parquet", NULL, &t);
	assert_int_equal(t.nrows, 10);
	for (int r = 0; r < 10; r++) assert_cell(&t, r, 0, NULL);
	table_free(&t);
}

/* Parse one CSV line (RFC 4180 quotes); unquoted empty field = NULL. */
static int csv_split(char *p, char **out, int max)
{
	int n = 0;
	for (;;) {
		char *field, sep;
		if (*p == '"') {
			char *w = ++p;
			field = p;
			while (*p) {
				if (*p == '"') {
					if (p[1] == '"') {
						*w++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*w++ = *p++;
			}
			sep = *p;
			*w = 0; /* w trails p by the opening quote at least */
		} else {
			field = p;
			while (*p && *p != ',') p++;
			sep = *p;
			*p = 0;
			if (!*field) field = NULL;
		}
		if (n < max) out[n++] = field;
		if (sep != ',') return n;
		p++;
	}
}

/* Compare a file with the expected CSV parquet-testing ships beside it. */
static void check_against_csv(const char *pq, const char *csv)
{
	table t;
	load(pq, NULL, &t);
	FILE *fp = fopen(fixture_path(csv), "r");
	assert_non_null(fp);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int row = -1;
	char *fields[128];
	while ((len = getline(&line, &cap, fp)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
		if (row++ < 0) continue; /* header */
		int n = csv_split(line, fields, 128);
		assert_int_equal(n, t.ncols);
		assert_true(row - 1 < t.nrows);
		for (int c = 0; c < n; c++) {
			/* The CSV writes empty strings and NULL alike. */
			const char *got = cell(&t, row - 1, c);
			if (!fields[c] && got && *got) fail_msg("%s row %d col %d: want NULL, got '%s'", pq, row - 1, c, got);
			if (fields[c] && (!got || strcmp(got, fields[c]) != 0))
				fail_msg("%s row %d col %d: want '%s', got '%s'", pq, row - 1, c, fields[c], got ? got : "NULL");
		}
	}
	assert_int_equal(row, t.nrows);
	free(line);
	fclose(fp);
	table_free(&t);
}

static void test_delta_encodings(void **state)
{
	REQUIRE_FIXTURES();
	/* DELTA_BINARY_PACKED with every bit width 0..64, INT32 and INT64. */
	check_against_csv("data/delta_binary_packed.parquet", "data/delta_binary_packed_expect.csv");
	/* DELTA_BYTE_ARRAY strings with nulls. */
	check_against_csv("data/delta_byte_array.parquet", "data/delta_byte_array_expect.csv");
	check_against_csv("data/delta_encoding_optional_column.parquet",
	                  "data/delta_encoding_optional_column_expect.csv");
	check_against_csv("data/delta_encoding_required_column.parquet",
	                  "data/delta_encoding_required_column_expect.csv");
	/* DELTA_LENGTH_BYTE_ARRAY: DuckDB reads 1000 rows of FRUIT, 'apple_banana_mango0', '...mango1', ..., row 1000 '...mango998001'. */
	table t;
	load("data/delta_length_byte_array.parquet", NULL, &t);
	assert_int_equal(t.nrows, 1000);
	assert_cell(&t, 0, 0, "apple_banana_mango0");
	assert_cell(&t, 1, 0, "apple_banana_mango1");
	assert_cell(&t, 999, 0, "apple_banana_mango998001");
	table_free(&t);
}

static void test_byte_stream_split(void **state)
{
	REQUIRE_FIXTURES();
	/* Every column pair holds the same values, PLAIN and BYTE_STREAM_SPLIT. */
	table t;
	load("data/byte_stream_split_extended.gzip.parquet", NULL, &t);
	assert_int_equal(t.nrows, 200);
	assert_int_equal(t.ncols, 14);
	for (int c = 0; c < t.ncols; c += 2)
		for (int r = 0; r < t.nrows; r++) {
			const char *x = cell(&t, r, c), *y = cell(&t, r, c + 1);
			assert_true((!x && !y) || (x && y && strcmp(x, y) == 0));
		}
	/* DuckDB: first row 10.3046875|10.3046875|10.337575|...|\x3033373935|..|1003.858 */
	assert_cell(&t, 0, 0, "10.3046875");
	assert_cell(&t, 0, 10, "\\x3033373935");
	assert_cell(&t, 0, 12, "1003.858");
	table_free(&t);
	load("data/byte_stream_split.zstd.parquet", NULL, &t);
	assert_int_equal(t.nrows, 300);
	assert_col(&t, 0, "f32", "real");
	assert_col(&t, 1, "f64", "double precision");
	/* DuckDB: 1.764052391052246 (as float: 1.7640524) | -1.3065268517353166 (standard normals) */
	assert_cell(&t, 0, 0, "1.7640524");
	assert_cell(&t, 0, 1, "-1.3065268517353166");
	table_free(&t);
}

static void test_decimals(void **state)
{
	REQUIRE_FIXTURES();
	static const struct {
		const char *file, *type;
	} cases[] = {{"data/int32_decimal.parquet", "numeric(4,2)"},
	             {"data/int64_decimal.parquet", "numeric(10,2)"},
	             {"data/fixed_length_decimal.parquet", "numeric(25,2)"},
	             {"data/fixed_length_decimal_legacy.parquet", "numeric(13,2)"},
	             {"data/byte_array_decimal.parquet", "numeric(4,2)"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		table t;
		load(cases[i].file, NULL, &t);
		assert_col(&t, 0, "value", cases[i].type);
		assert_int_equal(t.nrows, 24);
		for (int r = 0; r < 24; r++) {
			char want[16];
			snprintf(want, sizeof(want), "%d.00", r + 1);
			assert_cell(&t, r, 0, want);
		}
		table_free(&t);
	}
}

static void test_codecs(void **state)
{
	REQUIRE_FIXTURES();
	/* Same 4 rows under LZ4_RAW, Hadoop-framed LZ4 and raw-block LZ4 (DuckDB on lz4_raw). */
	static const char *files[] = {"data/lz4_raw_compressed.parquet", "data/hadoop_lz4_compressed.parquet",
	                               "data/non_hadoop_lz4_compressed.parquet"};
	for (int i = 0; i < 3; i++) {
		table t;
		load(files[i], NULL, &t);
		assert_int_equal(t.nrows, 4);
		assert_cell(&t, 0, 0, "1593604800");
		assert_cell(&t, 0, 1, "\\x616263");
		assert_cell(&t, 0, 2, "42");
		assert_cell(&t, 2, 2, "42.125");
		assert_cell(&t, 3, 1, "\\x646566");
		assert_cell(&t, 3, 2, "7.7");
		table_free(&t);
	}
	table t;
	load("data/lz4_raw_compressed_larger.parquet", NULL, &t);
	assert_int_equal(t.nrows, 10000);
	assert_cell(&t, 0, 0, "c7ce6bef-d5b0-4863-b199-8ea8c7fb117b");
	table_free(&t);
	load("data/hadoop_lz4_compressed_larger.parquet", NULL, &t);
	assert_int_equal(t.nrows, 10000);
	assert_cell(&t, 0, 0, "c7ce6bef-d5b0-4863-b199-8ea8c7fb117b");
	table_free(&t);
	/* GZIP with two concatenated members in one page: 513 UINT64 values. */
	load("data/concatenated_gzip_members.parquet", NULL, &t);
	assert_int_equal(t.nrows, 513);
	assert_col(&t, 0, "long_col", "numeric(20,0)");
	assert_cell(&t, 0, 0, "1");
	assert_cell(&t, 512, 0, "513");
	table_free(&t);
}

static void test_nulls_and_booleans(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	/* RLE-encoded booleans: 68 rows, 6 NULL (footer statistics say so too). */
	load("data/rle_boolean_encoding.parquet", NULL, &t);
	assert_int_equal(t.nrows, 68);
	int nulls = 0, trues = 0;
	for (int r = 0; r < t.nrows; r++) {
		const char *c = cell(&t, r, 0);
		nulls += !c;
		trues += c && strcmp(c, "t") == 0;
	}
	assert_int_equal(nulls, 6);
	assert_int_equal(trues, 36); /* DuckDB: count_if(datatype_boolean) = 36 */
	assert_cell(&t, 0, 0, "t");
	assert_cell(&t, 2, 0, NULL);
	assert_true(t.f->row_groups[0].stats[0].has_null_count);
	assert_int_equal(t.f->row_groups[0].stats[0].null_count, 6);
	table_free(&t);
	/* Pages of only nulls between pages of values. */
	load("data/int32_with_null_pages.parquet", NULL, &t);
	assert_int_equal(t.nrows, 1000);
	nulls = 0;
	for (int r = 0; r < t.nrows; r++) nulls += !cell(&t, r, 0);
	assert_int_equal(nulls, 275);
	table_free(&t);
}

static void test_timestamps_and_misc_types(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	/* Spark INT96 (int96_from_spark.md): microsecond values beyond the int64-nanosecond range. */
	load("data/int96_from_spark.parquet", NULL, &t);
	assert_int_equal(t.nrows, 6);
	assert_cell(&t, 0, 0, "2024-01-01 20:34:56.123456");
	assert_cell(&t, 1, 0, "2024-01-01 01:00:00");
	assert_cell(&t, 2, 0, "9999-12-31 03:00:00");
	assert_cell(&t, 4, 0, NULL);
	assert_cell(&t, 5, 0, "290000-12-30 23:00:00");
	table_free(&t);
	/* FLOAT16 -> real: DuckDB reads NULL, 1, -2, NaN, 0, -1, 0, 2; the seventh is
	 * stored as 0x8000 (checked with xxd), negative zero, which DuckDB prints as 0. */
	load("data/float16_nonzeros_and_nans.parquet", NULL, &t);
	assert_col(&t, 0, "x", "real");
	static const char *f16[] = {NULL, "1", "-2", "NaN", "0", "-1", "-0", "2"};
	for (int r = 0; r < 8; r++) assert_cell(&t, r, 0, f16[r]);
	table_free(&t);
	/* A logical type newer than the reader falls back to the physical type. */
	load("data/unknown-logical-type.parquet", NULL, &t);
	assert_int_equal(t.nrows, 3);
	table_free(&t);
	/* FIXED_LEN_BYTE_ARRAY, dictionary page offset 0, column chunk key-value metadata. */
	load("data/fixed_length_byte_array.parquet", NULL, &t);
	assert_int_equal(t.nrows, 1000);
	assert_col(&t, 0, "flba_field", "bytea");
	table_free(&t);
	load("data/dict-page-offset-zero.parquet", NULL, &t);
	assert_int_equal(t.nrows, 39);
	assert_cell(&t, 0, 0, "1552");
	table_free(&t);
	load("data/column_chunk_key_value_metadata.parquet", NULL, &t);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 2);
	table_free(&t);
	/* PARQUET-816: old parquet-mr left the dictionary header out of the chunk size. */
	load("data/nation.dict-malformed.parquet", NULL, &t);
	assert_int_equal(t.nrows, 25);
	assert_cell(&t, 0, 1, "\\x414c4745524941"); /* ALGERIA */
	table_free(&t);
}

/* --------------------------------------------------------------- nested */

static void test_nested_as_json(void **state)
{
	REQUIRE_FIXTURES();
	table t;
	load("data/nested_lists.snappy.parquet", NULL, &t);
	assert_col(&t, 0, "a", "json");
	assert_true(t.f->cols[0].nested);
	assert_cell(&t, 0, 0, "[[[\"a\",\"b\"],[\"c\"]],[null,[\"d\"]]]");
	assert_cell(&t, 2, 0, "[[[\"a\",\"b\"],[\"c\",\"d\"],[\"e\"]],[null,[\"f\"]]]");
	assert_cell(&t, 2, 1, "1");
	table_free(&t);
	load("data/nested_maps.snappy.parquet", NULL, &t);
	static const char *maps[] = {"{\"a\":{\"1\":true,\"2\":false}}", "{\"b\":{\"1\":true}}", "{\"c\":null}",
	                             "{\"d\":{}}", "{\"e\":{\"1\":true}}",
	                             "{\"f\":{\"3\":true,\"4\":false,\"5\":true}}"};
	for (int r = 0; r < 6; r++) assert_cell(&t, r, 0, maps[r]);
	table_free(&t);
	load("data/list_columns.parquet", NULL, &t);
	assert_cell(&t, 0, 0, "[1,2,3]");
	assert_cell(&t, 1, 0, "[null,1]");
	assert_cell(&t, 1, 1, NULL);
	assert_cell(&t, 2, 1, "[\"efg\",null,\"hij\",\"xyz\"]");
	table_free(&t);
	load("data/nulls.snappy.parquet", NULL, &t);
	assert_int_equal(t.nrows, 8);
	for (int r = 0; r < 8; r++) assert_cell(&t, r, 0, "{\"b_c_int\":null}");
	table_free(&t);
	load("data/null_list.parquet", NULL, &t);
	assert_cell(&t, 0, 0, "[]");
	table_free(&t);
	/* Legacy two-level list, repeated fields without LIST annotation. */
	load("data/old_list_structure.parquet", NULL, &t);
	assert_cell(&t, 0, 0, "[[1,2],[3,4]]");
	table_free(&t);
	load("data/repeated_primitive_no_list.parquet", NULL, &t);
	assert_cell(&t, 1, 0, "[]");
	assert_cell(&t, 3, 1, "[\"five\",\"six\",\"seven\",\"eight\"]");
	assert_cell(&t, 2, 2, "{\"Int32_list_in_group\":[4],\"String_list_in_group\":[\"four\"]}");
	table_free(&t);
	/* MAP whose key_value group has no value field. */
	load("data/map_no_value.parquet", NULL, &t);
	assert_cell(&t, 0, 1, "{\"1\":null,\"2\":null,\"3\":null}");
	assert_cell(&t, 0, 2, "[1,2,3]");
	table_free(&t);
	/* Impala's nested types and a Rust-written struct file read whole. */
	load("data/nullable.impala.parquet", NULL, &t);
	assert_int_equal(t.nrows, 7);
	table_free(&t);
	load("data/nonnullable.impala.parquet", NULL, &t);
	/* DuckDB: 8|[-1]|[[-1,-2],[]]|{"k1":-1}|[{},{"k1":1},{},{}]|{"a":-1,...} */
	assert_cell(&t, 0, 0, "8");
	assert_cell(&t, 0, 1, "[-1]");
	assert_cell(&t, 0, 2, "[[-1,-2],[]]");
	assert_cell(&t, 0, 3, "{\"k1\":-1}");
	assert_cell(&t, 0, 4, "[{},{\"k1\":1},{},{}]");
	table_free(&t);
	load("data/nested_structs.rust.parquet", NULL, &t);
	assert_int_equal(t.ncols, 36);
	assert_cell(&t, 0, 1, "{\"min\":115,\"max\":742,\"mean\":416,\"count\":495,\"sum\":206195,\"variance\":10374}");
	table_free(&t);
}

/* ---------------------------------------------------- stats and filters */

static void test_statistics_and_row_group_skip(void **state)
{
	REQUIRE_FIXTURES();
	parquet_input in;
	arena *a = arena_create(NULL, "t");
	parquet_file *f;
	assert_null(parquet_input_open_local(fixture_path("data/int32_with_null_pages.parquet"), &in));
	assert_null(parquet_open(&in, NULL, a, &f));
	const parquet_stats *st = &f->row_groups[0].stats[0];
	assert_true(st->has_range);
	assert_int_equal(st->min.u.i, -2136906554);
	assert_int_equal(st->max.u.i, 2145722375);
	assert_int_equal(st->null_count, 275);
	parquet_col_range r = {.col = 0, .has_lo = true, .lo = {.u.i = 2145722376}};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1));  /* above max */
	r.lo.u.i = 2145722375;
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1)); /* max itself */
	r = (parquet_col_range){.col = 0, .has_hi = true, .hi = {.u.i = -2136906555}};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1));  /* below min */
	r.null_allowed = true;
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1)); /* NULLs may match */
	r = (parquet_col_range){.col = 0, .only_null = true};
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1)); /* 275 nulls */
	parquet_input_close(&in);

	/* Text statistics, and a column without nulls. */
	assert_null(parquet_input_open_local(fixture_path("data/data_index_bloom_encoding_stats.parquet"), &in));
	assert_null(parquet_open(&in, NULL, a, &f));
	st = &f->row_groups[0].stats[0];
	assert_true(st->has_range);
	assert_int_equal(st->min.u.s.len, 5);
	assert_memory_equal(st->min.u.s.ptr, "Hello", 5);
	r = (parquet_col_range){.col = 0, .has_lo = true, .has_hi = true};
	r.lo.u.s = (fstring){3, "zzz"};
	r.hi.u.s = (fstring){4, "zzzz"};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1));
	r.lo.u.s = (fstring){5, "Hello"};
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1));
	r = (parquet_col_range){.col = 0, .only_null = true};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1)); /* null_count 0 */
	parquet_input_close(&in);

	/* Unsigned and INT96 columns never offer ranges from legacy statistics. */
	assert_null(parquet_input_open_local(fixture_path("data/alltypes_plain.parquet"), &in));
	assert_null(parquet_open(&in, NULL, a, &f));
	assert_false(f->row_groups[0].stats[10].has_range);
	parquet_input_close(&in);
	arena_destroy(a);
}

static void test_projection_io(void **state)
{
	REQUIRE_FIXTURES();
	parquet_input in;
	arena *a = arena_create(NULL, "t");
	parquet_file *f;
	assert_null(parquet_input_open_local(fixture_path("data/alltypes_tiny_pages_plain.parquet"), &in));
	parquet_options opt = {.coalesce_gap = 1}; /* merge only touching ranges */
	assert_null(parquet_open(&in, &opt, a, &f));
	int cols[] = {0, 12};
	parquet_reader *r;
	assert_null(parquet_reader_open(f, 0, cols, 2, a, &r));
	/* Two separate column chunks: two requests, far less than the file. */
	assert_int_equal(parquet_reader_requests(r), 2);
	assert_true(parquet_reader_bytes_read(r) < in.size / 4);
	arena *ba = arena_create(a, "b");
	batch *b;
	int64_t rows = 0, idsum = 0;
	while (!parquet_reader_next(r, ba, &b) && b) {
		assert_int_equal(b->ncols, 2);
		assert_true(b->count <= BATCH_CAPACITY);
		for (int i = 0; i < b->count; i++) idsum += ((int32_t *)b->cols[0].data)[i];
		rows += b->count;
		arena_reset(ba);
	}
	assert_int_equal(rows, 7300);
	assert_int_equal(idsum, 7299 * 7300 / 2); /* ids 0..7299 in some order */
	parquet_reader_close(r);
	parquet_input_close(&in);

	/* With the default gap, neighbouring chunks come in one request. */
	assert_null(parquet_input_open_local(fixture_path("data/alltypes_tiny_pages_plain.parquet"), &in));
	assert_null(parquet_open(&in, NULL, a, &f));
	assert_null(parquet_reader_open(f, 0, cols, 2, a, &r));
	assert_int_equal(parquet_reader_requests(r), 1);
	parquet_reader_close(r);
	parquet_input_close(&in);

	/* A reader over several row groups; zero columns count rows. */
	assert_null(parquet_input_open_local(fixture_path("data/sort_columns.parquet"), &in));
	assert_null(parquet_open(&in, NULL, a, &f));
	assert_int_equal(f->nrow_groups, 2);
	int rgs[] = {0, 1};
	assert_null(parquet_reader_open_groups(f, rgs, 2, cols, 0, a, &r));
	rows = 0;
	while (!parquet_reader_next(r, ba, &b) && b) rows += b->count;
	assert_int_equal(rows, 6);
	parquet_reader_close(r);
	int c1[] = {1};
	assert_null(parquet_reader_open_groups(f, rgs, 2, c1, 1, a, &r));
	rows = 0;
	while (!parquet_reader_next(r, ba, &b) && b) rows += b->count;
	assert_int_equal(rows, 6);
	parquet_reader_close(r);
	/* Bad arguments are rejected before anything is read. */
	int bad[] = {7};
	ferr *e = parquet_reader_open(f, 0, bad, 1, a, &r);
	assert_non_null(e);
	assert_null(r);
	ferr_free(e);
	e = parquet_reader_open(f, 5, c1, 1, a, &r);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_PARAMETER_VALUE);
	ferr_free(e);
	parquet_input_close(&in);
	arena_destroy(a);
}

/* ---------------------------------------------------------- bad input */

static void test_bad_data_files(void **state)
{
	REQUIRE_FIXTURES();
	static const char *files[] = {"bad_data/PARQUET-1481.parquet",
	                              "bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet",
	                              "bad_data/ARROW-RS-GH-6229-LEVELS.parquet",
	                              "bad_data/ARROW-GH-41321.parquet",
	                              "bad_data/ARROW-GH-41317.parquet",
	                              "bad_data/ARROW-GH-45185.parquet",
	                              "bad_data/ARROW-GH-47662.parquet"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ferr *e = load_err(files[i]);
		if (!e) fail_msg("%s: read without an error", files[i]);
		assert_string_equal(e->sqlstate, SQLSTATE_DATA_CORRUPTED);
		assert_non_null(strstr(e->message, "parquet file '"));
		ferr_free(e);
	}
	/* GH-43605: dictionary indices with bit width 0 are all index 0 (valid). */
	table t;
	load("bad_data/ARROW-GH-43605.parquet", NULL, &t);
	assert_int_equal(t.nrows, 21186);
	table_free(&t);
	/* Not parquet at all, encrypted footers, missing files. */
	ferr *e = load_err("data/delta_binary_packed.md");
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DATA_CORRUPTED);
	ferr_free(e);
	e = load_err("data/uniform_encryption.parquet.encrypted");
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_FEATURE_NOT_SUPPORTED);
	ferr_free(e);
	e = load_err("data/no-such-file.parquet");
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_UNDEFINED_FILE);
	ferr_free(e);
}

static void test_crc_verification(void **state)
{
	REQUIRE_FIXTURES();
	parquet_options opt = {.verify_crc = true};
	table t;
	load("data/datapage_v1-snappy-compressed-checksum.parquet", &opt, &t);
	assert_int_equal(t.nrows, 5120);
	table_free(&t);
	load("data/plain-dict-uncompressed-checksum.parquet", &opt, &t);
	table_free(&t);
	parquet_input in;
	assert_null(parquet_input_open_local(fixture_path("data/datapage_v1-corrupt-checksum.parquet"), &in));
	ferr *e = read_input(&in, &opt, &t);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "checksum mismatch"));
	ferr_free(e);
	table_free(&t);
	/* Without verification the corrupt-checksum file reads (the data is intact). */
	load("data/datapage_v1-corrupt-checksum.parquet", NULL, &t);
	assert_int_equal(t.nrows, 5120);
	table_free(&t);
}

/* A file around a hand-written footer. */
static uint8_t *wrap_footer(const uint8_t *footer, size_t len, size_t *out_len)
{
	uint8_t *buf = malloc(len + 12);
	memcpy(buf, "PAR1", 4);
	memcpy(buf + 4, footer, len);
	uint32_t l = (uint32_t)len;
	memcpy(buf + 4 + len, &l, 4);
	memcpy(buf + 8 + len, "PAR1", 4);
	*out_len = len + 12;
	return buf;
}

static ferr *open_footer(const uint8_t *footer, size_t len, arena *a, parquet_file **f)
{
	size_t n;
	uint8_t *buf = wrap_footer(footer, len, &n);
	parquet_input in;
	parquet_input_from_memory(buf, n, "hand.parquet", &in);
	ferr *e = parquet_open(&in, NULL, a, f);
	parquet_input_close(&in);
	free(buf);
	return e;
}

static void test_thrift_skips_unknown_fields(void **state)
{
	/* FileMetaData with a schema (root + required INT32 x), no row groups,
	 * then unknown fields of every container type, then created_by. */
	static const uint8_t footer[] = {
		0x15, 0x02,                   /* 1: version = 1 */
		0x19, 0x2c,                   /* 2: list<struct> of 2 */
		0x48, 0x01, 'r', 0x15, 0x02, 0x00, /* root: name "r", num_children 1 */
		0x15, 0x02, 0x25, 0x00, 0x18, 0x01, 'x', 0x00, /* type INT32, REQUIRED, name "x" */
		0x16, 0x00,                   /* 3: num_rows = 0 */
		0x19, 0x0c,                   /* 4: row_groups, empty */
		0x0b, 0x28, 0x01, 0x85, 0x01, 'k', 0x04, /* 20: map<binary,i32> {"k": 2} */
		0x17, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, /* 21: double 1.0 */
		0x19, 0x21, 0x01, 0x02,       /* 22: list<bool> [true, false] */
		0x1c, 0x18, 0x00, 0x1a, 0x16, 0x00, 0x00, /* 23: struct {1: "", 2: set<i64>{0}} */
		0x08, 0x0c, 0x03, 'a', 'b', 'c', /* 6: created_by "abc" (long form header) */
		0x00};
	arena *a = arena_create(NULL, "t");
	parquet_file *f = NULL;
	ferr *e = open_footer(footer, sizeof(footer), a, &f);
	if (e) fail_msg("%s", e->message);
	assert_int_equal(f->ncols, 1);
	assert_string_equal(f->cols[0].name, "x");
	assert_int_equal(f->cols[0].type.id, TYPE_INT4);
	assert_false(f->cols[0].nullable);
	assert_non_null(f->created_by);
	assert_string_equal(f->created_by, "abc");
	assert_int_equal(f->nrow_groups, 0);
	arena_destroy(a);
}

static void test_hostile_footers(void **state)
{
	arena *a = arena_create(NULL, "t");
	parquet_file *f;
	/* A list that claims 2^31 elements. */
	static const uint8_t huge_list[] = {0x15, 0x02, 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00};
	ferr *e = open_footer(huge_list, sizeof(huge_list), a, &f);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DATA_CORRUPTED);
	assert_non_null(strstr(e->message, "parquet file 'hand.parquet': corrupt footer at offset"));
	ferr_free(e);
	/* Structs nested 2000 deep inside an unknown field. */
	uint8_t deep[4100];
	size_t n = 0;
	deep[n++] = 0x0c; /* field 100, struct (long form) */
	deep[n++] = 0xc8;
	deep[n++] = 0x01;
	for (int i = 0; i < 2000; i++) deep[n++] = 0x1c;
	for (int i = 0; i < 2001; i++) deep[n++] = 0x00;
	e = open_footer(deep, n, a, &f);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "nesting too deep"));
	ferr_free(e);
	/* A schema whose root claims more children than there are elements. */
	static const uint8_t children[] = {0x29, 0x1c, 0x48, 0x01, 'r', 0x15, 0xfe, 0xff, 0x03, 0x00,
	                                   0x16, 0x00, 0x19, 0x0c, 0x00};
	e = open_footer(children, sizeof(children), a, &f);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "corrupt schema"));
	ferr_free(e);
	/* A binary length beyond the data; a varint that never ends; truncated input. */
	static const uint8_t binlen[] = {0x29, 0x1c, 0x48, 0xff, 0xff, 0xff, 0x7f, 'r'};
	e = open_footer(binlen, sizeof(binlen), a, &f);
	assert_non_null(e);
	ferr_free(e);
	static const uint8_t varint[] = {0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
	e = open_footer(varint, sizeof(varint), a, &f);
	assert_non_null(e);
	ferr_free(e);
	/* Footer length larger than the file. */
	static const uint8_t small[] = {'P', 'A', 'R', '1', 0, 0, 0, 0x7f, 'P', 'A', 'R', '1', 0xff, 0xff, 0xff, 0x7f,
	                                'P', 'A', 'R', '1'};
	parquet_input in;
	parquet_input_from_memory(small, sizeof(small), "small.parquet", &in);
	e = parquet_open(&in, NULL, a, &f);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "footer length"));
	ferr_free(e);
	parquet_input_close(&in);
	/* Required fields missing: an empty struct. */
	static const uint8_t empty[] = {0x00};
	e = open_footer(empty, sizeof(empty), a, &f);
	assert_non_null(e);
	ferr_free(e);
	arena_destroy(a);
}

static void test_thrift_reader_bounds(void **state)
{
	thrift_reader r;
	/* A list header whose count exceeds the bytes left. */
	static const uint8_t l[] = {0xf5, 0x80, 0x01};
	int et;
	thrift_init(&r, l, sizeof(l));
	assert_int_equal(thrift_list(&r, TT_LIST, &et), 0);
	assert_false(thrift_ok(&r));
	/* A type mismatch is an error, not a misread. */
	static const uint8_t s[] = {0x18, 0x02, 'h', 'i', 0x00};
	thrift_init(&r, s, sizeof(s));
	int16_t last = 0, id;
	int ft;
	assert_true(thrift_struct_begin(&r));
	assert_true(thrift_field(&r, &last, &id, &ft));
	assert_int_equal(id, 1);
	(void)thrift_i32(&r, ft);
	assert_false(thrift_ok(&r));
	/* Skipping a well-formed struct consumes exactly its bytes. */
	thrift_init(&r, s, sizeof(s));
	thrift_skip(&r, TT_STRUCT);
	assert_true(thrift_ok(&r));
	assert_int_equal(thrift_consumed(&r), sizeof(s));
}

static void test_corrupt_page_header_message(void **state)
{
	REQUIRE_FIXTURES();
	FILE *fp = fopen(fixture_path("data/alltypes_plain.parquet"), "rb");
	assert_non_null(fp);
	static uint8_t buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	/* The first column chunk starts at offset 4 with a page header; make its first field type invalid. */
	buf[4] = 0x1f;
	parquet_input in;
	parquet_input_from_memory(buf, n, "x.parquet", &in);
	table t;
	ferr *e = read_input(&in, NULL, &t);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DATA_CORRUPTED);
	if (!strstr(e->message, "parquet file 'x.parquet': corrupt page header at offset 4"))
		fail_msg("unexpected message: %s", e->message);
	ferr_free(e);
	table_free(&t);
}

/* Deterministic mutations of valid files: success or an error, never a crash. */
static uint64_t rng_state;
static uint32_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

static void test_mutation_fuzz(void **state)
{
	REQUIRE_FIXTURES();
	static const char *files[] = {
		"data/alltypes_plain.snappy.parquet", "data/alltypes_dictionary.parquet",
		"data/datapage_v2.snappy.parquet", "data/delta_byte_array.parquet",
		"data/delta_binary_packed.parquet", "data/delta_length_byte_array.parquet",
		"data/byte_stream_split.zstd.parquet", "data/nested_lists.snappy.parquet",
		"data/nested_maps.snappy.parquet", "data/list_columns.parquet",
		"data/rle_boolean_encoding.parquet", "data/fixed_length_decimal.parquet",
		"data/nullable.impala.parquet", "data/lz4_raw_compressed.parquet",
		"data/concatenated_gzip_members.parquet", "data/int96_from_spark.parquet"};
	const int variants = getenv("PARQUET_FUZZ_VARIANTS") ? atoi(getenv("PARQUET_FUZZ_VARIANTS")) : 40;
	rng_state = getenv("PARQUET_FUZZ_SEED") ? strtoull(getenv("PARQUET_FUZZ_SEED"), NULL, 10) : 20240601;
	int ok = 0, failed = 0;
	for (size_t fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
		FILE *fp = fopen(fixture_path(files[fi]), "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		long size = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		uint8_t *orig = malloc((size_t)size);
		assert_int_equal(fread(orig, 1, (size_t)size, fp), (size_t)size);
		fclose(fp);
		uint32_t flen;
		memcpy(&flen, orig + size - 8, 4);
		for (int v = 0; v < variants; v++) {
			size_t n = (size_t)size;
			uint8_t *buf = malloc(n);
			memcpy(buf, orig, n);
			int kind = (int)(rnd() % 8);
			int edits = 1 + (int)(rnd() % 4);
			for (int k = 0; k < edits; k++) {
				size_t pos;
				if (kind < 3 && flen + 8 < n) pos = n - 8 - 1 - rnd() % flen; /* in the footer */
				else pos = rnd() % n;
				switch (rnd() % 4) {
				case 0: buf[pos] ^= (uint8_t)(1u << (rnd() % 8)); break;
				case 1: buf[pos] = (uint8_t)rnd(); break;
				case 2: buf[pos] = 0xff; break;
				default: buf[pos] = 0; break;
				}
			}
			if (kind == 7 && n > 16) { /* cut the file, keep a footer-looking tail */
				size_t cut = rnd() % (n / 2);
				memmove(buf + cut, buf + cut + cut / 2 + 1, n - cut - cut / 2 - 1);
				n -= cut / 2 + 1;
			}
			parquet_input in;
			parquet_input_from_memory(buf, n, "fuzz.parquet", &in);
			table t;
			ferr *e = read_input(&in, NULL, &t);
			if (e) {
				failed++;
				assert_true(strlen(e->sqlstate) == 5);
				assert_non_null(e->message);
				ferr_free(e);
			} else {
				ok++;
			}
			table_free(&t);
			free(buf);
		}
		free(orig);
	}
	print_message("mutation fuzz: %d variants read, %d rejected with an error\n", ok, failed);
	assert_true(failed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alltypes_plain),
		cmocka_unit_test(test_alltypes_snappy_and_dictionary),
		cmocka_unit_test(test_binary_as_string),
		cmocka_unit_test(test_tiny_pages_types),
		cmocka_unit_test(test_datapage_v2),
		cmocka_unit_test(test_delta_encodings),
		cmocka_unit_test(test_byte_stream_split),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_codecs),
		cmocka_unit_test(test_nulls_and_booleans),
		cmocka_unit_test(test_timestamps_and_misc_types),
		cmocka_unit_test(test_nested_as_json),
		cmocka_unit_test(test_statistics_and_row_group_skip),
		cmocka_unit_test(test_projection_io),
		cmocka_unit_test(test_bad_data_files),
		cmocka_unit_test(test_crc_verification),
		cmocka_unit_test(test_thrift_skips_unknown_fields),
		cmocka_unit_test(test_hostile_footers),
		cmocka_unit_test(test_thrift_reader_bounds),
		cmocka_unit_test(test_corrupt_page_header_message),
		cmocka_unit_test(test_mutation_fuzz),
	};
	return cmocka_run_group_tests(tests, setup_fixtures, NULL);
}
