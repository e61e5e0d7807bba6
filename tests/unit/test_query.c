/*
 * test_query.c — whole queries on the executor pool over a fake connector
 * defined here (generated rows across several splits): parallel count/sum
 * exactness, hash-partitioned aggregation, cancellation latency, error
 * propagation from a source, the memory limit (53200 naming the operator),
 * the external merge sort with spilling on, and early end with LIMIT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "exec/operator.h"

/* ---- fake connector: rows x = 0..nrows-1, g = x % 100, both integer ---- */

static struct {
	int64_t nrows;
	int nsplits;
	int fail_split; /* -1 none */
} gen;

typedef struct fsplit {
	conn_split h;
	int64_t start, n;
	int index;
} fsplit;

typedef struct fsrc {
	conn_page_source base;
	int64_t start, pos, end;
	bool fail;
	int ncols;
	const int *cols;
} fsrc;

static ferr *fsrc_next(conn_page_source *src, arena *a, batch **out)
{
	fsrc *s = (fsrc *)src;
	if (s->fail) return ferr_new(SQLSTATE_DIVISION_BY_ZERO, "division by zero");
	*out = NULL;
	if (s->pos >= s->end) return NULL;
	int n = (int)(s->end - s->pos < BATCH_CAPACITY ? s->end - s->pos : BATCH_CAPACITY);
	ftype t[2] = {ftype_make(TYPE_INT4), ftype_make(TYPE_INT4)};
	batch *b = batch_create(a, s->ncols, t, n);
	for (int c = 0; c < s->ncols; c++) {
		int32_t *d = b->cols[c].data;
		for (int i = 0; i < n; i++)
			d[i] = (int32_t)(s->cols[c] == 0 ? s->pos + i : (s->pos + i) % 100);
	}
	b->count = n;
	s->pos += n;
	*out = b;
	return NULL;
}
static void fsrc_close(conn_page_source *src)
{
	(void)src;
}
static int64_t fsrc_bytes(conn_page_source *src)
{
	const fsrc *s = (const fsrc *)src;
	return (s->pos - s->start) * 4;
}
static const conn_page_source_ops fsrc_ops = {fsrc_next, fsrc_close, fsrc_bytes};

static ferr *f_get_splits(conn_catalog *c, const conn_table *t, int desired, arena *a, int *n,
                          conn_split ***splits)
{
	*n = gen.nsplits;
	*splits = arena_alloc(a, sizeof(conn_split *) * (size_t)gen.nsplits);
	int64_t per = gen.nrows / gen.nsplits;
	for (int i = 0; i < gen.nsplits; i++) {
		fsplit *s = arena_zalloc(a, sizeof(*s));
		s->start = per * i;
		s->n = i == gen.nsplits - 1 ? gen.nrows - s->start : per;
		s->index = i;
		s->h.description = "fake split";
		(*splits)[i] = &s->h;
	}
	return NULL;
}

static ferr *f_open(conn_catalog *c, const conn_table *t, const conn_split *split, int ncols,
                    const int *cols, arena *a, conn_page_source **out)
{
	const fsplit *sp = (const fsplit *)split;
	fsrc *s = arena_zalloc(a, sizeof(*s));
	s->base.ops = &fsrc_ops;
	s->start = s->pos = sp->start;
	s->end = sp->start + sp->n;
	s->fail = sp->index == gen.fail_split;
	s->ncols = ncols;
	s->cols = cols;
	*out = &s->base;
	return NULL;
}

static const conn_catalog_ops fake_ops = {.get_splits = f_get_splits, .open_page_source = f_open};
static conn_catalog fake_catalog = {&fake_ops, "fake", "fake"};
static conn_column fake_cols[2] = {{"x", {TYPE_INT4}, false, NULL, false},
                                   {"g", {TYPE_INT4}, false, NULL, false}};
static conn_table fake_table = {"s", "t", 2, fake_cols};

/* ---- plan building ---- */

static arena *A;
static int next_id;

