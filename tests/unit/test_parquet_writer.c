/*
 * test_parquet_writer.c — the Parquet writer, checked by reading its files
 * back with Ferry's own reader: every type, NULLs, empty strings, many
 * pages and row groups, each codec, dictionary and PLAIN, statistics and
 * row-group skipping, the fs.h writer, and the promised errors.
 *
 * DuckDB cross-check (by hand, not a dependency of the repo): files written
 * by write_duckdb_sample() below (FERRY_PQW_DUCKDB_OUT=<dir>) were read with
 * @duckdb/node-api 1.x, read_parquet(); the figures it returned are in the
 * comment above test_duckdb_sample_values, which asserts the same figures
 * through Ferry's reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "formats/parquet/parquet.h"
#include "storage/fs.h"

#define OK(expr)                                                              \
	do {                                                                      \
		ferr *e_ = (expr);                                                    \
		if (e_) fail_msg("%s: %s: %s", #expr, e_->sqlstate, e_->message);     \
	} while (0)

/* ---------------------------------------------------------- memory sink */

typedef struct membuf {
	uint8_t *p;
	size_t len, cap;
	int writes;
	bool committed, aborted;
	int fail_after; /* fail the n-th write (1-based); 0 never */
} membuf;

static ferr *mem_write(void *ctx, const void *data, size_t len)
{
	membuf *m = ctx;
	if (m->fail_after && ++m->writes >= m->fail_after) return ferr_new(SQLSTATE_IO_ERROR, "disk full");
	if (m->len + len > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 4096;
		while (nc < m->len + len) nc *= 2;
		m->p = realloc(m->p, nc);
		m->cap = nc;
	}
	memcpy(m->p + m->len, data, len);
	m->len += len;
	return NULL;
}
static ferr *mem_commit(void *ctx)
{
	((membuf *)ctx)->committed = true;
	return NULL;
}
static void mem_abort(void *ctx) { ((membuf *)ctx)->aborted = true; }

static parquet_output mem_output(membuf *m)
{
	memset(m, 0, sizeof(*m));
	return (parquet_output){.name = "mem", .ctx = m, .write = mem_write, .commit = mem_commit, .abort = mem_abort};
}

/* Keep a copy of a written file in $FERRY_PQW_DUCKDB_OUT (for checking it with DuckDB by hand). */
static void dump_file(const membuf *m, const char *name)
{
	const char *dir = getenv("FERRY_PQW_DUCKDB_OUT");
	if (!dir || !*dir) return;
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.parquet", dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(m->p, 1, m->len, fp), m->len);
	fclose(fp);
}

/* ---------------------------------------------------------- data model */

enum { C_BOOL, C_I2, C_I4, C_I8, C_F4, C_F8, C_N4, C_N12, C_N30, C_N0, C_TEXT, C_VARCHAR, C_BPCHAR,
       C_BYTEA, C_DATE, C_TS, C_TSTZ, C_TIME, C_UUID, C_JSON, C_LOWCARD, NCOLS_ALL };

static const char *all_names[NCOLS_ALL] = {"b", "i2", "i4", "i8", "f4", "f8", "n4", "n12", "n30", "n0", "t",
                                           "vc", "bc", "by", "d", "ts", "tstz", "tm", "u", "j", "low"};

