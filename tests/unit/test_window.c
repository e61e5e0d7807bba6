/*
 * test_window.c — the Window operator (exec/window.c) alone over generated,
 * already sorted input: ranking with peers, ROWS/RANGE/GROUPS frames checked
 * against a brute-force evaluation of every frame, NULL arguments and keys,
 * partitions longer than a batch, empty input and the offset errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exec/operator.h"

#define NONE INT64_MIN /* a NULL in generated columns and results */
#define NIN 5          /* input columns: part, ord, val, lo bound, hi bound */

static arena *A;
static exec_env ENV;

/* Generated input: rows sorted by (part, ord NULLS LAST). */
typedef struct gen {
	int64_t n;
	int64_t part_len; /* rows per partition */
	int64_t peer;     /* rows per ord value */
	int64_t range;    /* RANGE offset used for the bound columns */
	int64_t next;
} gen;

static int64_t g_part(const gen *g, int64_t i) { return i / g->part_len; }
static int64_t g_ord(const gen *g, int64_t i)
{
	int64_t k = i % g->part_len;
	/* the last rows of each partition have a NULL key (sorted last) */
	return k >= g->part_len - 3 ? NONE : k / g->peer;
}
static int64_t g_val(const gen *g, int64_t i) { return i % 11 == 4 ? NONE : (i * 37) % 101; }

static ferr *gen_next(exec_op *op, exec_status *st, batch **out)
{
	gen *g = op->impl;
	if (g->next >= g->n) {
		*st = EXEC_DONE;
		return NULL;
	}
	int cnt = (int)(g->n - g->next < 1000 ? g->n - g->next : 1000);
	ftype t[NIN];
	for (int c = 0; c < NIN; c++)
		t[c] = ftype_make(TYPE_INT8);
	batch *b = batch_create(op->out, NIN, t, cnt);
	for (int r = 0; r < cnt; r++) {
		int64_t i = g->next + r, o = g_ord(g, i);
		int64_t v[NIN] = {g_part(g, i), o, g_val(g, i), o == NONE ? NONE : o - g->range,
		                  o == NONE ? NONE : o + g->range};
		for (int c = 0; c < NIN; c++) {
			if (v[c] == NONE)
				vector_set_null(&b->cols[c], op->out, r, cnt);
			else
				((int64_t *)b->cols[c].data)[r] = v[c];
		}
	}
	b->count = cnt;
	g->next += cnt;
	*out = b;
	*st = EXEC_BATCH;
	return NULL;
}
static const exec_op_ops gen_ops = {gen_next, NULL};

static pnode *input_node(void)
{
	pnode *n = arena_zalloc(A, sizeof(*n));
	n->kind = PN_VALUES;
	n->ncols = NIN;
	n->types = arena_alloc(A, sizeof(ftype) * NIN);
	for (int c = 0; c < NIN; c++)
		n->types[c] = ftype_make(TYPE_INT8);
	return n;
}

/* A window node over the generator: PARTITION BY part ORDER BY ord. */
static exec_op *window_over(gen *g, int ncalls, window_call *calls)
{
	pnode *in = input_node();
	pnode *n = arena_zalloc(A, sizeof(*n));
	n->kind = PN_WINDOW;
	n->ncols = NIN + ncalls;
	n->types = arena_alloc(A, sizeof(ftype) * (size_t)n->ncols);
	memcpy(n->types, in->types, sizeof(ftype) * NIN);
	for (int f = 0; f < ncalls; f++)
		n->types[NIN + f] = calls[f].result;
	static const int part[1] = {0};
	sort_key *k = arena_zalloc(A, sizeof(sort_key));
	*k = (sort_key){1, false, false};
	n->npartition = 1;
	n->partition_cols = part;
	n->nkeys = 1;
	n->keys = k;
	n->nwcalls = ncalls;
	n->wcalls = calls;
	n->nchildren = 1;
	n->children = arena_alloc(A, sizeof(pnode *));
	n->children[0] = in;

	exec_op *src = arena_zalloc(A, sizeof(*src));
	src->node = in;
	src->ops = &gen_ops;
	src->state = arena_create(A, "gen");
	src->out = arena_create(A, "gen out");
	src->impl = g;
	exec_op *op = arena_zalloc(A, sizeof(*op));
	op->node = n;
	op->env = &ENV;
	op->state = arena_create(A, "window");
	op->out = arena_create(A, "window out");
	op->nchildren = 1;
	op->children = arena_alloc(A, sizeof(exec_op *));
	op->children[0] = src;
	assert_null(exec_window_create(op));
	return op;
}

static window_call wcall(wfunc_kind k, ftype result, frame_mode mode, frame_bound s, frame_bound e)
{
	window_call c = {.kind = k, .args = {-1, -1, -1}, .result = result, .name = "f"};
	c.frame = (window_frame){mode, s, e, NULL, NULL, -1, -1, -1};
	return c;
}

