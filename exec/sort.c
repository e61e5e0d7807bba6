/*
 * sort.c — ORDER BY: materializes its whole input (deep copies into the
 * operator's arena, so the child may reuse its memory), sorts row
 * references by every key with ASC/DESC and NULLS FIRST/LAST as the
 * planner gives them, and emits the rows in order. Parallel drivers each
 * collect; the last one to finish sorts everything. Never keeps pointers
 * into a child's batch. No spill yet: the query's memory limit is the bound.
 */
#include "exec/operator.h"

typedef struct sort_state {
	const batch **batches;
	int nbatches, cap;
	int64_t nrows;
	bool input_done, emitting;
	exec_row_ref *refs;
	int64_t nrefs, cursor;
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
static void sort_add(sort_state *s, arena *a, const batch *in)
{
	if (in->count == 0) return;
	if (s->nbatches == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		s->batches = arena_realloc(a, s->batches, sizeof(batch *) * (size_t)s->cap,
		                           sizeof(batch *) * (size_t)cap);
		s->cap = cap;
	}
	s->batches[s->nbatches++] = batch_compact(a, in);
	s->nrows += in->count;
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
			sort_add(s, op->state, in);
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
		int64_t total = 0;
		for (int d = 0; d < op->shared->ndrivers; d++)
			total += ((sort_state *)all[d])->nrows;
		s->refs =
		    arena_alloc(op->state, sizeof(exec_row_ref) * (size_t)(total > 0 ? total : 1));
		for (int d = 0; d < op->shared->ndrivers; d++) {
			const sort_state *o = all[d];
			for (int i = 0; i < o->nbatches; i++)
				for (int r = 0; r < o->batches[i]->count; r++)
					s->refs[s->nrefs++] = (exec_row_ref){o->batches[i], r};
		}
		TRY(exec_env_check(op->env));
		sort_ent *ents = arena_alloc(op->state, sizeof(sort_ent) * (size_t)(s->nrefs + 1));
		for (int64_t i = 0; i < s->nrefs; i++)
			ents[i] = (sort_ent){n->nkeys ? prefix_of(&s->refs[i], &n->keys[0]) : 0,
			                     s->refs[i]};
		sort_cmp_ctx c = {n->nkeys, n->keys};
		sort_ents(ents, s->nrefs, &c);
		for (int64_t i = 0; i < s->nrefs; i++)
			s->refs[i] = ents[i].ref;
		s->emitting = true;
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
	op->impl = arena_zalloc(op->state, sizeof(sort_state));
	op->ops = &sort_ops;
	return NULL;
}
