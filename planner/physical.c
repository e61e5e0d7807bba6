/*
 * physical.c — plan_bind (logical plan to a fragmented phys_plan) and
 * plan_explain (Trino-style text of a phys_plan). It must never call a
 * connector's page source: planning reads metadata and statistics only.
 *
 * Fragmentation: every join's build side becomes its own fragment whose
 * output is BROADCAST to the probe side's drivers; the probe side stays in
 * its fragment, so each fragment is a linear probe chain ending in at most
 * one scan (SOURCE fragment, one driver per executor thread, splits shared)
 * or in exchanges (SINGLE). Aggregation, sort and top-N are two-phase
 * inside exec (each driver builds a partial result, the last one merges),
 * so they need no partial/final pair here. Fragment 0 gathers the result
 * and applies the final ORDER BY / LIMIT and output projection.
 */
#include <string.h>

#include "exec/query.h"
#include "planner/analyze_internal.h"

typedef struct pctx {
	const plan_query *q;
	arena *a;
	int nfrag, capfrag;
	plan_fragment **frags;
	int next_id;
	ferr *err;
	int join_dist; /* JOIN_DIST_*: the join_distribution_type session property */
	const fvalue *params; /* parameter values at bind (NULL when unknown) */
	int nparams;
	/* inside a recursive term (gen_recursive): its LN_RECURSIVE's rec_id and the
	 * PN_RECURSIVE_UNION that collects the term's other inputs; 0/NULL outside */
	int rec_id;
	pnode *rec_node;
} pctx;

enum { JOIN_DIST_AUTOMATIC, JOIN_DIST_BROADCAST, JOIN_DIST_PARTITIONED };

/* AUTOMATIC: a build side estimated above this many rows is hash-partitioned. */
#define PARTITIONED_BUILD_ROWS 5000000.0
/*
 * EXISTS / NOT EXISTS builds on the preserved (outer) side instead of the
 * subquery when the subquery side is estimated at least this many times
 * larger and, under AUTOMATIC, at least SEMI_FLIP_MIN_ROWS: below that a
 * broadcast build of the subquery costs less than hash-partitioning both
 * sides (TPC-H q20 at sf1, 132k subquery rows: 2.7 s broadcast, 3.5 s
 * turned round; q04, 3.8M: 7.1 s, 2.8 s). Under PARTITIONED both sides are
 * partitioned anyway, so the ratio alone decides.
 */
#define SEMI_FLIP_RATIO 4.0
#define SEMI_FLIP_MIN_ROWS 1000000.0

/* A generated subtree and the column id of each of its output positions. */
typedef struct pout {
	pnode *n;
	int *ids;
} pout;

static pnode *pn_new(pctx *pc, pnode_kind k, int ncols)
{
	pnode *n = arena_zalloc(pc->a, sizeof(pnode));
	n->kind = k;
	n->ncols = ncols;
	n->types = arena_zalloc(pc->a, sizeof(ftype) * (size_t)(ncols + 1));
	n->names = arena_zalloc(pc->a, sizeof(char *) * (size_t)(ncols + 1));
	n->est_rows = -1;
	n->limit = -1;
	n->id = pc->next_id++;
	return n;
}

static void pn_children(pctx *pc, pnode *n, int k, pnode *a, pnode *b)
{
	n->nchildren = k;
	n->children = arena_zalloc(pc->a, sizeof(pnode *) * (size_t)k);
	n->children[0] = a;
	if (k > 1) n->children[1] = b;
}

/* Output described by ids: types and names from the query's column table. */
static void pn_layout(pctx *pc, pnode *n, const int *ids)
{
	for (int i = 0; i < n->ncols; i++) {
		n->types[i] = pc->q->colinfo[ids[i]].type;
		n->names[i] = pc->q->colinfo[ids[i]].name;
	}
}

static int frag_new(pctx *pc, partitioning out)
{
	if (pc->nfrag == pc->capfrag) {
		int cap = pc->capfrag ? pc->capfrag * 2 : 8;
		pc->frags = arena_realloc(pc->a, pc->frags, sizeof(plan_fragment *) * (size_t)pc->capfrag,
		                          sizeof(plan_fragment *) * (size_t)cap);
		pc->capfrag = cap;
	}
	plan_fragment *f = arena_zalloc(pc->a, sizeof(plan_fragment));
	f->id = pc->nfrag;
	f->partitioning = PART_SINGLE;
	f->output_partitioning = out;
	pc->frags[pc->nfrag] = f;
	return pc->nfrag++;
}

static int pos_of(const int *ids, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id) return i;
	return -1;
}

/* Copy of e with column ids replaced by positions in layout ids[0..n). */
static expr *remap(pctx *pc, const expr *e, const int *ids, int n)
{
	if (!e) return NULL;
	expr *r = arena_alloc(pc->a, sizeof(expr));
	*r = *e;
	if (e->kind == EXPR_COLUMN) {
		r->column = pos_of(ids, n, e->column);
		if (r->column < 0 && !pc->err)
			pc->err = ferr_new(SQLSTATE_INTERNAL_ERROR, "planner lost column %s (#%d)",
			                   e->name ? e->name : "?", e->column);
		return r;
	}
	if (e->nargs) {
		r->args = arena_zalloc(pc->a, sizeof(expr *) * (size_t)e->nargs);
		for (int i = 0; i < e->nargs; i++) r->args[i] = remap(pc, e->args[i], ids, n);
	}
	return r;
}

static void req_fn(int id, void *arg) { ((bool *)arg)[id] = true; }

static bool *req_copy(pctx *pc, const bool *req)
{
	size_t n = (size_t)pc->q->ncolinfo + 1;
	bool *r = arena_alloc(pc->a, n);
	memcpy(r, req, n);
	return r;
}

static pnode *exchange_of(pctx *pc, int frag, const pout *src, int nids, int **ids_out)
{
	pnode *root = src->n;
	pc->frags[frag]->root = root;
	pnode *x = pn_new(pc, PN_EXCHANGE, root->ncols);
	memcpy(x->types, root->types, sizeof(ftype) * (size_t)root->ncols);
	memcpy(x->names, root->names, sizeof(char *) * (size_t)root->ncols);
	int *one = arena_alloc(pc->a, sizeof(int));
	*one = frag;
	x->nsources = 1;
	x->source_fragments = one;
	x->est_rows = root->est_rows;
	*ids_out = src->ids;
	(void)nids;
	return x;
}

static void gen(pctx *pc, const lnode *ln, const bool *req, pout *out);

static void gen_scan(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	int n = 0;
	int *pick = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->ncols + 1));
	for (int i = 0; i < ln->ncols; i++)
		if (req[ln->cols[i]]) pick[n++] = i;
	if (n == 0 && ln->ncols > 0) pick[n++] = 0; /* rows still count: read one column */
	pnode *s = pn_new(pc, PN_SCAN, n);
	int *scan_cols = arena_zalloc(pc->a, sizeof(int) * (size_t)(n + 1));
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		scan_cols[i] = ln->table_cols[pick[i]];
		ids[i] = ln->cols[pick[i]];
		s->types[i] = ln->table->cols[scan_cols[i]].type;
		s->names[i] = ln->table->cols[scan_cols[i]].name;
	}
	s->catalog = ln->catalog;
	s->table = ln->table;
	s->pushed = ln->pushed;
	s->nscan_cols = n;
	s->scan_cols = scan_cols;
	s->est_rows = ln->est;
	out->n = s;
	out->ids = ids;
}

/*
 * BROADCAST (every probe driver builds the whole table) or PARTITIONED
 * (both sides hashed on the keys). AUTOMATIC partitions a large build side
 * and FULL joins (which otherwise run on one driver). NOT IN's null-aware
 * anti join stays broadcast: every driver must know whether the build side
 * holds a NULL.
 */
static bool join_partitioned(const pctx *pc, const lnode *ln)
{
	if (ln->nkeys == 0 || ln->null_aware) return false;
	/* a broadcast build would emit each preserved row once per driver */
	if (ln->jtype == JOIN_RIGHT_SEMI || ln->jtype == JOIN_RIGHT_ANTI) return true;
	if (pc->join_dist == JOIN_DIST_PARTITIONED) return true;
	if (pc->join_dist == JOIN_DIST_BROADCAST) return false;
	if (ln->jtype == JOIN_FULL) return true;
	double build = ln->children[1]->est;
	return build > PARTITIONED_BUILD_ROWS;
}

/*
 * A SEMI/ANTI equi-join whose subquery side (right) is much larger than its
 * preserved side, turned round: the preserved rows are built (and
 * hash-partitioned, so each lives in one driver's table) and the subquery
 * rows probe them (JOIN_RIGHT_SEMI/ANTI). NOT IN (null_aware) and
 * IS NOT DISTINCT FROM keys keep their side; so does a forced BROADCAST.
 */
