/*
 * sort.c — ORDER BY: materializes its whole input (deep copies into the
 * operator's arena, so the child may reuse its memory), sorts row
 * references by every key with ASC/DESC and NULLS FIRST/LAST as the
 * planner gives them, and emits the rows in order. Parallel drivers each
 * collect; the last one to finish sorts everything. Never keeps pointers
 * into a child's batch. With spilling on, a driver whose rows take too
 * much of the query's memory sorts them and writes them out as a run (a
 * spill file of sorted frames); the last driver then merges every run and
 * the rows still in memory with a k-way heap merge (external merge sort).
 */
#include "exec/operator.h"

/* Rows per frame of a run: the merge holds one frame of every run at once. */
#define RUN_FRAME_ROWS 256

/* One sorted input of the final merge: a spill file, or the in-memory rows. */
typedef struct merge_src {
	spill_file *f;
	arena *a;  /* f's current batch */
	arena *parent;
	batch *b;
	int row;
	const exec_row_ref *refs; /* in memory: sorted rows */
	int64_t nrefs, pos;
} merge_src;

typedef struct sort_state {
	arena *rows; /* the batches below: dropped whole when they go to a run */
	const batch **batches;
	int nbatches, cap;
	int64_t nrows;
	bool input_done, emitting;
	exec_row_ref *refs;
	int64_t nrefs, cursor;
	spill_file **runs; /* sorted runs this driver wrote */
	int nruns, cap_runs;
	/* the merge (last driver, when any run exists) */
	merge_src *src;
	int *heap, nheap;
} sort_state;

typedef struct sort_cmp_ctx {
	int nkeys;
	const sort_key *keys;
} sort_cmp_ctx;

/*
 * A row to sort with a 64-bit prefix of its first key whose unsigned order
 * agrees with the key's order (direction and NULL placement included).
 * Equal prefixes fall back to the full comparison, so a prefix only has to
 * be order-preserving, never unique.
 */
typedef struct sort_ent {
	uint64_t prefix;
	exec_row_ref ref;
} sort_ent;

static inline int cmp_ents(const sort_ent *a, const sort_ent *b, const sort_cmp_ctx *c)
{
	if (a->prefix != b->prefix) return a->prefix < b->prefix ? -1 : 1;
	return exec_compare_rows(a->ref.b, a->ref.row, b->ref.b, b->ref.row, c->nkeys, c->keys);
}

static inline void swap_ents(sort_ent *a, sort_ent *b)
{
	sort_ent t = *a;
	*a = *b;
	*b = t;
}

/*
 * Quicksort with the comparison inlined (glibc's qsort_r merges with
 * memcpy per element and a call per comparison: several times slower).
 * Recurses into the smaller part, so the stack depth stays O(log n).
 */
