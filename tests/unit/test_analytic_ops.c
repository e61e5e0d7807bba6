/*
 * test_analytic_ops.c — the operators behind analytic SQL, run through
 * exec_query on hand-built plans: generate_series (integer stride, stop
 * before overflow, zero step, NULL argument), Replicate (INTERSECT/EXCEPT
 * ALL) and GroupId (grouping sets) under a hash aggregate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/sqlstate.h"
#include "exec/operator.h"

static arena *A;
static int next_id;
static const ftype T_I4 = {TYPE_INT4}, T_I8 = {TYPE_INT8};

/* A node of kind k with output types[0..ncols), over child when not NULL. */
static pnode *mk(pnode_kind k, int ncols, const ftype *types, pnode *child)
{
	pnode *n = arena_zalloc(A, sizeof(*n));
	ftype *ts = arena_alloc(A, sizeof(ftype) * (size_t)ncols);
	for (int i = 0; i < ncols; i++) ts[i] = types[i];
	pnode **kids = child ? arena_alloc(A, sizeof(pnode *)) : NULL;
	if (kids) kids[0] = child;
	*n = (pnode){.kind = k, .ncols = ncols, .types = ts, .limit = -1, .id = next_id++,
	             .nchildren = child ? 1 : 0, .children = kids};
	return n;
}

static expr *konst(ftype t, int64_t v, bool null)
{
	expr *e = arena_zalloc(A, sizeof(*e));
	e->kind = EXPR_CONST;
	e->type = t;
	e->value.u.i = v;
	e->value.isnull = null;
	return e;
}

static pnode *series(ftype t, int64_t start, int64_t stop, int64_t step)
{
	pnode *n = mk(PN_GENERATE_SERIES, 1, &t, NULL);
	n->exprs = arena_zalloc(A, sizeof(expr *) * 4);
	n->exprs[0] = konst(t, start, false);
	n->exprs[1] = konst(t, stop, false);
	n->exprs[2] = konst(t, step, false);
	return n;
}

/* Runs a one-fragment plan; rows[i*ncols+c] (NULL as INT64_MIN). */
static ferr *run(pnode *root, int64_t *rows, int max, int *nrows)
{
	plan_fragment f = {.id = 0, .partitioning = PART_SINGLE, .output_partitioning = PART_SINGLE,
	                   .root = root};
	plan_fragment *fs[1] = {&f};
	phys_plan p = {.nfragments = 1, .fragments = fs, .arena = A};
	exec_options opt = {0};
	exec_query *q;
	ferr *e = exec_query_start(&p, NULL, 0, NULL, &opt, &q);
	if (e) return e;
	arena *ra = arena_create(NULL, "result");
	int n = 0;
	for (;;) {
		batch *b;
		bool to;
		arena_reset(ra);
		e = exec_query_next(q, ra, -1, &b, &to);
		if (e || !b) break;
		for (int i = 0; i < b->count; i++, n++)
			for (int c = 0; c < b->ncols && n < max; c++) {
				const vector *v = &b->cols[c];
				int r = batch_row(b, i);
				rows[n * b->ncols + c] = vector_is_null(v, r) ? INT64_MIN
				                         : v->type.id == TYPE_INT4 ? *(int32_t *)vector_at(v, r)
				                                                   : *(int64_t *)vector_at(v, r);
			}
	}
	*nrows = n;
	arena_destroy(ra);
	exec_query_destroy(q);
	return e;
}

static void test_series_integers(void **st)
{
	(void)st;
	static int64_t rows[10000];
	int n;
	assert_null(run(series(T_I4, 1, 5000, 1), rows, 10000, &n));
	assert_int_equal(n, 5000);
	int64_t sum = 0;
	for (int i = 0; i < n; i++) sum += rows[i];
	assert_int_equal(sum, 5000LL * 5001 / 2);
	assert_null(run(series(T_I8, 10, 1, -4), rows, 10, &n));
	assert_int_equal(n, 3);
	assert_int_equal(rows[2], 2);
	/* stops at the last value instead of overflowing */
	assert_null(run(series(T_I4, INT32_MAX - 2, INT32_MAX, 1), rows, 10, &n));
	assert_int_equal(n, 3);
	assert_int_equal(rows[2], INT32_MAX);
	assert_null(run(series(T_I4, 3, 1, 1), rows, 10, &n));
	assert_int_equal(n, 0);
}