static const lnode *semi_flipped(const pctx *pc, const lnode *ln)
{
	if ((ln->jtype != JOIN_SEMI && ln->jtype != JOIN_ANTI) || ln->nkeys == 0 ||
	    ln->null_aware || ln->nulls_equal || pc->rec_id || pc->join_dist == JOIN_DIST_BROADCAST)
		return NULL;
	double outer = ln->children[0]->est, sub = ln->children[1]->est;
	if (outer < 0 || sub < outer * SEMI_FLIP_RATIO) return NULL;
	if (pc->join_dist != JOIN_DIST_PARTITIONED && sub < SEMI_FLIP_MIN_ROWS) return NULL;
	lnode *f = arena_alloc(pc->a, sizeof(*f));
	*f = *ln;
	f->children = arena_alloc(pc->a, sizeof(lnode *) * 2);
	f->children[0] = ln->children[1];
	f->children[1] = ln->children[0];
	f->lkeys = ln->rkeys;
	f->rkeys = ln->lkeys;
	f->jtype = ln->jtype == JOIN_SEMI ? JOIN_RIGHT_SEMI : JOIN_RIGHT_ANTI;
	return f;
}

static void gen_join(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	const lnode *flipped = semi_flipped(pc, ln);
	if (flipped) ln = flipped;
	bool *r2 = req_copy(pc, req);
	for (int i = 0; i < ln->nkeys; i++) r2[ln->lkeys[i]] = r2[ln->rkeys[i]] = true;
	an_expr_cols(ln->filter, req_fn, r2);
	pout l, r;
	int *rids;
	pnode *probe, *build;
	bool partitioned = !pc->rec_id && join_partitioned(pc, ln);
	if (pc->rec_id) {
		/* in a recursive term the join is re-run each iteration in one driver:
		 * both sides stay in the term (the one without the working table is a
		 * materialized input of the recursion) */
		gen(pc, ln->children[0], r2, &l);
		gen(pc, ln->children[1], r2, &r);
		probe = l.n;
		build = r.n;
		rids = r.ids;
	} else if (partitioned) {
		/* both sides repartitioned on the keys; the join runs in a fragment of
		 * its own with one driver per partition, each with a disjoint build */
		int fl = frag_new(pc, PART_HASH), fr = frag_new(pc, PART_HASH);
		gen(pc, ln->children[0], r2, &l);
		gen(pc, ln->children[1], r2, &r);
		int *lk = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->nkeys + 1));
		int *rk = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->nkeys + 1));
		for (int i = 0; i < ln->nkeys; i++) {
			lk[i] = pos_of(l.ids, l.n->ncols, ln->lkeys[i]);
			rk[i] = pos_of(r.ids, r.n->ncols, ln->rkeys[i]);
		}
		pc->frags[fl]->noutput_keys = pc->frags[fr]->noutput_keys = ln->nkeys;
		pc->frags[fl]->output_keys = lk;
		pc->frags[fr]->output_keys = rk;
		int *lids;
		probe = exchange_of(pc, fl, &l, 0, &lids);
		build = exchange_of(pc, fr, &r, 0, &rids);
		l.ids = lids;
	} else if (ln->jtype == JOIN_FULL) {
		/* FULL needs each build row seen by exactly one driver: run it on one */
		int fl = frag_new(pc, PART_SINGLE), fr = frag_new(pc, PART_SINGLE);
		gen(pc, ln->children[0], r2, &l);
		gen(pc, ln->children[1], r2, &r);
		int *lids;
		probe = exchange_of(pc, fl, &l, 0, &lids);
		build = exchange_of(pc, fr, &r, 0, &rids);
		l.ids = lids;
	} else {
		gen(pc, ln->children[0], r2, &l);
		int fb = frag_new(pc, PART_BROADCAST);
		gen(pc, ln->children[1], r2, &r);
		probe = l.n;
		build = exchange_of(pc, fb, &r, 0, &rids);
	}
	bool half = ln->jtype == JOIN_SEMI || ln->jtype == JOIN_ANTI;
	bool rhalf = ln->jtype == JOIN_RIGHT_SEMI || ln->jtype == JOIN_RIGHT_ANTI;
	int nl = probe->ncols, nr = build->ncols;
	pnode *j = pn_new(pc, PN_HASH_JOIN, half ? nl : rhalf ? nr : nl + nr);
	pn_children(pc, j, 2, probe, build);
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(nl + nr + 1));
	memcpy(ids, l.ids, sizeof(int) * (size_t)nl);
	memcpy(ids + nl, rids, sizeof(int) * (size_t)nr);
	if (rhalf) { /* the build side's columns only */
		memcpy(j->types, build->types, sizeof(ftype) * (size_t)nr);
		memcpy(j->names, build->names, sizeof(char *) * (size_t)nr);
	} else {
		memcpy(j->types, probe->types, sizeof(ftype) * (size_t)nl);
		memcpy(j->names, probe->names, sizeof(char *) * (size_t)nl);
	}
	if (!half && !rhalf) {
		memcpy(j->types + nl, build->types, sizeof(ftype) * (size_t)nr);
		memcpy(j->names + nl, build->names, sizeof(char *) * (size_t)nr);
	}
	j->join = ln->jtype;
	j->nkeys_join = ln->nkeys;
	int *pk = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->nkeys + 1));
	int *bk = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->nkeys + 1));
	for (int i = 0; i < ln->nkeys; i++) {
		pk[i] = pos_of(l.ids, nl, ln->lkeys[i]);
		bk[i] = pos_of(rids, nr, ln->rkeys[i]);
		if ((pk[i] < 0 || bk[i] < 0) && !pc->err)
			pc->err = ferr_new(SQLSTATE_INTERNAL_ERROR, "planner lost a join key");
	}
	j->probe_keys = pk;
	j->build_keys = bk;
	j->join_filter = remap(pc, ln->filter, ids, nl + nr);
	j->null_aware = ln->null_aware;
	j->nulls_equal = ln->nulls_equal;
	j->distribution = partitioned ? PART_HASH : ln->jtype == JOIN_FULL ? PART_SINGLE : PART_BROADCAST;
	j->est_rows = ln->est;
	out->n = j;
	out->ids = rhalf ? rids : ids;
	if (partitioned) {
		int fj = frag_new(pc, PART_ROUND_ROBIN);
		pc->frags[fj]->partitioning = PART_HASH;
		pout jo = {j, out->ids};
		out->n = exchange_of(pc, fj, &jo, 0, &out->ids);
	}
}

static void gen_union(pctx *pc, const lnode *ln, pout *out)
{
	int *srcs = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->nchildren + 1));
	for (int k = 0; k < ln->nchildren; k++) {
		const lnode *ch = ln->children[k];
		int f = frag_new(pc, PART_SINGLE);
		bool *all = arena_zalloc(pc->a, (size_t)pc->q->ncolinfo + 1);
		for (int i = 0; i < ch->ncols; i++) all[ch->cols[i]] = true;
		pout c;
		gen(pc, ch, all, &c);
		/* positional: project the child's columns into the union's order */
		pnode *p = pn_new(pc, PN_PROJECT, ch->ncols);
		pn_children(pc, p, 1, c.n, NULL);
		p->exprs = arena_zalloc(pc->a, sizeof(expr *) * (size_t)(ch->ncols + 1));
		for (int i = 0; i < ch->ncols; i++) {
			expr *e = arena_zalloc(pc->a, sizeof(expr));
			e->kind = EXPR_COLUMN;
			e->column = pos_of(c.ids, c.n->ncols, ch->cols[i]);
			e->type = pc->q->colinfo[ch->cols[i]].type;
			p->exprs[i] = e;
		}
		pn_layout(pc, p, ln->cols);
		p->est_rows = ch->est;
		pc->frags[f]->root = p;
		srcs[k] = f;
	}
	pnode *x = pn_new(pc, PN_EXCHANGE, ln->ncols);
	pn_layout(pc, x, ln->cols);
	x->nsources = ln->nchildren;
	x->source_fragments = srcs;
	x->est_rows = ln->est;
	out->n = x;
	out->ids = ln->cols;
}