static ftype all_types(int c)
{
	switch (c) {
	case C_BOOL: return ftype_make(TYPE_BOOL);
	case C_I2: return ftype_make(TYPE_INT2);
	case C_I4: return ftype_make(TYPE_INT4);
	case C_I8: return ftype_make(TYPE_INT8);
	case C_F4: return ftype_make(TYPE_FLOAT4);
	case C_F8: return ftype_make(TYPE_FLOAT8);
	case C_N4: return ftype_numeric(4, 1);
	case C_N12: return ftype_numeric(12, 2);
	case C_N30: return ftype_numeric(30, 5);
	case C_N0: return ftype_numeric(0, 3);
	case C_TEXT: return ftype_make(TYPE_TEXT);
	case C_VARCHAR: return ftype_varchar(25);
	case C_BPCHAR: { ftype t = ftype_make(TYPE_BPCHAR); t.length = 3; return t; }
	case C_BYTEA: return ftype_make(TYPE_BYTEA);
	case C_DATE: return ftype_make(TYPE_DATE);
	case C_TS: return ftype_make(TYPE_TIMESTAMP);
	case C_TSTZ: return ftype_make(TYPE_TIMESTAMPTZ);
	case C_TIME: return ftype_make(TYPE_TIME);
	case C_UUID: return ftype_make(TYPE_UUID);
	case C_JSON: return ftype_make(TYPE_JSON);
	default: return ftype_make(TYPE_TEXT);
	}
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* Value of column c at global row r: deterministic, with NULLs every 7th row (not in C_I8). */
static void fill_value(vector *v, arena *a, int c, int slot, int64_t r)
{
	uint64_t h = mix((uint64_t)r * 31 + (uint64_t)c);
	if (c != C_I8 && r % 7 == 3) {
		vector_set_null(v, a, slot, BATCH_CAPACITY);
		return;
	}
	void *p = vector_at(v, slot);
	char s[64];
	switch (c) {
	case C_BOOL: *(uint8_t *)p = h & 1; break;
	case C_I2: *(int16_t *)p = (int16_t)h; break;
	case C_I4: *(int32_t *)p = (int32_t)h; break;
	case C_I8: *(int64_t *)p = r; break;
	case C_F4: *(float *)p = (float)((int64_t)(h % 200001) - 100000) / 8.0f; break;
	case C_F8: *(double *)p = r % 11 == 0 ? -0.0 : ((double)(int64_t)(h % 2000001) - 1000000) / 64.0; break;
	case C_N4: *(int64_t *)p = (int64_t)(h % 19999) - 9999; break;
	case C_N12: *(int64_t *)p = (int64_t)(h % 199999999999ull) - 99999999999ll; break;
	case C_N30:
	case C_N0: {
		__int128 n = (__int128)(int64_t)h * 1000003 * (r % 2 ? -1 : 1);
		if (r == 5) n = ((__int128)1 << 96) * (c == C_N30 ? -1 : 1); /* beyond int64 */
		memcpy(p, &n, 16);
		break;
	}
	case C_TEXT:
		if (r % 5 == 0) vector_set_string(v, a, slot, "", 0); /* empty, not NULL */
		else {
			int n = snprintf(s, sizeof(s), "t%llx-%s", (unsigned long long)h, r % 3 ? "é" : "z");
			vector_set_string(v, a, slot, s, (uint32_t)n);
		}
		break;
	case C_VARCHAR: {
		int n = snprintf(s, sizeof(s), "v%lld", (long long)(r * 7919 % 100003));
		vector_set_string(v, a, slot, s, (uint32_t)n);
		break;
	}
	case C_BPCHAR: vector_set_string(v, a, slot, r % 2 ? "ab " : "xyz", 3); break;
	case C_BYTEA: {
		uint8_t bin[9] = {0, 0xff, (uint8_t)h, (uint8_t)(h >> 8), 0x80, 1, 2, 3, (uint8_t)r};
		vector_set_string(v, a, slot, (const char *)bin, (uint32_t)(r % 10));
		break;
	}
	case C_DATE: *(int32_t *)p = (int32_t)(h % 40000) - 20000; break;
	case C_TS:
	case C_TSTZ: *(int64_t *)p = (int64_t)(h % 4000000000000000ull) - 2000000000000000ll; break;
	case C_TIME: *(int64_t *)p = (int64_t)(h % 86400000000ull); break;
	case C_UUID: {
		fuuid u;
		for (int i = 0; i < 16; i++) u.b[i] = (uint8_t)(mix(h + (uint64_t)i) >> 7);
		memcpy(p, &u, 16);
		break;
	}
	case C_JSON: {
		int n = snprintf(s, sizeof(s), "{\"k\": %lld}", (long long)(r % 13));
		vector_set_string(v, a, slot, s, (uint32_t)n);
		break;
	}
	case C_LOWCARD: {
		static const char *w[] = {"AIR", "MAIL", "SHIP", "TRUCK", "RAIL"};
		vector_set_string(v, a, slot, w[r % 5], (uint32_t)strlen(w[r % 5]));
		break;
	}
	}
}

/* Text of a cell as Ferry prints it (NULL -> NULL). */
static char *cell_text(const vector *v, int row, arena *a)
{
	if (vector_is_null(v, row)) return NULL;
	fmt_settings fs;
	fmt_settings_default(&fs);
	strbuf sb = STRBUF_INIT;
	value_out_text(v->type, vector_at(v, row), &fs, &sb);
	char *s = arena_strndup(a, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	return s;
}

typedef struct expect {
	int ncols;
	int64_t nrows, cap;
	char **cells;
} expect;

static void expect_add(expect *x, const batch *b, arena *a)
{
	for (int i = 0; i < b->count; i++) {
		if (x->nrows == x->cap) {
			x->cap = x->cap ? x->cap * 2 : 1024;
			x->cells = realloc(x->cells, (size_t)x->cap * (size_t)x->ncols * sizeof(char *));
		}
		for (int c = 0; c < x->ncols; c++)
			x->cells[x->nrows * x->ncols + c] = cell_text(&b->cols[c], batch_row(b, i), a);
		x->nrows++;
	}
}

/*
 * Write nrows rows of the columns cols[] in batches; every third batch
 * carries a selection vector dropping odd rows. Expected cells go to x.
 */
static ferr *write_rows(const parquet_output *out, const int *cols, int ncols, int64_t nrows,
                        const parquet_write_options *opt, expect *x, arena *a)
{
	const char *names[NCOLS_ALL];
	ftype types[NCOLS_ALL];
	for (int i = 0; i < ncols; i++) {
		names[i] = all_names[cols[i]];
		types[i] = all_types(cols[i]);
	}
	parquet_writer *w;
	TRY(parquet_writer_open(out, names, types, ncols, opt, &w));
	x->ncols = ncols;
	arena *ba = arena_create(a, "batch");
	int64_t r = 0;
	for (int k = 0; r < nrows; k++) {
		int n = nrows - r < BATCH_CAPACITY ? (int)(nrows - r) : BATCH_CAPACITY;
		batch *b = batch_create(ba, ncols, types, BATCH_CAPACITY);
		for (int c = 0; c < ncols; c++)
			for (int i = 0; i < n; i++) fill_value(&b->cols[c], ba, cols[c], i, r + i);
		b->count = n;
		if (k % 3 == 2) {
			b->sel = arena_alloc(ba, sizeof(uint16_t) * BATCH_CAPACITY);
			int m = 0;
			for (int i = 0; i < n; i += 2) b->sel[m++] = (uint16_t)i;
			b->count = m;
		}
		expect_add(x, b, a);
		ferr *e = parquet_writer_write_batch(w, b);
		if (e) {
			parquet_writer_abort(w);
			return e;
		}
		r += n;
		arena_reset(ba);
	}
	return parquet_writer_close(w);
}

/* Read the whole file and compare with x, cell by cell. */
static parquet_file *check_file(parquet_input *in, const expect *x, arena *a)
{
	parquet_file *f;
	OK(parquet_open(in, NULL, a, &f));
	assert_int_equal(f->ncols, x->ncols);
	assert_int_equal(f->num_rows, x->nrows);
	int cols[NCOLS_ALL];
	for (int i = 0; i < f->ncols; i++) cols[i] = i;
	int64_t row = 0;
	arena *ba = arena_create(a, "read");
	for (int g = 0; g < f->nrow_groups; g++) {
		parquet_reader *r = NULL;
		OK(parquet_reader_open(f, g, cols, f->ncols, a, &r));
		batch *b;
		for (;;) {
			OK(parquet_reader_next(r, ba, &b));
			if (!b) break;
			for (int i = 0; i < b->count; i++, row++) {
				assert_true(row < x->nrows);
				for (int c = 0; c < f->ncols; c++) {
					const char *want = x->cells[row * x->ncols + c];
					char *got = cell_text(&b->cols[c], batch_row(b, i), ba);
					if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
						fail_msg("row %lld column %s: want %s, got %s", (long long)row, f->cols[c].name,
						         want ? want : "NULL", got ? got : "NULL");
				}
			}
			arena_reset(ba);
		}
		parquet_reader_close(r);
	}
	assert_int_equal(row, x->nrows);
	return f;
}

static void roundtrip(parquet_codec codec, bool dict, uint32_t page_bytes, uint64_t rg_bytes, int64_t nrows)
{
	arena *a = arena_create(NULL, "test");
	int cols[NCOLS_ALL];
	for (int i = 0; i < NCOLS_ALL; i++) cols[i] = i;
	membuf m;
	parquet_output out = mem_output(&m);
	parquet_write_options opt = {.codec = codec, .no_dictionary = !dict, .page_bytes = page_bytes,
	                             .row_group_bytes = rg_bytes};
	expect x = {0};
	OK(write_rows(&out, cols, NCOLS_ALL, nrows, &opt, &x, a));
	assert_true(m.committed);
	assert_false(m.aborted);
	char fname[64];
	snprintf(fname, sizeof(fname), "alltypes_%d_%d_%u", (int)codec, (int)dict, (unsigned)page_bytes);
	dump_file(&m, fname);
	parquet_input in;
	parquet_input_from_memory(m.p, m.len, "written", &in);
	parquet_file *f = check_file(&in, &x, a);
	if (rg_bytes) assert_true(f->nrow_groups >= 3);
	/* The reader sees the types Ferry wrote. */
	assert_int_equal(f->cols[C_I2].type.id, TYPE_INT2);
	assert_int_equal(f->cols[C_N12].type.id, TYPE_NUMERIC);
	assert_int_equal(f->cols[C_N12].type.precision, 12);
	assert_int_equal(f->cols[C_N12].type.scale, 2);
	assert_int_equal(f->cols[C_N30].type.precision, 30);
	assert_int_equal(f->cols[C_N0].type.precision, 38);
	assert_int_equal(f->cols[C_TS].type.id, TYPE_TIMESTAMP);
	assert_int_equal(f->cols[C_TSTZ].type.id, TYPE_TIMESTAMPTZ);
	assert_int_equal(f->cols[C_TIME].type.id, TYPE_TIME);
	assert_int_equal(f->cols[C_UUID].type.id, TYPE_UUID);
	assert_int_equal(f->cols[C_JSON].type.id, TYPE_JSON);
	assert_int_equal(f->cols[C_BYTEA].type.id, TYPE_BYTEA);
	assert_int_equal(f->cols[C_TEXT].type.id, TYPE_TEXT);
	assert_int_equal(f->cols[C_DATE].type.id, TYPE_DATE);
	for (int c = 0; c < f->ncols; c++) assert_true(f->cols[c].nullable);
	parquet_input_close(&in);
	free(x.cells);
	free(m.p);
	arena_destroy(a);
}

static void test_roundtrip_zstd_dict(void **state) { roundtrip(PARQUET_CODEC_ZSTD, true, 0, 0, 5000); }
static void test_roundtrip_snappy_plain(void **state) { roundtrip(PARQUET_CODEC_SNAPPY, false, 0, 0, 5000); }
static void test_roundtrip_uncompressed(void **state) { roundtrip(PARQUET_CODEC_UNCOMPRESSED, true, 0, 0, 300); }
/* Small pages and row groups: many of each, batches split across them. */
static void test_roundtrip_many_pages_groups_zstd(void **state)
{
	roundtrip(PARQUET_CODEC_ZSTD, true, 2048, 48 * 1024, 30000);
}
static void test_roundtrip_many_pages_groups_snappy_plain(void **state)
{
	roundtrip(PARQUET_CODEC_SNAPPY, false, 1024, 32 * 1024, 20000);
}

/* A dictionary that outgrows its limit mid-chunk falls back to PLAIN; both read back. */
static void test_dictionary_fallback_and_size(void **state)
{
	arena *a = arena_create(NULL, "test");
	int cols[] = {C_VARCHAR, C_LOWCARD};
	membuf m1, m2;
	parquet_output o1 = mem_output(&m1);
	parquet_write_options opt = {.codec = PARQUET_CODEC_UNCOMPRESSED, .dictionary_bytes = 4096,
	                             .page_bytes = 8192};
	expect x = {0};
	OK(write_rows(&o1, cols, 2, 50000, &opt, &x, a));
	parquet_input in;
	parquet_input_from_memory(m1.p, m1.len, "dict", &in);
	check_file(&in, &x, a);
	free(x.cells);
	memset(&x, 0, sizeof(x));
	/* The low-cardinality column is much smaller dictionary-encoded than PLAIN. */
	parquet_output o2 = mem_output(&m2);
	opt.no_dictionary = true;
	OK(write_rows(&o2, cols, 2, 50000, &opt, &x, a));
	assert_true(m1.len * 3 / 2 < m2.len);
	parquet_input in2;
	parquet_input_from_memory(m2.p, m2.len, "plain", &in2);
	check_file(&in2, &x, a);
	parquet_input_close(&in);
	parquet_input_close(&in2);
	free(x.cells);
	free(m1.p);
	free(m2.p);
	arena_destroy(a);
}

/* ----------------------------------------------------------- statistics */

static batch *one_col_batch(arena *a, ftype t, int n)
{
	batch *b = batch_create(a, 1, &t, BATCH_CAPACITY);
	b->count = n;
	return b;
}

static void test_statistics_and_skipping(void **state)
{
	arena *a = arena_create(NULL, "test");
	const char *names[] = {"id", "s", "f", "ts", "n", "allnull"};
	ftype types[] = {ftype_make(TYPE_INT8), ftype_make(TYPE_TEXT), ftype_make(TYPE_FLOAT8),
	                 ftype_make(TYPE_TIMESTAMP), ftype_numeric(30, 2), ftype_make(TYPE_INT4)};
	membuf m;
	parquet_output out = mem_output(&m);
	/* row_group_bytes 1: every slice of 256 rows closes a row group. */
	parquet_write_options opt = {.row_group_bytes = 1};
	parquet_writer *w;
	OK(parquet_writer_open(&out, names, types, 6, &opt, &w));
	for (int g = 0; g < 2; g++) {
		batch *b = batch_create(a, 6, types, BATCH_CAPACITY);
		b->count = 256;
		for (int i = 0; i < 256; i++) {
			int64_t id = g * 1000 + i;
			*(int64_t *)vector_at(&b->cols[0], i) = id;
			/* "é" (0xC3 0xA9) sorts after "z" as unsigned bytes; "" is the least. */
			const char *s = i == 0 ? "" : i == 1 ? "\xc3\xa9t\xc3\xa9" : i == 2 ? "zz" : "m";
			if (g == 1 && i > 0) s = "b";
			vector_set_string(&b->cols[1], a, i, s, (uint32_t)strlen(s));
			*(double *)vector_at(&b->cols[2], i) = i == 7 ? NAN : (double)(i - 100) / 4;
			*(int64_t *)vector_at(&b->cols[3], i) = INT64_C(757382400000000) + id; /* 2024-01-01 */
			__int128 n = (__int128)(i - 128) * 100000000000000000ll;
			memcpy(vector_at(&b->cols[4], i), &n, 16);
			vector_set_null(&b->cols[5], a, i, BATCH_CAPACITY);
			if (i % 10 == 0) vector_set_null(&b->cols[0], a, i, BATCH_CAPACITY);
		}
		OK(parquet_writer_write_batch(w, b));
	}
	assert_int_equal(parquet_writer_rows(w), 512);
	OK(parquet_writer_close(w));
	dump_file(&m, "stats");

	parquet_input in;
	parquet_input_from_memory(m.p, m.len, "stats", &in);
	parquet_file *f;
	OK(parquet_open(&in, NULL, a, &f));
	assert_int_equal(f->nrow_groups, 2);
	const parquet_stats *st = &f->row_groups[1].stats[0];
	assert_true(st->has_range);
	assert_int_equal(st->min.u.i, 1001); /* 1000 is NULL */
	assert_int_equal(st->max.u.i, 1255);
	assert_true(st->has_null_count);
	assert_int_equal(st->null_count, 26);
	st = &f->row_groups[0].stats[1];
	assert_true(st->has_range);
	assert_int_equal(st->min.u.s.len, 0);
	assert_int_equal(st->max.u.s.len, 5);
	assert_memory_equal(st->max.u.s.ptr, "\xc3\xa9t\xc3\xa9", 5);
	assert_int_equal(st->null_count, 0);
	st = &f->row_groups[0].stats[2];
	assert_true(st->has_range); /* NaN left out of the bounds */
	assert_true(st->min.u.f == -25.0);
	assert_true(st->max.u.f == 155.0 / 4);
	st = &f->row_groups[0].stats[3];
	assert_int_equal(st->min.u.i, INT64_C(757382400000000));
	assert_int_equal(st->max.u.i, INT64_C(757382400000000) + 255);
	st = &f->row_groups[0].stats[4];
	assert_true(st->has_range);
	assert_true(st->min.u.n == (__int128)-128 * 100000000000000000ll);
	assert_true(st->max.u.n == (__int128)127 * 100000000000000000ll);
	st = &f->row_groups[0].stats[5];
	assert_false(st->has_range);
	assert_int_equal(st->null_count, 256);

	/* Skipping with those statistics. */
	parquet_col_range r = {.col = 0, .has_lo = true, .lo = {.u.i = 500}};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1));
	assert_false(parquet_row_group_can_skip(f, 1, &r, 1));
	r = (parquet_col_range){.col = 1, .has_lo = true, .lo = {.u.s = {2, "zz"}}, .has_hi = true,
	                        .hi = {.u.s = {3, "zzz"}}};
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1)); /* "zz" is in group 0 */
	assert_true(parquet_row_group_can_skip(f, 1, &r, 1));
	r = (parquet_col_range){.col = 5, .has_lo = true, .lo = {.u.i = 0}};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1)); /* only NULLs */
	r = (parquet_col_range){.col = 4, .has_lo = true, .lo = {.u.n = (__int128)128 * 100000000000000000ll}};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1));
	r = (parquet_col_range){.col = 0, .only_null = true};
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1));
	r = (parquet_col_range){.col = 1, .only_null = true};
	assert_true(parquet_row_group_can_skip(f, 0, &r, 1));
	parquet_input_close(&in);
	free(m.p);
	arena_destroy(a);
}

