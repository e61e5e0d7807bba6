/*
 * test_hive_stats.c — the hive connector's column statistics without files:
 * decimal ranges as Trino's decimalStatistics (strings, exact at 38
 * digits; merged by value, not by text; numbers of other writers read
 * too; garbage dropped), their planner form, and the NDV sketches kept in
 * a document's parameters (recorded, united on merge, corrupt ones
 * refused), and the figures derived from Parquet footers (hand-made
 * footers: ranges, nulls, distinct-count bounds, widened file types).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/hll.h"
#include "connectors/hive/hive_internal.h"
#include "formats/parquet/parquet.h"

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	return j;
}

/* The merged decimalStatistics of two documents as compact text ("" when dropped). */
static char *merged_range(const char *a, const char *b)
{
	json_t *x = load(a), *y = load(b);
	json_t *m = hive_col_stats_json_merge(x, 1, y, 1);
	json_t *r = json_object_get(m, "decimalStatistics");
	char *text = r ? json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT) : strdup("");
	json_decref(m);
	json_decref(x);
	json_decref(y);
	return text;
}

static void expect_merge(const char *a, const char *b, const char *want)
{
	char *got = merged_range(a, b);
	assert_string_equal(got, want);
	free(got);
}

static void test_decimal_merge(void **state)
{
	(void)state;
	/* by value: -12.5001 < -12.50, 3.10 = 3.1 (the first side's text is kept), 10 > 9.99 */
	expect_merge("{\"decimalStatistics\":{\"min\":\"-12.50\",\"max\":\"3.1\"}}",
	             "{\"decimalStatistics\":{\"min\":\"-12.5001\",\"max\":\"3.10\"}}",
	             "{\"max\":\"3.1\",\"min\":\"-12.5001\"}");
	expect_merge("{\"decimalStatistics\":{\"min\":\"0.5\",\"max\":\"9.99\"}}",
	             "{\"decimalStatistics\":{\"min\":\"-0.00\",\"max\":\"10\"}}",
	             "{\"max\":\"10\",\"min\":\"-0.00\"}");
	/* 38 digits: a double could not tell these apart */
	expect_merge("{\"decimalStatistics\":{\"min\":\"12345678901234567890123456789012345678\","
	             "\"max\":\"12345678901234567890123456789012345679\"}}",
	             "{\"decimalStatistics\":{\"min\":\"12345678901234567890123456789012345677\","
	             "\"max\":\"12345678901234567890123456789012345678\"}}",
	             "{\"max\":\"12345678901234567890123456789012345679\","
	             "\"min\":\"12345678901234567890123456789012345677\"}");
	/* a JSON number from another writer compares too */
	expect_merge("{\"decimalStatistics\":{\"min\":1.5,\"max\":2}}",
	             "{\"decimalStatistics\":{\"min\":\"1.25\",\"max\":\"1.75\"}}",
	             "{\"max\":2,\"min\":\"1.25\"}");
	/* anything else drops the range instead of misreading it */
	expect_merge("{\"decimalStatistics\":{\"min\":\"abc\",\"max\":\"2\"}}",
	             "{\"decimalStatistics\":{\"min\":\"1\",\"max\":\"2\"}}", "");
	expect_merge("{\"decimalStatistics\":{\"min\":\"1\"}}",
	             "{\"decimalStatistics\":{\"min\":\"1\",\"max\":\"2\"}}", "");
}

/* A one-column batch of numeric(p,s) unscaled values (narrow: int64; wide: int128). */
static batch *decimal_batch(arena *a, ftype t, const __int128 *v, const bool *null, int n)
{
	batch *b = batch_create(a, 1, &t, BATCH_CAPACITY);
	for (int i = 0; i < n; i++) {
		if (null[i]) vector_set_null(&b->cols[0], a, i, BATCH_CAPACITY);
		else if (numeric_is_wide(t)) ((__int128 *)b->cols[0].data)[i] = v[i];
		else ((int64_t *)b->cols[0].data)[i] = (int64_t)v[i];
	}
	b->count = n;
	return b;
}

