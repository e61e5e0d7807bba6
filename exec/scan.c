/*
 * scan.c — table scan: pulls batches from connector page sources, one split
 * at a time, taking splits from a queue shared by every driver of the node
 * so that all executor threads read in parallel. Never blocks longer than
 * the page source does; never keeps a split's memory after it is read.
 */
#include "exec/operator.h"

typedef struct scan_state {
	conn_page_source *src;
	arena *split_arena; /* the open source's memory */
} scan_state;

static void scan_close_source(exec_op *op, scan_state *s)
{
	if (s->src) {
		if (s->src->ops->bytes_read) op->bytes_in += s->src->ops->bytes_read(s->src);
		s->src->ops->close(s->src);
		s->src = NULL;
	}
	if (s->split_arena) {
		arena_destroy(s->split_arena);
		s->split_arena = NULL;
	}
}

static ferr *scan_next(exec_op *op, exec_status *st, batch **out)
{
	scan_state *s = op->impl;
	const pnode *n = op->node;
	for (;;) {
		if (!s->src) {
			int i = atomic_fetch_add(&op->shared->next_split, 1);
			if (i >= op->shared->nsplits) {
				*st = EXEC_DONE;
				return NULL;
			}
			s->split_arena = arena_create(op->state, "split");
			/* dynamic filters: skip the split, or let the source skip data */
			const conn_table *t = n->table;
			conn_domain *dd = n->ndf ? exec_dynfilter_domain(op->env, n, s->split_arena) : NULL;
			if (dd && dd->none) {
				scan_close_source(op, s);
				continue;
			}
			if (dd && n->catalog->ops->apply_filter) {
				conn_table *h = NULL;
				conn_domain *rest = NULL;
				ferr *fe = n->catalog->ops->apply_filter(n->catalog, t, dd, s->split_arena, &h, &rest);
				if (fe) ferr_free(fe); /* only an optimization */
				else if (h) t = h;
			}
			ferr *e = n->catalog->ops->open_page_source(
			    n->catalog, t, op->shared->splits[i], n->nscan_cols,
			    n->scan_cols, s->split_arena, &s->src);
			if (e) {
				const char *desc = op->shared->splits[i]->description;
				return desc ? ferr_prefix(e, "%s", desc) : e;
			}
		}
		batch *b = NULL;
		TRY(s->src->ops->next(s->src, op->out, &b));
		if (!b) {
			scan_close_source(op, s);
			continue;
		}
		if (n->ndf) exec_dynfilter_apply(op->env, n, b, op->out);
		/* An empty batch still goes up so the driver can check its quantum. */
		*st = EXEC_BATCH;
		*out = b;
		return NULL;
	}
}

static void scan_close(exec_op *op)
{
	scan_close_source(op, op->impl);
}

static const exec_op_ops scan_ops = {scan_next, scan_close};

ferr *exec_scan_create(exec_op *op)
{
	if (!op->shared || !op->node->catalog || !op->node->catalog->ops->open_page_source)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "scan node without catalog or splits");
	op->impl = arena_zalloc(op->state, sizeof(scan_state));
	op->ops = &scan_ops;
	return NULL;
}