/* Long strings get truncated, inexact bounds that still bracket the values. */
static void test_long_string_statistics(void **state)
{
	arena *a = arena_create(NULL, "test");
	const char *names[] = {"s"};
	ftype t = ftype_make(TYPE_TEXT);
	membuf m;
	parquet_output out = mem_output(&m);
	parquet_writer *w;
	OK(parquet_writer_open(&out, names, &t, 1, NULL, &w));
	batch *b = one_col_batch(a, t, 2);
	char big[1000];
	memset(big, 'a', sizeof(big));
	vector_set_string(&b->cols[0], a, 0, big, sizeof(big));
	memset(big, 'q', sizeof(big));
	vector_set_string(&b->cols[0], a, 1, big, sizeof(big));
	OK(parquet_writer_write_batch(w, b));
	OK(parquet_writer_close(w));
	parquet_input in;
	parquet_input_from_memory(m.p, m.len, "long", &in);
	parquet_file *f;
	OK(parquet_open(&in, NULL, a, &f));
	const parquet_stats *st = &f->row_groups[0].stats[0];
	assert_true(st->has_range);
	assert_true(st->min.u.s.len < 1000 && st->max.u.s.len < 1000);
	assert_true(memcmp(st->min.u.s.ptr, "aaaa", 4) == 0);
	assert_true((uint8_t)st->max.u.s.ptr[st->max.u.s.len - 1] == 'r'); /* "qqq...r" > "qqq...q" */
	parquet_col_range r = {.col = 0, .has_lo = true, .lo = {.u.s = {1000, big}}, .has_hi = true,
	                       .hi = {.u.s = {1000, big}}};
	assert_false(parquet_row_group_can_skip(f, 0, &r, 1));
	parquet_input_close(&in);
	free(m.p);
	arena_destroy(a);
}