static void test_decimal_collect(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	/* numeric(12,2): -7.05, NULL, 1234.50, 0.01 */
	ftype narrow = ftype_numeric(12, 2);
	__int128 nv[4] = {-705, 0, 123450, 1};
	bool nn[4] = {false, true, false, false};
	hive_col_stats s;
	hive_col_stats_init(&s, narrow);
	batch *nb = decimal_batch(a, narrow, nv, nn, 4);
	hive_col_stats_add(&s, &nb->cols[0], nb);
	json_t *j = hive_col_stats_json(&s);
	char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(text, "{\"decimalStatistics\":{\"max\":\"1234.50\",\"min\":\"-7.05\"},"
	                          "\"distinctValuesCount\":3,\"nullsCount\":1}");
	free(text);
	conn_column_stats cs;
	hive_col_stats_from_json(j, narrow, 4, a, &cs);
	assert_true(cs.has_range && cs.min.u.i == -705 && cs.max.u.i == 123450);
	assert_true(cs.null_fraction == 0.25 && cs.distinct_count == 3);
	json_decref(j);
	hive_col_stats_free(&s);
	/* numeric(30,4) beyond 64 bits */
	ftype wide = ftype_numeric(30, 4);
	__int128 big = (__int128)1234567890123456789LL * 1000000000 + 123456789; /* 28 digits, scale 4 */
	__int128 wv[2] = {big, -big};
	bool wn[2] = {false, false};
	hive_col_stats_init(&s, wide);
	batch *wb = decimal_batch(a, wide, wv, wn, 2);
	hive_col_stats_add(&s, &wb->cols[0], wb);
	j = hive_col_stats_json(&s);
	const char *max = json_string_value(json_object_get(json_object_get(j, "decimalStatistics"), "max"));
	assert_string_equal(max, "123456789012345678912345.6789");
	hive_col_stats_from_json(j, wide, 2, a, &cs);
	assert_true(cs.has_range && cs.max.u.n == big && cs.min.u.n == -big);
	json_decref(j);
	hive_col_stats_free(&s);
	/* a range that does not parse as the column's type is no range */
	j = load("{\"decimalStatistics\":{\"min\":\"x\",\"max\":\"1\"},\"nullsCount\":0}");
	hive_col_stats_from_json(j, narrow, 1, a, &cs);
	assert_false(cs.has_range);
	json_decref(j);
	arena_destroy(a);
}

/* Statistics of bigint values [from, to). */
static void ints(hive_col_stats *s, arena *a, int64_t from, int64_t to)
{
	ftype t = ftype_make(TYPE_INT8);
	hive_col_stats_init(s, t);
	for (int64_t i = from; i < to; i += BATCH_CAPACITY) {
		batch *b = batch_create(a, 1, &t, BATCH_CAPACITY);
		int n = 0;
		for (int64_t v = i; v < to && n < BATCH_CAPACITY; v++) ((int64_t *)b->cols[0].data)[n++] = v;
		b->count = n;
		hive_col_stats_add(s, &b->cols[0], b);
	}
}

static void test_sketches(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	conn_column col = {.name = "id", .type = ftype_make(TYPE_INT8)};
	const char *type = "bigint";
	hive_table *t = hive_table_new(a, "s", "t", 1, 0, &col, &type, "/tmp/x", false, "PARQUET");
	hive_col_stats first, second;
	ints(&first, a, 0, 20000);
	ints(&second, a, 10000, 30000);
	json_t *params = json_object();
	hive_sketches_record(params, NULL, t, &first, false, -1);
	const char *text = json_string_value(json_object_get(params, "ferry.hll.id"));
	assert_non_null(text);
	assert_true(strlen(text) < 4 * HLL_M / 3 + 4); /* compressed, base64 */
	uint8_t regs[HLL_M];
	assert_true(hive_sketch_get(params, "id", regs));
	assert_memory_equal(regs, first.hll, HLL_M);
	/* merge: the union's estimate replaces the merged count (the larger of 20000 and 20000) */
	json_t *cs = json_pack("{s:{s:i,s:i}}", "id", "distinctValuesCount", 20000, "nullsCount", 0);
	hive_sketches_record(params, cs, t, &second, true, 40000);
	double ndv = (double)json_integer_value(json_object_get(json_object_get(cs, "id"), "distinctValuesCount"));
	assert_true(fabs(ndv - 30000) < 30000 * 0.07);
	assert_true(hive_sketch_get(params, "id", regs));
	/* never more distinct values than non-null values */
	hive_sketches_record(params, cs, t, &second, true, 100);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cs, "id"), "distinctValuesCount")), 100);
	/* a document without a sketch: merging leaves none (its rows are not all in any sketch) */
	json_t *bare = json_object();
	hive_sketches_record(bare, cs, t, &second, true, 40000);
	assert_null(json_object_get(bare, "ferry.hll.id"));
	assert_false(hive_sketch_get(bare, "id", regs));
	/* corrupt: not base64, not zstd, wrong length */
	json_object_set_new(bare, "ferry.hll.id", json_string("!!!!"));
	assert_false(hive_sketch_get(bare, "id", regs));
	json_object_set_new(bare, "ferry.hll.id", json_string("QUJDRA=="));
	assert_false(hive_sketch_get(bare, "id", regs));
	json_object_set_new(bare, "ferry.hll.id", json_string("abc"));
	assert_false(hive_sketch_get(bare, "id", regs));
	json_decref(bare);
	json_decref(cs);
	json_decref(params);
	hive_col_stats_free(&first);
	hive_col_stats_free(&second);
	arena_destroy(a);
}