static pnode *mk(pnode_kind k, int ncols, const ftype *types, pnode *child)
{
	pnode *n = arena_zalloc(A, sizeof(*n));
	n->kind = k;
	n->ncols = ncols;
	n->types = arena_alloc(A, sizeof(ftype) * (size_t)ncols);
	memcpy(n->types, types, sizeof(ftype) * (size_t)ncols);
	n->limit = -1;
	n->id = next_id++;
	if (child) {
		n->nchildren = 1;
		n->children = arena_alloc(A, sizeof(pnode *));
		n->children[0] = child;
	}
	return n;
}

static const ftype T_I4 = {TYPE_INT4}, T_I8 = {TYPE_INT8};
static const int SCAN_X[] = {0}, SCAN_XG[] = {0, 1};

static pnode *scan(int ncols)
{
	ftype t[2] = {T_I4, T_I4};
	pnode *n = mk(PN_SCAN, ncols, t, NULL);
	n->catalog = &fake_catalog;
	n->table = &fake_table;
	n->nscan_cols = ncols;
	n->scan_cols = ncols == 1 ? SCAN_X : SCAN_XG;
	return n;
}

static pnode *exchange_of(int frag, int ncols, const ftype *types)
{
	pnode *n = mk(PN_EXCHANGE, ncols, types, NULL);
	int *src = arena_alloc(A, sizeof(int));
	*src = frag;
	n->nsources = 1;
	n->source_fragments = src;
	return n;
}

static plan_fragment *frag(int id, partitioning p, partitioning out, pnode *root)
{
	plan_fragment *f = arena_zalloc(A, sizeof(*f));
	f->id = id;
	f->partitioning = p;
	f->output_partitioning = out;
	f->root = root;
	return f;
}

static phys_plan *plan(int n, plan_fragment **fs)
{
	phys_plan *p = arena_zalloc(A, sizeof(*p));
	p->nfragments = n;
	p->fragments = arena_alloc(A, sizeof(plan_fragment *) * (size_t)n);
	memcpy(p->fragments, fs, sizeof(plan_fragment *) * (size_t)n);
	p->arena = A;
	return p;
}

/* count(*), sum(x) over the scan in a parallel SOURCE fragment, gathered by fragment 0. */
static phys_plan *count_sum_plan(void)
{
	ftype t[2] = {T_I8, T_I8};
	pnode *agg = mk(PN_HASH_AGG, 2, t, scan(1));
	agg_call *a = arena_zalloc(A, sizeof(agg_call) * 2);
	a[0] = (agg_call){AGG_COUNT_STAR, -1, false, T_I8, "count"};
	a[1] = (agg_call){AGG_SUM, 0, false, T_I8, "sum"};
	agg->naggs = 2;
	agg->aggs = a;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 2, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, agg)};
	return plan(2, fs);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Run to the end; returns the error (caller frees) and the rows in vals (int8/int4 as int64). */
/* Options run() starts queries with besides the memory limit (spilling). */
static exec_options run_opts;

static ferr *run(phys_plan *p, int64_t max_mem, int64_t *vals, int maxrows, int *nrows)
{
	exec_options opt = run_opts;
	opt.max_memory_bytes = max_mem;
	exec_query *q;
	ferr *e = exec_query_start(p, NULL, 0, NULL, &opt, &q);
	if (e) return e;
	arena *ra = arena_create(NULL, "result");
	int n = 0;
	for (;;) {
		batch *b;
		bool to;
		arena_reset(ra);
		e = exec_query_next(q, ra, -1, &b, &to);
		if (e || !b) break;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			for (int c = 0; c < b->ncols; c++) {
				const vector *v = &b->cols[c];
				int64_t x = v->type.id == TYPE_INT4 ? *(int32_t *)vector_at(v, r)
				                                    : *(int64_t *)vector_at(v, r);
				if (n < maxrows) vals[n * b->ncols + c] = x;
			}
			n++;
		}
	}
	*nrows = n;
	arena_destroy(ra);
	exec_query_destroy(q);
	return e;
}