/* ------------------------------------------------------------- special */

/* Constant vectors, and a batch whose every row is NULL through the validity bitmap. */
static void test_const_vector_and_all_null(void **state)
{
	arena *a = arena_create(NULL, "test");
	const char *names[] = {"k", "v"};
	ftype types[] = {ftype_make(TYPE_INT4), ftype_make(TYPE_TEXT)};
	membuf m;
	parquet_output out = mem_output(&m);
	parquet_writer *w;
	OK(parquet_writer_open(&out, names, types, 2, NULL, &w));
	batch *b = batch_create(a, 2, types, BATCH_CAPACITY);
	b->count = 100;
	b->cols[0].is_const = true;
	*(int32_t *)vector_at(&b->cols[0], 0) = 42;
	for (int i = 0; i < 100; i++) vector_set_null(&b->cols[1], a, i, BATCH_CAPACITY);
	OK(parquet_writer_write_batch(w, b));
	OK(parquet_writer_close(w));
	parquet_input in;
	parquet_input_from_memory(m.p, m.len, "const", &in);
	expect x = {.ncols = 2};
	char **cells = calloc(200, sizeof(char *));
	for (int i = 0; i < 100; i++) cells[i * 2] = "42";
	x.cells = cells;
	x.nrows = 100;
	check_file(&in, &x, a);
	free(cells);
	parquet_input_close(&in);
	free(m.p);
	arena_destroy(a);
}