/* A row group's statistics of one column: a range (lo <= hi) or none, and a null count or none
 * (-1). */
static parquet_stats rg_stat(bool range, fvalue lo, fvalue hi, int64_t nulls)
{
	parquet_stats st = {.has_range = range, .min = lo, .max = hi};
	st.has_null_count = nulls >= 0;
	st.null_count = nulls >= 0 ? nulls : 0;
	return st;
}

static fvalue iv(int64_t x)
{
	return (fvalue){.u.i = x};
}
static fvalue bv(bool x)
{
	return (fvalue){.u.b = x};
}

static void test_footer_stats(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	/* table: id bigint, nation int, price decimal(38,2), d date, flag boolean, name string,
	 * gone bigint (not in the file), j string (a nested file column) */
	conn_column cols[8] = {
	    {.name = "id", .type = ftype_make(TYPE_INT8)},
	    {.name = "nation", .type = ftype_make(TYPE_INT4)},
	    {.name = "price", .type = ftype_numeric(38, 2)},
	    {.name = "d", .type = ftype_make(TYPE_DATE)},
	    {.name = "flag", .type = ftype_make(TYPE_BOOL)},
	    {.name = "name", .type = ftype_make(TYPE_TEXT)},
	    {.name = "gone", .type = ftype_make(TYPE_INT8)},
	    {.name = "j", .type = ftype_make(TYPE_TEXT)},
	};
	const char *types[8] = {"bigint",  "int",    "decimal(38,2)", "date",
	                        "boolean", "string", "bigint",        "string"};
	hive_table *t = hive_table_new(a, "s", "t", 8, 0, cols, types, "/tmp/x", true, "PARQUET");
	/* the file: the first six, nation as int16 and price as decimal(12,2) (both widened) */
	parquet_column fcols[6];
	for (int i = 0; i < 6; i++)
		fcols[i] = (parquet_column){.name = cols[i].name, .type = cols[i].type};
	fcols[1].type = ftype_make(TYPE_INT2);
	fcols[2].type = ftype_numeric(12, 2);
	fvalue s0 = {.u.s = {.ptr = "a", .len = 1}}, s1 = {.u.s = {.ptr = "z", .len = 1}};
	parquet_stats g0[6] = {
	    rg_stat(true, iv(1), iv(400), 0),     rg_stat(true, iv(0), iv(4), 10),
	    rg_stat(true, iv(100), iv(99999), 0), rg_stat(true, iv(0), iv(30), 0),
	    rg_stat(true, bv(true), bv(true), 0), rg_stat(true, s0, s1, 5)};
	/* second row group: price without a range, d all NULL (no range to miss), name without a
	 * null count */
	parquet_stats g1[6] = {
	    rg_stat(true, iv(401), iv(1000), 0),    rg_stat(true, iv(2), iv(24), 0),
	    rg_stat(false, iv(0), iv(0), 3),        rg_stat(false, iv(0), iv(0), 50),
	    rg_stat(true, bv(false), bv(false), 0), rg_stat(true, s0, s1, -1)};
	parquet_row_group rgs[3] = {{.num_rows = 100, .stats = g0},
	                            {.num_rows = 0, .stats = g1},
	                            {.num_rows = 50, .stats = g1}};
	parquet_file pf = {.name = "f",
	                   .num_rows = 150,
	                   .ncols = 6,
	                   .cols = fcols,
	                   .nrow_groups = 3,
	                   .row_groups = rgs};
	int fcol[8] = {0, 1, 2, 3, 4, 5, HIVE_FOOTER_ABSENT, HIVE_FOOTER_UNUSABLE};
	hive_footer_col fc[8] = {0};
	hive_footer_add(t, fc, &pf, fcol);
	conn_column_stats out[10];
	hive_footer_stats(t, fc, 150, true, out);
	/* id: 1..1000 could hold 1000 values, but there are 150 rows */
	assert_true(out[0].has_range);
	assert_int_equal(out[0].min.u.i, 1);
	assert_int_equal(out[0].max.u.i, 1000);
	assert_true(out[0].distinct_count == 150 && out[0].null_fraction == 0);
	/* nation: 0..24 over both row groups, 10 NULLs */
	assert_true(out[1].has_range && out[1].min.u.i == 0 && out[1].max.u.i == 24);
	assert_true(out[1].distinct_count == 25);
	assert_true(fabs(out[1].null_fraction - 10.0 / 150) < 1e-12);
	/* price: a row group without a range leaves range and NDV unknown; its NULLs still count */
	assert_false(out[2].has_range);
	assert_true(out[2].distinct_count < 0 && fabs(out[2].null_fraction - 3.0 / 150) < 1e-12);
	/* d: the all-NULL row group does not hide the other's range */
	assert_true(out[3].has_range && out[3].min.u.i == 0 && out[3].max.u.i == 30);
	assert_true(out[3].distinct_count == 31 && fabs(out[3].null_fraction - 50.0 / 150) < 1e-12);
	/* flag: true and false seen, no range shown */
	assert_false(out[4].has_range);
	assert_true(out[4].distinct_count == 2);
	/* name: no NDV bound for strings, no null fraction without every row group's count */
	assert_true(!out[5].has_range && out[5].distinct_count < 0 && out[5].null_fraction < 0);
	/* gone: all NULL; j: unknown; hidden columns unknown */
	assert_true(out[6].null_fraction == 1 && out[6].distinct_count == 0);
	assert_true(out[7].null_fraction < 0 && out[7].distinct_count < 0 && !out[7].has_range);
	for (int i = 8; i < 10; i++)
		assert_true(out[i].distinct_count < 0 && out[i].null_fraction < 0);

	/* a sample of a ten times larger table: no ranges; a key-like bound scales, a small range
	 * stays */
	hive_footer_stats(t, fc, 1500, false, out);
	assert_false(out[0].has_range || out[1].has_range || out[3].has_range);
	assert_true(out[0].distinct_count == 1500);
	assert_true(out[1].distinct_count == 25 && out[3].distinct_count == 31);

	/* decimals widened to int128: steps of the unscaled value (-5.00 .. 2.50: 751) */
	parquet_stats g2[6] = {
	    rg_stat(true, iv(7), iv(7), 0),       rg_stat(false, iv(0), iv(0), -1),
	    rg_stat(true, iv(-500), iv(250), 0),  rg_stat(false, iv(0), iv(0), 0),
	    rg_stat(true, bv(true), bv(true), 0), rg_stat(false, s0, s0, 0)};
	parquet_row_group rg2 = {.num_rows = 1000, .stats = g2};
	parquet_file pf2 = {.name = "g",
	                    .num_rows = 1000,
	                    .ncols = 6,
	                    .cols = fcols,
	                    .nrow_groups = 1,
	                    .row_groups = &rg2};
	hive_footer_col fc2[8] = {0};
	hive_footer_add(t, fc2, &pf2, fcol);
	hive_footer_stats(t, fc2, 1000, true, out);
	assert_true(out[0].distinct_count == 1); /* one value */
	assert_true(out[1].distinct_count < 0 && out[1].null_fraction < 0);
	assert_true(out[2].has_range && out[2].min.u.n == -500 && out[2].max.u.n == 250);
	assert_true(out[2].distinct_count == 751);
	assert_true(out[3].distinct_count < 0 && !out[3].has_range); /* values but no range */
	assert_true(out[4].distinct_count == 1);
	/* a table without rows */
	hive_footer_col none[8] = {0};
	hive_footer_stats(t, none, 0, true, out);
	assert_true(out[0].distinct_count == 0 && out[0].null_fraction == 0 && !out[0].has_range);
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decimal_merge),
	    cmocka_unit_test(test_decimal_collect),
	    cmocka_unit_test(test_sketches),
	    cmocka_unit_test(test_footer_stats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