static bool has_scan(const pnode *n);
static void gen_window(pctx *pc, const lnode *ln, const bool *req, pout *out);
/* Replicate and GroupId keep what their parent needs plus their own inputs. */
static void gen_replicate(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	bool *r2 = req_copy(pc, req);
	r2[ln->count_col] = true;
	pout c;
	gen(pc, ln->children[0], r2, &c);
	pnode *r = pn_new(pc, PN_REPLICATE, c.n->ncols);
	for (int i = 0; i < r->ncols; i++) r->types[i] = c.n->types[i], r->names[i] = c.n->names[i];
	pn_children(pc, r, 1, c.n, NULL);
	r->count_col = pos_of(c.ids, c.n->ncols, ln->count_col);
	r->est_rows = ln->est;
	out->n = r;
	out->ids = c.ids;
}

static void gen_group_id(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	bool *r2 = req_copy(pc, req);
	for (int k = 0; k < ln->ngroup; k++) r2[ln->gin[k]] = true;
	pout c;
	gen(pc, ln->children[0], r2, &c);
	int nin = c.n->ncols, ng = ln->ngroup;
	pnode *g = pn_new(pc, PN_GROUP_ID, ng + nin + 1);
	pn_children(pc, g, 1, c.n, NULL);
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(ng + nin + 2));
	int *gc = arena_zalloc(pc->a, sizeof(int) * (size_t)(ng + 1));
	for (int k = 0; k < ng; k++) {
		ids[k] = ln->cols[k];
		gc[k] = pos_of(c.ids, nin, ln->gin[k]);
	}
	memcpy(ids + ng, c.ids, sizeof(int) * (size_t)nin);
	ids[ng + nin] = ln->cols[ln->ncols - 1];
	pn_layout(pc, g, ids);
	g->ngroup = ng;
	g->group_cols = gc;
	g->nsets = ln->nsets;
	g->sets = ln->sets;
	g->est_rows = ln->est;
	out->n = g;
	out->ids = ids;
}

static bool ln_has_worktable(const lnode *n, int rec_id);
static void gen_lateral_srf(pctx *pc, const lnode *ln, const bool *req, pout *out);
static void gen_project_set(pctx *pc, const lnode *ln, const bool *req, pout *out);
static void gen_rec_input(pctx *pc, const lnode *ln, const bool *req, pout *out);
static void gen_recursive(pctx *pc, const lnode *ln, pout *out);
/* Unnest keeps every child column its parent or its arrays need, then the elements. */
static void gen_unnest(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	bool *r2 = req_copy(pc, req);
	int na = ln->unnest_nargs, nextra = ln->ncols - ln->children[0]->ncols;
	for (int j = 0; j < na; j++) an_expr_cols(ln->exprs[j], req_fn, r2);
	pout c;
	gen(pc, ln->children[0], r2, &c);
	int nin = c.n->ncols;
	pnode *u = pn_new(pc, PN_UNNEST, nin + nextra);
	pn_children(pc, u, 1, c.n, NULL);
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(nin + nextra + 1));
	memcpy(ids, c.ids, sizeof(int) * (size_t)nin);
	memcpy(ids + nin, ln->cols + ln->children[0]->ncols, sizeof(int) * (size_t)nextra);
	pn_layout(pc, u, ids);
	u->exprs = arena_zalloc(pc->a, sizeof(expr *) * (size_t)na);
	for (int j = 0; j < na; j++) u->exprs[j] = remap(pc, ln->exprs[j], c.ids, nin);
	u->unnest_nargs = na;
	u->unnest_ordinality = ln->unnest_ordinality;
	u->est_rows = ln->est;
	out->n = u;
	out->ids = ids;
}

