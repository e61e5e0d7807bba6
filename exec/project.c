/*
 * project.c — computes the output columns: a bare column reference passes
 * the child's vector through without copying; anything else is evaluated
 * with expr_eval into this operator's output arena. Keeps the child's
 * selection vector, so filtered rows are never materialized here.
 */
#include "exec/operator.h"

static ferr *project_next(exec_op *op, exec_status *st, batch **out)
{
	const pnode *n = op->node;
	batch *in;
	TRY(exec_op_next(op->children[0], st, &in));
	if (*st != EXEC_BATCH) return NULL;
	batch *b = arena_zalloc(op->out, sizeof(*b));
	b->ncols = n->ncols;
	b->count = in->count;
	b->capacity = in->capacity;
	b->sel = in->sel;
	b->arena = op->out;
	b->cols = arena_zalloc(op->out, sizeof(vector) * (size_t)(n->ncols > 0 ? n->ncols : 1));
	for (int c = 0; c < n->ncols; c++) {
		const expr *e = n->exprs[c];
		if (e->kind == EXPR_COLUMN && e->column >= 0 && e->column < in->ncols) {
			b->cols[c] = in->cols[e->column];
			continue;
		}
		if (in->count == 0) {
			vector_init(&b->cols[c], op->out, n->types[c], 1);
			continue;
		}
		TRY(expr_eval(e, &op->env->ectx, in, op->out, &b->cols[c]));
	}
	*out = b;
	return NULL;
}

static const exec_op_ops project_ops = {project_next, NULL};

ferr *exec_project_create(exec_op *op)
{
	if (op->nchildren != 1 || (op->node->ncols > 0 && !op->node->exprs))
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed project node");
	op->ops = &project_ops;
	return NULL;
}