static int setup(void **st)
{
	(void)st;
	A = arena_create(NULL, "plan");
	gen.nrows = 1000000;
	gen.nsplits = 8;
	gen.fail_split = -1;
	return 0;
}
static int teardown(void **st)
{
	(void)st;
	arena_destroy(A);
	return 0;
}

static void test_parallel_count_sum(void **st)
{
	(void)st;
	int64_t v[4];
	int n;
	assert_null(run(count_sum_plan(), 0, v, 2, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 1000000);
	assert_int_equal(v[1], 499999500000LL);

	/* Fewer splits than threads, and no rows at all. */
	gen.nsplits = 1;
	gen.nrows = 10;
	assert_null(run(count_sum_plan(), 0, v, 2, &n));
	assert_int_equal(v[0], 10);
	assert_int_equal(v[1], 45);
	gen.nrows = 0;
	assert_null(run(count_sum_plan(), 0, v, 2, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 0);
}

/* SOURCE -> HASH(g) -> parallel group-by -> gather -> sort. */
static void test_hash_partitioned_group_by_sorted(void **st)
{
	(void)st;
	ftype t2[2] = {T_I4, T_I4}, ta[2] = {T_I4, T_I8};
	plan_fragment *f2 = frag(2, PART_SOURCE, PART_HASH, scan(2));
	static const int gkey[] = {1};
	f2->noutput_keys = 1;
	f2->output_keys = gkey;
	pnode *agg = mk(PN_HASH_AGG, 2, ta, exchange_of(2, 2, t2));
	static const int gc[] = {1};
	agg_call *a = arena_zalloc(A, sizeof(agg_call));
	a[0] = (agg_call){AGG_COUNT_STAR, -1, false, T_I8, "count"};
	agg->ngroup = 1;
	agg->group_cols = gc;
	agg->naggs = 1;
	agg->aggs = a;
	plan_fragment *f1 = frag(1, PART_HASH, PART_SINGLE, agg);
	pnode *sort = mk(PN_SORT, 2, ta, exchange_of(1, 2, ta));
	sort_key *k = arena_zalloc(A, sizeof(sort_key));
	*k = (sort_key){0, true, true};
	sort->nkeys = 1;
	sort->keys = k;
	plan_fragment *fs[3] = {frag(0, PART_SINGLE, PART_SINGLE, sort), f1, f2};
	int64_t v[400];
	int n;
	assert_null(run(plan(3, fs), 0, v, 200, &n));
	assert_int_equal(n, 100);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(v[i * 2], 99 - i);
		assert_int_equal(v[i * 2 + 1], 10000);
	}
}

static void test_cancel_is_prompt(void **st)
{
	(void)st;
	gen.nrows = (int64_t)1 << 40; /* would run for hours */
	exec_options opt = {0};
	exec_query *q;
	assert_null(exec_query_start(count_sum_plan(), NULL, 0, NULL, &opt, &q));
	usleep(100 * 1000);
	int64_t t0 = now_ms();
	exec_query_cancel(q, SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
	batch *b;
	bool to;
	arena *ra = arena_create(NULL, "r");
	ferr *e = exec_query_next(q, ra, -1, &b, &to);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_QUERY_CANCELED);
	ferr_free(e);
	exec_query_destroy(q);
	assert_true(now_ms() - t0 < 1000);
	arena_destroy(ra);
}

static void test_timeout_then_cancel(void **st)
{
	(void)st;
	gen.nrows = (int64_t)1 << 40;
	exec_options opt = {0};
	exec_query *q;
	assert_null(exec_query_start(count_sum_plan(), NULL, 0, NULL, &opt, &q));
	batch *b;
	bool to = false;
	arena *ra = arena_create(NULL, "r");
	assert_null(exec_query_next(q, ra, 50, &b, &to));
	assert_true(to);
	assert_null(b);
	int64_t t0 = now_ms();
	exec_query_destroy(q); /* destroy without cancel stops it too */
	assert_true(now_ms() - t0 < 1000);
	arena_destroy(ra);
}

static void test_source_error_propagates(void **st)
{
	(void)st;
	gen.fail_split = 5;
	int64_t v[4];
	int n;
	ferr *e = run(count_sum_plan(), 0, v, 2, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DIVISION_BY_ZERO);
	assert_int_equal(n, 0);
	ferr_free(e);
}

/* SELECT x FROM gen ORDER BY x [DESC]: the sort gathers every row. */
static phys_plan *sort_plan(bool descending)
{
	ftype t[1] = {T_I4};
	pnode *sort = mk(PN_SORT, 1, t, exchange_of(1, 1, t));
	sort_key *k = arena_zalloc(A, sizeof(sort_key));
	*k = (sort_key){0, descending, false};
	sort->nkeys = 1;
	sort->keys = k;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, sort),
	                        frag(1, PART_SOURCE, PART_SINGLE, scan(1))};
	return plan(2, fs);
}