static void gen(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	if (pc->err) {
		out->n = pn_new(pc, PN_VALUES, 0);
		out->ids = NULL;
		return;
	}
	if (pc->rec_id && !ln_has_worktable(ln, pc->rec_id)) {
		/* a recursive term's input that does not depend on the recursion */
		gen_rec_input(pc, ln, req, out);
		return;
	}
	if (pc->rec_id && (ln->kind == LN_UNION || ln->kind == LN_WINDOW)) {
		pc->err = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                   "window functions and set operations over the working table of a "
		                   "recursive query");
		gen(pc, ln, req, out);
		return;
	}
	switch (ln->kind) {
	case LN_SCAN: gen_scan(pc, ln, req, out); return;
	case LN_VALUES: {
		pnode *v = pn_new(pc, PN_VALUES, ln->ncols);
		pn_layout(pc, v, ln->cols);
		v->nrows = ln->nrows;
		v->rows = ln->rows;
		v->est_rows = ln->nrows;
		out->n = v;
		out->ids = ln->cols;
		return;
	}
	case LN_FILTER: {
		if (ln->pred->kind == EXPR_CONST && ln->pred->type.id == TYPE_BOOL && !ln->pred->value.isnull &&
		    ln->pred->value.u.b) {
			gen(pc, ln->children[0], req, out); /* everything went to the connector */
			return;
		}
		bool *r2 = req_copy(pc, req);
		an_expr_cols(ln->pred, req_fn, r2);
		pout c;
		const char *pushed = NULL;
		const conn_table *bound =
		    pc->params ? an_bind_pushdown(ln, pc->params, pc->nparams, pc->a, &pushed) : NULL;
		if (bound) {
			/* `col = $1` reaches the source with this execution's value */
			lnode *scan = arena_alloc(pc->a, sizeof(lnode));
			*scan = *ln->children[0];
			scan->table = bound;
			scan->pushed = pushed;
			gen(pc, scan, r2, &c);
		} else {
			gen(pc, ln->children[0], r2, &c);
		}
		pnode *f = pn_new(pc, PN_FILTER, c.n->ncols);
		memcpy(f->types, c.n->types, sizeof(ftype) * (size_t)c.n->ncols);
		memcpy(f->names, c.n->names, sizeof(char *) * (size_t)c.n->ncols);
		pn_children(pc, f, 1, c.n, NULL);
		f->predicate = remap(pc, ln->pred, c.ids, c.n->ncols);
		f->est_rows = ln->est;
		out->n = f;
		out->ids = c.ids;
		return;
	}
	case LN_PROJECT: {
		int *keep = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->ncols + 1));
		int nk = 0;
		for (int i = 0; i < ln->ncols; i++)
			if (req[ln->cols[i]]) keep[nk++] = i;
		if (nk == 0 && ln->ncols) keep[nk++] = 0;
		bool *r2 = arena_zalloc(pc->a, (size_t)pc->q->ncolinfo + 1);
		for (int i = 0; i < nk; i++) an_expr_cols(ln->exprs[keep[i]], req_fn, r2);
		pout c;
		gen(pc, ln->children[0], r2, &c);
		/* distinct bare columns only: rename the child's outputs instead of copying */
		int *ren = arena_zalloc(pc->a, sizeof(int) * (size_t)(c.n->ncols + 1));
		memcpy(ren, c.ids, sizeof(int) * (size_t)c.n->ncols);
		bool *seen = arena_zalloc(pc->a, (size_t)c.n->ncols + 1);
		bool bare = true;
		for (int i = 0; i < nk && bare; i++) {
			const expr *e = ln->exprs[keep[i]];
			int pos = e->kind == EXPR_COLUMN ? pos_of(c.ids, c.n->ncols, e->column) : -1;
			if (pos < 0 || seen[pos]) {
				bare = false;
				break;
			}
			seen[pos] = true;
			ren[pos] = ln->cols[keep[i]];
		}
		if (bare) {
			out->n = c.n;
			out->ids = ren;
			return;
		}
		pnode *p = pn_new(pc, PN_PROJECT, nk);
		pn_children(pc, p, 1, c.n, NULL);
		p->exprs = arena_zalloc(pc->a, sizeof(expr *) * (size_t)(nk + 1));
		int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(nk + 1));
		for (int i = 0; i < nk; i++) {
			ids[i] = ln->cols[keep[i]];
			p->exprs[i] = remap(pc, ln->exprs[keep[i]], c.ids, c.n->ncols);
		}
		pn_layout(pc, p, ids);
		for (int i = 0; i < nk; i++) p->types[i] = p->exprs[i]->type;
		p->est_rows = ln->est;
		out->n = p;
		out->ids = ids;
		return;
	}
	case LN_JOIN: gen_join(pc, ln, req, out); return;
	case LN_AGG: {
		bool *r2 = arena_zalloc(pc->a, (size_t)pc->q->ncolinfo + 1);
		for (int i = 0; i < ln->ngroup; i++) r2[ln->cols[i]] = true;
		for (int i = 0; i < ln->naggs; i++)
			if (ln->aggs[i].arg >= 0) r2[ln->aggs[i].arg] = true;
		for (int i = 0; i < ln->naggs; i++)
			if (ln->aggs[i].x.has_order) r2[ln->aggs[i].x.order_col] = true;
		for (int i = 0; i < ln->naggs; i++)
			if (ln->aggs[i].x.has_filter) r2[ln->aggs[i].x.filter_col] = true;
		for (int i = 0; i < ln->naggs; i++)
			for (int k = 0; k < ln->aggs[i].x.nmore; k++) r2[ln->aggs[i].x.more[k].col] = true;
		pout c;
		gen(pc, ln->children[0], r2, &c);
		pnode *g = pn_new(pc, PN_HASH_AGG, ln->ncols);
		pn_children(pc, g, 1, c.n, NULL);
		int *gc = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->ngroup + 1));
		for (int i = 0; i < ln->ngroup; i++) gc[i] = pos_of(c.ids, c.n->ncols, ln->cols[i]);
		g->ngroup = ln->ngroup;
		g->group_cols = gc;
		g->naggs = ln->naggs;
		g->aggs = arena_zalloc(pc->a, sizeof(agg_call) * (size_t)(ln->naggs + 1));
		for (int i = 0; i < ln->naggs; i++) {
			const lagg *la = &ln->aggs[i];
			g->aggs[i] = (agg_call){la->kind, la->arg >= 0 ? pos_of(c.ids, c.n->ncols, la->arg) : -1,
			                        la->distinct, la->result, la->name, la->x};
			if (la->x.has_order) g->aggs[i].x.order_col = pos_of(c.ids, c.n->ncols, la->x.order_col);
			if (la->x.has_filter) g->aggs[i].x.filter_col = pos_of(c.ids, c.n->ncols, la->x.filter_col);
			if (la->x.nmore) {
				/* a copy: the logical call keeps its column ids */
				agg_more *m = arena_alloc(pc->a, sizeof(agg_more) * (size_t)la->x.nmore);
				for (int k = 0; k < la->x.nmore; k++) {
					m[k] = la->x.more[k];
					m[k].col = pos_of(c.ids, c.n->ncols, m[k].col);
				}
				g->aggs[i].x.more = m;
			}
		}
		pn_layout(pc, g, ln->cols);
		g->est_rows = ln->est;
		out->n = g;
		out->ids = ln->cols;
		return;
	}
	case LN_SORT: {
		bool *r2 = req_copy(pc, req);
		for (int i = 0; i < ln->nsort; i++) r2[ln->sort[i].col] = true;
		pout c;
		gen(pc, ln->children[0], r2, &c);
		pnode *s = pn_new(pc, ln->limit >= 0 ? PN_TOPN : PN_SORT, c.n->ncols);
		memcpy(s->types, c.n->types, sizeof(ftype) * (size_t)c.n->ncols);
		memcpy(s->names, c.n->names, sizeof(char *) * (size_t)c.n->ncols);
		pn_children(pc, s, 1, c.n, NULL);
		s->nkeys = ln->nsort;
		s->keys = arena_zalloc(pc->a, sizeof(sort_key) * (size_t)ln->nsort);
		for (int i = 0; i < ln->nsort; i++)
			s->keys[i] = (sort_key){pos_of(c.ids, c.n->ncols, ln->sort[i].col), ln->sort[i].desc,
			                        ln->sort[i].nulls_first};
		s->limit = ln->limit;
		s->offset = ln->limit >= 0 ? ln->offset : 0;
		s->est_rows = ln->est;
		pnode *top = s;
		if (ln->limit < 0 && ln->offset > 0) {
			top = pn_new(pc, PN_LIMIT, s->ncols);
			memcpy(top->types, s->types, sizeof(ftype) * (size_t)s->ncols);
			memcpy(top->names, s->names, sizeof(char *) * (size_t)s->ncols);
			pn_children(pc, top, 1, s, NULL);
			top->offset = ln->offset;
			top->est_rows = ln->est;
		}
		out->n = top;
		out->ids = c.ids;
		return;
	}
	case LN_LIMIT: {
		pout c;
		gen(pc, ln->children[0], req, &c);
		pnode *l = pn_new(pc, PN_LIMIT, c.n->ncols);
		memcpy(l->types, c.n->types, sizeof(ftype) * (size_t)c.n->ncols);
		memcpy(l->names, c.n->names, sizeof(char *) * (size_t)c.n->ncols);
		pn_children(pc, l, 1, c.n, NULL);
		l->limit = ln->limit;
		l->offset = ln->offset;
		l->est_rows = ln->est;
		out->n = l;
		out->ids = c.ids;
		return;
	}
	case LN_UNION: gen_union(pc, ln, out); return;
	case LN_WINDOW: gen_window(pc, ln, req, out); return;
	case LN_REPLICATE: gen_replicate(pc, ln, req, out); return;
	case LN_GROUP_ID: gen_group_id(pc, ln, req, out); return;
	case LN_RECURSIVE: gen_recursive(pc, ln, out); return;
	case LN_WORKTABLE: {
		pnode *w = pn_new(pc, PN_WORKTABLE, ln->ncols);
		pn_layout(pc, w, ln->cols);
		w->worktable = 0;
		w->est_rows = ln->est;
		out->n = w;
		out->ids = ln->cols;
		return;
	}
	case LN_UNNEST: gen_unnest(pc, ln, req, out); return;
	case LN_PROJECT_SET: gen_project_set(pc, ln, req, out); return;
	case LN_SERIES: {
		if (ln->nchildren) {
			gen_lateral_srf(pc, ln, req, out);
			return;
		}
		pnode *s = pn_new(pc, PN_GENERATE_SERIES, 1);
		pn_layout(pc, s, ln->cols);
		s->exprs = ln->exprs;
		s->est_rows = ln->est;
		out->n = s;
		out->ids = ln->cols;
		return;
	}
	}
}

/*
 * Window: the input is gathered into a single-driver fragment (a window
 * needs whole partitions), sorted by partition then order keys, and the
 * Window operator appends one column per call.
 */
static void gen_window(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	bool *r2 = req_copy(pc, req);
	for (int i = 0; i < ln->npart; i++) r2[ln->part[i]] = true;
	for (int i = 0; i < ln->nsort; i++) r2[ln->sort[i].col] = true;
	for (int i = 0; i < ln->nwin; i++) {
		const lwin *w = &ln->win[i];
		for (int k = 0; k < 3; k++)
			if (w->args[k] >= 0) r2[w->args[k]] = true;
		if (w->frame.range_key >= 0) r2[w->frame.range_key] = true;
		if (w->frame.start_col >= 0) r2[w->frame.start_col] = true;
		if (w->frame.end_col >= 0) r2[w->frame.end_col] = true;
	}
	for (int i = 0; i < ln->nwin; i++) r2[ln->win[i].out] = false;
	pout c;
	gen(pc, ln->children[0], r2, &c);
	pnode *in = c.n;
	if (has_scan(in)) {
		int f = frag_new(pc, PART_SINGLE);
		in = exchange_of(pc, f, &c, 0, &c.ids);
	}
	int nin = in->ncols;
	int nk = ln->npart + ln->nsort;
	if (nk > 0) {
		pnode *s = pn_new(pc, PN_SORT, nin);
		memcpy(s->types, in->types, sizeof(ftype) * (size_t)nin);
		memcpy(s->names, in->names, sizeof(char *) * (size_t)nin);
		pn_children(pc, s, 1, in, NULL);
		s->nkeys = nk;
		s->keys = arena_zalloc(pc->a, sizeof(sort_key) * (size_t)nk);
		for (int i = 0; i < ln->npart; i++)
			s->keys[i] = (sort_key){pos_of(c.ids, nin, ln->part[i]), false, false};
		for (int i = 0; i < ln->nsort; i++)
			s->keys[ln->npart + i] = (sort_key){pos_of(c.ids, nin, ln->sort[i].col),
			                                    ln->sort[i].desc, ln->sort[i].nulls_first};
		s->est_rows = ln->est;
		in = s;
	}
	pnode *w = pn_new(pc, PN_WINDOW, nin + ln->nwin);
	pn_children(pc, w, 1, in, NULL);
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(nin + ln->nwin + 1));
	memcpy(ids, c.ids, sizeof(int) * (size_t)nin);
	memcpy(w->types, in->types, sizeof(ftype) * (size_t)nin);
	memcpy(w->names, in->names, sizeof(char *) * (size_t)nin);
	int *part = arena_zalloc(pc->a, sizeof(int) * (size_t)(ln->npart + 1));
	for (int i = 0; i < ln->npart; i++) part[i] = pos_of(c.ids, nin, ln->part[i]);
	w->npartition = ln->npart;
	w->partition_cols = part;
	w->nkeys = ln->nsort;
	w->keys = arena_zalloc(pc->a, sizeof(sort_key) * (size_t)(ln->nsort + 1));
	for (int i = 0; i < ln->nsort; i++)
		w->keys[i] = (sort_key){pos_of(c.ids, nin, ln->sort[i].col), ln->sort[i].desc,
		                        ln->sort[i].nulls_first};
	w->nwcalls = ln->nwin;
	w->wcalls = arena_zalloc(pc->a, sizeof(window_call) * (size_t)(ln->nwin + 1));
	for (int i = 0; i < ln->nwin; i++) {
		const lwin *lw = &ln->win[i];
		window_call *wc = &w->wcalls[i];
		wc->kind = lw->kind;
		wc->result = lw->result;
		wc->name = lw->name;
		wc->frame = lw->frame;
		for (int k = 0; k < 3; k++) wc->args[k] = lw->args[k] >= 0 ? pos_of(c.ids, nin, lw->args[k]) : -1;
		wc->agg = (agg_call){lw->agg, wc->args[0], false, lw->result, lw->name};
		if (lw->kind == WF_AGG && lw->args[0] < 0) wc->agg.kind = AGG_COUNT_STAR;
		const int *fc[3] = {&lw->frame.range_key, &lw->frame.start_col, &lw->frame.end_col};
		int *wcc[3] = {&wc->frame.range_key, &wc->frame.start_col, &wc->frame.end_col};
		for (int k = 0; k < 3; k++) *wcc[k] = *fc[k] >= 0 ? pos_of(c.ids, nin, *fc[k]) : -1;
		ids[nin + i] = lw->out;
		w->types[nin + i] = lw->result;
		w->names[nin + i] = pc->q->colinfo[lw->out].name;
	}
	w->est_rows = ln->est;
	out->n = w;
	out->ids = ids;
}

