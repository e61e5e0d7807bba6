/*
 * table_writer.c — TableWriter: hands its input to a connector write through
 * one page sink per driver and, at the end of its input, emits one row: how
 * many rows it wrote (or counted, for DELETE/UPDATE). It never commits: the
 * statement's owner calls finish_write or abort_write once every driver has
 * stopped (planner/write.c), so a failure anywhere leaves nothing visible.
 */
#include "exec/operator.h"

typedef struct writer_state {
	int nvis;
	const conn_column **vis; /* the target's visible columns: the input layout */
	conn_page_sink *sink;
	int64_t count;
	bool done;     /* the count row was emitted */
	bool finished; /* the sink's finish() succeeded */
} writer_state;

/* NOT NULL columns of the target: 23502 as PostgreSQL words it. */
static ferr *check_not_null(const pnode *n, const writer_state *w, const batch *b)
{
	for (int c = 0; c < w->nvis; c++) {
		if (w->vis[c]->nullable) continue;
		const vector *v = &b->cols[c];
		for (int i = 0; i < b->count; i++) {
			if (!vector_is_null(v, batch_row(b, i))) continue;
			return ferr_new(SQLSTATE_NOT_NULL_VIOLATION,
			                "null value in column \"%s\" of relation \"%s\" violates not-null "
			                "constraint",
			                w->vis[c]->name, n->table->table);
		}
	}
	return NULL;
}

/* Rows to write from in: all, or those whose count flag says so. */
static batch *rows_to_write(exec_op *op, writer_state *w, const batch *in)
{
	const pnode *n = op->node;
	batch *b = exec_batch_view(op->out, in);
	b->ncols = w->nvis; /* the flag, if any, is the last input column */
	if (n->count_col < 0) {
		w->count += in->count;
		return b;
	}
	const vector *flag = &in->cols[n->count_col];
	uint16_t *sel = arena_alloc(op->out, sizeof(uint16_t) * (size_t)(in->count + 1));
	int k = 0;
	for (int i = 0; i < in->count; i++) {
		int r = batch_row(in, i);
		bool hit = !vector_is_null(flag, r) && *(const uint8_t *)vector_at(flag, r);
		w->count += hit;
		if (!(hit && n->drop_counted)) sel[k++] = (uint16_t)r;
	}
	b->sel = sel;
	b->count = k;
	return b;
}

static ferr *writer_next(exec_op *op, exec_status *st, batch **out)
{
	writer_state *w = op->impl;
	const pnode *n = op->node;
	if (w->done) {
		*st = EXEC_DONE;
		return NULL;
	}
	if (!n->write || !n->catalog->ops->open_page_sink)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "table writer started without a write");
	if (!w->sink) TRY(n->catalog->ops->open_page_sink(n->catalog, n->write, &w->sink));
	for (;;) {
		batch *in;
		TRY(exec_op_next(op->children[0], st, &in));
		if (*st == EXEC_BLOCKED || *st == EXEC_YIELD) return NULL;
		if (*st == EXEC_DONE) break;
		batch *b = rows_to_write(op, w, in);
		if (b->count > 0) {
			TRY(check_not_null(n, w, b));
			TRY(w->sink->ops->append(w->sink, b));
		}
		TRY(exec_env_check(op->env));
		if (exec_op_should_yield(op)) {
			*st = EXEC_YIELD;
			return NULL;
		}
	}
	TRY(w->sink->ops->finish(w->sink));
	w->finished = true;
	ftype t = ftype_make(TYPE_INT8);
	batch *r = batch_create(op->out, 1, &t, 1);
	*(int64_t *)r->cols[0].data = w->count;
	r->count = 1;
	w->done = true;
	*st = EXEC_BATCH;
	*out = r;
	return NULL;
}

static void writer_close(exec_op *op)
{
	writer_state *w = op->impl;
	if (!w->sink) return;
	if (w->finished) w->sink->ops->close(w->sink);
	else w->sink->ops->abort(w->sink);
	w->sink = NULL;
}

static const exec_op_ops writer_ops = {writer_next, writer_close};

ferr *exec_table_writer_create(exec_op *op)
{
	const pnode *n = op->node;
	if (op->nchildren != 1 || !n->catalog || !n->table)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed table writer node");
	writer_state *w = arena_zalloc(op->state, sizeof(writer_state));
	const conn_table *t = n->table;
	w->vis = arena_zalloc(op->state, sizeof(conn_column *) * (size_t)(t->ncols + 1));
	for (int i = 0; i < t->ncols; i++)
		if (!t->cols[i].hidden) w->vis[w->nvis++] = &t->cols[i];
	int want = w->nvis + (n->count_col >= 0);
	if (n->children[0]->ncols != want || (n->count_col >= 0 && n->count_col != want - 1))
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "table writer input does not match the table");
	op->impl = w;
	op->ops = &writer_ops;
	return NULL;
}
