/*
 * topn.c — ORDER BY ... LIMIT n [OFFSET m]: keeps the best limit+offset
 * rows in a binary heap whose top is the worst kept row, so memory is
 * bounded by n+m rows, not by the input. Rows that cannot enter the heap
 * are never copied. Parallel drivers keep their own heaps; the last to
 * finish merges them and emits in order.
 */
#include "exec/operator.h"

#include <stdlib.h>

typedef struct topn_state {
	int64_t n;          /* rows to keep: limit + offset */
	exec_row_ref *heap; /* max-heap by sort order */
	int64_t size, cap;  /* cap grows up to n: a large LIMIT costs only what arrives */
	int64_t stored;     /* rows copied into gen since it was made */
	arena *gen;         /* holds the rows the heap refers to */
	bool input_done, emitting;
	int64_t cursor;
	exec_row_ref *sorted;
} topn_state;

typedef struct topn_cmp {
	int nkeys;
	const sort_key *keys;
} topn_cmp;

static int cmp(const topn_cmp *c, const exec_row_ref *a, const exec_row_ref *b)
{
	return exec_compare_rows(a->b, a->row, b->b, b->row, c->nkeys, c->keys);
}

static int cmp_qsort(const void *x, const void *y, void *arg)
{
	return cmp(arg, x, y);
}

static void sift_down(exec_row_ref *h, int64_t n, int64_t i, const topn_cmp *c)
{
	for (;;) {
		int64_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && cmp(c, &h[l], &h[m]) > 0) m = l;
		if (r < n && cmp(c, &h[r], &h[m]) > 0) m = r;
		if (m == i) return;
		exec_row_ref t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void heap_offer(arena *a, topn_state *s, exec_row_ref r, const topn_cmp *c)
{
	if (s->size < s->n) {
		if (s->size == s->cap) {
			int64_t cap = s->cap * 2 < s->n ? s->cap * 2 : s->n;
			s->heap = arena_realloc(a, s->heap, sizeof(exec_row_ref) * (size_t)s->cap,
			                        sizeof(exec_row_ref) * (size_t)cap);
			s->cap = cap;
		}
		int64_t i = s->size++;
		s->heap[i] = r;
		while (i > 0) {
			int64_t p = (i - 1) / 2;
			if (cmp(c, &s->heap[i], &s->heap[p]) <= 0) break;
			exec_row_ref t = s->heap[i];
			s->heap[i] = s->heap[p];
			s->heap[p] = t;
			i = p;
		}
	} else if (cmp(c, &r, &s->heap[0]) < 0) {
		s->heap[0] = r;
		sift_down(s->heap, s->size, 0, c);
	}
}

/* Copy the kept rows into a fresh arena and drop the rows that fell out. */
static void regenerate(exec_op *op, topn_state *s)
{
	arena *gen = arena_create(op->state, "topn rows");
	for (int64_t i = 0; i < s->size; i += BATCH_CAPACITY) {
		int cnt = (int)(s->size - i < BATCH_CAPACITY ? s->size - i : BATCH_CAPACITY);
		batch *g =
		    exec_gather_rows(op->out, op->node->ncols, op->node->types, s->heap + i, cnt);
		batch *b = batch_compact(gen, g);
		for (int k = 0; k < cnt; k++)
			s->heap[i + k] = (exec_row_ref){b, k};
	}
	arena_destroy(s->gen);
	s->gen = gen;
	s->stored = s->size;
}

static void consume(exec_op *op, topn_state *s, const batch *in, const topn_cmp *c)
{
	if (s->n == 0 || in->count == 0) return;
	/* Only rows that beat the current worst kept row are copied. */
	uint16_t *sel = arena_alloc(op->out, sizeof(uint16_t) * (size_t)in->count);
	int m = 0;
	for (int i = 0; i < in->count; i++) {
		int r = batch_row(in, i);
		exec_row_ref ref = {in, r};
		if (s->size < s->n || cmp(c, &ref, &s->heap[0]) < 0) sel[m++] = (uint16_t)r;
	}
	if (m == 0) return;
	batch view = *in;
	view.sel = sel;
	view.count = m;
	batch *b = batch_compact(s->gen, &view);
	for (int i = 0; i < m; i++)
		heap_offer(op->state, s, (exec_row_ref){b, i}, c);
	s->stored += m;
	if (s->stored > 4 * s->n + 4 * BATCH_CAPACITY) regenerate(op, s);
}

static ferr *topn_next(exec_op *op, exec_status *st, batch **out)
{
	topn_state *s = op->impl;
	const pnode *n = op->node;
	topn_cmp c = {n->nkeys, n->keys};
	while (!s->input_done) {
		batch *in;
		TRY(exec_op_next(op->children[0], st, &in));
		if (*st == EXEC_BLOCKED || *st == EXEC_YIELD) return NULL;
		if (*st == EXEC_BATCH) {
			consume(op, s, in, &c);
			TRY(exec_env_check(op->env));
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		}
		s->input_done = true;
		void **all;
		if (!exec_shared_hand_in(op->shared, s, op->state, &all)) break;
		for (int d = 0; d < op->shared->ndrivers; d++) {
			topn_state *o = all[d];
			if (o == s) continue;
			for (int64_t i = 0; i < o->size; i++)
				heap_offer(op->state, s, o->heap[i], &c);
		}
		qsort_r(s->heap, (size_t)s->size, sizeof(exec_row_ref), cmp_qsort, &c);
		s->cursor = n->offset > 0 ? n->offset : 0;
		s->emitting = true;
	}
	if (!s->emitting || s->cursor >= s->size) {
		*st = EXEC_DONE;
		return NULL;
	}
	int64_t cnt = s->size - s->cursor;
	if (cnt > BATCH_CAPACITY) cnt = BATCH_CAPACITY;
	*out = exec_gather_rows(op->out, n->ncols, n->types, s->heap + s->cursor, (int)cnt);
	s->cursor += cnt;
	*st = EXEC_BATCH;
	return NULL;
}

static const exec_op_ops topn_ops = {topn_next, NULL};

ferr *exec_topn_create(exec_op *op)
{
	const pnode *n = op->node;
	if (op->nchildren != 1 || !op->shared || n->limit < 0)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed top-N node");
	topn_state *s = arena_zalloc(op->state, sizeof(*s));
	int64_t off = n->offset > 0 ? n->offset : 0;
	s->n = n->limit > INT64_MAX - off ? INT64_MAX : n->limit + off;
	s->cap = s->n < 1024 ? (s->n > 0 ? s->n : 1) : 1024;
	s->heap = arena_alloc(op->state, sizeof(exec_row_ref) * (size_t)s->cap);
	s->gen = arena_create(op->state, "topn rows");
	op->impl = s;
	op->ops = &topn_ops;
	return NULL;
}