static bool ln_has_worktable(const lnode *n, int rec_id)
{
	if (n->kind == LN_WORKTABLE && n->rec_id == rec_id) return true;
	for (int i = 0; i < n->nchildren; i++)
		if (ln_has_worktable(n->children[i], rec_id)) return true;
	return false;
}

/* A positional projection of c's output into the order of ids (a union's branch). */
static pnode *positional(pctx *pc, const pout *c, int n, const int *child_ids, const int *ids)
{
	pnode *p = pn_new(pc, PN_PROJECT, n);
	pn_children(pc, p, 1, c->n, NULL);
	p->exprs = arena_zalloc(pc->a, sizeof(expr *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		expr *e = arena_zalloc(pc->a, sizeof(expr));
		e->kind = EXPR_COLUMN;
		e->column = pos_of(c->ids, c->n->ncols, child_ids[i]);
		e->type = pc->q->colinfo[child_ids[i]].type;
		p->exprs[i] = e;
	}
	pn_layout(pc, p, ids);
	p->est_rows = c->n->est_rows;
	return p;
}

/* The recursive term reads ln from a fragment of its own, materialized by the operator. */
static void gen_rec_input(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	int rec_id = pc->rec_id;
	pnode *rn = pc->rec_node;
	pc->rec_id = 0;
	pc->rec_node = NULL;
	int f = frag_new(pc, PART_SINGLE);
	pout c;
	gen(pc, ln, req, &c);
	int *ids;
	pnode *x = exchange_of(pc, f, &c, 0, &ids);
	pc->rec_id = rec_id;
	pc->rec_node = rn;
	pnode **ch = arena_zalloc(pc->a, sizeof(pnode *) * (size_t)(rn->nchildren + 1));
	memcpy(ch, rn->children, sizeof(pnode *) * (size_t)rn->nchildren);
	ch[rn->nchildren] = x;
	rn->children = ch;
	pnode *w = pn_new(pc, PN_WORKTABLE, x->ncols);
	memcpy(w->types, x->types, sizeof(ftype) * (size_t)x->ncols);
	memcpy(w->names, x->names, sizeof(char *) * (size_t)x->ncols);
	w->worktable = rn->nchildren++;
	w->est_rows = x->est_rows;
	out->n = w;
	out->ids = ids;
}

/*
 * WITH RECURSIVE: a SINGLE fragment whose RecursiveUnion reads the
 * non-recursive term and the recursive term's other inputs through
 * exchanges, and holds the recursive term as a plan it instantiates per
 * iteration. That term has no exchanges: its joins build inline, and
 * windows, set operations and nested recursions over the working table are
 * refused (they would need fragments of their own).
 */
static void gen_recursive(pctx *pc, const lnode *ln, pout *out)
{
	if (pc->rec_id) {
		pc->err = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                   "a recursive query inside the recursive term of another");
		gen(pc, ln, NULL, out);
		return;
	}
	int fr = frag_new(pc, PART_SINGLE);
	pnode *r = pn_new(pc, PN_RECURSIVE_UNION, ln->ncols);
	pn_layout(pc, r, ln->cols);
	r->recursive_all = ln->rec_all;
	r->est_rows = ln->est;
	bool *all = arena_zalloc(pc->a, (size_t)pc->q->ncolinfo + 1);
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < ln->children[k]->ncols; i++) all[ln->children[k]->cols[i]] = true;
	const lnode *seed = ln->children[0], *term = ln->children[1];
	int f0 = frag_new(pc, PART_SINGLE);
	pout c0;
	gen(pc, seed, all, &c0);
	pout p0 = {positional(pc, &c0, ln->ncols, seed->cols, ln->cols), ln->cols};
	int *ids0;
	pnode *x0 = exchange_of(pc, f0, &p0, 0, &ids0);
	r->nchildren = 1;
	r->children = arena_zalloc(pc->a, sizeof(pnode *));
	r->children[0] = x0;
	pc->rec_id = ln->rec_id;
	pc->rec_node = r;
	pout ct;
	gen(pc, term, all, &ct);
	pc->rec_id = 0;
	pc->rec_node = NULL;
	r->recursive_term = positional(pc, &ct, ln->ncols, term->cols, ln->cols);
	pout ro = {r, ln->cols};
	out->n = exchange_of(pc, fr, &ro, 0, &out->ids);
}

/*
 * A function in FROM over earlier items (analyze_lateral.c): its operator,
 * with the arguments as constants, runs for each row of the child; the
 * output is the child's columns then the function's.
 */
static void gen_lateral_srf(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	bool *r2 = req_copy(pc, req);
	for (int i = 0; i < 3; i++) an_expr_cols(ln->exprs[i], req_fn, r2);
	pout c;
	gen(pc, ln->children[0], r2, &c);
	int nin = c.n->ncols, id = ln->cols[ln->ncols - 1];
	pnode *f = pn_new(pc, PN_GENERATE_SERIES, 1);
	f->types[0] = pc->q->colinfo[id].type;
	f->names[0] = pc->q->colinfo[id].name;
	f->exprs = arena_zalloc(pc->a, sizeof(expr *) * 4);
	memcpy(f->exprs, ln->exprs, sizeof(expr *) * 4);
	pnode *l = pn_new(pc, PN_LATERAL_SRF, nin + 1);
	pn_children(pc, l, 1, c.n, NULL);
	memcpy(l->types, c.n->types, sizeof(ftype) * (size_t)nin);
	memcpy(l->names, c.n->names, sizeof(char *) * (size_t)nin);
	l->types[nin] = f->types[0];
	l->names[nin] = f->names[0];
	l->per_row = f;
	l->nsrf_args = 3;
	l->srf_args = arena_zalloc(pc->a, sizeof(expr *) * 3);
	for (int i = 0; i < 3; i++) l->srf_args[i] = remap(pc, ln->exprs[i], c.ids, nin);
	l->est_rows = ln->est;
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(nin + 2));
	memcpy(ids, c.ids, sizeof(int) * (size_t)nin);
	ids[nin] = id;
	out->n = l;
	out->ids = ids;
}

/*
 * Select-list set-returning functions (LN_PROJECT_SET, analyze_srf.c): one
 * PN_LATERAL_SRF in lockstep over the child, each function's own operator a
 * template run per input row with its arguments as constants. unnest's
 * template reads a one-row VALUES without columns.
 */