static void test_interval_rejected(void **state)
{
	const char *names[] = {"ok", "span"};
	ftype types[] = {ftype_make(TYPE_INT4), ftype_make(TYPE_INTERVAL)};
	membuf m;
	parquet_output out = mem_output(&m);
	parquet_writer *w = (parquet_writer *)1;
	ferr *e = parquet_writer_open(&out, names, types, 2, NULL, &w);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_FEATURE_NOT_SUPPORTED);
	assert_non_null(strstr(e->message, "\"span\""));
	assert_non_null(strstr(e->message, "interval"));
	assert_null(w);
	assert_true(m.aborted);
	ferr_free(e);
	free(m.p);
}

/* An output error fails the writer; later calls repeat it and the output is aborted. */
static void test_output_error(void **state)
{
	arena *a = arena_create(NULL, "test");
	const char *names[] = {"i"};
	ftype t = ftype_make(TYPE_INT8);
	membuf m;
	parquet_output out = mem_output(&m);
	m.fail_after = 2; /* the magic goes through, the first row group does not */
	parquet_write_options opt = {.row_group_bytes = 1};
	parquet_writer *w;
	OK(parquet_writer_open(&out, names, &t, 1, &opt, &w));
	batch *b = one_col_batch(a, t, 1000);
	for (int i = 0; i < 1000; i++) *(int64_t *)vector_at(&b->cols[0], i) = i;
	ferr *e = parquet_writer_write_batch(w, b);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_IO_ERROR);
	assert_non_null(strstr(e->message, "disk full"));
	ferr_free(e);
	e = parquet_writer_close(w);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_IO_ERROR);
	ferr_free(e);
	assert_true(m.aborted);
	assert_false(m.committed);

	/* Timestamps beyond the Unix-epoch int64 range are an error, not a wrapped value. */
	membuf m2;
	parquet_output o2 = mem_output(&m2);
	ftype ts = ftype_make(TYPE_TIMESTAMP);
	OK(parquet_writer_open(&o2, names, &ts, 1, NULL, &w));
	b = one_col_batch(a, ts, 1);
	*(int64_t *)vector_at(&b->cols[0], 0) = INT64_MAX;
	e = parquet_writer_write_batch(w, b);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DATETIME_FIELD_OVERFLOW);
	ferr_free(e);
	parquet_writer_abort(w);
	assert_true(m2.aborted);
	free(m.p);
	free(m2.p);
	arena_destroy(a);
}

