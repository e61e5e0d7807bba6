/*
 * test_agg_funcs_ext.c — the aggregates of exec/agg_funcs_ext.c driven through
 * agg_update/agg_merge/agg_finalize as the hash aggregate and the window
 * operator drive them: approx_distinct's error bound on known cardinalities,
 * and partial states merged (two-phase) giving what one state gives.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exec/agg_funcs.h"
#include "exec/functions_internal.h"

static arena *A;

static int setup(void **st)
{
	A = arena_create(NULL, "test");
	return 0;
}

static int teardown(void **st)
{
	arena_destroy(A);
	return 0;
}

/* Fold int8 values lo, lo+step, ... (n of them) into one state, a batch at a time. */
static void feed_int8(const agg_call *c, void *state, int64_t lo, int64_t step, int64_t n)
{
	vector v;
	vector_init(&v, A, ftype_make(TYPE_INT8), BATCH_CAPACITY);
	void *states[BATCH_CAPACITY];
	for (int64_t done = 0; done < n;) {
		int k = n - done > BATCH_CAPACITY ? BATCH_CAPACITY : (int)(n - done);
		for (int i = 0; i < k; i++) {
			((int64_t *)v.data)[i] = lo + (done + i) * step;
			states[i] = state;
		}
		batch b = {.ncols = 1, .cols = &v, .count = k, .capacity = BATCH_CAPACITY};
		ferr *e = agg_update(c, states, &v, &b, A);
		assert_null(e);
		done += k;
	}
}

static int64_t finalize_int8(const agg_call *c, const void *state)
{
	vector out;
	vector_init(&out, A, ftype_make(TYPE_INT8), BATCH_CAPACITY);
	agg_finalize(c, state, &out, 0, A);
	assert_false(vector_is_null(&out, 0));
	return ((int64_t *)out.data)[0];
}

/* Standard error 1.04 / sqrt(2048) = 2.3%: every estimate within 3 of them. */
static void test_approx_distinct_error_bound(void **st)
{
	agg_call c = {AGG_APPROX_DISTINCT, 0, false, ftype_make(TYPE_INT8), "approx_distinct"};
	const int64_t ns[] = {10, 100, 1000, 20000, 300000};
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
		void *s = arena_alloc(A, agg_state_size(&c));
		agg_init(&c, s);
		/* each value three times: duplicates must not count */
		for (int rep = 0; rep < 3; rep++) feed_int8(&c, s, 1000, 7, ns[k]);
		double err = fabs((double)finalize_int8(&c, s) - (double)ns[k]) / (double)ns[k];
		assert_true(err <= 3 * 0.023);
	}
	/* small sets are counted (nearly) exactly by linear counting */
	void *s = arena_alloc(A, agg_state_size(&c));
	agg_init(&c, s);
	feed_int8(&c, s, 5, 1, 10);
	assert_int_equal(finalize_int8(&c, s), 10);
	/* no rows: 0, not NULL (Trino) */
	agg_init(&c, s);
	assert_int_equal(finalize_int8(&c, s), 0);
}

/* Two partial states over overlapping halves merge into the estimate of the union. */
static void test_approx_distinct_merge(void **st)
{
	agg_call c = {AGG_APPROX_DISTINCT, 0, false, ftype_make(TYPE_INT8), "approx_distinct"};
	size_t sz = agg_state_size(&c);
	void *all = arena_alloc(A, sz), *p1 = arena_alloc(A, sz), *p2 = arena_alloc(A, sz),
	     *m = arena_alloc(A, sz);
	agg_init(&c, all);
	agg_init(&c, p1);
	agg_init(&c, p2);
	agg_init(&c, m);
	feed_int8(&c, all, 0, 1, 50000);
	feed_int8(&c, p1, 0, 1, 30000);
	feed_int8(&c, p2, 20000, 1, 30000);
	assert_null(agg_merge(&c, m, p1, A));
	assert_null(agg_merge(&c, m, p2, A));
	assert_int_equal(finalize_int8(&c, m), finalize_int8(&c, all));
}