static expr *int8_const(int64_t v)
{
	expr *x = arena_zalloc(A, sizeof(expr));
	x->kind = EXPR_CONST;
	x->type = ftype_make(TYPE_INT8);
	x->value.u.i = v;
	x->value.isnull = v == NONE;
	return x;
}

static window_call agg_call_of(agg_kind kind, frame_mode mode, frame_bound s, int64_t soff,
                               frame_bound e, int64_t eoff)
{
	window_call c = wcall(WF_AGG, ftype_make(TYPE_INT8), mode, s, e);
	c.args[0] = 2;
	c.agg = (agg_call){kind, 2, false, ftype_make(TYPE_INT8), "agg"};
	if (s == FB_PRECEDING || s == FB_FOLLOWING) c.frame.start_off = int8_const(soff);
	if (e == FB_PRECEDING || e == FB_FOLLOWING) c.frame.end_off = int8_const(eoff);
	return c;
}

/* Runs op to the end; results[f][row] for every call, NONE for NULL. */
static int64_t run(exec_op *op, int ncalls, int64_t **res, int64_t max)
{
	int64_t n = 0;
	for (;;) {
		exec_status st;
		batch *b;
		assert_null(exec_op_next(op, &st, &b));
		if (st == EXEC_DONE) return n;
		assert_int_equal(st, EXEC_BATCH);
		for (int i = 0; i < b->count; i++, n++) {
			assert_true(n < max);
			int r = batch_row(b, i);
			for (int f = 0; f < ncalls; f++) {
				const vector *v = &b->cols[NIN + f];
				int64_t x = NONE;
				if (!vector_is_null(v, r))
					x = v->type.id == TYPE_INT4 ? *(int32_t *)vector_at(v, r)
					                            : *(int64_t *)vector_at(v, r);
				res[f][n] = x;
			}
		}
	}
}

static int64_t **alloc_results(int ncalls, int64_t n)
{
	int64_t **r = arena_alloc(A, sizeof(int64_t *) * (size_t)ncalls);
	for (int f = 0; f < ncalls; f++)
		r[f] = arena_alloc(A, sizeof(int64_t) * (size_t)(n + 1));
	return r;
}

/* Peers share part and ord (NULL ord rows are peers of each other). */
static bool peers(const gen *g, int64_t a, int64_t b)
{
	return g_part(g, a) == g_part(g, b) && g_ord(g, a) == g_ord(g, b);
}

static void test_ranking_long_partitions(void **st)
{
	(void)st;
	gen g = {.n = 7000, .part_len = 3000, .peer = 7};
	window_call c[4] = {
	    wcall(WF_ROW_NUMBER, ftype_make(TYPE_INT8), FRAME_RANGE, FB_UNBOUNDED_PRECEDING,
	          FB_CURRENT_ROW),
	    wcall(WF_RANK, ftype_make(TYPE_INT8), FRAME_RANGE, FB_UNBOUNDED_PRECEDING, FB_CURRENT_ROW),
	    wcall(WF_DENSE_RANK, ftype_make(TYPE_INT8), FRAME_RANGE, FB_UNBOUNDED_PRECEDING,
	          FB_CURRENT_ROW),
	    wcall(WF_LAG, ftype_make(TYPE_INT8), FRAME_RANGE, FB_UNBOUNDED_PRECEDING, FB_CURRENT_ROW),
	};
	c[3].args[0] = 2; /* lag(val, 1) */
	int64_t **r = alloc_results(4, g.n);
	assert_int_equal(run(window_over(&g, 4, c), 4, r, g.n), g.n);
	for (int64_t i = 0; i < g.n; i++) {
		int64_t k = i % g.part_len, p = g_part(&g, i);
		(void)p;
		assert_int_equal(r[0][i], k + 1);
		int64_t first_peer = i;
		while (first_peer > 0 && peers(&g, first_peer - 1, i))
			first_peer--;
		assert_int_equal(r[1][i], first_peer - p * g.part_len + 1);
		int64_t o = g_ord(&g, i);
		int64_t groups_before = o == NONE ? (g.part_len - 3 + g.peer - 1) / g.peer : o;
		assert_int_equal(r[2][i], groups_before + 1);
		assert_int_equal(r[3][i], k == 0 ? NONE : g_val(&g, i - 1));
	}
}

