/*
 * recursive_cte.c — WITH RECURSIVE as one operator that owns the working
 * table (PostgreSQL's RecursiveUnion): it emits the non-recursive term's
 * rows, then instantiates the recursive term's plan afresh for every
 * iteration, whose PN_WORKTABLE leaves read the rows the previous iteration
 * produced, until an iteration produces none. Inputs of the recursive term
 * that do not depend on the recursion (a joined table) arrive through
 * children[1..] and are materialized once. With UNION (not ALL) every row
 * produced so far is kept in a hash set and a row already seen is dropped.
 * Never recurses on the C stack and never caps the depth (PostgreSQL has no
 * cap): cancellation and the query's memory limit stop a runaway recursion.
 */
#include <string.h>

#include "exec/operator.h"

/* Batches of one working table or one materialized input. */
typedef struct wt_rows {
	int n, cap;
	batch **b;
} wt_rows;

/* One row in the set of rows produced so far (UNION). */
typedef struct seen_slot {
	uint64_t hash;
	const batch *b; /* NULL: empty slot */
	int row;
} seen_slot;

typedef enum rec_phase { RP_INPUTS, RP_SEED, RP_NEXT_ITERATION, RP_ITERATE, RP_DONE } rec_phase;

typedef struct rec_state {
	rec_phase phase;
	int input;       /* RP_INPUTS: child being materialized */
	wt_rows *inputs; /* [0] = the working table of the running iteration */
	wt_rows next;    /* rows of the iteration in progress */
	arena *cur_arena, *next_arena; /* UNION ALL: the working tables' storage */
	arena *kept;     /* UNION: every row produced (the seen set points into it) */
	arena *iter;     /* the running iteration's operator tree */
	exec_op *term;   /* the recursive term's root, NULL between iterations */
	seen_slot *slots;
	size_t nslots, nseen;
	sort_key *keys; /* every column, for row equality */
	int *cols;      /* every column, for row hashes */
	int64_t iterations;
} rec_state;

typedef struct worktable_state {
	const wt_rows *src;
	int pos;
} worktable_state;

/* ---- PN_WORKTABLE ---- */

static ferr *worktable_next(exec_op *op, exec_status *st, batch **out)
{
	worktable_state *w = op->impl;
	if (!w->src)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "working table read outside a recursive query");
	while (w->pos < w->src->n) {
		const batch *b = w->src->b[w->pos++];
		if (b->count == 0) continue;
		*out = exec_batch_view(op->out, b);
		*st = EXEC_BATCH;
		return NULL;
	}
	*st = EXEC_DONE;
	return NULL;
}

static const exec_op_ops worktable_ops = {worktable_next, NULL};

ferr *exec_worktable_create(exec_op *op)
{
	if (op->nchildren != 0 || op->node->worktable < 0)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed working table node");
	op->impl = arena_zalloc(op->state, sizeof(worktable_state));
	op->ops = &worktable_ops;
	return NULL;
}

/* ---- PN_RECURSIVE_UNION ---- */

static void rows_append(arena *a, wt_rows *r, batch *b)
{
	exec_batches_append(a, &r->b, &r->n, &r->cap, b);
}

/* Point every working-table leaf of the tree at its rows. */
static ferr *wire_leaves(exec_op *t, rec_state *s, int ninputs)
{
	if (t->node->kind == PN_WORKTABLE) {
		int k = t->node->worktable;
		if (k >= ninputs)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "working table %d does not exist", k);
		((worktable_state *)t->impl)->src = &s->inputs[k];
	}
	for (int i = 0; i < t->nchildren; i++) TRY(wire_leaves(t->children[i], s, ninputs));
	return NULL;
}

/* Shared state of the recursive term's nodes starts over with each iteration. */
static void reset_shared(exec_env *env, const pnode *n)
{
	exec_shared *sh = exec_env_shared(env, n);
	if (sh) {
		pthread_mutex_lock(&sh->mu);
		sh->remaining = sh->ndrivers;
		sh->data = NULL;
		sh->skip_left = n->offset > 0 ? n->offset : 0;
		sh->take_left = n->limit;
		pthread_mutex_unlock(&sh->mu);
	}
	for (int i = 0; i < n->nchildren; i++) reset_shared(env, n->children[i]);
}

static bool seen_insert(rec_state *s, arena *a, const batch *b, int row, int ncols)
{
	if ((s->nseen + 1) * 2 > s->nslots) {
		size_t cap = s->nslots ? s->nslots * 2 : 1024;
		seen_slot *ns = arena_zalloc(a, sizeof(seen_slot) * cap);
		for (size_t i = 0; i < s->nslots; i++) {
			if (!s->slots[i].b) continue;
			size_t j = s->slots[i].hash & (cap - 1);
			while (ns[j].b) j = (j + 1) & (cap - 1);
			ns[j] = s->slots[i];
		}
		s->slots = ns;
		s->nslots = cap;
	}
	uint64_t h = exec_hash_row(b, row, ncols, s->cols);
	size_t j = h & (s->nslots - 1);
	for (; s->slots[j].b; j = (j + 1) & (s->nslots - 1))
		if (s->slots[j].hash == h &&
		    exec_compare_rows(s->slots[j].b, s->slots[j].row, b, row, ncols, s->keys) == 0)
			return false;
	s->slots[j] = (seen_slot){h, b, row};
	s->nseen++;
	return true;
}