static void test_memory_limit(void **st)
{
	(void)st;
	phys_plan *p = sort_plan(false);
	int64_t v[4];
	int n;
	ferr *e = run(p, 4 << 20, v, 1, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_OUT_OF_MEMORY);
	/* The largest holder when the limit is crossed is named; the sort is among them. */
	assert_non_null(strstr(e->message, "Query exceeded per-node memory limit of 4MB in "));
	assert_non_null(e->detail);
	assert_non_null(strstr(e->detail, "Top Consumers: {"));
	assert_non_null(strstr(e->detail, "OrderByOperator="));
	ferr_free(e);
	/* The same query fits in 64MB. */
	assert_null(run(p, 64 << 20, v, 1, &n));
	assert_int_equal(n, 1000000);
	assert_int_equal(v[0], 0);
}

/* Entries of dir other than . and .. (-1 when it does not exist). */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
	closedir(d);
	return n;
}

/*
 * The sort that fails in 4MB finishes with spilling on: sorted runs on disk,
 * then the k-way merge; every row comes back in order and no file is left.
 */
static void test_sort_spills(void **st)
{
	(void)st;
	phys_plan *p = sort_plan(true);
	char dir[] = "/tmp/ferry-test-spill-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int64_t *v = malloc(sizeof(int64_t) * 1000000);
	int n;
	ferr *e = run(p, 4 << 20, v, 1000000, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_OUT_OF_MEMORY);
	ferr_free(e);
	run_opts = (exec_options){.spill_enabled = true, .spill_path = dir};
	e = run(p, 4 << 20, v, 1000000, &n);
	run_opts = (exec_options){0};
	if (e) fail_msg("%s: %s (%s)", e->sqlstate, e->message, e->detail ? e->detail : "");
	assert_int_equal(n, 1000000);
	for (int i = 0; i < n; i++)
		if (v[i] != 999999 - i) fail_msg("row %d is %lld", i, (long long)v[i]);
	free(v);
	assert_int_equal(dir_entries(dir), 0);
	assert_int_equal(exec_spill_node_bytes(), 0);
	/* A spill limit below what the sort needs is 53100, and still leaves nothing. */
	run_opts = (exec_options){.spill_enabled = true, .spill_path = dir,
	                          .query_max_spill_bytes = 64 << 10};
	int64_t one[1];
	e = run(p, 4 << 20, one, 1, &n);
	run_opts = (exec_options){0};
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DISK_FULL);
	ferr_free(e);
	assert_int_equal(dir_entries(dir), 0);
	assert_int_equal(exec_spill_node_bytes(), 0);
	rmdir(dir);
}

/*
 * GROUP BY x over 1M distinct x in 16MB: frozen tables send new groups to
 * partitions on disk, aggregated one by one; every group comes back once
 * with its whole count, and no file is left.
 */
