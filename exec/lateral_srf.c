/*
 * lateral_srf.c — a set-returning function in FROM whose arguments name
 * earlier FROM items (FROM t, generate_series(1, t.n) g: implicitly LATERAL
 * in PostgreSQL). For each input row the arguments, evaluated a batch at a
 * time over the input, become the constants of a fresh instance of the
 * function's own operator (per_row: PN_GENERATE_SERIES today, any row
 * source whose arguments are its first expressions), whose rows are
 * emitted next to a copy of the input row. The input batch is held until
 * every row of it is done, so the copies are shallow; one row's function
 * state lives in an arena freed when it ends.
 */
#include <string.h>

#include "exec/operator.h"

typedef struct srf_state {
	batch *in;      /* current input batch, NULL when one must be pulled */
	vector *args;   /* srf_args evaluated over in */
	arena *args_a;  /* their storage, reset per input batch */
	int pos;        /* live row of in being expanded */
	arena *row_a;   /* the running function instance */
	exec_op *fn;    /* NULL between rows */
	pnode *inst;    /* per_row with this row's constants */
	/* the query's environment without its memory tracker, for the row instances: a tracker
	 * per row would grow the query's per-operator list by one per input row, from several
	 * drivers at once; their arenas count under this operator's tracker */
	exec_env row_env;
} srf_state;

/* Row r of v as a constant. */
static void row_value(const vector *v, int r, fvalue *out)
{
	memset(out, 0, sizeof *out);
	if (vector_is_null(v, r)) {
		out->isnull = true;
		return;
	}
	const void *p = vector_at(v, r);
	switch (v->type.id) {
	case TYPE_BOOL: out->u.b = *(const bool *)p; return;
	case TYPE_FLOAT4: out->u.f = *(const float *)p; return;
	default: break;
	}
	size_t w = ftype_width(v->type);
	if (w == 2)
		out->u.i = *(const int16_t *)p;
	else if (w == 4)
		out->u.i = *(const int32_t *)p;
	else
		memcpy(&out->u, p, w < sizeof out->u ? w : sizeof out->u);
}

/* A fresh instance of the function for input row r. */
static ferr *row_start(exec_op *op, srf_state *s, int r)
{
	const pnode *n = op->node;
	s->row_a = arena_create(op->state, "lateral function row");
	*s->inst = *n->per_row;
	s->inst->exprs = arena_alloc(s->row_a, sizeof(expr *) * (size_t)(n->nsrf_args + 1));
	memcpy(s->inst->exprs, n->per_row->exprs, sizeof(expr *) * (size_t)(n->nsrf_args + 1));
	for (int i = 0; i < n->nsrf_args; i++) {
		expr *k = arena_zalloc(s->row_a, sizeof(expr));
		*k = *n->srf_args[i];
		k->kind = EXPR_CONST;
		k->nargs = 0;
		k->args = NULL;
		k->type = s->args[i].type;
		row_value(&s->args[i], r, &k->value);
		s->inst->exprs[i] = k;
	}
	/* no driver: the instance never yields and is never one of several drivers */
	return exec_op_build(s->inst, &s->row_env, NULL, s->row_a, &s->fn);
}


static ferr *srf_next(exec_op *op, exec_status *st, batch **out)
{
	srf_state *s = op->impl;
	const pnode *n = op->node;
	for (;;) {
		TRY(exec_env_check(op->env));
		if (!s->in) {
			TRY(exec_op_next(op->children[0], st, &s->in));
			if (*st != EXEC_BATCH) {
				s->in = NULL;
				return NULL;
			}
			arena_reset(s->args_a);
			for (int i = 0; i < n->nsrf_args; i++)
				TRY(expr_eval(n->srf_args[i], &op->env->ectx, s->in, s->args_a, &s->args[i]));
			s->pos = 0;
		}
		if (s->pos >= s->in->count) {
			s->in = NULL;
			continue;
		}
		int r = batch_row(s->in, s->pos);
		if (!s->fn) TRY(row_start(op, s, r));
		exec_status fst;
		batch *fb;
		TRY(exec_op_next(s->fn, &fst, &fb));
		if (fst == EXEC_DONE) {
			exec_op_tree_discard(&s->fn, &s->row_a);
			s->pos++;
			continue;
		}
		if (fst != EXEC_BATCH || fb->count == 0) continue;
		/* the input row repeated, then the function's columns as they are */
		int nin = s->in->ncols, k = fb->count;
		batch *b = batch_create(op->out, n->ncols, n->types, k);
		for (int c = 0; c < nin; c++)
			for (int i = 0; i < k; i++)
				exec_copy_value(&b->cols[c], i, b->capacity, &s->in->cols[c], r, op->out, false);
		if (fb->sel) fb = batch_compact(op->out, fb);
		for (int c = 0; c < fb->ncols; c++) b->cols[nin + c] = fb->cols[c];
		b->count = k;
		*st = EXEC_BATCH;
		*out = b;
		return NULL;
	}
}

/* A query that stops early (LIMIT, error, cancel) may leave a row's instance open. */
static void srf_close(exec_op *op)
{
	srf_state *s = op->impl;
	exec_op_tree_discard(&s->fn, &s->row_a);
}

static const exec_op_ops srf_ops = {srf_next, srf_close};

ferr *exec_lateral_srf_create(exec_op *op)
{
	const pnode *n = op->node;
	bool ok = op->nchildren == 1 && n->per_row && n->nsrf_args >= 1 && n->srf_args &&
	          n->ncols == n->children[0]->ncols + n->per_row->ncols;
	if (!ok) return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed lateral function node");
	srf_state *s = arena_zalloc(op->state, sizeof(srf_state));
	s->args = arena_zalloc(op->state, sizeof(vector) * (size_t)n->nsrf_args);
	s->args_a = arena_create(op->state, "lateral function arguments");
	s->inst = arena_zalloc(op->state, sizeof(pnode));
	memcpy(&s->row_env, op->env, sizeof s->row_env); /* query start: single-threaded */
	s->row_env.tracker = NULL;
	op->impl = s;
	op->ops = &srf_ops;
	return NULL;
}
