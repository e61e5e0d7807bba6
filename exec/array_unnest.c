/*
 * array_unnest.c — the Unnest operator: each input row once per element of
 * its arrays (unnest(a, b, ...) over columns, PostgreSQL's implicitly
 * LATERAL function in FROM and unnest in the select list). Output: the
 * input columns, one element column per array (shorter arrays padded with
 * NULL, as the multi-argument unnest), then the ordinality (bigint) when
 * asked. A row whose arrays are all NULL or empty produces nothing.
 * Input columns are copied shallowly: an output batch never outlives the
 * input batch it came from, so one input is drained before the next.
 */
#include <string.h>

#include "exec/array.h"
#include "exec/operator.h"

typedef struct unnest_state {
	batch *in;      /* the input being expanded, NULL when the next one is needed */
	arena *in_mem;  /* the arrays evaluated over in */
	vector *arrs;   /* [nargs] */
	array_iter *its; /* [nargs] positioned at element k of row i */
	int i;          /* live row of in */
	uint32_t k, len; /* next element, elements of row i (the longest array) */
	bool row_open;
	bool done;
} unnest_state;

static void open_row(const pnode *n, unnest_state *s)
{
	int r = batch_row(s->in, s->i);
	s->len = 0;
	s->k = 0;
	for (int j = 0; j < n->unnest_nargs; j++) {
		fstring v = {0, NULL};
		if (!vector_is_null(&s->arrs[j], r)) v = *(const fstring *)vector_at(&s->arrs[j], r);
		array_iter_init(&s->its[j], s->arrs[j].type, v);
		uint32_t c = v.ptr ? array_count(v) : 0;
		if (c > s->len) s->len = c;
	}
	s->row_open = true;
}

static ferr *unnest_next(exec_op *op, exec_status *st, batch **out)
{
	const pnode *n = op->node;
	unnest_state *s = op->impl;
	int na = n->unnest_nargs;
	for (;;) {
		if (s->done) {
			*st = EXEC_DONE;
			return NULL;
		}
		if (!s->in) {
			batch *in;
			TRY(exec_op_next(op->children[0], st, &in));
			if (*st == EXEC_DONE) s->done = true;
			if (*st != EXEC_BATCH) return NULL;
			if (in->count == 0) continue;
			arena_reset(s->in_mem);
			for (int j = 0; j < na; j++) TRY(expr_eval(n->exprs[j], &op->env->ectx, in, s->in_mem, &s->arrs[j]));
			s->in = in;
			s->i = 0;
			s->row_open = false;
		}
		batch *in = s->in;
		int nin = in->ncols;
		batch *b = arena_zalloc(op->out, sizeof(*b));
		b->ncols = n->ncols;
		b->capacity = BATCH_CAPACITY;
		b->arena = op->out;
		b->cols = arena_zalloc(op->out, sizeof(vector) * (size_t)n->ncols);
		for (int c = 0; c < n->ncols; c++) vector_init(&b->cols[c], op->out, n->types[c], BATCH_CAPACITY);
		int o = 0;
		while (o < BATCH_CAPACITY && s->i < in->count) {
			if (!s->row_open) open_row(n, s);
			int r = batch_row(in, s->i);
			for (; s->k < s->len && o < BATCH_CAPACITY; s->k++, o++) {
				for (int c = 0; c < nin; c++) exec_copy_value(&b->cols[c], o, BATCH_CAPACITY, &in->cols[c], r, op->out, false);
				for (int j = 0; j < na; j++) {
					vector *v = &b->cols[nin + j];
					const void *e = NULL;
					if (!array_iter_next(&s->its[j], &e) || !e)
						vector_set_null(v, op->out, o, BATCH_CAPACITY);
					else
						memcpy((char *)v->data + (size_t)o * ftype_width(v->type), e, ftype_width(v->type));
				}
				if (n->unnest_ordinality) ((int64_t *)b->cols[nin + na].data)[o] = (int64_t)s->k + 1;
			}
			if (s->k >= s->len) {
				s->i++;
				s->row_open = false;
			}
		}
		if (s->i >= in->count) s->in = NULL; /* drained: the next call reads more */
		if (o == 0) continue;
		b->count = o;
		*out = b;
		*st = EXEC_BATCH;
		return NULL;
	}
}

static const exec_op_ops unnest_ops = {unnest_next, NULL};

ferr *exec_unnest_create(exec_op *op)
{
	const pnode *n = op->node;
	int na = n->unnest_nargs;
	if (op->nchildren != 1 || na < 1 || !n->exprs ||
	    n->ncols != n->children[0]->ncols + na + (n->unnest_ordinality ? 1 : 0))
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed unnest node");
	for (int j = 0; j < na; j++)
		if (n->exprs[j]->type.id != TYPE_ARRAY) return ferr_new(SQLSTATE_INTERNAL_ERROR, "unnest of a non-array");
	unnest_state *s = arena_zalloc(op->state, sizeof(*s));
	s->in_mem = arena_create(op->state, "unnest input");
	s->arrs = arena_zalloc(op->state, sizeof(vector) * (size_t)na);
	s->its = arena_zalloc(op->state, sizeof(array_iter) * (size_t)na);
	op->impl = s;
	op->ops = &unnest_ops;
	return NULL;
}