static void gen_project_set(pctx *pc, const lnode *ln, const bool *req, pout *out)
{
	bool *r2 = req_copy(pc, req);
	int nargs = 0, nf = ln->nsrfs;
	for (int k = 0; k < nf; k++) {
		const lnode *f = ln->srfs[k];
		int na = f->kind == LN_SERIES ? 3 : f->unnest_nargs;
		for (int i = 0; i < na; i++) an_expr_cols(f->exprs[i], req_fn, r2);
		nargs += na;
	}
	pout c;
	gen(pc, ln->children[0], r2, &c);
	int nin = c.n->ncols, nout = ln->ncols - ln->children[0]->ncols;
	pnode *l = pn_new(pc, PN_LATERAL_SRF, nin + nout);
	pn_children(pc, l, 1, c.n, NULL);
	int *ids = arena_zalloc(pc->a, sizeof(int) * (size_t)(nin + nout + 1));
	memcpy(ids, c.ids, sizeof(int) * (size_t)nin);
	memcpy(ids + nin, ln->cols + ln->children[0]->ncols, sizeof(int) * (size_t)nout);
	pn_layout(pc, l, ids);
	l->nsrf_funcs = nf;
	l->srf_funcs = arena_zalloc(pc->a, sizeof(pnode *) * (size_t)nf);
	l->srf_func_nargs = arena_zalloc(pc->a, sizeof(int) * (size_t)nf);
	l->srf_args = arena_zalloc(pc->a, sizeof(expr *) * (size_t)nargs);
	for (int k = 0, at = 0; k < nf; k++) {
		const lnode *f = ln->srfs[k];
		bool series = f->kind == LN_SERIES;
		int na = series ? 3 : f->unnest_nargs;
		pnode *t = pn_new(pc, series ? PN_GENERATE_SERIES : PN_UNNEST, f->ncols);
		pn_layout(pc, t, f->cols);
		/* the template's arguments are replaced per row; the series' next-value
		 * expression (exprs[3]) reads the operator's own column */
		t->exprs = arena_zalloc(pc->a, sizeof(expr *) * (size_t)(na + 2));
		memcpy(t->exprs, f->exprs, sizeof(expr *) * (size_t)(series ? 4 : na));
		if (!series) {
			pnode *one = pn_new(pc, PN_VALUES, 0);
			one->nrows = 1;
			one->rows = arena_zalloc(pc->a, sizeof(expr **));
			one->rows[0] = arena_zalloc(pc->a, sizeof(expr *));
			pn_children(pc, t, 1, one, NULL);
			t->unnest_nargs = na;
			t->unnest_ordinality = f->unnest_ordinality;
		}
		t->est_rows = f->est;
		l->srf_funcs[k] = t;
		l->srf_func_nargs[k] = na;
		for (int i = 0; i < na; i++) l->srf_args[at++] = remap(pc, f->exprs[i], c.ids, nin);
	}
	l->per_row = l->srf_funcs[0];
	l->nsrf_args = nargs;
	l->est_rows = ln->est;
	out->n = l;
	out->ids = ids;
}

static bool has_scan(const pnode *n)
{
	if (n->kind == PN_SCAN) return true;
	for (int i = 0; i < n->nchildren; i++)
		if (has_scan(n->children[i])) return true;
	return false;
}

static bool ln_has_scan(const lnode *n)
{
	if (n->kind == LN_SCAN) return true;
	for (int i = 0; i < n->nchildren; i++)
		if (ln_has_scan(n->children[i])) return true;
	return false;
}

/* ---- dynamic filters ---- */

/*
 * The scan column that column col of n's output is, inside n's fragment,
 * through filters, renaming projections and the probe side of joins that
 * drop unmatched probe rows or keep them unchanged; NULL when the path
 * passes anything that would change which rows survive (LIMIT, aggregates,
 * exchanges, computed values).
 */
static pnode *df_trace(pnode *n, int col, int *scan_col)
{
	for (;;) {
		switch (n->kind) {
		case PN_SCAN:
			*scan_col = col;
			return n;
		case PN_FILTER:
			n = n->children[0];
			break;
		case PN_PROJECT: {
			const expr *e = n->exprs[col];
			if (e->kind != EXPR_COLUMN) return NULL;
			col = e->column;
			n = n->children[0];
			break;
		}
		case PN_HASH_JOIN:
			if (n->join == JOIN_RIGHT || n->join == JOIN_FULL || n->join == JOIN_RIGHT_SEMI ||
			    n->join == JOIN_RIGHT_ANTI)
				return NULL;
			if (col >= n->children[0]->ncols) return NULL; /* a build column */
			n = n->children[0];
			break;
		default:
			return NULL;
		}
	}
}

static void df_add(arena *a, int *nd, const int **ids, const int **other, int id, int v, int cap)
{
	if (*nd == 0) {
		*ids = arena_zalloc(a, sizeof(int) * (size_t)cap);
		*other = arena_zalloc(a, sizeof(int) * (size_t)cap);
	}
	((int *)*ids)[*nd] = id;
	((int *)*other)[*nd] = v;
	(*nd)++;
}

/* Give every inner/semi/right equi-join's keys a filter on the scan they come from. */
static void df_assign(pnode *n, arena *a, int *next_id)
{
	for (int i = 0; i < n->nchildren; i++) df_assign(n->children[i], a, next_id);
	if (n->kind != PN_HASH_JOIN || n->null_aware || n->nkeys_join == 0 ||
	    (n->join != JOIN_INNER && n->join != JOIN_SEMI && n->join != JOIN_RIGHT &&
	     n->join != JOIN_RIGHT_SEMI && n->join != JOIN_RIGHT_ANTI))
		return;
	for (int k = 0; k < n->nkeys_join; k++) {
		int col;
		pnode *scan = df_trace(n->children[0], n->probe_keys[k], &col);
		if (!scan || scan->ndf >= 16) continue;
		int id = (*next_id)++;
		df_add(a, &n->ndf, &n->df_ids, &n->df_keys, id, k, n->nkeys_join);
		df_add(a, &scan->ndf, &scan->df_ids, &scan->df_cols, id, col, 16);
	}
}