/* Brute force: the frame of row i, as PostgreSQL defines it, over the generated rows. */
static void naive_frame(const gen *g, const window_call *c, int64_t soff, int64_t eoff,
                        int64_t i, int64_t *fs, int64_t *fe)
{
	int64_t p0 = g_part(g, i) * g->part_len, p1 = p0 + g->part_len;
	if (p1 > g->n) p1 = g->n;
	*fs = p1;
	*fe = p0;
	for (int64_t j = p0; j < p1; j++) {
		bool in_start, in_end;
		int64_t oi = g_ord(g, i), oj = g_ord(g, j);
		if (c->frame.mode == FRAME_ROWS) {
			in_start = c->frame.start == FB_UNBOUNDED_PRECEDING ||
			           (c->frame.start == FB_PRECEDING && j >= i - soff) ||
			           (c->frame.start == FB_CURRENT_ROW && j >= i) ||
			           (c->frame.start == FB_FOLLOWING && j >= i + soff);
			in_end = c->frame.end == FB_UNBOUNDED_FOLLOWING ||
			         (c->frame.end == FB_PRECEDING && j <= i - eoff) ||
			         (c->frame.end == FB_CURRENT_ROW && j <= i) ||
			         (c->frame.end == FB_FOLLOWING && j <= i + eoff);
		} else if (oi == NONE || oj == NONE) {
			/* RANGE offsets: NULL keys are in range of NULL keys only */
			bool same = oi == oj;
			bool after = oj == NONE && oi != NONE; /* NULLs sort last */
			in_start = c->frame.start == FB_UNBOUNDED_PRECEDING || same || after;
			in_end = c->frame.end == FB_UNBOUNDED_FOLLOWING || same || !after;
			if (c->frame.start == FB_PRECEDING && !same) in_start = false;
			if (c->frame.end == FB_FOLLOWING && !same) in_end = false;
		} else {
			in_start = c->frame.start == FB_UNBOUNDED_PRECEDING ||
			           (c->frame.start == FB_PRECEDING && oj >= oi - soff) ||
			           (c->frame.start == FB_CURRENT_ROW && oj >= oi);
			in_end = c->frame.end == FB_UNBOUNDED_FOLLOWING ||
			         (c->frame.end == FB_FOLLOWING && oj <= oi + eoff) ||
			         (c->frame.end == FB_CURRENT_ROW && oj <= oi);
		}
		if (in_start && in_end) {
			if (j < *fs) *fs = j;
			if (j + 1 > *fe) *fe = j + 1;
		}
	}
}

static void check_aggs(gen *g, int n, window_call *c, const int64_t (*offs)[2])
{
	int64_t **r = alloc_results(n, g->n);
	assert_int_equal(run(window_over(g, n, c), n, r, g->n), g->n);
	for (int f = 0; f < n; f++)
		for (int64_t i = 0; i < g->n; i++) {
			int64_t fs, fe, cnt = 0, mn = NONE;
			naive_frame(g, &c[f], offs[f][0], offs[f][1], i, &fs, &fe);
			for (int64_t j = fs; j < fe; j++) {
				int64_t v = g_val(g, j);
				if (v == NONE) continue;
				cnt++;
				if (mn == NONE || v < mn) mn = v;
			}
			int64_t want = c[f].agg.kind == AGG_COUNT ? cnt : mn;
			if (r[f][i] != want)
				fail_msg("call %d row %lld: got %lld, want %lld (frame %lld..%lld)", f,
				         (long long)i, (long long)r[f][i], (long long)want, (long long)fs,
				         (long long)fe);
		}
}

static void test_rows_frames_against_brute_force(void **st)
{
	(void)st;
	gen g = {.n = 5000, .part_len = 2300, .peer = 3};
	window_call c[6] = {
	    agg_call_of(AGG_COUNT, FRAME_ROWS, FB_PRECEDING, 3, FB_FOLLOWING, 1),
	    agg_call_of(AGG_MIN, FRAME_ROWS, FB_PRECEDING, 5, FB_PRECEDING, 2),
	    agg_call_of(AGG_MIN, FRAME_ROWS, FB_UNBOUNDED_PRECEDING, 0, FB_CURRENT_ROW, 0),
	    agg_call_of(AGG_COUNT, FRAME_ROWS, FB_FOLLOWING, 2, FB_UNBOUNDED_FOLLOWING, 0),
	    agg_call_of(AGG_MIN, FRAME_ROWS, FB_CURRENT_ROW, 0, FB_FOLLOWING, 4000),
	    agg_call_of(AGG_COUNT, FRAME_RANGE, FB_UNBOUNDED_PRECEDING, 0, FB_CURRENT_ROW, 0),
	};
	const int64_t offs[6][2] = {{3, 1}, {5, 2}, {0, 0}, {2, 0}, {0, 4000}, {0, 0}};
	check_aggs(&g, 6, c, offs);
}