/* Through storage/fs.h's streaming writer to the local disk, read back with pread. */
static void test_fs_writer_local(void **state)
{
	arena *a = arena_create(NULL, "test");
	fs *fsys;
	OK(fs_create(NULL, &fsys));
	char path[256];
	snprintf(path, sizeof(path), "/tmp/ferry_pqw_%d.parquet", (int)getpid());
	fs_writer *fw;
	OK(fs_writer_open(fsys, path, &fw));
	parquet_output out;
	parquet_output_from_fs_writer(fw, path, &out);
	int cols[] = {C_I8, C_TEXT, C_DATE, C_N12};
	expect x = {0};
	parquet_write_options opt = {.codec = PARQUET_CODEC_SNAPPY};
	OK(write_rows(&out, cols, 4, 10000, &opt, &x, a));
	parquet_input in;
	OK(parquet_input_open_local(path, &in));
	check_file(&in, &x, a);
	parquet_input_close(&in);
	unlink(path);
	free(x.cells);
	fs_destroy(fsys);
	arena_destroy(a);
}

/* ------------------------------------------------------ DuckDB sample */

/*
 * A fixed sample (10000 rows): id int8 0..9999, v int4 = id*3 (NULL when
 * id % 10 == 0), s text "s" || (id % 100) (NULL when id % 7 == 0),
 * ts timestamp 2024-01-01 00:00:00 + id seconds, tstz the same as
 * timestamptz, d date 2024-01-01 + id % 365, amt numeric(12,2) id/100.
 */
static ferr *write_duckdb_sample(const parquet_output *out, parquet_codec codec, bool dict, arena *a)
{
	const char *names[] = {"id", "v", "s", "ts", "tstz", "d", "amt"};
	ftype types[] = {ftype_make(TYPE_INT8), ftype_make(TYPE_INT4), ftype_make(TYPE_TEXT),
	                 ftype_make(TYPE_TIMESTAMP), ftype_make(TYPE_TIMESTAMPTZ), ftype_make(TYPE_DATE),
	                 ftype_numeric(12, 2)};
	parquet_write_options opt = {.codec = codec, .no_dictionary = !dict, .row_group_bytes = 16 * 1024};
	parquet_writer *w;
	TRY(parquet_writer_open(out, names, types, 7, &opt, &w));
	arena *ba = arena_create(a, "b");
	for (int64_t r = 0; r < 10000; r += 2000) {
		batch *b = batch_create(ba, 7, types, BATCH_CAPACITY);
		b->count = 2000;
		for (int i = 0; i < 2000; i++) {
			int64_t id = r + i;
			*(int64_t *)vector_at(&b->cols[0], i) = id;
			if (id % 10 == 0) vector_set_null(&b->cols[1], ba, i, BATCH_CAPACITY);
			else *(int32_t *)vector_at(&b->cols[1], i) = (int32_t)(id * 3);
			if (id % 7 == 0) vector_set_null(&b->cols[2], ba, i, BATCH_CAPACITY);
			else {
				char s[16];
				int n = snprintf(s, sizeof(s), "s%d", (int)(id % 100));
				vector_set_string(&b->cols[2], ba, i, s, (uint32_t)n);
			}
			*(int64_t *)vector_at(&b->cols[3], i) = INT64_C(757382400000000) + id * 1000000;
			*(int64_t *)vector_at(&b->cols[4], i) = INT64_C(757382400000000) + id * 1000000;
			*(int32_t *)vector_at(&b->cols[5], i) = 8766 + (int32_t)(id % 365);
			*(int64_t *)vector_at(&b->cols[6], i) = id;
		}
		ferr *e = parquet_writer_write_batch(w, b);
		if (e) {
			parquet_writer_abort(w);
			return e;
		}
		arena_reset(ba);
	}
	return parquet_writer_close(w);
}