/* var_samp over integers merged from partial states: the exact numeric result. */
static void test_variance_merge(void **st)
{
	agg_call c = {AGG_VAR_SAMP, 0, false, ftype_numeric_value_scale(), "var_samp"};
	size_t sz = agg_state_size(&c);
	void *p1 = arena_alloc(A, sz), *p2 = arena_alloc(A, sz), *m = arena_alloc(A, sz);
	agg_init(&c, p1);
	agg_init(&c, p2);
	agg_init(&c, m);
	feed_int8(&c, p1, 1, 1, 2);  /* 1, 2 */
	feed_int8(&c, p2, 3, 1, 2);  /* 3, 4 */
	assert_null(agg_merge(&c, m, p1, A));
	assert_null(agg_merge(&c, m, p2, A));
	vector out;
	vector_init(&out, A, c.result, BATCH_CAPACITY);
	agg_finalize(&c, m, &out, 0, A);
	int sc;
	i128 v = num_load_ds(c.result, vector_at(&out, 0), &sc);
	/* var_samp(1,2,3,4) = 5/3 at select_div_scale: 1.6666666666666667 */
	assert_int_equal(sc, 16);
	assert_true(v == (i128)16666666666666667LL);
	/* one row: NULL for the sample form */
	agg_init(&c, m);
	feed_int8(&c, m, 9, 1, 1);
	agg_finalize(&c, m, &out, 1, A);
	assert_true(vector_is_null(&out, 1));
}

/* string_agg with ORDER BY: partial lists merge and are sorted once at the end. */
static void test_string_agg_merge_sorted(void **st)
{
	agg_call c = {AGG_STRING_AGG, 0, false, ftype_make(TYPE_TEXT), "string_agg"};
	c.x.has_order = true;
	c.x.order_col = 0;
	c.x.order_type = ftype_make(TYPE_TEXT);
	c.x.param.u.s = (fstring){.ptr = "+", .len = 1};
	size_t sz = agg_state_size(&c);
	void *p1 = arena_alloc(A, sz), *p2 = arena_alloc(A, sz), *m = arena_alloc(A, sz);
	agg_init(&c, p1);
	agg_init(&c, p2);
	agg_init(&c, m);
	const char *words[] = {"pear", "apple", "fig", "kiwi"};
	vector v;
	vector_init(&v, A, ftype_make(TYPE_TEXT), BATCH_CAPACITY);
	for (int i = 0; i < 4; i++) vector_set_string(&v, A, i, words[i], (uint32_t)strlen(words[i]));
	void *states[4] = {p1, p1, p2, p2};
	batch b = {.ncols = 1, .cols = &v, .count = 4, .capacity = BATCH_CAPACITY};
	assert_null(agg_update(&c, states, &v, &b, A));
	assert_null(agg_merge(&c, m, p2, A));
	assert_null(agg_merge(&c, m, p1, A));
	vector out;
	vector_init(&out, A, c.result, BATCH_CAPACITY);
	agg_finalize(&c, m, &out, 0, A);
	const fstring *f = (const fstring *)out.data;
	assert_int_equal(f->len, strlen("apple+fig+kiwi+pear"));
	assert_memory_equal(f->ptr, "apple+fig+kiwi+pear", f->len);
	/* descending */
	c.x.order_desc = true;
	agg_finalize(&c, m, &out, 1, A);
	f = (const fstring *)out.data + 1;
	assert_memory_equal(f->ptr, "pear+kiwi+fig+apple", f->len);
}

/* Fold (y, x) float8 pairs i = lo..hi-1 with y = f(i), x = i into one state: corr's second
 * argument comes from the batch column named by x.more[0]. */
static void feed_pairs(const agg_call *c, void *state, int lo, int hi)
{
	vector cols[2];
	vector_init(&cols[0], A, ftype_make(TYPE_FLOAT8), BATCH_CAPACITY);
	vector_init(&cols[1], A, ftype_make(TYPE_FLOAT8), BATCH_CAPACITY);
	void *states[BATCH_CAPACITY];
	int k = 0;
	for (int i = lo; i < hi; i++, k++) {
		((double *)cols[0].data)[k] = 3.0 * i + (i % 7) * 0.25;
		((double *)cols[1].data)[k] = i;
		states[k] = state;
	}
	batch b = {.ncols = 2, .cols = cols, .count = k, .capacity = BATCH_CAPACITY};
	assert_null(agg_update(c, states, &cols[0], &b, A));
}