static void test_agg_spills(void **st)
{
	(void)st;
	ftype t[2] = {T_I4, T_I8};
	pnode *agg = mk(PN_HASH_AGG, 2, t, scan(1));
	agg_call *a = arena_zalloc(A, sizeof(agg_call));
	a[0] = (agg_call){AGG_COUNT_STAR, -1, false, T_I8, "count"};
	int *gc = arena_zalloc(A, sizeof(int));
	agg->ngroup = 1;
	agg->group_cols = gc;
	agg->naggs = 1;
	agg->aggs = a;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 2, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, agg)};
	phys_plan *p = plan(2, fs);
	char dir[] = "/tmp/ferry-test-aggspill-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int64_t *v = malloc(sizeof(int64_t) * 2 * 1000000);
	int n;
	ferr *e = run(p, 16 << 20, v, 1000000, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_OUT_OF_MEMORY);
	ferr_free(e);
	run_opts = (exec_options){.spill_enabled = true, .spill_path = dir};
	e = run(p, 16 << 20, v, 1000000, &n);
	run_opts = (exec_options){0};
	if (e) fail_msg("%s: %s (%s)", e->sqlstate, e->message, e->detail ? e->detail : "");
	assert_int_equal(n, 1000000);
	char *seen = calloc(1000000, 1);
	for (int i = 0; i < n; i++) {
		int64_t x = v[2 * i], c = v[2 * i + 1];
		if (x < 0 || x >= 1000000 || seen[x] || c != 1)
			fail_msg("row %d: x %lld count %lld", i, (long long)x, (long long)c);
		seen[x] = 1;
	}
	free(seen);
	free(v);
	assert_int_equal(dir_entries(dir), 0);
	assert_int_equal(exec_spill_node_bytes(), 0);
	rmdir(dir);
}

static void test_limit_ends_early(void **st)
{
	(void)st;
	gen.nrows = (int64_t)1 << 40;
	ftype t[1] = {T_I4};
	pnode *lim = mk(PN_LIMIT, 1, t, exchange_of(1, 1, t));
	lim->limit = 10;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, lim),
	                        frag(1, PART_SOURCE, PART_SINGLE, scan(1))};
	int64_t v[16];
	int n;
	int64_t t0 = now_ms();
	assert_null(run(plan(2, fs), 0, v, 16, &n));
	assert_int_equal(n, 10);
	assert_true(now_ms() - t0 < 2000);
}

static void test_bad_plan_is_an_error(void **st)
{
	(void)st;
	ftype t[1] = {T_I4};
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(3, 1, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, scan(1))};
	exec_options opt = {0};
	exec_query *q = NULL;
	ferr *e = exec_query_start(plan(2, fs), NULL, 0, NULL, &opt, &q);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INTERNAL_ERROR);
	assert_null(q);
	ferr_free(e);

	/* A sort key past the input's columns is refused, not read. */
	pnode *sort = mk(PN_SORT, 1, t, exchange_of(1, 1, t));
	sort_key *k = arena_zalloc(A, sizeof(sort_key));
	*k = (sort_key){3, false, false};
	sort->nkeys = 1;
	sort->keys = k;
	plan_fragment *fs2[2] = {frag(0, PART_SINGLE, PART_SINGLE, sort),
	                         frag(1, PART_SOURCE, PART_SINGLE, scan(1))};
	e = exec_query_start(plan(2, fs2), NULL, 0, NULL, &opt, &q);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INTERNAL_ERROR);
	ferr_free(e);
}

/* ---- expressions (exec/expr.c) inside a pipeline ---- */

static expr *e_col(int i, ftype t)
{
	expr *e = arena_zalloc(A, sizeof(*e));
	e->kind = EXPR_COLUMN;
	e->column = i;
	e->type = t;
	return e;
}

static expr *e_i4(int v)
{
	expr *e = arena_zalloc(A, sizeof(*e));
	e->kind = EXPR_CONST;
	e->type = T_I4;
	e->value.u.i = v;
	return e;
}

static expr *e_fn(const char *name, expr *a, expr *b)
{
	ftype at[2] = {a->type, b->type};
	func_match m;
	ferr *err = func_lookup(name, 2, at, &m);
	assert_null(err);
	expr *e = arena_zalloc(A, sizeof(*e));
	e->kind = EXPR_FUNC;
	e->func = m.func;
	e->type = m.result;
	e->nargs = 2;
	e->args = arena_alloc(A, sizeof(expr *) * 2);
	e->args[0] = a;
	e->args[1] = b;
	return e;
}