/*
 * Keep the new rows of in (all of them under UNION ALL) as part of the next
 * working table; *out is what to emit (NULL when nothing is new).
 */
static void absorb(exec_op *op, rec_state *s, const batch *in, batch **out)
{
	*out = NULL;
	if (in->count == 0) return;
	const pnode *n = op->node;
	arena *a = n->recursive_all ? s->next_arena : s->kept;
	batch *b = batch_compact(a, in);
	if (!n->recursive_all) {
		uint16_t *sel = arena_alloc(a, sizeof(uint16_t) * (size_t)b->count);
		int k = 0;
		for (int r = 0; r < b->count; r++)
			if (seen_insert(s, s->kept, b, r, n->ncols)) sel[k++] = (uint16_t)r;
		if (k == 0) return;
		if (k < b->count) b->sel = sel;
		b->count = k;
	}
	rows_append(a, &s->next, b);
	*out = exec_batch_view(op->out, b);
}

/* Start the next iteration over the rows the last one produced; false when there are none. */
static ferr *iteration_start(exec_op *op, rec_state *s, bool *more)
{
	*more = s->next.n > 0;
	if (!*more) return NULL;
	const pnode *n = op->node;
	if (s->cur_arena) arena_destroy(s->cur_arena);
	s->cur_arena = s->next_arena;
	s->next_arena = n->recursive_all ? arena_create(op->state, "recursive working table") : NULL;
	s->inputs[0] = s->next;
	memset(&s->next, 0, sizeof s->next);
	reset_shared(op->env, n->recursive_term);
	s->iter = arena_create(op->state, "recursive iteration");
	TRY(exec_op_build(n->recursive_term, op->env, op->driver, s->iter, &s->term));
	TRY(wire_leaves(s->term, s, op->nchildren));
	s->iterations++;
	return NULL;
}


static ferr *recursive_next(exec_op *op, exec_status *st, batch **out)
{
	rec_state *s = op->impl;
	for (;;) {
		TRY(exec_env_check(op->env));
		batch *in;
		switch (s->phase) {
		case RP_INPUTS:
			if (s->input >= op->nchildren) {
				s->phase = RP_SEED;
				continue;
			}
			TRY(exec_op_next(op->children[s->input], st, &in));
			if (*st == EXEC_DONE) {
				s->input++;
				continue;
			}
			if (*st != EXEC_BATCH) return NULL;
			if (in->count) rows_append(op->state, &s->inputs[s->input], batch_compact(op->state, in));
			continue;
		case RP_SEED:
			TRY(exec_op_next(op->children[0], st, &in));
			if (*st == EXEC_DONE) {
				s->phase = RP_NEXT_ITERATION;
				continue;
			}
			if (*st != EXEC_BATCH) return NULL;
			absorb(op, s, in, out);
			if (*out) return NULL;
			continue;
		case RP_NEXT_ITERATION: {
			bool more;
			TRY(iteration_start(op, s, &more));
			s->phase = more ? RP_ITERATE : RP_DONE;
			continue;
		}
		case RP_ITERATE:
			TRY(exec_op_next(s->term, st, &in));
			if (*st == EXEC_DONE) {
				exec_op_tree_discard(&s->term, &s->iter);
				s->phase = RP_NEXT_ITERATION;
				continue;
			}
			if (*st != EXEC_BATCH) return NULL;
			absorb(op, s, in, out);
			if (*out) {
				*st = EXEC_BATCH;
				return NULL;
			}
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		case RP_DONE:
			*st = EXEC_DONE;
			return NULL;
		}
	}
}

static void recursive_close(exec_op *op)
{
	rec_state *s = op->impl;
	exec_op_tree_discard(&s->term, &s->iter);
}

static const exec_op_ops recursive_ops = {recursive_next, recursive_close};

ferr *exec_recursive_union_create(exec_op *op)
{
	const pnode *n = op->node;
	if (op->nchildren < 1 || !n->recursive_term || n->children[0]->ncols != n->ncols ||
	    n->recursive_term->ncols != n->ncols)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed recursive union node");
	rec_state *s = arena_zalloc(op->state, sizeof(rec_state));
	/* inputs[0] is the working table; children[k] fills inputs[k] for k >= 1 */
	s->inputs = arena_zalloc(op->state, sizeof(wt_rows) * (size_t)op->nchildren);
	s->input = 1;
	s->phase = RP_INPUTS;
	s->keys = arena_zalloc(op->state, sizeof(sort_key) * (size_t)(n->ncols + 1));
	s->cols = arena_zalloc(op->state, sizeof(int) * (size_t)(n->ncols + 1));
	for (int i = 0; i < n->ncols; i++) {
		s->keys[i] = (sort_key){i, false, false};
		s->cols[i] = i;
	}
	if (n->recursive_all)
		s->next_arena = arena_create(op->state, "recursive working table");
	else
		s->kept = arena_create(op->state, "recursive rows produced");
	op->impl = s;
	op->ops = &recursive_ops;
	return NULL;
}
