/*
 * generate_series.c — generate_series(start, stop, step) as a row source
 * (PostgreSQL's set-returning function in FROM). Integers are produced a
 * batch at a time and stop before overflowing, as PostgreSQL does; numeric
 * and timestamp series advance through the planner's "next" expression
 * (exprs[3]: value + step over a one-column batch), because adding an
 * interval is not a fixed stride (months, and days in local time).
 * Arguments are constants; any NULL gives no rows, a zero step is 22023.
 * Only driver 0 emits, so a parallel fragment never repeats the series.
 */
#include <string.h>

#include "exec/operator.h"

typedef struct series_state {
	bool started, done;
	ftype t;
	int sign;                /* direction of the step */
	unsigned char cur[16];   /* next value to emit, vector layout of t */
	unsigned char stop[16];
	int64_t istep;           /* integer series */
	arena *scratch;          /* one "next" evaluation */
	batch *one;              /* one-row batch holding cur */
} series_state;

static ferr *series_start(exec_op *op, series_state *s)
{
	const pnode *n = op->node;
	fvalue v[3];
	for (int i = 0; i < 3; i++) {
		TRY(expr_eval_const(n->exprs[i], &op->env->ectx, op->state, &v[i]));
		if (v[i].isnull) {
			s->done = true;
			return NULL;
		}
	}
	size_t w = ftype_width(s->t);
	memcpy(s->cur, fvalue_ptr(s->t, &v[0]), w);
	memcpy(s->stop, fvalue_ptr(s->t, &v[1]), w);
	ftype st = n->exprs[2]->type;
	unsigned char zero[16] = {0};
	int c = value_compare(st, fvalue_ptr(st, &v[2]), zero);
	if (c == 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "step size cannot equal zero");
	s->sign = c > 0 ? 1 : -1;
	s->istep = v[2].u.i;
	return NULL;
}

/* Whether cur is still within the series. */
static bool series_within(const series_state *s)
{
	int c = value_compare(s->t, s->cur, s->stop);
	return s->sign > 0 ? c <= 0 : c >= 0;
}

static int fill_int(series_state *s, vector *v)
{
	int k = 0;
	int64_t cur = s->t.id == TYPE_INT4 ? *(int32_t *)s->cur : *(int64_t *)s->cur;
	int64_t stop = s->t.id == TYPE_INT4 ? *(int32_t *)s->stop : *(int64_t *)s->stop;
	int64_t lo = s->t.id == TYPE_INT4 ? INT32_MIN : INT64_MIN;
	int64_t hi = s->t.id == TYPE_INT4 ? INT32_MAX : INT64_MAX;
	while (k < BATCH_CAPACITY && (s->sign > 0 ? cur <= stop : cur >= stop)) {
		if (s->t.id == TYPE_INT4)
			((int32_t *)v->data)[k++] = (int32_t)cur;
		else
			((int64_t *)v->data)[k++] = cur;
		int64_t next;
		if (__builtin_add_overflow(cur, s->istep, &next) || next < lo || next > hi) {
			s->done = true; /* the next value would overflow: PostgreSQL stops here */
			break;
		}
		cur = next;
	}
	if (k < BATCH_CAPACITY && !s->done) s->done = true;
	if (s->t.id == TYPE_INT4)
		*(int32_t *)s->cur = (int32_t)cur;
	else
		*(int64_t *)s->cur = cur;
	return k;
}

static ferr *fill_generic(exec_op *op, series_state *s, vector *v, int *count)
{
	size_t w = ftype_width(s->t);
	int k = 0;
	while (k < BATCH_CAPACITY && series_within(s)) {
		memcpy((char *)v->data + (size_t)k * w, s->cur, w);
		k++;
		arena_reset(s->scratch);
		memcpy(s->one->cols[0].data, s->cur, w);
		vector nx;
		TRY(expr_eval(op->node->exprs[3], &op->env->ectx, s->one, s->scratch, &nx));
		if (vector_is_null(&nx, 0)) {
			s->done = true;
			break;
		}
		memcpy(s->cur, vector_at(&nx, 0), w);
	}
	if (k < BATCH_CAPACITY) s->done = true;
	*count = k;
	return NULL;
}

static ferr *series_next(exec_op *op, exec_status *st, batch **out)
{
	series_state *s = op->impl;
	const pnode *n = op->node;
	if (op->driver && op->driver->index != 0) s->done = true;
	if (!s->started) {
		s->started = true;
		if (!s->done) TRY(series_start(op, s));
	}
	if (s->done) {
		*st = EXEC_DONE;
		return NULL;
	}
	batch *b = batch_create(op->out, 1, n->types, BATCH_CAPACITY);
	int k;
	if (s->t.id == TYPE_INT4 || s->t.id == TYPE_INT8)
		k = fill_int(s, &b->cols[0]);
	else
		TRY(fill_generic(op, s, &b->cols[0], &k));
	if (k == 0) {
		*st = EXEC_DONE;
		return NULL;
	}
	b->count = k;
	*st = EXEC_BATCH;
	*out = b;
	return NULL;
}

static const exec_op_ops series_ops = {series_next, NULL};

ferr *exec_generate_series_create(exec_op *op)
{
	const pnode *n = op->node;
	ftype t = n->types[0];
	bool is_int = t.id == TYPE_INT4 || t.id == TYPE_INT8;
	if (op->nchildren != 0 || ftype_width(t) > 16 || (!is_int && !n->exprs[3]) ||
	    (is_int && (n->exprs[2]->type.id != t.id)))
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed generate_series node");
	series_state *s = arena_zalloc(op->state, sizeof(series_state));
	s->t = t;
	if (!is_int) {
		s->scratch = arena_create(op->state, "generate_series step");
		s->one = batch_create(op->state, 1, n->types, 1);
		s->one->count = 1;
	}
	op->impl = s;
	op->ops = &series_ops;
	return NULL;
}