/* count(*), sum(x) WHERE x < 1000, with the filter in the parallel fragment. */
static void test_filter_in_parallel_fragment(void **st)
{
	(void)st;
	ftype t[2] = {T_I8, T_I8}, t1[1] = {T_I4};
	pnode *f = mk(PN_FILTER, 1, t1, scan(1));
	f->predicate = e_fn("<", e_col(0, T_I4), e_i4(1000));
	pnode *agg = mk(PN_HASH_AGG, 2, t, f);
	agg_call *a = arena_zalloc(A, sizeof(agg_call) * 2);
	a[0] = (agg_call){AGG_COUNT_STAR, -1, false, T_I8, "count"};
	a[1] = (agg_call){AGG_SUM, 0, false, T_I8, "sum"};
	agg->naggs = 2;
	agg->aggs = a;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 2, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, agg)};
	int64_t v[4];
	int n;
	assert_null(run(plan(2, fs), 0, v, 2, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 1000);
	assert_int_equal(v[1], 499500);
}

/* SELECT x, x / 0: the evaluator's 22012 reaches the session, nothing else. */
static void test_division_by_zero_in_project(void **st)
{
	(void)st;
	expr *div = e_fn("/", e_col(0, T_I4), e_i4(0));
	ftype t2[2] = {T_I4, div->type};
	pnode *p = mk(PN_PROJECT, 2, t2, scan(1));
	p->exprs = arena_alloc(A, sizeof(expr *) * 2);
	p->exprs[0] = e_col(0, T_I4);
	p->exprs[1] = div;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 2, t2)),
	                        frag(1, PART_SOURCE, PART_SINGLE, p)};
	int64_t v[4];
	int n;
	ferr *e = run(plan(2, fs), 0, v, 1, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DIVISION_BY_ZERO);
	assert_string_equal(e->message, "division by zero");
	ferr_free(e);
}

/* A heavy query on every thread does not starve a small one (quantum scheduling). */
static void test_small_query_not_starved(void **st)
{
	(void)st;
	gen.nrows = (int64_t)1 << 40;
	exec_options opt = {0};
	exec_query *heavy;
	assert_null(exec_query_start(count_sum_plan(), NULL, 0, NULL, &opt, &heavy));
	usleep(50 * 1000);
	gen.nrows = 5000;
	int64_t v[4];
	int n;
	int64_t t0 = now_ms();
	assert_null(run(count_sum_plan(), 0, v, 2, &n));
	assert_int_equal(v[0], 5000);
	assert_true(now_ms() - t0 < 1000);
	exec_query_destroy(heavy);
}

/* VALUES in the root fragment, and per-node statistics after the end. */
static void test_values_and_stats(void **st)
{
	(void)st;
	ftype t[1] = {T_I4};
	pnode *vals = mk(PN_VALUES, 1, t, NULL);
	vals->nrows = 3;
	vals->rows = arena_alloc(A, sizeof(expr **) * 3);
	for (int r = 0; r < 3; r++) {
		vals->rows[r] = arena_alloc(A, sizeof(expr *));
		vals->rows[r][0] = e_i4(r * 10);
	}
	vals->rows[2][0]->value.isnull = true;
	plan_fragment *fs[1] = {frag(0, PART_SINGLE, PART_SINGLE, vals)};
	exec_options opt = {0};
	exec_query *q;
	assert_null(exec_query_start(plan(1, fs), NULL, 0, NULL, &opt, &q));
	arena *ra = arena_create(NULL, "r");
	batch *b;
	bool to;
	assert_null(exec_query_next(q, ra, -1, &b, &to));
	assert_non_null(b);
	assert_int_equal(b->count, 3);
	assert_int_equal(*(int32_t *)vector_at(&b->cols[0], 1), 10);
	assert_true(vector_is_null(&b->cols[0], 2));
	assert_null(exec_query_next(q, ra, -1, &b, &to));
	assert_null(b);
	exec_node_stats s;
	assert_true(exec_query_node_stats(q, vals->id, &s));
	assert_int_equal(s.rows_out, 3);
	assert_false(exec_query_node_stats(q, 12345, &s));
	assert_true(exec_query_peak_memory(q) > 0);
	exec_query_destroy(q);
	arena_destroy(ra);
}