/*
 * DuckDB (@duckdb/node-api 1.5.6-r.1, read_parquet) on the four variants of the
 * sample (zstd/snappy x dictionary/plain), all identical:
 *   SELECT count(*), sum(v), count(*) - count(v), count(*) - count(s),
 *          min(s), max(s), max(ts), max(tstz), min(d), max(d), sum(amt)
 *   -> 10000, 135000000, 1000, 1429, 's0', 's99',
 *      2024-01-01 02:46:39, 2024-01-01 02:46:39+00, 2024-01-01, 2024-12-30, 499950.00
 *   typeof(ts) TIMESTAMP, typeof(tstz) TIMESTAMP WITH TIME ZONE, typeof(amt) DECIMAL(12,2)
 * The same figures through Ferry's reader:
 */
static void test_duckdb_sample_values(void **state)
{
	static const parquet_codec codecs[] = {PARQUET_CODEC_ZSTD, PARQUET_CODEC_SNAPPY};
	const char *dir = getenv("FERRY_PQW_DUCKDB_OUT");
	for (int k = 0; k < 4; k++) {
		arena *a = arena_create(NULL, "test");
		membuf m;
		parquet_output out = mem_output(&m);
		OK(write_duckdb_sample(&out, codecs[k / 2], k % 2 == 0, a));
		if (dir && *dir) {
			char path[512];
			snprintf(path, sizeof(path), "%s/sample_%s_%s.parquet", dir, k / 2 ? "snappy" : "zstd",
			         k % 2 ? "plain" : "dict");
			FILE *fp = fopen(path, "wb");
			assert_non_null(fp);
			assert_int_equal(fwrite(m.p, 1, m.len, fp), m.len);
			fclose(fp);
		}
		parquet_input in;
		parquet_input_from_memory(m.p, m.len, "sample", &in);
		parquet_file *f;
		OK(parquet_open(&in, NULL, a, &f));
		assert_true(f->nrow_groups > 1);
		int cols[] = {0, 1, 2, 3, 4, 5, 6};
		int64_t count = 0, sumv = 0, nullv = 0, nulls = 0, maxts = INT64_MIN, sumamt = 0;
		int32_t mind = INT32_MAX, maxd = INT32_MIN;
		char mins[16] = "", maxs[16] = "";
		arena *ba = arena_create(a, "r");
		for (int g = 0; g < f->nrow_groups; g++) {
			parquet_reader *r;
			OK(parquet_reader_open(f, g, cols, 7, a, &r));
			batch *b;
			for (;;) {
				OK(parquet_reader_next(r, ba, &b));
				if (!b) break;
				for (int i = 0; i < b->count; i++) {
					count++;
					if (vector_is_null(&b->cols[1], i)) nullv++;
					else sumv += *(int32_t *)vector_at(&b->cols[1], i);
					if (vector_is_null(&b->cols[2], i)) nulls++;
					else {
						const fstring *s = vector_at(&b->cols[2], i);
						char buf[16];
						snprintf(buf, sizeof(buf), "%.*s", (int)s->len, s->ptr);
						if (!*mins || strcmp(buf, mins) < 0) strcpy(mins, buf);
						if (strcmp(buf, maxs) > 0) strcpy(maxs, buf);
					}
					int64_t ts = *(int64_t *)vector_at(&b->cols[3], i);
					assert_int_equal(ts, *(int64_t *)vector_at(&b->cols[4], i));
					if (ts > maxts) maxts = ts;
					int32_t d = *(int32_t *)vector_at(&b->cols[5], i);
					if (d < mind) mind = d;
					if (d > maxd) maxd = d;
					sumamt += *(int64_t *)vector_at(&b->cols[6], i);
				}
				arena_reset(ba);
			}
			parquet_reader_close(r);
		}
		assert_int_equal(count, 10000);
		assert_int_equal(sumv, 135000000);
		assert_int_equal(nullv, 1000);
		assert_int_equal(nulls, 1429);
		assert_string_equal(mins, "s0");
		assert_string_equal(maxs, "s99");
		/* 2024-01-01 02:46:39 */
		assert_int_equal(maxts, INT64_C(757382400000000) + INT64_C(9999000000));
		assert_int_equal(mind, date_from_ymd(2024, 1, 1));
		assert_int_equal(maxd, date_from_ymd(2024, 12, 30));
		assert_int_equal(sumamt, 49995000); /* 499950.00 */
		assert_int_equal(f->cols[4].type.id, TYPE_TIMESTAMPTZ);
		parquet_input_close(&in);
		free(m.p);
		arena_destroy(a);
	}
}

/* ------------------------------------------------------- benchmark */