static double finalize_f8(const agg_call *c, const void *state, bool *null)
{
	vector out;
	vector_init(&out, A, c->result, BATCH_CAPACITY);
	agg_finalize(c, state, &out, 0, A);
	*null = vector_is_null(&out, 0);
	return c->result.id == TYPE_INT8 ? (double)((int64_t *)out.data)[0] : ((double *)out.data)[0];
}

/* corr/regr_*: partial states merged (float8_regr_combine) give what one state gives. */
static void test_regr_merge(void **st)
{
	static const char *const names[] = {"corr",      "covar_pop", "covar_samp",     "regr_count",
	                                    "regr_slope", "regr_r2",  "regr_intercept", "regr_sxy"};
	agg_more more = {.col = 1, .type = ftype_make(TYPE_FLOAT8)};
	for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
		agg_call c = {AGG_REGR, 0, false, ftype_make(n == 3 ? TYPE_INT8 : TYPE_FLOAT8), names[n]};
		c.x.nmore = 1;
		c.x.more = &more;
		void *one = arena_alloc(A, agg_state_size(&c)), *p = arena_alloc(A, agg_state_size(&c)),
		     *q = arena_alloc(A, agg_state_size(&c));
		agg_init(&c, one);
		agg_init(&c, p);
		agg_init(&c, q);
		bool null;
		finalize_f8(&c, one, &null);
		assert_true(n == 3 ? !null : null); /* no rows: NULL, regr_count 0 */
		feed_pairs(&c, one, 0, 1000);
		feed_pairs(&c, p, 0, 300);
		feed_pairs(&c, q, 300, 1000);
		assert_null(agg_merge(&c, p, q, A));
		double a = finalize_f8(&c, one, &null), b = finalize_f8(&c, p, &null);
		assert_false(null);
		assert_true(fabs(a - b) <= 1e-9 * fabs(a));
	}
}

/* json_agg with two ORDER BY keys: the second decides ties of the first after a merge. */
static void test_json_agg_two_keys_merge(void **st)
{
	agg_more more = {.col = 1, .type = ftype_make(TYPE_INT4), .is_key = true, .desc = true};
	agg_call c = {AGG_JSON_AGG, 0, false, ftype_make(TYPE_JSON), "json_agg"};
	c.x.has_order = true;
	c.x.order_col = 0;
	c.x.order_type = ftype_make(TYPE_INT4);
	c.x.nmore = 1;
	c.x.more = &more;
	void *p = arena_alloc(A, agg_state_size(&c)), *q = arena_alloc(A, agg_state_size(&c));
	agg_init(&c, p);
	agg_init(&c, q);
	vector cols[2];
	vector_init(&cols[0], A, ftype_make(TYPE_INT4), BATCH_CAPACITY);
	vector_init(&cols[1], A, ftype_make(TYPE_INT4), BATCH_CAPACITY);
	const int32_t xs[] = {2, 1, 2, 1}, ks[] = {5, 6, 7, 8};
	for (int h = 0; h < 2; h++) {
		void *states[2] = {h ? q : p, h ? q : p};
		for (int i = 0; i < 2; i++) {
			((int32_t *)cols[0].data)[i] = xs[2 * h + i];
			((int32_t *)cols[1].data)[i] = ks[2 * h + i];
		}
		batch b = {.ncols = 2, .cols = cols, .count = 2, .capacity = BATCH_CAPACITY};
		assert_null(agg_update(&c, states, &cols[0], &b, A));
	}
	assert_null(agg_merge(&c, p, q, A));
	vector out;
	vector_init(&out, A, ftype_make(TYPE_JSON), BATCH_CAPACITY);
	agg_finalize(&c, p, &out, 0, A);
	fstring f = ((fstring *)out.data)[0];
	assert_int_equal(f.len, strlen("[1, 1, 2, 2]"));
	assert_memory_equal(f.ptr, "[1, 1, 2, 2]", f.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_approx_distinct_error_bound, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_approx_distinct_merge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_variance_merge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_string_agg_merge_sorted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_regr_merge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_agg_two_keys_merge, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