/* Scan statistics over a parallel fragment: every row and byte counted once. */
static void test_scan_stats(void **st)
{
	(void)st;
	gen.nrows = 100000;
	phys_plan *p = count_sum_plan();
	const pnode *scan_node = p->fragments[1]->root->children[0];
	exec_options opt = {0};
	exec_query *q;
	assert_null(exec_query_start(p, NULL, 0, NULL, &opt, &q));
	arena *ra = arena_create(NULL, "r");
	batch *b;
	bool to;
	do
		assert_null(exec_query_next(q, ra, -1, &b, &to));
	while (b);
	exec_node_stats s;
	assert_true(exec_query_node_stats(q, scan_node->id, &s));
	assert_int_equal(s.rows_out, 100000);
	assert_int_equal(s.bytes_in, 400000);
	exec_query_destroy(q);
	arena_destroy(ra);
}

/* Top-N and sort inside a parallel fragment: the drivers' partial results are merged. */
static void test_parallel_topn_and_sort(void **st)
{
	(void)st;
	gen.nrows = 100000;
	ftype t[1] = {T_I4};
	sort_key *k = arena_zalloc(A, sizeof(sort_key));
	*k = (sort_key){0, true, true};
	pnode *top = mk(PN_TOPN, 1, t, scan(1));
	top->nkeys = 1;
	top->keys = k;
	top->limit = 5;
	top->offset = 1;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 1, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, top)};
	int64_t v[16];
	int n;
	assert_null(run(plan(2, fs), 0, v, 16, &n));
	assert_int_equal(n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(v[i], 99998 - i);

	pnode *sort = mk(PN_SORT, 1, t, scan(1));
	sort->nkeys = 1;
	sort->keys = k;
	plan_fragment *fs2[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 1, t)),
	                         frag(1, PART_SOURCE, PART_SINGLE, sort)};
	static int64_t all[100000];
	assert_null(run(plan(2, fs2), 0, all, 100000, &n));
	assert_int_equal(n, 100000);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(all[i], 99999 - i);
}

/* count(DISTINCT g) and count(*) GROUP BY nothing, merged across drivers. */
static void test_parallel_count_distinct(void **st)
{
	(void)st;
	ftype t[2] = {T_I8, T_I8};
	pnode *agg = mk(PN_HASH_AGG, 2, t, scan(2));
	agg_call *a = arena_zalloc(A, sizeof(agg_call) * 2);
	a[0] = (agg_call){AGG_COUNT, 1, true, T_I8, "count"};
	a[1] = (agg_call){AGG_COUNT_STAR, -1, false, T_I8, "count"};
	agg->naggs = 2;
	agg->aggs = a;
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 2, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, agg)};
	int64_t v[4];
	int n;
	assert_null(run(plan(2, fs), 0, v, 2, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 100);
	assert_int_equal(v[1], 1000000);
}

