/*
 * test_operators.c — executor operators on hand-built batches: sort with
 * NULLs in every order, aggregation with groups, NULL keys and DISTINCT,
 * hash joins (inner, left, right, full, semi, anti and the right semi/anti
 * that build on the preserved side) with duplicate and NULL keys,
 * limit/offset and top-N. Each operator runs alone over a test source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "exec/operator.h"

#define NUL INT64_MIN /* marks a NULL in the test tables */

static arena *A;
static exec_env ENV;
static exec_driver DRV;

typedef struct src_impl {
	batch **bs;
	int n, i;
} src_impl;

static ferr *src_next(exec_op *op, exec_status *st, batch **out)
{
	src_impl *s = op->impl;
	if (s->i >= s->n) {
		*st = EXEC_DONE;
		return NULL;
	}
	*out = s->bs[s->i++];
	*st = EXEC_BATCH;
	return NULL;
}
static const exec_op_ops src_ops = {src_next, NULL};

static ftype I8(void)
{
	return ftype_make(TYPE_INT8);
}

static pnode *node_i8(pnode_kind k, int ncols)
{
	pnode *n = arena_zalloc(A, sizeof(*n));
	n->kind = k;
	n->ncols = ncols;
	n->types = arena_alloc(A, sizeof(ftype) * (size_t)ncols);
	for (int i = 0; i < ncols; i++)
		n->types[i] = I8();
	n->limit = -1;
	return n;
}

/* A batch of int8 columns from a row-major table; NUL = NULL. sel_every: keep every k-th row via
 * sel. */
static batch *mk_batch(int ncols, int nrows, const int64_t *vals, int sel_every)
{
	ftype t[8];
	for (int i = 0; i < ncols; i++)
		t[i] = I8();
	batch *b = batch_create(A, ncols, t, nrows);
	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < ncols; c++) {
			int64_t v = vals[r * ncols + c];
			if (v == NUL)
				vector_set_null(&b->cols[c], A, r, nrows);
			else
				((int64_t *)b->cols[c].data)[r] = v;
		}
	b->count = nrows;
	if (sel_every > 1) {
		b->sel = arena_alloc(A, sizeof(uint16_t) * (size_t)nrows);
		b->count = 0;
		for (int r = 0; r < nrows; r += sel_every)
			b->sel[b->count++] = (uint16_t)r;
	}
	return b;
}

static exec_op *mk_src(pnode *n, batch **bs, int nb)
{
	exec_op *op = arena_zalloc(A, sizeof(*op));
	op->node = n;
	op->ops = &src_ops;
	op->state = arena_create(A, "src");
	op->out = arena_create(A, "src out");
	src_impl *s = arena_zalloc(A, sizeof(*s));
	s->bs = bs;
	s->n = nb;
	op->impl = s;
	return op;
}

static exec_op *mk_op(pnode *n, exec_op *c0, exec_op *c1)
{
	exec_op *op = arena_zalloc(A, sizeof(*op));
	op->node = n;
	op->env = &ENV;
	op->driver = &DRV;
	op->state = arena_create(A, "op");
	op->out = arena_create(A, "op out");
	op->nchildren = c1 ? 2 : 1;
	op->children = arena_zalloc(A, sizeof(exec_op *) * 2);
	op->children[0] = c0;
	op->children[1] = c1;
	n->nchildren = op->nchildren;
	n->children = arena_zalloc(A, sizeof(pnode *) * 2);
	n->children[0] = (pnode *)c0->node;
	if (c1) n->children[1] = (pnode *)c1->node;
	exec_shared *sh = arena_zalloc(A, sizeof(*sh));
	pthread_mutex_init(&sh->mu, NULL);
	sh->node = n;
	sh->ndrivers = sh->remaining = 1;
	sh->skip_left = n->offset;
	sh->take_left = n->limit;
	op->shared = sh;
	ferr *e = NULL;
	switch (n->kind) {
	case PN_SORT:
		e = exec_sort_create(op);
		break;
	case PN_TOPN:
		e = exec_topn_create(op);
		break;
	case PN_LIMIT:
		e = exec_limit_create(op);
		break;
	case PN_HASH_AGG:
		e = exec_hash_agg_create(op);
		break;
	case PN_HASH_JOIN:
		e = exec_hash_join_create(op);
		break;
	default:
		break;
	}
	assert_null(e);
	return op;
}

