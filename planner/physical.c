/*
 * physical.c — plan_bind (analyzed SELECT to a fragmented phys_plan) and
 * plan_explain (Trino-style text of a phys_plan). It must never call a
 * connector's page source: planning reads metadata and statistics only.
 */
#include <string.h>

#include "planner/planner_internal.h"

static pnode *plan_node(arena *a, pnode_kind k, int ncols)
{
	pnode *n = arena_zalloc(a, sizeof(pnode));
	n->kind = k;
	n->ncols = ncols;
	n->types = arena_zalloc(a, sizeof(ftype) * (size_t)(ncols + 1));
	n->names = arena_zalloc(a, sizeof(char *) * (size_t)(ncols + 1));
	n->est_rows = -1;
	n->limit = -1;
	return n;
}

static plan_fragment *plan_fragment_new(arena *a, int id, partitioning part, partitioning out,
                                        pnode *root)
{
	plan_fragment *f = arena_zalloc(a, sizeof(plan_fragment));
	f->id = id;
	f->partitioning = part;
	f->output_partitioning = out;
	f->root = root;
	return f;
}

/*
 * A table query becomes two fragments: SOURCE fragment 1 scans only the
 * columns the output uses (projection pruning), fragment 0 gathers through
 * an exchange and projects into the output order.
 */
static void plan_bind_table(const plan_query *q, arena *a, phys_plan *pp, int *next_id)
{
	/* scan column list: each used table column once, in first-use order */
	int *scan_cols = arena_zalloc(a, sizeof(int) * (size_t)(q->ncols + 1));
	int *slot = arena_zalloc(a, sizeof(int) * (size_t)(q->ncols + 1));
	int nscan = 0;
	for (int i = 0; i < q->ncols; i++) {
		int tc = q->cols[i].table_col;
		if (tc < 0) continue;
		int j = 0;
		while (j < nscan && scan_cols[j] != tc) j++;
		if (j == nscan) scan_cols[nscan++] = tc;
		slot[i] = j;
	}
	pnode *scan = plan_node(a, PN_SCAN, nscan);
	scan->catalog = q->catalog;
	scan->table = q->table;
	scan->nscan_cols = nscan;
	scan->scan_cols = scan_cols;
	scan->est_rows = q->est_rows;
	scan->id = (*next_id)++;
	for (int j = 0; j < nscan; j++) {
		scan->types[j] = q->table->cols[scan_cols[j]].type;
		scan->names[j] = q->table->cols[scan_cols[j]].name;
	}

	pnode *ex = plan_node(a, PN_EXCHANGE, nscan);
	memcpy(ex->types, scan->types, sizeof(ftype) * (size_t)nscan);
	memcpy(ex->names, scan->names, sizeof(char *) * (size_t)nscan);
	static const int source1[] = {1};
	ex->nsources = 1;
	ex->source_fragments = source1;
	ex->est_rows = q->est_rows;
	ex->id = (*next_id)++;

	pnode *proj = plan_node(a, PN_PROJECT, q->ncols);
	proj->exprs = arena_zalloc(a, sizeof(expr *) * (size_t)(q->ncols + 1));
	for (int i = 0; i < q->ncols; i++) {
		if (q->cols[i].table_col >= 0) {
			expr *e = arena_zalloc(a, sizeof(expr));
			e->kind = EXPR_COLUMN;
			e->column = slot[i];
			e->type = scan->types[slot[i]];
			e->name = scan->names[slot[i]];
			proj->exprs[i] = e;
		} else {
			proj->exprs[i] = q->cols[i].value;
		}
		proj->types[i] = proj->exprs[i]->type;
		proj->names[i] = q->names[i];
	}
	proj->nchildren = 1;
	proj->children = arena_zalloc(a, sizeof(pnode *));
	proj->children[0] = ex;
	proj->est_rows = q->est_rows;
	proj->id = (*next_id)++;

	pp->nfragments = 2;
	pp->fragments = arena_zalloc(a, sizeof(plan_fragment *) * 2);
	pp->fragments[0] = plan_fragment_new(a, 0, PART_SINGLE, PART_SINGLE, proj);
	pp->fragments[1] = plan_fragment_new(a, 1, PART_SOURCE, PART_SINGLE, scan);
}

/* SELECT without FROM: one VALUES row in the root fragment. */
static void plan_bind_values(const plan_query *q, arena *a, phys_plan *pp, int *next_id)
{
	pnode *v = plan_node(a, PN_VALUES, q->ncols);
	v->nrows = 1;
	v->rows = arena_zalloc(a, sizeof(expr **));
	v->rows[0] = arena_zalloc(a, sizeof(expr *) * (size_t)(q->ncols + 1));
	for (int i = 0; i < q->ncols; i++) {
		v->rows[0][i] = q->cols[i].value;
		v->types[i] = q->cols[i].value->type;
		v->names[i] = q->names[i];
	}
	v->est_rows = 1;
	v->id = (*next_id)++;
	pp->nfragments = 1;
	pp->fragments = arena_zalloc(a, sizeof(plan_fragment *));
	pp->fragments[0] = plan_fragment_new(a, 0, PART_SINGLE, PART_SINGLE, v);
}