ferr *plan_physical(const plan_session *s, const plan_query *q, const fvalue *params, int nparams,
                    arena *a, phys_plan **out)
{
	pctx pc = {.q = q, .a = a, .params = params, .nparams = nparams};
	const char *jd = s && s->get_property ? s->get_property(s->opaque, "join_distribution_type") : NULL;
	if (jd && strcasecmp(jd, "BROADCAST") == 0) pc.join_dist = JOIN_DIST_BROADCAST;
	else if (jd && strcasecmp(jd, "PARTITIONED") == 0) pc.join_dist = JOIN_DIST_PARTITIONED;
	*out = NULL;
	frag_new(&pc, PART_SINGLE); /* fragment 0: the result */
	/* the top ORDER BY / LIMIT run in fragment 0, over everything gathered */
	const lnode *peel[8];
	int npeel = 0;
	const lnode *body = q->root;
	while ((body->kind == LN_SORT || body->kind == LN_LIMIT) && npeel < 8) {
		peel[npeel++] = body;
		body = body->children[0];
	}
	bool *req = arena_zalloc(a, (size_t)q->ncolinfo + 1);
	for (int i = 0; i < q->ncols; i++) req[q->out_cols[i]] = true;
	for (int k = 0; k < npeel; k++)
		for (int i = 0; i < peel[k]->nsort; i++) req[peel[k]->sort[i].col] = true;
	pout cur;
	if (ln_has_scan(body)) {
		int f1 = frag_new(&pc, PART_SINGLE);
		pout b;
		gen(&pc, body, req, &b);
		/* LIMIT without ORDER BY: stop the source early too */
		if (npeel == 1 && peel[0]->kind == LN_LIMIT && peel[0]->limit >= 0) {
			pnode *l = pn_new(&pc, PN_LIMIT, b.n->ncols);
			memcpy(l->types, b.n->types, sizeof(ftype) * (size_t)b.n->ncols);
			memcpy(l->names, b.n->names, sizeof(char *) * (size_t)b.n->ncols);
			pn_children(&pc, l, 1, b.n, NULL);
			l->limit = peel[0]->limit + peel[0]->offset;
			l->est_rows = peel[0]->est;
			b.n = l;
		}
		int *ids;
		pnode *x = exchange_of(&pc, f1, &b, 0, &ids);
		cur.n = x;
		cur.ids = ids;
	} else {
		gen(&pc, body, req, &cur);
	}
	/* re-apply the peeled nodes bottom-up over the gathered rows */
	for (int k = npeel - 1; k >= 0 && !pc.err; k--) {
		lnode tmp = *peel[k];
		lnode leaf = {0};
		(void)leaf;
		const lnode *ln = &tmp;
		if (ln->kind == LN_SORT) {
			pnode *s = pn_new(&pc, ln->limit >= 0 ? PN_TOPN : PN_SORT, cur.n->ncols);
			memcpy(s->types, cur.n->types, sizeof(ftype) * (size_t)cur.n->ncols);
			memcpy(s->names, cur.n->names, sizeof(char *) * (size_t)cur.n->ncols);
			pn_children(&pc, s, 1, cur.n, NULL);
			s->nkeys = ln->nsort;
			s->keys = arena_zalloc(a, sizeof(sort_key) * (size_t)ln->nsort);
			for (int i = 0; i < ln->nsort; i++) {
				s->keys[i] = (sort_key){pos_of(cur.ids, cur.n->ncols, ln->sort[i].col),
				                        ln->sort[i].desc, ln->sort[i].nulls_first};
				if (s->keys[i].column < 0 && !pc.err)
					pc.err = ferr_new(SQLSTATE_INTERNAL_ERROR, "planner lost a sort key");
			}
			s->limit = ln->limit;
			s->offset = ln->limit >= 0 ? ln->offset : 0;
			s->est_rows = ln->est;
			cur.n = s;
			if (ln->limit < 0 && ln->offset > 0) {
				pnode *l = pn_new(&pc, PN_LIMIT, s->ncols);
				memcpy(l->types, s->types, sizeof(ftype) * (size_t)s->ncols);
				memcpy(l->names, s->names, sizeof(char *) * (size_t)s->ncols);
				pn_children(&pc, l, 1, s, NULL);
				l->offset = ln->offset;
				l->est_rows = ln->est;
				cur.n = l;
			}
		} else {
			pnode *l = pn_new(&pc, PN_LIMIT, cur.n->ncols);
			memcpy(l->types, cur.n->types, sizeof(ftype) * (size_t)cur.n->ncols);
			memcpy(l->names, cur.n->names, sizeof(char *) * (size_t)cur.n->ncols);
			pn_children(&pc, l, 1, cur.n, NULL);
			l->limit = ln->limit;
			l->offset = ln->offset;
			l->est_rows = ln->est;
			cur.n = l;
		}
	}
	/* output projection: the visible columns, named as the client sees them */
	pnode *p = pn_new(&pc, PN_PROJECT, q->ncols);
	pn_children(&pc, p, 1, cur.n, NULL);
	p->exprs = arena_zalloc(a, sizeof(expr *) * (size_t)(q->ncols + 1));
	for (int i = 0; i < q->ncols; i++) {
		expr *e = arena_zalloc(a, sizeof(expr));
		e->kind = EXPR_COLUMN;
		e->column = pos_of(cur.ids, cur.n->ncols, q->out_cols[i]);
		if (e->column < 0 && !pc.err)
			pc.err = ferr_new(SQLSTATE_INTERNAL_ERROR, "planner lost output column %d", i + 1);
		e->type = q->colinfo[q->out_cols[i]].type;
		e->name = q->names[i];
		p->exprs[i] = e;
		p->types[i] = e->type;
		p->names[i] = q->names[i];
	}
	p->est_rows = cur.n->est_rows;
	pc.frags[0]->root = p;
	pnode *writer = NULL;
	if (q->write) {
		/* one writer over the gathered rows: a single sink per statement */
		writer = pn_new(&pc, PN_TABLE_WRITE, 1);
		pn_children(&pc, writer, 1, p, NULL);
		writer->types[0] = ftype_make(TYPE_INT8);
		writer->names[0] = "rows";
		writer->catalog = q->write_catalog;
		writer->table = q->write_table;
		writer->create_def = q->write_def;
		writer->write_mode = q->write_mode;
		writer->count_col = q->write_count_col;
		writer->drop_counted = q->write_drop_counted;
		writer->est_rows = 1;
		pc.frags[0]->root = writer;
	}
	if (pc.err) return pc.err;
	for (int f = 1; f < pc.nfrag; f++)
		if (pc.frags[f]->partitioning != PART_HASH)
			pc.frags[f]->partitioning = has_scan(pc.frags[f]->root) ? PART_SOURCE : PART_SINGLE;
	phys_plan *pp = arena_zalloc(a, sizeof(phys_plan));
	pp->arena = a;
	pp->nfragments = pc.nfrag;
	pp->fragments = pc.frags;
	pp->writer = writer;
	for (int f = 0; f < pc.nfrag; f++) df_assign(pc.frags[f]->root, a, &pp->ndynamic_filters);
	*out = pp;
	return NULL;
}

ferr *plan_bind(const plan_session *s, prepared_stmt *p, const fvalue *params, arena *a,
                phys_plan **out)
{
	/* parameters are evaluated by exec at run time; their values only let
	 * filters on them reach the connector */
	*out = NULL;
	if ((p->kind != STMT_QUERY && p->kind != STMT_EXPLAIN && p->kind != STMT_WRITE) || !p->internal)
		return ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "statement \"%s\" has no query plan",
		                p->command_tag ? p->command_tag : "");
	return plan_physical(s, p->internal, params, params ? p->nparams : 0, a, out);
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

static const char *join_name(join_type j)
{
	switch (j) {
	case JOIN_INNER: return "InnerJoin";
	case JOIN_LEFT: return "LeftJoin";
	case JOIN_RIGHT: return "RightJoin";
	case JOIN_FULL: return "FullJoin";
	case JOIN_SEMI: return "SemiJoin";
	case JOIN_ANTI: return "AntiJoin";
	case JOIN_RIGHT_SEMI: return "RightSemiJoin";
	case JOIN_RIGHT_ANTI: return "RightAntiJoin";
	}
	return "Join";
}

static const char *agg_name(const agg_call *c)
{
	switch (c->kind) {
	case AGG_COUNT_STAR:
	case AGG_COUNT: return "count";
	case AGG_SUM: return "sum";
	case AGG_AVG: return "avg";
	case AGG_MIN: return "min";
	case AGG_MAX: return "max";
	default: break;
	}
	return c->name ? c->name : "?";
}

static void plan_indent(strbuf *out, int depth)
{
	for (int i = 0; i < depth; i++) sb_puts(out, "    ");
}

static const char *col_name(const pnode *n, int i)
{
	return i >= 0 && i < n->ncols && n->names[i] ? n->names[i] : "?";
}

static void sort_keys(const pnode *n, const pnode *in, strbuf *out)
{
	sb_puts(out, "orderBy = [");
	for (int i = 0; i < n->nkeys; i++)
		sb_printf(out, "%s%s %s NULLS %s", i ? ", " : "", col_name(in, n->keys[i].column),
		          n->keys[i].descending ? "DESC" : "ASC", n->keys[i].nulls_first ? "FIRST" : "LAST");
	sb_puts(out, "]");
}

static const char *frame_bound_name(frame_bound b)
{
	switch (b) {
	case FB_UNBOUNDED_PRECEDING: return "UNBOUNDED_PRECEDING";
	case FB_PRECEDING: return "PRECEDING";
	case FB_CURRENT_ROW: return "CURRENT_ROW";
	case FB_FOLLOWING: return "FOLLOWING";
	case FB_UNBOUNDED_FOLLOWING: return "UNBOUNDED_FOLLOWING";
	}
	return "?";
}

/* Trino's form: "rn := row_number() RANGE UNBOUNDED_PRECEDING CURRENT_ROW". */
static void explain_window_call(const pnode *n, const pnode *in, int i, strbuf *out)
{
	const window_call *w = &n->wcalls[i];
	sb_printf(out, "%s := %s(", col_name(n, in->ncols + i), w->name ? w->name : "?");
	int nargs = 0;
	for (int k = 0; k < 3; k++)
		if (w->args[k] >= 0) sb_printf(out, "%s%s", nargs++ ? ", " : "", col_name(in, w->args[k]));
	if (w->kind == WF_AGG && w->args[0] < 0) sb_puts(out, "*");
	const window_frame *f = &w->frame;
	sb_printf(out, ") %s ", f->mode == FRAME_ROWS ? "ROWS" : f->mode == FRAME_GROUPS ? "GROUPS" : "RANGE");
	const expr *offs[2] = {f->start_off, f->end_off};
	frame_bound bs[2] = {f->start, f->end};
	for (int k = 0; k < 2; k++) {
		if (k) sb_putc(out, ' ');
		if (offs[k]) {
			expr_format(offs[k], out);
			sb_putc(out, ' ');
		}
		sb_puts(out, frame_bound_name(bs[k]));
	}
	sb_putc(out, '\n');
}