static void test_range_offsets_with_null_keys(void **st)
{
	(void)st;
	gen g = {.n = 4200, .part_len = 2100, .peer = 4, .range = 2};
	window_call c[3] = {
	    agg_call_of(AGG_COUNT, FRAME_RANGE, FB_PRECEDING, 2, FB_FOLLOWING, 2),
	    agg_call_of(AGG_MIN, FRAME_RANGE, FB_PRECEDING, 2, FB_CURRENT_ROW, 0),
	    agg_call_of(AGG_COUNT, FRAME_RANGE, FB_CURRENT_ROW, 0, FB_FOLLOWING, 2),
	};
	for (int f = 0; f < 3; f++) {
		c[f].frame.range_key = 1;
		c[f].frame.start_col = c[f].frame.start == FB_PRECEDING ? 3 : -1;
		c[f].frame.end_col = c[f].frame.end == FB_FOLLOWING ? 4 : -1;
	}
	const int64_t offs[3][2] = {{2, 2}, {2, 0}, {0, 2}};
	check_aggs(&g, 3, c, offs);
}

static void test_groups_and_values(void **st)
{
	(void)st;
	gen g = {.n = 300, .part_len = 300, .peer = 5};
	window_call c[3] = {
	    agg_call_of(AGG_COUNT, FRAME_GROUPS, FB_PRECEDING, 1, FB_FOLLOWING, 1),
	    wcall(WF_FIRST_VALUE, ftype_make(TYPE_INT8), FRAME_ROWS, FB_PRECEDING, FB_CURRENT_ROW),
	    wcall(WF_LAST_VALUE, ftype_make(TYPE_INT8), FRAME_RANGE, FB_UNBOUNDED_PRECEDING,
	          FB_CURRENT_ROW),
	};
	c[0].args[0] = c[0].agg.arg = 0; /* count(part): never NULL */
	c[1].args[0] = 2;
	c[1].frame.start_off = int8_const(2);
	c[2].args[0] = 2;
	int64_t **r = alloc_results(3, g.n);
	assert_int_equal(run(window_over(&g, 3, c), 3, r, g.n), g.n);
	int64_t gi[300]; /* peer group of each row (one partition) */
	for (int64_t i = 0; i < g.n; i++)
		gi[i] = i == 0 ? 0 : gi[i - 1] + !peers(&g, i - 1, i);
	for (int64_t i = 0; i < g.n; i++) {
		int64_t near = 0;
		for (int64_t j = 0; j < g.n; j++)
			near += gi[j] >= gi[i] - 1 && gi[j] <= gi[i] + 1;
		assert_int_equal(r[0][i], near);
		assert_int_equal(r[1][i], g_val(&g, i >= 2 ? i - 2 : 0));
		int64_t last = i;
		while (last + 1 < g.n && peers(&g, last + 1, i))
			last++;
		assert_int_equal(r[2][i], g_val(&g, last));
	}
}

static void test_empty_input_and_errors(void **st)
{
	(void)st;
	gen g = {.n = 0, .part_len = 10, .peer = 1};
	window_call c = agg_call_of(AGG_COUNT, FRAME_ROWS, FB_PRECEDING, 1, FB_CURRENT_ROW, 0);
	int64_t **r = alloc_results(1, 1);
	assert_int_equal(run(window_over(&g, 1, &c), 1, r, 1), 0);

	struct {
		window_call c;
		const char *state;
	} bad[3];
	bad[0].c = agg_call_of(AGG_COUNT, FRAME_ROWS, FB_PRECEDING, -1, FB_CURRENT_ROW, 0);
	bad[0].state = SQLSTATE_INVALID_PRECEDING_OR_FOLLOWING_SIZE;
	bad[1].c = agg_call_of(AGG_COUNT, FRAME_ROWS, FB_CURRENT_ROW, 0, FB_FOLLOWING, NONE);
	bad[1].state = SQLSTATE_NULL_VALUE_NOT_ALLOWED;
	bad[2].c = wcall(WF_NTILE, ftype_make(TYPE_INT4), FRAME_RANGE, FB_UNBOUNDED_PRECEDING,
	                 FB_CURRENT_ROW);
	bad[2].c.args[1] = 0; /* ntile(part) is 0 in the first partition */
	bad[2].state = SQLSTATE_INVALID_ARGUMENT_FOR_NTILE;
	for (int k = 0; k < 3; k++) {
		gen g2 = {.n = 50, .part_len = 20, .peer = 1};
		exec_op *op = window_over(&g2, 1, &bad[k].c);
		exec_status s;
		batch *b;
		ferr *e = exec_op_next(op, &s, &b);
		assert_non_null(e);
		assert_string_equal(e->sqlstate, bad[k].state);
		ferr_free(e);
	}
}

static int setup(void **st)
{
	(void)st;
	A = arena_create(NULL, "test");
	memset(&ENV, 0, sizeof ENV);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	arena_destroy(A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ranking_long_partitions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rows_frames_against_brute_force, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_range_offsets_with_null_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_groups_and_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_input_and_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