static void test_series_errors(void **st)
{
	(void)st;
	int64_t rows[4];
	int n;
	ferr *e = run(series(T_I4, 1, 3, 0), rows, 4, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_PARAMETER_VALUE);
	ferr_free(e);
	pnode *s = series(T_I4, 1, 3, 1);
	s->exprs[1] = konst(T_I4, 0, true);
	assert_null(run(s, rows, 4, &n));
	assert_int_equal(n, 0);
}

/* Each row of (x, times) repeated times times; zero and negative drop it. */
static void test_replicate(void **st)
{
	(void)st;
	static int64_t rows[5000 * 2];
	ftype t[1] = {T_I8};
	pnode *s = series(T_I8, -1, 3, 1);
	pnode *r = mk(PN_REPLICATE, 1, t, s);
	r->count_col = 0;
	int n;
	assert_null(run(r, rows, 5000, &n));
	assert_int_equal(n, 6);
	assert_int_equal(rows[0], 1);
	assert_int_equal(rows[5], 3);
	/* more repeats than one batch holds */
	r = mk(PN_REPLICATE, 1, t, series(T_I8, 4000, 4000, 1));
	assert_null(run(r, rows, 5000, &n));
	assert_int_equal(n, 4000);
}

/* GROUPING SETS ((x), ()) over x = 1..4: count(*) per (x', set) gives 4 + 1 groups. */
static void test_group_id_under_aggregate(void **st)
{
	(void)st;
	int64_t rows[32];
	pnode *s = series(T_I4, 1, 4, 1);
	ftype gt[3] = {T_I4, T_I4, T_I4};
	pnode *g = mk(PN_GROUP_ID, 3, gt, s);
	static const int gcols[1] = {0};
	static const uint64_t sets[2] = {1, 0};
	g->ngroup = 1;
	g->group_cols = gcols;
	g->nsets = 2;
	g->sets = sets;
	ftype at[3] = {T_I4, T_I4, T_I8};
	pnode *agg = mk(PN_HASH_AGG, 3, at, g);
	static const int keys[2] = {0, 2};
	agg->ngroup = 2;
	agg->group_cols = keys;
	agg_call *c = arena_zalloc(A, sizeof(agg_call));
	*c = (agg_call){AGG_SUM, 1, false, T_I8, "sum"};
	agg->naggs = 1;
	agg->aggs = c;
	int n;
	assert_null(run(agg, rows, 10, &n));
	assert_int_equal(n, 5);
	int total_rows = 0;
	for (int i = 0; i < n; i++) {
		if (rows[i * 3 + 1] == 1) {
			/* the empty set: key nulled, argument intact */
			assert_true(rows[i * 3] == INT64_MIN);
			assert_int_equal(rows[i * 3 + 2], 10);
			total_rows++;
		} else {
			assert_int_equal(rows[i * 3 + 2], rows[i * 3]);
		}
	}
	assert_int_equal(total_rows, 1);
}

/* One plan arena and a two-thread pool for the whole group; plans are small. */
static int group_up(void **st)
{
	(void)st;
	A = arena_create(NULL, "plans");
	return exec_pool_start(2) ? -1 : 0;
}

static int group_down(void **st)
{
	(void)st;
	exec_pool_stop();
	arena_destroy(A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_series_integers),
	    cmocka_unit_test(test_series_errors),
	    cmocka_unit_test(test_replicate),
	    cmocka_unit_test(test_group_id_under_aggregate),
	};
	return cmocka_run_group_tests(tests, group_up, group_down);
}