ferr *plan_bind(const plan_session *s, prepared_stmt *p, const fvalue *params, arena *a,
                phys_plan **out)
{
	(void)s, (void)params;
	*out = NULL;
	if ((p->kind != STMT_QUERY && p->kind != STMT_EXPLAIN) || !p->internal)
		return ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "statement \"%s\" has no query plan",
		                p->command_tag ? p->command_tag : "");
	const plan_query *q = p->internal;
	phys_plan *pp = arena_zalloc(a, sizeof(phys_plan));
	pp->arena = a;
	int next_id = 0;
	if (q->table)
		plan_bind_table(q, a, pp, &next_id);
	else
		plan_bind_values(q, a, pp, &next_id);
	*out = pp;
	return NULL;
}

/* ---- EXPLAIN ---- */

static const char *plan_part_name(partitioning p)
{
	switch (p) {
	case PART_SINGLE: return "SINGLE";
	case PART_SOURCE: return "SOURCE";
	case PART_HASH: return "HASH";
	case PART_BROADCAST: return "BROADCAST";
	case PART_ROUND_ROBIN: return "ROUND_ROBIN";
	}
	return "?";
}

static void plan_indent(strbuf *out, int depth)
{
	for (int i = 0; i < depth; i++) sb_puts(out, "    ");
}

static void plan_explain_node(const pnode *n, int depth, strbuf *out)
{
	plan_indent(out, depth);
	switch (n->kind) {
	case PN_SCAN:
		sb_printf(out, "- TableScan[table = %s:%s:%s", n->catalog->name, n->table->schema,
		          n->table->table);
		if (n->catalog->ops->explain) {
			strbuf x;
			sb_init(&x);
			n->catalog->ops->explain(n->catalog, n->table, &x);
			if (x.len) {
				sb_puts(out, ", ");
				sb_append(out, x.data, x.len);
			}
			sb_free(&x);
		}
		sb_puts(out, "]\n");
		break;
	case PN_VALUES: sb_printf(out, "- Values[rows = %d]\n", n->nrows); break;
	case PN_PROJECT: sb_puts(out, "- Project[]\n"); break;
	case PN_EXCHANGE:
		sb_puts(out, "- RemoteSource[sourceFragmentIds = [");
		for (int i = 0; i < n->nsources; i++)
			sb_printf(out, "%s%d", i ? ", " : "", n->source_fragments[i]);
		sb_puts(out, "]]\n");
		break;
	default: sb_printf(out, "- Node[kind = %d]\n", (int)n->kind); break;
	}
	plan_indent(out, depth + 1);
	sb_puts(out, "Layout: [");
	for (int i = 0; i < n->ncols; i++) {
		strbuf t;
		sb_init(&t);
		ftype_format(n->types[i], &t);
		sb_printf(out, "%s%s:%s", i ? ", " : "", n->names[i] ? n->names[i] : "?",
		          t.data ? t.data : "");
		sb_free(&t);
	}
	sb_puts(out, "]\n");
	plan_indent(out, depth + 1);
	if (n->est_rows >= 0)
		sb_printf(out, "Estimates: {rows: %.0f}\n", n->est_rows);
	else
		sb_puts(out, "Estimates: {rows: ?}\n");
	if (n->kind == PN_PROJECT)
		for (int i = 0; i < n->ncols; i++) {
			plan_indent(out, depth + 1);
			sb_printf(out, "%s := ", n->names[i] ? n->names[i] : "?");
			expr_format(n->exprs[i], out);
			sb_putc(out, '\n');
		}
	for (int i = 0; i < n->nchildren; i++) plan_explain_node(n->children[i], depth + 1, out);
}

/* Lines end in '\n'; the session turns each into one "QUERY PLAN" row. */
void plan_explain(const phys_plan *p, struct exec_query *q, strbuf *out)
{
	(void)q; /* EXPLAIN ANALYZE statistics are not printed yet */
	for (int f = 0; f < p->nfragments; f++) {
		const plan_fragment *fr = p->fragments[f];
		sb_printf(out, "Fragment %d [%s]\n", fr->id, plan_part_name(fr->partitioning));
		sb_puts(out, "    Output layout: [");
		for (int i = 0; i < fr->root->ncols; i++)
			sb_printf(out, "%s%s", i ? ", " : "", fr->root->names[i] ? fr->root->names[i] : "?");
		sb_puts(out, "]\n");
		sb_printf(out, "    Output partitioning: %s\n", plan_part_name(fr->output_partitioning));
		plan_explain_node(fr->root, 1, out);
		if (f + 1 < p->nfragments) sb_putc(out, '\n');
	}
}
