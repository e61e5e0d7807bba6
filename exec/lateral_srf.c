/*
 * lateral_srf.c — set-returning functions run per input row: a function in
 * FROM whose arguments name earlier FROM items (FROM t, generate_series(1,
 * t.n) g: implicitly LATERAL in PostgreSQL), and the select list's
 * set-returning functions in lockstep (PostgreSQL's ProjectSet: SELECT
 * generate_series(1, 3), unnest(a) FROM t). For each input row the
 * arguments, evaluated a batch at a time over the input, become the
 * constants of a fresh instance of each function's own operator (a row
 * source whose arguments are its first expressions: PN_GENERATE_SERIES,
 * PN_UNNEST over a one-row VALUES), whose rows are emitted next to a copy of
 * the input row. The input batch is held until every row of it is done, so
 * the input copies are shallow; one row's function state lives in an arena
 * freed when it ends, so values of several functions zipped into one output
 * row are copied out of it.
 */
#include <string.h>

#include "exec/operator.h"

/* One function of the node and its running instance for the current row. */
typedef struct srf_fn {
	const pnode *tmpl; /* with its first nargs expressions replaced per row */
	int nargs, arg0;   /* its arguments: srf_args[arg0 .. arg0 + nargs) */
	pnode *inst;
	arena *row_a;
	exec_op *op;       /* NULL between rows */
	batch *b;          /* lockstep: its current batch (compacted), row pos next */
	int pos;
	bool done;         /* lockstep: no more rows for this input row */
} srf_fn;