static void sort_ents(sort_ent *v, int64_t n, const sort_cmp_ctx *c)
{
	while (n > 16) {
		int64_t m = n / 2;
		if (cmp_ents(&v[m], &v[0], c) < 0) swap_ents(&v[m], &v[0]);
		if (cmp_ents(&v[n - 1], &v[0], c) < 0) swap_ents(&v[n - 1], &v[0]);
		if (cmp_ents(&v[n - 1], &v[m], c) < 0) swap_ents(&v[n - 1], &v[m]);
		sort_ent pivot = v[m];
		int64_t i = 0, j = n - 1;
		for (;;) {
			while (cmp_ents(&v[i], &pivot, c) < 0)
				i++;
			while (cmp_ents(&pivot, &v[j], c) < 0)
				j--;
			if (i >= j) break;
			swap_ents(&v[i], &v[j]);
			i++;
			j--;
		}
		/* v[0..j] <= pivot <= v[j+1..n) */
		int64_t left = j + 1, right = n - left;
		if (left < right) {
			sort_ents(v, left, c);
			v += left;
			n = right;
		} else {
			sort_ents(v + left, right, c);
			n = left;
		}
	}
	for (int64_t i = 1; i < n; i++) {
		sort_ent x = v[i];
		int64_t j = i;
		for (; j > 0 && cmp_ents(&x, &v[j - 1], c) < 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * Signed integer value of v[row] for the types stored as plain integers
 * (value_compare orders them numerically); false for every other type.
 */
static bool integer_value(const vector *v, int row, int64_t *out)
{
	const void *p = vector_at(v, row);
	switch (v->type.id) {
	case TYPE_BOOL:
		*out = *(const uint8_t *)p;
		return true;
	case TYPE_INT2:
		*out = *(const int16_t *)p;
		return true;
	case TYPE_INT4:
	case TYPE_DATE:
		*out = *(const int32_t *)p;
		return true;
	case TYPE_INT8:
	case TYPE_TIME:
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ:
		*out = *(const int64_t *)p;
		return true;
	case TYPE_NUMERIC:
		if (numeric_is_wide(v->type)) return false;
		*out = *(const int64_t *)p;
		return true;
	default:
		return false;
	}
}

static uint64_t prefix_of(const exec_row_ref *r, const sort_key *k)
{
	const vector *v = &r->b->cols[k->column];
	if (vector_is_null(v, r->row)) return k->nulls_first ? 0 : UINT64_MAX;
	int64_t x;
	if (!integer_value(v, r->row, &x)) return 0; /* every row ties: full comparison */
	uint64_t u = (uint64_t)x ^ ((uint64_t)1 << 63);
	return k->descending ? ~u : u;
}

/* Keep a deep copy of the live rows of in: the child may reuse its memory. */
static void sort_add(sort_state *s, const batch *in)
{
	if (in->count == 0) return;
	if (s->nbatches == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		s->batches = arena_realloc(s->rows, s->batches, sizeof(batch *) * (size_t)s->cap,
		                           sizeof(batch *) * (size_t)cap);
		s->cap = cap;
	}
	s->batches[s->nbatches++] = batch_compact(s->rows, in);
	s->nrows += in->count;
}

/* Refs to every row the given drivers hold, in a. */
static exec_row_ref *collect_refs(sort_state *const *states, int nstates, arena *a, int64_t *n)
{
	int64_t total = 0;
	for (int d = 0; d < nstates; d++)
		total += states[d]->nrows;
	exec_row_ref *refs = arena_alloc(a, sizeof(exec_row_ref) * (size_t)(total > 0 ? total : 1));
	*n = 0;
	for (int d = 0; d < nstates; d++) {
		const sort_state *o = states[d];
		for (int i = 0; i < o->nbatches; i++)
			for (int r = 0; r < o->batches[i]->count; r++)
				refs[(*n)++] = (exec_row_ref){o->batches[i], r};
	}
	return refs;
}

/* Put refs[0..n) in the node's order; scratch comes from a. */
static void sort_refs(exec_row_ref *refs, int64_t n, const pnode *nd, arena *a)
{
	sort_ent *ents = arena_alloc(a, sizeof(sort_ent) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++)
		ents[i] = (sort_ent){nd->nkeys ? prefix_of(&refs[i], &nd->keys[0]) : 0, refs[i]};
	sort_cmp_ctx c = {nd->nkeys, nd->keys};
	sort_ents(ents, n, &c);
	for (int64_t i = 0; i < n; i++)
		refs[i] = ents[i].ref;
}

/* Write refs[0..n) to f a batch at a time. */
static ferr *write_run(spill_file *f, const pnode *nd, const exec_row_ref *refs, int64_t n,
                       arena *parent)
{
	for (int64_t i = 0; i < n; i += RUN_FRAME_ROWS) {
		int cnt = (int)(n - i < RUN_FRAME_ROWS ? n - i : RUN_FRAME_ROWS);
		arena *ba = arena_create(parent, "sort run batch");
		ferr *e = spill_file_write(f, exec_gather_rows(ba, nd->ncols, nd->types, refs + i, cnt));
		arena_destroy(ba);
		TRY(e);
	}
	return spill_file_rewind(f);
}

/* Sort this driver's rows, write them out as one run and free their memory. */
static ferr *spill_run(exec_op *op, sort_state *s)
{
	if (s->nrows == 0) return NULL;
	spill_file *f;
	TRY(spill_file_create(op->env->spill, &f));
	arena *tmp = arena_create(op->state, "sort run");
	int64_t n;
	exec_row_ref *refs = collect_refs(&s, 1, tmp, &n);
	sort_refs(refs, n, op->node, tmp);
	ferr *e = write_run(f, op->node, refs, n, tmp);
	arena_destroy(tmp);
	op->spilled_bytes += spill_file_bytes(f);
	if (e) {
		spill_file_close(f);
		return e;
	}
	if (s->nruns == s->cap_runs) {
		int cap = s->cap_runs ? s->cap_runs * 2 : 8;
		s->runs = arena_realloc(op->state, s->runs, sizeof(spill_file *) * (size_t)s->cap_runs,
		                        sizeof(spill_file *) * (size_t)cap);
		s->cap_runs = cap;
	}
	s->runs[s->nruns++] = f;
	arena_destroy(s->rows);
	s->rows = arena_create(op->state, "sort rows");
	s->batches = NULL;
	s->nbatches = s->cap = 0;
	s->nrows = 0;
	return NULL;
}

/* ---- k-way merge of the runs and the in-memory rows ---- */

static void src_current(const merge_src *m, const batch **b, int *row)
{
	if (m->f) {
		*b = m->b;
		*row = m->row;
	} else {
		*b = m->refs[m->pos].b;
		*row = m->refs[m->pos].row;
	}
}

/* Step m to its next row; false when it has none left. */
static ferr *src_advance(merge_src *m, bool *more)
{
	if (!m->f) {
		*more = ++m->pos < m->nrefs;
		return NULL;
	}
	if (m->b && ++m->row < m->b->count) {
		*more = true;
		return NULL;
	}
	m->row = 0;
	/* A fresh arena per frame: a reset one would keep its grown block size. */
	arena_destroy(m->a);
	m->a = arena_create(m->parent, "sort merge run");
	TRY(spill_file_read(m->f, m->a, &m->b));
	*more = m->b != NULL;
	if (!*more) {
		spill_file_close(m->f); /* give the disk back as soon as a run is used up */
		m->f = NULL;
		m->nrefs = m->pos = 0;
	}
	return NULL;
}

static bool src_less(const sort_state *s, const pnode *nd, int i, int j)
{
	const batch *bi, *bj;
	int ri, rj;
	src_current(&s->src[i], &bi, &ri);
	src_current(&s->src[j], &bj, &rj);
	int c = exec_compare_rows(bi, ri, bj, rj, nd->nkeys, nd->keys);
	return c < 0 || (c == 0 && i < j);
}

static void heap_down(sort_state *s, const pnode *nd, int at)
{
	for (;;) {
		int l = 2 * at + 1, r = l + 1, m = at;
		if (l < s->nheap && src_less(s, nd, s->heap[l], s->heap[m])) m = l;
		if (r < s->nheap && src_less(s, nd, s->heap[r], s->heap[m])) m = r;
		if (m == at) return;
		int t = s->heap[at];
		s->heap[at] = s->heap[m];
		s->heap[m] = t;
		at = m;
	}
}

/* Every driver's runs plus the sorted in-memory rows become the merge's inputs. */
static ferr *merge_start(exec_op *op, sort_state *s, sort_state *const *all, int nall)
{
	int nsrc = 1;
	for (int d = 0; d < nall; d++)
		nsrc += all[d]->nruns;
	s->src = arena_zalloc(op->state, sizeof(merge_src) * (size_t)nsrc);
	s->heap = arena_alloc(op->state, sizeof(int) * (size_t)nsrc);
	int k = 0;
	for (int d = 0; d < nall; d++)
		for (int i = 0; i < all[d]->nruns; i++) {
			merge_src *m = &s->src[k];
			m->f = all[d]->runs[i];
			all[d]->runs[i] = NULL;
			m->parent = op->state;
			bool more;
			TRY(src_advance(m, &more));
			if (more) s->heap[s->nheap++] = k;
			k++;
		}
	s->src[k] = (merge_src){.refs = s->refs, .nrefs = s->nrefs};
	if (s->nrefs > 0) s->heap[s->nheap++] = k;
	for (int i = s->nheap / 2 - 1; i >= 0; i--)
		heap_down(s, op->node, i);
	return NULL;
}

/* Up to a batch of merged rows, deep-copied: a run's batch goes when it is used up. */
static ferr *merge_emit(exec_op *op, sort_state *s, batch **out)
{
	const pnode *n = op->node;
	batch *b = batch_create(op->out, n->ncols, n->types, BATCH_CAPACITY);
	int k = 0;
	while (k < BATCH_CAPACITY && s->nheap > 0) {
		merge_src *m = &s->src[s->heap[0]];
		const batch *src;
		int row;
		src_current(m, &src, &row);
		for (int c = 0; c < n->ncols; c++)
			exec_copy_value(&b->cols[c], k, b->capacity, &src->cols[c], row, op->out, true);
		k++;
		bool more;
		TRY(src_advance(m, &more));
		if (!more) s->heap[0] = s->heap[--s->nheap];
		heap_down(s, n, 0);
	}
	b->count = k;
	*out = b;
	return NULL;
}

static ferr *sort_next(exec_op *op, exec_status *st, batch **out)
{
	sort_state *s = op->impl;
	const pnode *n = op->node;
	while (!s->input_done) {
		batch *in;
		TRY(exec_op_next(op->children[0], st, &in));
		if (*st == EXEC_BLOCKED || *st == EXEC_YIELD) return NULL;
		if (*st == EXEC_BATCH) {
			sort_add(s, in);
			/* Sorting costs a reference and a key prefix per row on top. */
			int64_t extra = s->nrows * (int64_t)(sizeof(sort_ent) + sizeof(exec_row_ref));
			if (exec_op_should_spill(op, extra)) TRY(spill_run(op, s));
			TRY(exec_env_check(op->env));
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		}
		s->input_done = true;
		/* Once rows went to disk, the rest follows: sorting them in memory
		 * would need as much again for the row references. */
		if (s->nruns > 0) TRY(spill_run(op, s));
		void **all;
		if (!exec_shared_hand_in(op->shared, s, op->state, &all)) break;
		int nall = op->shared->ndrivers;
		s->refs = collect_refs((sort_state *const *)all, nall, op->state, &s->nrefs);
		TRY(exec_env_check(op->env));
		sort_refs(s->refs, s->nrefs, n, op->state);
		bool runs = false;
		for (int d = 0; d < nall; d++)
			runs |= ((sort_state *)all[d])->nruns > 0;
		if (runs) TRY(merge_start(op, s, (sort_state *const *)all, nall));
		s->emitting = true;
	}
	if (s->src) {
		if (s->nheap == 0) {
			*st = EXEC_DONE;
			return NULL;
		}
		TRY(merge_emit(op, s, out));
		*st = EXEC_BATCH;
		return NULL;
	}
	if (!s->emitting || s->cursor >= s->nrefs) {
		*st = EXEC_DONE;
		return NULL;
	}
	int64_t cnt = s->nrefs - s->cursor;
	if (cnt > BATCH_CAPACITY) cnt = BATCH_CAPACITY;
	*out = exec_gather_rows(op->out, n->ncols, n->types, s->refs + s->cursor, (int)cnt);
	s->cursor += cnt;
	*st = EXEC_BATCH;
	return NULL;
}

static const exec_op_ops sort_ops = {sort_next, NULL};

ferr *exec_sort_create(exec_op *op)
{
	if (op->nchildren != 1 || !op->shared)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed sort node");
	sort_state *s = arena_zalloc(op->state, sizeof(sort_state));
	s->rows = arena_create(op->state, "sort rows");
	op->impl = s;
	op->ops = &sort_ops;
	return NULL;
}