static void plan_explain_node(const pnode *n, int depth, struct exec_query *q, strbuf *out)
{
	plan_indent(out, depth);
	const pnode *in = n->nchildren ? n->children[0] : NULL;
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
		if (n->pushed) sb_printf(out, ", pushedFilter = %s", n->pushed);
		if (n->ndf) {
			sb_puts(out, ", dynamicFilters = {");
			for (int i = 0; i < n->ndf; i++)
				sb_printf(out, "%s%s = #df%d", i ? ", " : "", col_name(n, n->df_cols[i]), n->df_ids[i]);
			sb_puts(out, "}");
		}
		sb_puts(out, "]\n");
		break;
	case PN_VALUES: sb_printf(out, "- Values[rows = %d]\n", n->nrows); break;
	case PN_TABLE_WRITE:
		sb_printf(out, "- TableWriter[target = %s:%s:%s%s]\n", n->catalog->name, n->table->schema,
		          n->table->table,
		          n->create_def ? ", create" : n->write_mode == CONN_WRITE_REPLACE ? ", replace" : "");
		break;
	case PN_PROJECT: sb_puts(out, "- Project[]\n"); break;
	case PN_FILTER:
		sb_puts(out, "- Filter[filterPredicate = ");
		expr_format(n->predicate, out);
		sb_puts(out, "]\n");
		break;
	case PN_HASH_AGG:
		sb_printf(out, "- Aggregate[type = %s, keys = [", n->ngroup ? "GROUPED" : "GLOBAL");
		for (int i = 0; i < n->ngroup; i++)
			sb_printf(out, "%s%s", i ? ", " : "", col_name(in, n->group_cols[i]));
		sb_puts(out, "], partial per driver + merge]\n");
		break;
	case PN_SORT:
		sb_puts(out, "- Sort[");
		sort_keys(n, in, out);
		sb_puts(out, "]\n");
		break;
	case PN_TOPN:
		sb_printf(out, "- TopN[count = %lld, ", (long long)n->limit);
		sort_keys(n, in, out);
		if (n->offset) sb_printf(out, ", offset = %lld", (long long)n->offset);
		sb_puts(out, "]\n");
		break;
	case PN_LIMIT:
		sb_puts(out, "- Limit[");
		if (n->limit >= 0) sb_printf(out, "count = %lld", (long long)n->limit);
		if (n->offset) sb_printf(out, "%soffset = %lld", n->limit >= 0 ? ", " : "", (long long)n->offset);
		sb_puts(out, "]\n");
		break;
	case PN_HASH_JOIN: {
		const pnode *b = n->children[1];
		sb_printf(out, "- %s[criteria = (", n->nkeys_join ? join_name(n->join) : (n->join == JOIN_INNER ? "CrossJoin" : join_name(n->join)));
		for (int i = 0; i < n->nkeys_join; i++)
			sb_printf(out, "%s%s = %s", i ? " AND " : "", col_name(in, n->probe_keys[i]),
			          col_name(b, n->build_keys[i]));
		sb_puts(out, ")");
		if (n->join_filter) {
			sb_puts(out, ", filter = ");
			expr_format(n->join_filter, out);
		}
		if (n->null_aware) sb_puts(out, ", nullAware");
		if (n->ndf) {
			sb_puts(out, ", dynamicFilterAssignments = {");
			for (int i = 0; i < n->ndf; i++)
				sb_printf(out, "%s%s -> #df%d", i ? ", " : "", col_name(b, n->build_keys[n->df_keys[i]]),
				          n->df_ids[i]);
			sb_puts(out, "}");
		}
		sb_printf(out, ", distribution = %s]\n",
		          n->distribution == PART_BROADCAST ? "REPLICATED" : n->distribution == PART_HASH ? "PARTITIONED" : "SINGLE");
		break;
	}
	case PN_WINDOW:
		sb_puts(out, "- Window[partitionBy = [");
		for (int i = 0; i < n->npartition; i++)
			sb_printf(out, "%s%s", i ? ", " : "", col_name(in, n->partition_cols[i]));
		sb_puts(out, "], ");
		sort_keys(n, in, out);
		sb_puts(out, "]\n");
		break;
	case PN_REPLICATE:
		sb_printf(out, "- Replicate[count = %s]\n", col_name(in, n->count_col));
		break;
	case PN_GROUP_ID:
		sb_printf(out, "- GroupId[groupingSets = %d]\n", n->nsets);
		break;
	case PN_UNNEST:
		sb_puts(out, "- Unnest[");
		for (int i = 0; i < n->unnest_nargs; i++) {
			if (i) sb_puts(out, ", ");
			expr_format(n->exprs[i], out);
		}
		sb_puts(out, n->unnest_ordinality ? ", ordinality]\n" : "]\n");
		break;
	case PN_GENERATE_SERIES:
		sb_puts(out, "- TableFunction[generate_series(");
		for (int i = 0; i < 3; i++) {
			if (i) sb_puts(out, ", ");
			expr_format(n->exprs[i], out);
		}
		sb_puts(out, ")]\n");
		break;
	case PN_RECURSIVE_UNION:
		sb_printf(out, "- RecursiveUnion[%s, workingTables = %d]\n",
		          n->recursive_all ? "UNION ALL" : "UNION", n->nchildren);
		plan_indent(out, depth + 1);
		sb_puts(out, "recursive term (planned again for each iteration):\n");
		plan_explain_node(n->recursive_term, depth + 2, q, out);
		break;
	case PN_LATERAL_SRF:
		if (n->nsrf_funcs > 0) {
			sb_puts(out, "- ProjectSet[per input row, in lockstep]\n");
			for (int k = 0; k < n->nsrf_funcs; k++) plan_explain_node(n->srf_funcs[k], depth + 2, q, out);
			break;
		}
		sb_puts(out, "- LateralFunction[per input row]\n");
		plan_explain_node(n->per_row, depth + 2, q, out);
		break;
	case PN_WORKTABLE:
		sb_printf(out, "- WorkTableScan[%s]\n",
		          n->worktable ? "materialized input" : "previous iteration");
		break;
	case PN_EXCHANGE:
		sb_puts(out, "- RemoteSource[sourceFragmentIds = [");
		for (int i = 0; i < n->nsources; i++)
			sb_printf(out, "%s%d", i ? ", " : "", n->source_fragments[i]);
		sb_puts(out, "]]\n");
		break;
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
	if (q) {
		exec_node_stats st;
		if (exec_query_node_stats(q, n->id, &st)) {
			plan_indent(out, depth + 1);
			sb_printf(out, "Actual: {rows: %lld, time: %.2fms, cpu: %.2fms, memory: %lldB",
			          (long long)st.rows_out, st.wall_ns / 1e6, st.cpu_ns / 1e6,
			          (long long)st.peak_memory);
			if (st.bytes_in) sb_printf(out, ", input: %lldB", (long long)st.bytes_in);
			sb_printf(out, ", output: %lldB", (long long)st.bytes_out);
			if (st.spilled_bytes) sb_printf(out, ", spilled: %lldB", (long long)st.spilled_bytes);
			sb_puts(out, "}\n");
		}
	}
	if (n->kind == PN_PROJECT)
		for (int i = 0; i < n->ncols; i++) {
			if (n->exprs[i]->kind == EXPR_COLUMN && in &&
			    !strcmp(col_name(in, n->exprs[i]->column), n->names[i] ? n->names[i] : "?"))
				continue; /* identity */
			plan_indent(out, depth + 1);
			sb_printf(out, "%s := ", n->names[i] ? n->names[i] : "?");
			expr_format(n->exprs[i], out);
			sb_putc(out, '\n');
		}
	if (n->kind == PN_HASH_AGG)
		for (int i = 0; i < n->naggs; i++) {
			const agg_call *c = &n->aggs[i];
			plan_indent(out, depth + 1);
			sb_printf(out, "%s := %s(%s%s)\n", col_name(n, n->ngroup + i), agg_name(c),
			          c->distinct ? "DISTINCT " : "", c->arg >= 0 ? col_name(in, c->arg) : "*");
		}
	if (n->kind == PN_WINDOW)
		for (int i = 0; i < n->nwcalls; i++) {
			plan_indent(out, depth + 1);
			explain_window_call(n, in, i, out);
		}
	for (int i = 0; i < n->nchildren; i++) plan_explain_node(n->children[i], depth + 1, q, out);
}

/* Lines end in '\n'; the session turns each into one "QUERY PLAN" row. */
void plan_explain(const phys_plan *p, struct exec_query *q, strbuf *out)
{
	for (int f = 0; f < p->nfragments; f++) {
		const plan_fragment *fr = p->fragments[f];
		sb_printf(out, "Fragment %d [%s]\n", fr->id, plan_part_name(fr->partitioning));
		sb_puts(out, "    Output layout: [");
		for (int i = 0; i < fr->root->ncols; i++)
			sb_printf(out, "%s%s", i ? ", " : "", fr->root->names[i] ? fr->root->names[i] : "?");
		sb_puts(out, "]\n");
		sb_printf(out, "    Output partitioning: %s\n", plan_part_name(fr->output_partitioning));
		plan_explain_node(fr->root, 1, q, out);
		if (f + 1 < p->nfragments) sb_putc(out, '\n');
	}
}