/*
 * TPC-H-like lineitem slice: int8 key, numeric(12,2), date, varchar(25)
 * comments; PARQUET_WRITER_BENCH_ROWS rows (default 0 = skipped) with zstd,
 * written to FERRY_PQW_DUCKDB_OUT/bench.parquet when set.
 */
static void test_write_benchmark(void **state)
{
	const char *env = getenv("PARQUET_WRITER_BENCH_ROWS");
	int64_t nrows = env ? atoll(env) : 0;
	if (nrows <= 0) {
		print_message("SKIP: set PARQUET_WRITER_BENCH_ROWS to run the write benchmark\n");
		skip();
	}
	arena *a = arena_create(NULL, "bench");
	const char *names[] = {"l_orderkey", "l_extendedprice", "l_shipdate", "l_comment"};
	ftype types[] = {ftype_make(TYPE_INT8), ftype_numeric(12, 2), ftype_make(TYPE_DATE), ftype_varchar(25)};
	static const char *words[] = {"furiously", "quickly", "carefully", "blithely", "slyly", "regular",
	                              "express", "final", "pending", "ironic", "special", "bold",
	                              "deposits", "accounts", "packages", "requests"};
	/* Pre-built batches (the timing covers the writer only). */
	enum { NB = 16 };
	batch *bs[NB];
	for (int k = 0; k < NB; k++) {
		batch *b = batch_create(a, 4, types, BATCH_CAPACITY);
		b->count = BATCH_CAPACITY;
		bs[k] = b;
	}
	const char *dir = getenv("FERRY_PQW_DUCKDB_OUT");
	char path[512];
	membuf m;
	parquet_output out = mem_output(&m);
	fs *fsys = NULL;
	if (dir && *dir) {
		snprintf(path, sizeof(path), "%s/bench.parquet", dir);
		OK(fs_create(NULL, &fsys));
		fs_writer *fw;
		OK(fs_writer_open(fsys, path, &fw));
		parquet_output_from_fs_writer(fw, path, &out);
	}
	parquet_write_options opt = {.codec = PARQUET_CODEC_ZSTD};
	parquet_writer *w;
	OK(parquet_writer_open(&out, names, types, 4, &opt, &w));
	struct timespec t0, t1;
	double fill = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int64_t r = 0; r < nrows; r += BATCH_CAPACITY) {
		struct timespec f0, f1;
		clock_gettime(CLOCK_MONOTONIC, &f0);
		batch *b = bs[(r / BATCH_CAPACITY) % NB];
		int n = nrows - r < BATCH_CAPACITY ? (int)(nrows - r) : BATCH_CAPACITY;
		b->count = n;
		for (int i = 0; i < n; i++) {
			int64_t id = r + i;
			uint64_t h = mix((uint64_t)id);
			*(int64_t *)vector_at(&b->cols[0], i) = id / 4 + 1;
			*(int64_t *)vector_at(&b->cols[1], i) = 90000 + (int64_t)(h % 10400000);
			*(int32_t *)vector_at(&b->cols[2], i) = -2557 + (int32_t)(h >> 20) % 2526; /* 1993..1999 */
			fstring *s = vector_at(&b->cols[3], i);
			/* three words, like dbgen's text pool */
			static char pool[NB][BATCH_CAPACITY][32];
			char *p = pool[(r / BATCH_CAPACITY) % NB][i];
			int len = snprintf(p, 32, "%s %s %s", words[h >> 40 & 15], words[h >> 44 & 15], words[h >> 48 & 15]);
			if (len > 25) len = 25;
			s->ptr = p;
			s->len = (uint32_t)len;
		}
		clock_gettime(CLOCK_MONOTONIC, &f1);
		fill += (double)(f1.tv_sec - f0.tv_sec) + (double)(f1.tv_nsec - f0.tv_nsec) / 1e9;
		OK(parquet_writer_write_batch(w, b));
	}
	uint64_t bytes = 0;
	OK(parquet_writer_close(w));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 - fill;
	bytes = fsys ? 0 : m.len;
	if (fsys) {
		fs_file_info fi;
		OK(fs_stat(fsys, path, &fi));
		bytes = fi.size;
		fs_destroy(fsys);
	}
	print_message("parquet writer: %lld rows in %.3f s (%.2f M rows/s), %llu bytes\n", (long long)nrows, secs,
	              (double)nrows / secs / 1e6, (unsigned long long)bytes);
	free(m.p);
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_zstd_dict),
		cmocka_unit_test(test_roundtrip_snappy_plain),
		cmocka_unit_test(test_roundtrip_uncompressed),
		cmocka_unit_test(test_roundtrip_many_pages_groups_zstd),
		cmocka_unit_test(test_roundtrip_many_pages_groups_snappy_plain),
		cmocka_unit_test(test_dictionary_fallback_and_size),
		cmocka_unit_test(test_statistics_and_skipping),
		cmocka_unit_test(test_long_string_statistics),
		cmocka_unit_test(test_const_vector_and_all_null),
		cmocka_unit_test(test_interval_rejected),
		cmocka_unit_test(test_output_error),
		cmocka_unit_test(test_fs_writer_local),
		cmocka_unit_test(test_duckdb_sample_values),
		cmocka_unit_test(test_write_benchmark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
