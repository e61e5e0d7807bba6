/*
 * values.c — literal rows (VALUES, and SELECT without FROM).
 * The rows are evaluated once; only the first driver of a fragment emits
 * them, so a parallel fragment never duplicates literal rows.
 */
#include "exec/operator.h"

typedef struct values_state {
	int next_row;
} values_state;

static ferr *values_next(exec_op *op, exec_status *st, batch **out)
{
	values_state *s = op->impl;
	const pnode *n = op->node;
	if (op->driver && op->driver->index != 0) s->next_row = n->nrows;
	if (s->next_row >= n->nrows) {
		*st = EXEC_DONE;
		return NULL;
	}
	int count = n->nrows - s->next_row;
	if (count > BATCH_CAPACITY) count = BATCH_CAPACITY;
	batch *b = batch_create(op->out, n->ncols, n->types, count);
	for (int r = 0; r < count; r++) {
		for (int c = 0; c < n->ncols; c++) {
			fvalue v;
			TRY(expr_eval_const(n->rows[s->next_row + r][c], &op->env->ectx, op->out,
			                    &v));
			vector *vec = &b->cols[c];
			if (v.isnull) {
				vector_set_null(vec, op->out, r, count);
				continue;
			}
			vector one = {.type = n->types[c],
			              .data = (void *)fvalue_ptr(n->types[c], &v)};
			exec_copy_value(vec, r, count, &one, 0, op->out, false);
		}
	}
	b->count = count;
	s->next_row += count;
	*st = EXEC_BATCH;
	*out = b;
	return NULL;
}

static const exec_op_ops values_ops = {values_next, NULL};

ferr *exec_values_create(exec_op *op)
{
	op->impl = arena_zalloc(op->state, sizeof(values_state));
	op->ops = &values_ops;
	return NULL;
}