typedef struct srf_state {
	batch *in;      /* current input batch, NULL when one must be pulled */
	vector *args;   /* srf_args evaluated over in */
	arena *args_a;  /* their storage, reset per input batch */
	int pos;        /* live row of in being expanded */
	int nfn;
	srf_fn *fns;
	bool row_open;  /* lockstep: the instances of row pos are running */
	/* The instances' environment: the query's without its tracker, so that
	 * building one per row neither registers an operator tracker with the
	 * query (a list the drivers would grow at once, one entry per row) nor
	 * races; their arenas are children of this operator's and count here.
	 * Cancellation is checked on the query's environment in srf_next. */
	exec_env inst_env;
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

/* A fresh instance of function f for input row r. */
static ferr *row_start(exec_op *op, srf_state *s, srf_fn *f, int r)
{
	const pnode *n = op->node;
	f->row_a = arena_create(op->state, "lateral function row");
	*f->inst = *f->tmpl;
	f->inst->exprs = arena_alloc(f->row_a, sizeof(expr *) * (size_t)(f->nargs + 1));
	memcpy(f->inst->exprs, f->tmpl->exprs, sizeof(expr *) * (size_t)(f->nargs + 1));
	for (int i = 0; i < f->nargs; i++) {
		const vector *v = &s->args[f->arg0 + i];
		expr *k = arena_zalloc(f->row_a, sizeof(expr));
		*k = *n->srf_args[f->arg0 + i];
		k->kind = EXPR_CONST;
		k->nargs = 0;
		k->args = NULL;
		k->type = v->type;
		row_value(v, r, &k->value);
		f->inst->exprs[i] = k;
	}
	f->b = NULL;
	f->pos = 0;
	f->done = false;
	/* no driver: the instance never yields and is never one of several drivers */
	return exec_op_build(f->inst, &s->inst_env, NULL, f->row_a, &f->op);
}

static void row_end(srf_state *s)
{
	for (int k = 0; k < s->nfn; k++) exec_op_tree_discard(&s->fns[k].op, &s->fns[k].row_a);
	s->row_open = false;
	s->pos++;
}

/* The next input batch and its arguments; false at the end of the input. */
static ferr *pull_input(exec_op *op, srf_state *s, exec_status *st, bool *got)
{
	const pnode *n = op->node;
	*got = false;
	TRY(exec_op_next(op->children[0], st, &s->in));
	if (*st != EXEC_BATCH) {
		s->in = NULL;
		return NULL;
	}
	arena_reset(s->args_a);
	for (int i = 0; i < n->nsrf_args; i++)
		TRY(expr_eval(n->srf_args[i], &op->env->ectx, s->in, s->args_a, &s->args[i]));
	s->pos = 0;
	*got = true;
	return NULL;
}

/* The input row to expand next, pulling input batches as needed; *r < 0 at
 * the end of the input, or (hold) when the current batch is used up and
 * what was built over it must be handed out first. */
static ferr *input_row(exec_op *op, srf_state *s, exec_status *st, bool hold, int *r)
{
	*r = -1;
	for (;;) {
		if (!s->in) {
			bool got;
			if (hold) return NULL;
			TRY(pull_input(op, s, st, &got));
			if (!got) return NULL;
		}
		if (s->pos < s->in->count) {
			*r = batch_row(s->in, s->pos);
			return NULL;
		}
		s->in = NULL;
	}
}

/* Lockstep: f positioned on a row of its output, or done. */
static ferr *fn_advance(srf_fn *f, arena *out)
{
	while (!f->done && (!f->b || f->pos >= f->b->count)) {
		exec_status fst;
		batch *fb;
		TRY(exec_op_next(f->op, &fst, &fb));
		if (fst == EXEC_DONE) {
			f->done = true;
			f->b = NULL;
		} else if (fst == EXEC_BATCH && fb->count > 0) {
			f->b = fb->sel ? batch_compact(out, fb) : fb;
			f->pos = 0;
		}
	}
	return NULL;
}

/*
 * Several functions in lockstep: each output row is the input row, then
 * every function's next row, NULLs for a function already done; the input
 * row ends when all are done. Function values are copied (deep) out of the
 * instances, which move on before the output batch is read.
 */
static ferr *zip_next(exec_op *op, exec_status *st, batch **out)
{
	srf_state *s = op->impl;
	const pnode *n = op->node;
	batch *b = NULL;
	int o = 0, nin = n->children[0]->ncols;
	for (;;) {
		TRY(exec_env_check(op->env));
		int r;
		/* the copies of the input are shallow: hand them out before the next input */
		TRY(input_row(op, s, st, o > 0, &r));
		if (r < 0 && o > 0) break;
		if (r < 0) return NULL;
		if (!s->row_open) {
			for (int k = 0; k < s->nfn; k++) TRY(row_start(op, s, &s->fns[k], r));
			s->row_open = true;
		}
		bool any = false;
		for (int k = 0; k < s->nfn; k++) {
			TRY(fn_advance(&s->fns[k], op->out));
			any |= !s->fns[k].done;
		}
		if (!any) {
			row_end(s);
			continue;
		}
		if (!b) b = batch_create(op->out, n->ncols, n->types, BATCH_CAPACITY);
		for (int c = 0; c < nin; c++)
			exec_copy_value(&b->cols[c], o, BATCH_CAPACITY, &s->in->cols[c], r, op->out, false);
		for (int k = 0, c = nin; k < s->nfn; k++) {
			srf_fn *f = &s->fns[k];
			for (int j = 0; j < f->tmpl->ncols; j++, c++) {
				if (f->done)
					vector_set_null(&b->cols[c], op->out, o, BATCH_CAPACITY);
				else
					exec_copy_value(&b->cols[c], o, BATCH_CAPACITY, &f->b->cols[j], f->pos, op->out, true);
			}
			if (!f->done) f->pos++;
		}
		if (++o == BATCH_CAPACITY) break;
	}
	b->count = o;
	*st = EXEC_BATCH;
	*out = b;
	return NULL;
}

static ferr *srf_next(exec_op *op, exec_status *st, batch **out)
{
	srf_state *s = op->impl;
	const pnode *n = op->node;
	if (s->nfn > 1) return zip_next(op, st, out);
	srf_fn *f = &s->fns[0];
	for (;;) {
		TRY(exec_env_check(op->env));
		int r;
		TRY(input_row(op, s, st, false, &r));
		if (r < 0) return NULL;
		if (!f->op) TRY(row_start(op, s, f, r));
		exec_status fst;
		batch *fb;
		TRY(exec_op_next(f->op, &fst, &fb));
		if (fst == EXEC_DONE) {
			row_end(s);
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

/* A query that stops early (LIMIT, error, cancel) may leave a row's instances open. */
static void srf_close(exec_op *op)
{
	srf_state *s = op->impl;
	for (int k = 0; k < s->nfn; k++) exec_op_tree_discard(&s->fns[k].op, &s->fns[k].row_a);
}

static const exec_op_ops srf_ops = {srf_next, srf_close};

ferr *exec_lateral_srf_create(exec_op *op)
{
	const pnode *n = op->node;
	int nfn = n->nsrf_funcs > 0 ? n->nsrf_funcs : 1;
	bool ok = op->nchildren == 1 && n->per_row && n->nsrf_args >= 1 && n->srf_args &&
	          (n->nsrf_funcs == 0 || (n->srf_funcs && n->srf_func_nargs));
	int width = n->children[0]->ncols, nargs = 0;
	for (int k = 0; ok && k < nfn; k++) {
		const pnode *t = n->nsrf_funcs ? n->srf_funcs[k] : n->per_row;
		width += t->ncols;
		nargs += n->nsrf_funcs ? n->srf_func_nargs[k] : n->nsrf_args;
	}
	if (!ok || width != n->ncols || nargs != n->nsrf_args)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed lateral function node");
	srf_state *s = arena_zalloc(op->state, sizeof(srf_state));
	s->args = arena_zalloc(op->state, sizeof(vector) * (size_t)n->nsrf_args);
	s->args_a = arena_create(op->state, "lateral function arguments");
	memcpy(&s->inst_env, op->env, sizeof s->inst_env);
	s->inst_env.tracker = NULL;
	atomic_init(&s->inst_env.cancelled, 0);
	s->nfn = nfn;
	s->fns = arena_zalloc(op->state, sizeof(srf_fn) * (size_t)nfn);
	for (int k = 0, at = 0; k < nfn; k++) {
		srf_fn *f = &s->fns[k];
		f->tmpl = n->nsrf_funcs ? n->srf_funcs[k] : n->per_row;
		f->nargs = n->nsrf_funcs ? n->srf_func_nargs[k] : n->nsrf_args;
		f->arg0 = at;
		at += f->nargs;
		f->inst = arena_zalloc(op->state, sizeof(pnode));
	}
	op->impl = s;
	op->ops = &srf_ops;
	return NULL;
}