/* Broadcast join: every probe driver builds the whole build side. */
static void run_broadcast_join(join_type jt)
{
	gen.nrows = 100000;
	ftype t1[1] = {T_I4}, t2[2] = {T_I4, T_I4}, t8[1] = {T_I8};
	pnode *join = mk(PN_HASH_JOIN, 2, t2, scan(1));
	join->nchildren = 2;
	pnode **ch = arena_alloc(A, sizeof(pnode *) * 2);
	ch[0] = join->children[0];
	ch[1] = exchange_of(2, 1, t1);
	join->children = ch;
	static const int k0[] = {0};
	join->join = jt;
	join->nkeys_join = 1;
	join->probe_keys = k0;
	join->build_keys = k0;
	join->distribution = PART_BROADCAST;
	pnode *agg = mk(PN_HASH_AGG, 1, t8, join);
	agg_call *a = arena_zalloc(A, sizeof(agg_call));
	a[0] = (agg_call){AGG_COUNT_STAR, -1, false, T_I8, "count"};
	agg->naggs = 1;
	agg->aggs = a;
	plan_fragment *fs[3] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 1, t8)),
	                        frag(1, PART_SOURCE, PART_SINGLE, agg),
	                        frag(2, PART_SOURCE, PART_BROADCAST, scan(1))};
	int64_t v[2];
	int n;
	ferr *e = run(plan(3, fs), 0, v, 1, &n);
	if (jt == JOIN_RIGHT && exec_pool_threads() > 1) {
		/* Each driver would report the other drivers' matches as unmatched. */
		assert_non_null(e);
		assert_string_equal(e->sqlstate, SQLSTATE_FEATURE_NOT_SUPPORTED);
		ferr_free(e);
		return;
	}
	assert_null(e);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 100000);
}

static void test_broadcast_join_count(void **st)
{
	(void)st;
	run_broadcast_join(JOIN_INNER);
	run_broadcast_join(JOIN_RIGHT);
}

/* A caller that does not read: bounded exchanges park the producers. */
static void test_back_pressure_bounds_memory(void **st)
{
	(void)st;
	gen.nrows = (int64_t)1 << 40;
	ftype t[1] = {T_I4};
	plan_fragment *fs[2] = {frag(0, PART_SINGLE, PART_SINGLE, exchange_of(1, 1, t)),
	                        frag(1, PART_SOURCE, PART_SINGLE, scan(1))};
	exec_options opt = {0};
	exec_query *q;
	assert_null(exec_query_start(plan(2, fs), NULL, 0, NULL, &opt, &q));
	usleep(300 * 1000); /* unbounded, this would be hundreds of MB */
	arena *ra = arena_create(NULL, "r");
	batch *b;
	bool to;
	for (int i = 0; i < 100; i++) {
		arena_reset(ra);
		assert_null(exec_query_next(q, ra, -1, &b, &to));
		assert_non_null(b);
	}
	assert_true(exec_query_peak_memory(q) < 16 << 20);
	exec_query_destroy(q);
	arena_destroy(ra);
}

/* Not an assertion on speed (machines differ): prints rows/s for 6M rows. */
static void test_throughput_6m(void **st)
{
	(void)st;
	gen.nrows = 6000000;
	gen.nsplits = 16;
	int64_t v[4];
	int n;
	int64_t t0 = now_ms();
	assert_null(run(count_sum_plan(), 0, v, 2, &n));
	int64_t ms = now_ms() - t0;
	assert_int_equal(v[0], 6000000);
	assert_int_equal(v[1], 6000000LL * 5999999 / 2);
	print_message("count+sum over 6M rows, %d threads: %lld ms\n", exec_pool_threads(),
	              (long long)ms);
}

static int pool_up(void **st)
{
	(void)st;
	/* Two threads by default; FERRY_TEST_THREADS=1 or 8 checks scheduling edge cases. */
	const char *env = getenv("FERRY_TEST_THREADS");
	int n = env ? atoi(env) : 2;
	return exec_pool_start(n > 0 ? n : 2) ? -1 : 0;
}
static int pool_down(void **st)
{
	(void)st;
	exec_pool_stop();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_parallel_count_sum, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hash_partitioned_group_by_sorted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cancel_is_prompt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeout_then_cancel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_source_error_propagates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limit_ends_early, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_plan_is_an_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filter_in_parallel_fragment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_division_by_zero_in_project, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_small_query_not_starved, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values_and_stats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_stats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_back_pressure_bounds_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parallel_topn_and_sort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parallel_count_distinct, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_broadcast_join_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throughput_6m, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sort_spills, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_agg_spills, setup, teardown),
	};
	return cmocka_run_group_tests(tests, pool_up, pool_down);
}