/* Pull everything; rows flattened row-major into out (NUL for NULL); returns row count. */
static int drain(exec_op *op, int64_t *out, int max)
{
	int n = 0;
	for (;;) {
		exec_status st;
		batch *b;
		ferr *e = exec_op_next(op, &st, &b);
		assert_null(e);
		if (st == EXEC_DONE) return n;
		assert_int_equal(st, EXEC_BATCH);
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			assert_true(n < max);
			for (int c = 0; c < b->ncols; c++)
				out[n * b->ncols + c] = vector_is_null(&b->cols[c], r)
				                            ? NUL
				                            : *(int64_t *)vector_at(&b->cols[c], r);
			n++;
		}
	}
}

static int setup(void **st)
{
	(void)st;
	A = arena_create(NULL, "test");
	memset(&ENV, 0, sizeof ENV);
	memset(&DRV, 0, sizeof DRV);
	return 0;
}
static int teardown(void **st)
{
	(void)st;
	arena_destroy(A);
	return 0;
}

static const int64_t SORT_IN[] = {3, 10, NUL, 20, 1, 30, 3, 40, NUL, 50, 2, 60};

static void run_sort(bool desc, bool nulls_first, const int64_t *want)
{
	batch *bs[2] = {mk_batch(2, 3, SORT_IN, 1), mk_batch(2, 3, SORT_IN + 6, 1)};
	pnode *n = node_i8(PN_SORT, 2);
	sort_key k[2] = {{0, desc, nulls_first}, {1, false, false}};
	n->nkeys = 2;
	n->keys = k;
	exec_op *op = mk_op(n, mk_src(node_i8(PN_VALUES, 2), bs, 2), NULL);
	int64_t got[12];
	assert_int_equal(drain(op, got, 6), 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(got[i * 2 + 1], want[i]);
}

static void test_sort_orders(void **st)
{
	(void)st;
	/* Rows (key, tag): (3,10) (NULL,20) (1,30) (3,40) (NULL,50) (2,60). */
	int64_t asc_last[] = {30, 60, 10, 40, 20, 50};   /* PostgreSQL's ASC default */
	int64_t desc_first[] = {20, 50, 10, 40, 60, 30}; /* PostgreSQL's DESC default */
	int64_t asc_first[] = {20, 50, 30, 60, 10, 40};
	int64_t desc_last[] = {10, 40, 60, 30, 20, 50};
	run_sort(false, false, asc_last);
	run_sort(true, true, desc_first);
	run_sort(false, true, asc_first);
	run_sort(true, false, desc_last);
}

static void test_sort_honours_selection(void **st)
{
	(void)st;
	batch *bs[1] = {mk_batch(2, 6, SORT_IN, 2)}; /* rows 0, 2, 4: keys 3, 1, NULL */
	pnode *n = node_i8(PN_SORT, 2);
	sort_key k[1] = {{0, false, false}};
	n->nkeys = 1;
	n->keys = k;
	exec_op *op = mk_op(n, mk_src(node_i8(PN_VALUES, 2), bs, 1), NULL);
	int64_t got[12];
	assert_int_equal(drain(op, got, 6), 3);
	assert_int_equal(got[1], 30);
	assert_int_equal(got[3], 10);
	assert_int_equal(got[5], 50);
}

static void test_topn(void **st)
{
	(void)st;
	/* 10000 rows over 5 batches, values v = (i * 7919) % 10000 (a permutation). */
	batch *bs[5];
	for (int b = 0; b < 5; b++) {
		int64_t v[2000];
		for (int i = 0; i < 2000; i++)
			v[i] = ((int64_t)(b * 2000 + i) * 7919) % 10000;
		bs[b] = mk_batch(1, 2000, v, 1);
	}
	pnode *n = node_i8(PN_TOPN, 1);
	sort_key k[1] = {{0, true, true}};
	n->nkeys = 1;
	n->keys = k;
	n->limit = 5;
	n->offset = 2;
	exec_op *op = mk_op(n, mk_src(node_i8(PN_VALUES, 1), bs, 5), NULL);
	int64_t got[16];
	assert_int_equal(drain(op, got, 16), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(got[i], 9997 - i);

	/* A limit above the heap's first allocation: the heap grows, rows stay ordered. */
	pnode *big = node_i8(PN_TOPN, 1);
	sort_key ka[1] = {{0, false, false}};
	big->nkeys = 1;
	big->keys = ka;
	big->limit = 3000;
	exec_op *bop = mk_op(big, mk_src(node_i8(PN_VALUES, 1), bs, 5), NULL);
	static int64_t many[4000];
	assert_int_equal(drain(bop, many, 4000), 3000);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(many[i], i);
}

static void test_limit_offset(void **st)
{
	(void)st;
	int64_t v[10];
	for (int i = 0; i < 10; i++)
		v[i] = i;
	batch *bs[3] = {mk_batch(1, 4, v, 1), mk_batch(1, 4, v + 4, 1), mk_batch(1, 2, v + 8, 1)};
	pnode *n = node_i8(PN_LIMIT, 1);
	n->limit = 4;
	n->offset = 3;
	exec_op *op = mk_op(n, mk_src(node_i8(PN_VALUES, 1), bs, 3), NULL);
	int64_t got[16];
	assert_int_equal(drain(op, got, 16), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(got[i], 3 + i);
	/* The source was not read to its end: the limit stops pulling. */
	assert_true(((src_impl *)op->children[0]->impl)->i < 3);

	/* LIMIT 0 gives nothing; OFFSET past the end gives nothing. */
	pnode *n0 = node_i8(PN_LIMIT, 1);
	n0->limit = 0;
	exec_op *op0 = mk_op(n0, mk_src(node_i8(PN_VALUES, 1), bs, 3), NULL);
	assert_int_equal(drain(op0, got, 16), 0);
	pnode *n2 = node_i8(PN_LIMIT, 1);
	n2->offset = 50;
	exec_op *op2 = mk_op(n2, mk_src(node_i8(PN_VALUES, 1), bs, 3), NULL);
	assert_int_equal(drain(op2, got, 16), 0);
}

static void test_agg_groups_nulls_distinct(void **st)
{
	(void)st;
	/* (g, x): NULL keys form one group; count(x) skips NULL x. */
	int64_t v[] = {1, 10, 2, 20, 1, NUL, NUL, 5, 1, 10, NUL, 7, 2, 30, 1, 40};
	batch *bs[2] = {mk_batch(2, 4, v, 1), mk_batch(2, 4, v + 8, 1)};
	pnode *n = node_i8(PN_HASH_AGG, 5);
	static const int gc[] = {0};
	agg_call aggs[4] = {{AGG_COUNT_STAR, -1, false, I8(), "count"},
	                    {AGG_COUNT, 1, false, I8(), "count"},
	                    {AGG_SUM, 1, false, I8(), "sum"},
	                    {AGG_COUNT, 1, true, I8(), "count"}};
	n->ngroup = 1;
	n->group_cols = gc;
	n->naggs = 4;
	n->aggs = aggs;
	exec_op *op = mk_op(n, mk_src(node_i8(PN_VALUES, 2), bs, 2), NULL);
	int64_t got[40];
	int rows = drain(op, got, 8);
	assert_int_equal(rows, 3);
	bool seen[3] = {0};
	for (int r = 0; r < rows; r++) {
		int64_t *g = got + r * 5;
		if (g[0] == 1) {
			/* x: 10, NULL, 10, 40 */
			assert_int_equal(g[1], 4);
			assert_int_equal(g[2], 3);
			assert_int_equal(g[3], 60);
			assert_int_equal(g[4], 2);
			seen[0] = true;
		} else if (g[0] == 2) {
			assert_int_equal(g[1], 2);
			assert_int_equal(g[3], 50);
			assert_int_equal(g[4], 2);
			seen[1] = true;
		} else {
			assert_true(g[0] == NUL);
			assert_int_equal(g[1], 2);
			assert_int_equal(g[3], 12);
			seen[2] = true;
		}
	}
	assert_true(seen[0] && seen[1] && seen[2]);
}

static void test_agg_global_empty_and_many_groups(void **st)
{
	(void)st;
	/* A global aggregate over no rows still gives one row: count 0, sum NULL. */
	pnode *n = node_i8(PN_HASH_AGG, 2);
	agg_call aggs[2] = {{AGG_COUNT_STAR, -1, false, I8(), "count"},
	                    {AGG_SUM, 0, false, I8(), "sum"}};
	n->naggs = 2;
	n->aggs = aggs;
	exec_op *op = mk_op(n, mk_src(node_i8(PN_VALUES, 1), NULL, 0), NULL);
	int64_t got[4];
	assert_int_equal(drain(op, got, 2), 1);
	assert_int_equal(got[0], 0);
	assert_true(got[1] == NUL);

	/* 5000 groups over 3 batches (several table resizes, several output chunks). */
	batch *bs[3];
	for (int b = 0; b < 3; b++) {
		int64_t v[2000 * 2];
		for (int i = 0; i < 2000; i++) {
			v[i * 2] = (b * 2000 + i) % 5000;
			v[i * 2 + 1] = 1;
		}
		bs[b] = mk_batch(2, 2000, v, 1);
	}
	pnode *g = node_i8(PN_HASH_AGG, 2);
	static const int gc[] = {0};
	agg_call a1[1] = {{AGG_SUM, 1, false, I8(), "sum"}};
	g->ngroup = 1;
	g->group_cols = gc;
	g->naggs = 1;
	g->aggs = a1;
	exec_op *gop = mk_op(g, mk_src(node_i8(PN_VALUES, 2), bs, 3), NULL);
	static int64_t res[5000 * 2];
	assert_int_equal(drain(gop, res, 5000), 5000);
	int64_t total = 0;
	for (int i = 0; i < 5000; i++) {
		int64_t k = res[i * 2], s = res[i * 2 + 1];
		assert_int_equal(s, k < 1000 ? 2 : 1);
		total += s;
	}
	assert_int_equal(total, 6000);
}

/* probe (k, p), build (k, b) */
static const int64_t PROBE[] = {1, 100, 2, 200, NUL, 300, 3, 400, 1, 500};
static const int64_t BUILD[] = {1, 11, 1, 12, NUL, 13, 2, 14, 4, 15};

static exec_op *mk_join(join_type jt)
{
	batch *pb[1] = {mk_batch(2, 5, PROBE, 1)};
	batch *bb[1] = {mk_batch(2, 5, BUILD, 1)};
	batch **pbs = arena_alloc(A, sizeof(batch *)), **bbs = arena_alloc(A, sizeof(batch *));
	pbs[0] = pb[0];
	bbs[0] = bb[0];
	int nout = (jt == JOIN_SEMI || jt == JOIN_ANTI || jt == JOIN_RIGHT_SEMI ||
	            jt == JOIN_RIGHT_ANTI)
	               ? 2
	               : 4;
	/* probe: 1 2 NULL 3 1; build: 1 1 NULL 2 4 */
	pnode *n = node_i8(PN_HASH_JOIN, nout);
	static const int pk[] = {0}, bk[] = {0};
	n->join = jt;
	n->nkeys_join = 1;
	n->probe_keys = pk;
	n->build_keys = bk;
	return mk_op(n, mk_src(node_i8(PN_VALUES, 2), pbs, 1),
	             mk_src(node_i8(PN_VALUES, 2), bbs, 1));
}

static int count_pair(const int64_t *rows, int n, int w, int64_t p, int64_t b)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		if (rows[i * w + 1] == p && (w < 4 || rows[i * w + 3] == b)) c++;
	return c;
}

static void test_join_inner_left(void **st)
{
	(void)st;
	int64_t got[64];
	int n = drain(mk_join(JOIN_INNER), got, 16);
	/* 1 matches two build rows, twice; 2 once; NULL and 3 never. */
	assert_int_equal(n, 5);
	assert_int_equal(count_pair(got, n, 4, 100, 11), 1);
	assert_int_equal(count_pair(got, n, 4, 100, 12), 1);
	assert_int_equal(count_pair(got, n, 4, 500, 11), 1);
	assert_int_equal(count_pair(got, n, 4, 500, 12), 1);
	assert_int_equal(count_pair(got, n, 4, 200, 14), 1);

	n = drain(mk_join(JOIN_LEFT), got, 16);
	assert_int_equal(n, 7);
	assert_int_equal(count_pair(got, n, 4, 300, NUL), 1); /* NULL key: kept, no match */
	assert_int_equal(count_pair(got, n, 4, 400, NUL), 1);
	for (int i = 0; i < n; i++)
		if (got[i * 4 + 1] == 300) assert_true(got[i * 4 + 2] == NUL);
}

static expr *filter_b_eq_12(void);

static int count_build(const int64_t *rows, int n, int64_t p, int64_t b)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		if (rows[i * 4 + 1] == p && rows[i * 4 + 3] == b) c++;
	return c;
}

static void test_join_right_full(void **st)
{
	(void)st;
	int64_t got[64];
	int n = drain(mk_join(JOIN_RIGHT), got, 16);
	/* 5 matched pairs + build rows (NULL,13) and (4,15) with NULL probe columns */
	assert_int_equal(n, 7);
	assert_int_equal(count_build(got, n, NUL, 13), 1);
	assert_int_equal(count_build(got, n, NUL, 15), 1);
	assert_int_equal(count_build(got, n, NUL, 11), 0);
	n = drain(mk_join(JOIN_FULL), got, 16);
	/* 5 pairs + probe rows 300, 400 unmatched + build rows 13, 15 unmatched */
	assert_int_equal(n, 9);
	assert_int_equal(count_build(got, n, 300, NUL), 1);
	assert_int_equal(count_build(got, n, 400, NUL), 1);
	assert_int_equal(count_build(got, n, NUL, 13), 1);
	assert_int_equal(count_build(got, n, NUL, 15), 1);

	/* With the residual filter b = 12, build rows 11 and 14 become unmatched too. */
	exec_op *op = mk_join(JOIN_RIGHT);
	((pnode *)op->node)->join_filter = filter_b_eq_12();
	n = drain(op, got, 16);
	assert_int_equal(n, 6); /* (100,12) (500,12) + 11, 13, 14, 15 */
	assert_int_equal(count_build(got, n, NUL, 11), 1);
	assert_int_equal(count_build(got, n, NUL, 14), 1);
}

static void test_join_semi_anti(void **st)
{
	(void)st;
	int64_t got[64];
	int n = drain(mk_join(JOIN_SEMI), got, 16);
	assert_int_equal(n, 3); /* 100, 200, 500 once each despite duplicate build keys */
	assert_int_equal(count_pair(got, n, 2, 100, 0), 1);
	assert_int_equal(count_pair(got, n, 2, 500, 0), 1);
	n = drain(mk_join(JOIN_ANTI), got, 16);
	assert_int_equal(n, 2);
	assert_int_equal(count_pair(got, n, 2, 300, 0), 1);
	assert_int_equal(count_pair(got, n, 2, 400, 0), 1);
}

static void test_join_many_duplicates(void **st)
{
	(void)st;
	/* 3000 build rows with the same key x 3 probe rows: 9000 pairs, > one batch. */
	int64_t *bv = arena_alloc(A, sizeof(int64_t) * 2 * 3000);
	for (int i = 0; i < 3000; i++) {
		bv[i * 2] = 7;
		bv[i * 2 + 1] = i;
	}
	int64_t pv[] = {7, 1, 8, 2, 7, 3};
	batch **pbs = arena_alloc(A, sizeof(batch *)), **bbs = arena_alloc(A, sizeof(batch *) * 2);
	pbs[0] = mk_batch(2, 3, pv, 1);
	bbs[0] = mk_batch(2, 2000, bv, 1);
	bbs[1] = mk_batch(2, 1000, bv + 4000, 1);
	pnode *n = node_i8(PN_HASH_JOIN, 4);
	static const int pk[] = {0}, bk[] = {0};
	n->join = JOIN_INNER;
	n->nkeys_join = 1;
	n->probe_keys = pk;
	n->build_keys = bk;
	exec_op *op =
	    mk_op(n, mk_src(node_i8(PN_VALUES, 2), pbs, 1), mk_src(node_i8(PN_VALUES, 2), bbs, 2));
	static int64_t got[4 * 7000];
	int rows = drain(op, got, 7000);
	assert_int_equal(rows, 6000);
	int64_t sum = 0;
	for (int i = 0; i < rows; i++)
		sum += got[i * 4 + 3];
	assert_int_equal(sum, 2 * (2999LL * 3000 / 2));
}

/* Residual join filter: column col of the (probe, build) pair <op> v. */
static expr *filter_col(const char *op, int column, int64_t v)
{
	expr *col = arena_zalloc(A, sizeof(*col));
	col->kind = EXPR_COLUMN;
	col->column = column;
	col->type = I8();
	expr *k = arena_zalloc(A, sizeof(*k));
	k->kind = EXPR_CONST;
	k->type = I8();
	k->value.u.i = v;
	ftype at[2] = {I8(), I8()};
	func_match m;
	assert_null(func_lookup(op, 2, at, &m));
	expr *eq = arena_zalloc(A, sizeof(*eq));
	eq->kind = EXPR_FUNC;
	eq->func = m.func;
	eq->type = m.result;
	eq->nargs = 2;
	eq->args = arena_alloc(A, sizeof(expr *) * 2);
	eq->args[0] = col;
	eq->args[1] = k;
	return eq;
}

/* Residual join filter (build column b = 12) decides LEFT/ANTI membership too. */
static expr *filter_b_eq_12(void)
{
	return filter_col("=", 3, 12);
}

static void test_join_residual_filter(void **st)
{
	(void)st;
	int64_t got[64];
	exec_op *op = mk_join(JOIN_LEFT);
	((pnode *)op->node)->join_filter = filter_b_eq_12();
	int n = drain(op, got, 16);
	assert_int_equal(n, 5);
	assert_int_equal(count_pair(got, n, 4, 100, 12), 1);
	assert_int_equal(count_pair(got, n, 4, 500, 12), 1);
	assert_int_equal(count_pair(got, n, 4, 200, NUL), 1); /* matched a key, failed the filter */
	assert_int_equal(count_pair(got, n, 4, 300, NUL), 1);
	assert_int_equal(count_pair(got, n, 4, 400, NUL), 1);

	op = mk_join(JOIN_ANTI);
	((pnode *)op->node)->join_filter = filter_b_eq_12();
	n = drain(op, got, 16);
	assert_int_equal(n, 3);
	assert_int_equal(count_pair(got, n, 2, 200, 0), 1);
}

/*
 * RIGHT_SEMI/RIGHT_ANTI: the preserved side is built (BUILD: keys 1 1 NULL 2
 * 4), the subquery side probes (PROBE: keys 1 2 NULL 3 1); the output is
 * the build rows, each at most once.
 */
/* The n rows of (k, v) pairs in got are exactly the values want[0..nwant), each once. */
static void assert_values(const int64_t *got, int n, const int64_t *want, int nwant)
{
	assert_int_equal(n, nwant);
	for (int w = 0; w < nwant; w++)
		assert_int_equal(count_pair(got, n, 2, want[w], 0), 1);
}

static void test_join_right_semi_anti(void **st)
{
	(void)st;
	int64_t got[64];
	/* 11 and 12 once each although probe key 1 comes twice; NULL never matches */
	assert_values(got, drain(mk_join(JOIN_RIGHT_SEMI), got, 16), (int64_t[]){11, 12, 14}, 3);
	/* NOT EXISTS keeps the NULL-keyed row (NULL = anything is never true) */
	int n = drain(mk_join(JOIN_RIGHT_ANTI), got, 16);
	assert_values(got, n, (int64_t[]){13, 15}, 2);
	for (int i = 0; i < n; i++)
		if (got[i * 2 + 1] == 13) assert_true(got[i * 2] == NUL);

	/* A residual over the build column: matched means matched with it true. */
	exec_op *op = mk_join(JOIN_RIGHT_SEMI);
	((pnode *)op->node)->join_filter = filter_b_eq_12();
	assert_values(got, drain(op, got, 16), (int64_t[]){12}, 1);
	op = mk_join(JOIN_RIGHT_ANTI);
	((pnode *)op->node)->join_filter = filter_b_eq_12();
	assert_values(got, drain(op, got, 16), (int64_t[]){11, 13, 14, 15}, 4);

	/* A residual over the probe row (q21's l3.suppkey <> l1.suppkey): probe
	 * (1,100) fails it for 11 and 12, the later (1,500) passes. */
	op = mk_join(JOIN_RIGHT_SEMI);
	((pnode *)op->node)->join_filter = filter_col("=", 1, 500);
	assert_values(got, drain(op, got, 16), (int64_t[]){11, 12}, 2);
	/* 11 and 12 match (1,500), 14 matches (2,200) */
	op = mk_join(JOIN_RIGHT_ANTI);
	((pnode *)op->node)->join_filter = filter_col("<>", 1, 100);
	assert_values(got, drain(op, got, 16), (int64_t[]){13, 15}, 2);
}

/*
 * A right semi/anti join on key column 0 of (k, v) rows: np probe rows pv
 * and nb build rows bv, each side cut into two batches.
 */
static exec_op *mk_right_join(join_type jt, const int64_t *pv, int np, const int64_t *bv, int nb,
                              expr *filter)
{
	batch **pbs = arena_alloc(A, sizeof(batch *) * 2);
	batch **bbs = arena_alloc(A, sizeof(batch *) * 2);
	pbs[0] = mk_batch(2, np / 2, pv, 1);
	pbs[1] = mk_batch(2, np - np / 2, pv + 2 * (np / 2), 1);
	bbs[0] = mk_batch(2, nb / 2, bv, 1);
	bbs[1] = mk_batch(2, nb - nb / 2, bv + 2 * (nb / 2), 1);
	pnode *n = node_i8(PN_HASH_JOIN, 2);
	static const int k0[] = {0};
	n->join = jt;
	n->nkeys_join = 1;
	n->probe_keys = k0;
	n->build_keys = k0;
	n->join_filter = filter;
	return mk_op(n, mk_src(node_i8(PN_VALUES, 2), pbs, 2), mk_src(node_i8(PN_VALUES, 2), bbs, 2));
}

/* Right semi over many duplicate keys on both sides, with and without residual. */
static void test_join_right_semi_duplicates(void **st)
{
	(void)st;
	/* build: 3000 preserved rows with key 7 (value i) and 1000 with key 9 */
	int64_t *bv = arena_alloc(A, sizeof(int64_t) * 2 * 4000);
	for (int i = 0; i < 4000; i++) {
		bv[i * 2] = i < 3000 ? 7 : 9;
		bv[i * 2 + 1] = i;
	}
	/* probe: key 7 three times (values 1, 2, 3), key 8 once */
	int64_t pv[] = {7, 1, 8, 2, 7, 3, 7, 2};
	for (int pass = 0; pass < 3; pass++) {
		/* pass 1, 2: residual b > 1500 (3000 candidate pairs per probe row: several batches) */
		exec_op *op = mk_right_join(pass == 2 ? JOIN_RIGHT_ANTI : JOIN_RIGHT_SEMI, pv, 4, bv,
		                            4000, pass > 0 ? filter_col(">", 3, 1500) : NULL);
		static int64_t got[2 * 4100];
		int rows = drain(op, got, 4100);
		int64_t sum = 0;
		for (int i = 0; i < rows; i++)
			sum += got[i * 2 + 1];
		if (pass == 0) { /* every key-7 row once */
			assert_int_equal(rows, 3000);
			assert_int_equal(sum, 2999LL * 3000 / 2);
		} else if (pass == 1) { /* key-7 rows with value > 1500 */
			assert_int_equal(rows, 1499);
			assert_int_equal(sum, 2999LL * 3000 / 2 - 1500LL * 1501 / 2);
		} else { /* the rest: key-7 rows up to 1500 and every key-9 row */
			assert_int_equal(rows, 1501 + 1000);
			assert_int_equal(sum, 1500LL * 1501 / 2 + (3999LL * 4000 / 2 - 2999LL * 3000 / 2));
		}
	}
}

/*
 * The same right semi/anti joins spilled (grace hash join): a query memory
 * limit of 16 bytes makes the join spill after its first build batch; NULL
 * keys, duplicates and a residual must give what the in-memory join gives.
 */
static void test_join_right_semi_anti_spilled(void **st)
{
	(void)st;
	char dir[] = "/tmp/ferry-test-semispill-XXXXXX";
	assert_non_null(mkdtemp(dir));
	/* build (preserved): 3000 rows, key i % 50 (NULL for every 100th row), value i */
	int64_t *bv = arena_alloc(A, sizeof(int64_t) * 2 * 3000);
	for (int i = 0; i < 3000; i++) {
		bv[i * 2] = i % 100 == 0 ? NUL : i % 50;
		bv[i * 2 + 1] = i;
	}
	/* probe (subquery): keys 0..24 twice, and NULL keys */
	int64_t pv[2 * 60];
	for (int i = 0; i < 60; i++) {
		pv[i * 2] = i >= 50 ? NUL : i % 25;
		pv[i * 2 + 1] = i;
	}
	for (int pass = 0; pass < 4; pass++) {
		ENV.spill = exec_spill_create(&(exec_spill_config){.path = dir});
		ENV.tracker = mem_tracker_create("query", 16);
		/* pass 2, 3: residual build value < 1000 */
		exec_op *op = mk_right_join(pass % 2 ? JOIN_RIGHT_ANTI : JOIN_RIGHT_SEMI, pv, 60, bv,
		                            3000, pass >= 2 ? filter_col("<", 3, 1000) : NULL);
		op->mem = mem_tracker_create_child(ENV.tracker, "HashBuilderOperator");
		static int64_t got[2 * 3100];
		int rows = drain(op, got, 3100);
		assert_true(op->spilled_bytes > 0);
		/* expected: the rows whose key is 0..24 (and value < 1000 with the residual) */
		int want = 0;
		int64_t wsum = 0;
		for (int i = 0; i < 3000; i++) {
			bool hit = bv[i * 2] != NUL && bv[i * 2] < 25 && (pass < 2 || i < 1000);
			if (hit == (pass % 2 == 0)) want++, wsum += i;
		}
		int64_t sum = 0;
		for (int i = 0; i < rows; i++)
			sum += got[i * 2 + 1];
		assert_int_equal(rows, want);
		assert_int_equal(sum, wsum);
		exec_spill_destroy(ENV.spill);
		ENV.spill = NULL;
		mem_tracker_destroy(op->mem);
		mem_tracker_destroy(ENV.tracker);
		ENV.tracker = NULL;
	}
	assert_int_equal(rmdir(dir), 0);
}

/* ---- text values: operators must copy what they keep ---- */

typedef struct txt_src {
	batch **bs;
	char **bufs; /* each batch's string bytes, scribbled over once the batch is consumed */
	size_t *lens;
	int n, i;
} txt_src;

static ferr *txt_next(exec_op *op, exec_status *st, batch **out)
{
	txt_src *s = op->impl;
	if (s->i > 0) memset(s->bufs[s->i - 1], 'X', s->lens[s->i - 1]);
	if (s->i >= s->n) {
		*st = EXEC_DONE;
		return NULL;
	}
	*out = s->bs[s->i++];
	*st = EXEC_BATCH;
	return NULL;
}
static const exec_op_ops txt_ops = {txt_next, NULL};

/* Batches of (text name, int8 v) from "a,b,a|c,b" style lists; "" = NULL. */
static exec_op *mk_txt_src(pnode *n, const char *const *lists, int nb)
{
	txt_src *s = arena_zalloc(A, sizeof(*s));
	s->bs = arena_alloc(A, sizeof(batch *) * (size_t)nb);
	s->bufs = arena_alloc(A, sizeof(char *) * (size_t)nb);
	s->lens = arena_alloc(A, sizeof(size_t) * (size_t)nb);
	ftype t[2] = {ftype_make(TYPE_TEXT), I8()};
	for (int b = 0; b < nb; b++) {
		size_t len = strlen(lists[b]);
		char *buf = arena_alloc(A, len + 1);
		memcpy(buf, lists[b], len + 1);
		s->bufs[b] = buf;
		s->lens[b] = len;
		batch *bt = batch_create(A, 2, t, 64);
		int r = 0;
		char *p = buf;
		for (;;) {
			char *comma = strchr(p, ',');
			size_t l = comma ? (size_t)(comma - p) : strlen(p);
			if (l == 0)
				vector_set_null(&bt->cols[0], A, r, 64);
			else
				((fstring *)bt->cols[0].data)[r] = (fstring){(uint32_t)l, p};
			((int64_t *)bt->cols[1].data)[r] = r;
			r++;
			if (!comma) break;
			p = comma + 1;
		}
		bt->count = r;
		s->bs[b] = bt;
	}
	s->n = nb;
	exec_op *op = arena_zalloc(A, sizeof(*op));
	op->node = n;
	op->ops = &txt_ops;
	op->state = arena_create(A, "txt");
	op->out = arena_create(A, "txt out");
	op->impl = s;
	return op;
}

static pnode *node_txt(pnode_kind k, int ncols)
{
	pnode *n = node_i8(k, ncols);
	n->types[0] = ftype_make(TYPE_TEXT);
	return n;
}

static void str_at(const batch *b, int i, char *out)
{
	int r = batch_row(b, i);
	if (vector_is_null(&b->cols[0], r)) {
		strcpy(out, "NULL");
		return;
	}
	const fstring *f = vector_at(&b->cols[0], r);
	memcpy(out, f->ptr, f->len);
	out[f->len] = 0;
}

static void test_text_keys_survive_their_batches(void **st)
{
	(void)st;
	static const char *const lists[] = {"pear,apple,,pear", "fig,apple,pear,"};
	/* GROUP BY name: count(*) */
	pnode *g = node_txt(PN_HASH_AGG, 2);
	static const int gc[] = {0};
	agg_call a1[1] = {{AGG_COUNT_STAR, -1, false, I8(), "count"}};
	g->ngroup = 1;
	g->group_cols = gc;
	g->naggs = 1;
	g->aggs = a1;
	exec_op *op = mk_op(g, mk_txt_src(node_txt(PN_VALUES, 2), lists, 2), NULL);
	char seen[256] = "";
	for (;;) {
		exec_status s;
		batch *b;
		assert_null(exec_op_next(op, &s, &b));
		if (s == EXEC_DONE) break;
		for (int i = 0; i < b->count; i++) {
			char name[32], item[64];
			str_at(b, i, name);
			snprintf(item, sizeof item, "%s=%lld;", name,
			         (long long)*(int64_t *)vector_at(&b->cols[1], batch_row(b, i)));
			strcat(seen, item);
		}
	}
	assert_non_null(strstr(seen, "pear=3;"));
	assert_non_null(strstr(seen, "apple=2;"));
	assert_non_null(strstr(seen, "fig=1;"));
	assert_non_null(strstr(seen, "NULL=2;"));

	/* ORDER BY name: bytewise, NULLs last. */
	pnode *so = node_txt(PN_SORT, 2);
	sort_key k[1] = {{0, false, false}};
	so->nkeys = 1;
	so->keys = k;
	exec_op *sop = mk_op(so, mk_txt_src(node_txt(PN_VALUES, 2), lists, 2), NULL);
	char order[256] = "";
	for (;;) {
		exec_status s;
		batch *b;
		assert_null(exec_op_next(sop, &s, &b));
		if (s == EXEC_DONE) break;
		for (int i = 0; i < b->count; i++) {
			char name[32];
			str_at(b, i, name);
			strcat(order, name);
			strcat(order, " ");
		}
	}
	assert_string_equal(order, "apple apple fig pear pear pear NULL NULL ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sort_orders, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sort_honours_selection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_topn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limit_offset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_agg_groups_nulls_distinct, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_agg_global_empty_and_many_groups, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_inner_left, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_semi_anti, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_right_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_many_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_keys_survive_their_batches, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_residual_filter, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_right_semi_anti, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_right_semi_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_right_semi_anti_spilled, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
