/*
 * filter.c — WHERE/HAVING: narrows the selection vector of the child's
 * batch with expr_filter. Never copies column data and never modifies the
 * child's batch header (it filters a view of it).
 */
#include "exec/operator.h"

static ferr *filter_next(exec_op *op, exec_status *st, batch **out)
{
	batch *in;
	TRY(exec_op_next(op->children[0], st, &in));
	if (*st != EXEC_BATCH) return NULL;
	batch *b = exec_batch_view(op->out, in);
	if (b->count > 0) TRY(expr_filter(op->node->predicate, &op->env->ectx, b, op->out));
	*out = b;
	return NULL;
}

static const exec_op_ops filter_ops = {filter_next, NULL};

ferr *exec_filter_create(exec_op *op)
{
	if (op->nchildren != 1 || !op->node->predicate)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed filter node");
	op->ops = &filter_ops;
	return NULL;
}
