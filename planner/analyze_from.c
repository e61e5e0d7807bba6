/*
 * analyze_from.c — FROM items (tables, subqueries, CTE references, VALUES,
 * joins) into logical relations, and the join planner: single-relation
 * conditions are pushed onto their relation, equi-conditions become hash
 * join keys, and inner joins are ordered greedily by estimated size (start
 * from the largest relation as the probe side, add the smallest connected
 * relation as a build side). Outer joins keep their written order.
 */
#include <ctype.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "connectors/pgcatalog/pgcatalog.h"
#include "planner/analyze_internal.h"

lnode *an_node(actx *c, lnode_kind k, int ncols)
{
	lnode *n = arena_zalloc(c->a, sizeof(lnode));
	n->kind = k;
	n->ncols = ncols;
	n->cols = arena_zalloc(c->a, sizeof(int) * (size_t)(ncols + 1));
	n->est = -1;
	n->limit = -1;
	return n;
}

static lnode *node1(actx *c, lnode_kind k, int ncols, lnode *child)
{
	lnode *n = an_node(c, k, ncols);
	n->nchildren = 1;
	n->children = arena_zalloc(c->a, sizeof(lnode *));
	n->children[0] = child;
	n->est = child->est;
	return n;
}

lnode *an_filter(actx *c, lnode *child, expr *pred)
{
	if (!pred) return child;
	if (child->kind == LN_FILTER) {
		/* one filter per relation: conjuncts accumulate */
		expr *both[2] = {child->pred, pred};
		lnode *f = an_filter(c, child->children[0], an_and(c, both, 2));
		f->est = child->est >= 0 ? child->est * an_selectivity(pred) : -1;
		return f;
	}
	lnode *f = node1(c, LN_FILTER, child->ncols, child);
	memcpy(f->cols, child->cols, sizeof(int) * (size_t)child->ncols);
	f->pred = pred;
	if (child->est >= 0) f->est = child->est * an_selectivity(pred);
	return f;
}

void scope_add(actx *c, scope *sc, rte *r)
{
	if (sc->n == sc->cap) {
		int cap = sc->cap ? sc->cap * 2 : 8;
		sc->r = arena_realloc(c->a, sc->r, sizeof(rte *) * (size_t)sc->cap, sizeof(rte *) * (size_t)cap);
		sc->cap = cap;
	}
	sc->r[sc->n++] = r;
}

void an_jset_add(actx *c, jset *js, lnode *rel)
{
	if (js->n == js->cap) {
		int cap = js->cap ? js->cap * 2 : 8;
		js->rels = arena_realloc(c->a, js->rels, sizeof(lnode *) * (size_t)js->cap, sizeof(lnode *) * (size_t)cap);
		js->cap = cap;
	}
	js->rels[js->n++] = rel;
}

void an_jset_conj(actx *c, jset *js, expr *e)
{
	an_conjuncts(c, e, &js->conj, &js->nconj, &js->capconj);
}

/* A project that keeps child's columns and appends computed ones. */
/*
 * e, which reads p's outputs, rewritten to read p's input instead; NULL when
 * e reads an output p computes (inlining it could evaluate a volatile
 * expression twice), so the caller puts a new project above p.
 */
static expr *over_project_input(actx *c, const lnode *p, const expr *e)
{
	if (e->kind == EXPR_COLUMN) {
		for (int i = 0; i < p->ncols; i++)
			if (p->cols[i] == e->column)
				return p->exprs[i]->kind == EXPR_COLUMN ? an_col(c, p->exprs[i]->column) : NULL;
		return NULL;
	}
	expr *r = arena_alloc(c->a, sizeof(expr));
	*r = *e;
	if (e->nargs) {
		r->args = arena_zalloc(c->a, sizeof(expr *) * (size_t)e->nargs);
		for (int i = 0; i < e->nargs; i++)
			if (!(r->args[i] = over_project_input(c, p, e->args[i]))) return NULL;
	}
	return r;
}

static int add_computed(actx *c, lnode **plan, expr *e)
{
	if (e->kind == EXPR_COLUMN) return e->column;
	lnode *child = *plan;
	lnode *p;
	expr *inner = child->kind == LN_PROJECT && child->nchildren == 1 && child->exprs
	                  ? over_project_input(c, child, e)
	                  : NULL;
	if (inner) {
		/* extend the existing passthrough project: its expressions read its input */
		e = inner;
		p = child;
		int n = p->ncols;
		p->cols = arena_realloc(c->a, p->cols, sizeof(int) * (size_t)(n + 1), sizeof(int) * (size_t)(n + 2));
		p->exprs = arena_realloc(c->a, p->exprs, sizeof(expr *) * (size_t)(n + 1), sizeof(expr *) * (size_t)(n + 2));
	} else {
		p = node1(c, LN_PROJECT, child->ncols, child);
		p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(child->ncols + 2));
		for (int i = 0; i < child->ncols; i++) {
			p->cols[i] = child->cols[i];
			p->exprs[i] = an_col(c, child->cols[i]);
		}
		p->cols = arena_realloc(c->a, p->cols, sizeof(int) * (size_t)(child->ncols + 1), sizeof(int) * (size_t)(child->ncols + 2));
		*plan = p;
	}
	int id = an_col_new(c, "expr", e->type);
	p->cols[p->ncols] = id;
	p->exprs[p->ncols] = e;
	p->ncols++;
	return id;
}

lnode *an_join(actx *c, lnode *l, lnode *r, join_type jt, int nkeys, expr **lk, expr **rk,
               expr *filter)
{
	int *lids = arena_zalloc(c->a, sizeof(int) * (size_t)(nkeys + 1));
	int *rids = arena_zalloc(c->a, sizeof(int) * (size_t)(nkeys + 1));
	for (int i = 0; i < nkeys; i++) {
		lids[i] = add_computed(c, &l, lk[i]);
		rids[i] = add_computed(c, &r, rk[i]);
	}
	bool half = jt == JOIN_SEMI || jt == JOIN_ANTI;
	int n = l->ncols + (half ? 0 : r->ncols);
	lnode *j = an_node(c, LN_JOIN, n);
	j->nchildren = 2;
	j->children = arena_zalloc(c->a, sizeof(lnode *) * 2);
	j->children[0] = l;
	j->children[1] = r;
	memcpy(j->cols, l->cols, sizeof(int) * (size_t)l->ncols);
	if (!half) memcpy(j->cols + l->ncols, r->cols, sizeof(int) * (size_t)r->ncols);
	j->jtype = jt;
	j->nkeys = nkeys;
	j->lkeys = lids;
	j->rkeys = rids;
	j->filter = filter;
	double le = l->est, re = r->est;
	if (le < 0 || re < 0)
		j->est = -1;
	else if (half)
		j->est = le * 0.5;
	else if (nkeys == 0)
		j->est = le * (re > 1 ? re : 1);
	else
		j->est = le > re ? le : re;
	if (j->est >= 0 && filter) j->est *= an_selectivity(filter);
	if (jt == JOIN_LEFT && j->est >= 0 && j->est < le) j->est = le;
	return j;
}

/* ---- tables ---- */

conn_catalog *an_acquire_catalog(actx *c, const char *name)
{
	plan_query *q = c->q;
	for (int i = 0; i < q->ncatalogs; i++)
		if (strcmp(q->catalogs[i]->name, name) == 0) return q->catalogs[i];
	conn_catalog *cat = catalogs_acquire(name);
	if (!cat) return NULL;
	if (q->ncatalogs == q->capcatalogs) {
		int cap = q->capcatalogs ? q->capcatalogs * 2 : 4;
		q->catalogs = arena_realloc(c->a, q->catalogs, sizeof(conn_catalog *) * (size_t)q->capcatalogs,
		                            sizeof(conn_catalog *) * (size_t)cap);
		q->capcatalogs = cap;
	}
	q->catalogs[q->ncatalogs++] = cat;
	return cat;
}

/* [catalog.][schema.]table; the default schema is the first of search_path that has it. */
static ferr *resolve_relation(actx *c, const PgQuery__RangeVar *rv, conn_catalog **catp,
                              conn_table **tp, conn_view **vp);

ferr *an_resolve_table(actx *c, const PgQuery__RangeVar *rv, conn_catalog **catp,
                       conn_table **tp)
{
	return resolve_relation(c, rv, catp, tp, NULL);
}

/* A table, or (vp not NULL) a view when no table has the name. */
static ferr *resolve_relation(actx *c, const PgQuery__RangeVar *rv, conn_catalog **catp,
                              conn_table **tp, conn_view **vp)
{
	const plan_session *s = c->s;
	arena *a = c->a;
	int pos = rv->location + 1;
	const char *cat = (rv->catalogname && *rv->catalogname) ? rv->catalogname : s->catalog;
	if (!cat) return ferr_position(ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "no default catalog"), pos);
	conn_catalog *cc = an_acquire_catalog(c, cat);
	if (!cc)
		return ferr_position(
		    ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist", cat), pos);
	conn_table *t = NULL;
	/* pg_catalog and information_schema of any catalog are the emulation's */
	conn_catalog *emu = pgcatalog_for(cat);
	if (rv->schemaname && pgcatalog_is_schema(rv->schemaname)) {
		cc = emu;
		TRY(cc->ops->get_table(cc, rv->schemaname, rv->relname, a, &t));
	} else if (rv->schemaname && *rv->schemaname) {
		int n = 0;
		const char **names = NULL;
		TRY(cc->ops->list_schemas(cc, a, &n, &names));
		bool found = false;
		for (int i = 0; i < n; i++) found |= strcmp(names[i], rv->schemaname) == 0;
		if (!found)
			return ferr_position(ferr_new(SQLSTATE_INVALID_SCHEMA_NAME,
			                              "schema \"%s\" does not exist", rv->schemaname),
			                     pos);
		TRY(cc->ops->get_table(cc, rv->schemaname, rv->relname, a, &t));
		if (!t && vp && cc->ops->get_view) TRY(cc->ops->get_view(cc, rv->schemaname, rv->relname, a, vp));
	} else {
		/* pg_catalog first, as PostgreSQL searches it before search_path */
		TRY(emu->ops->get_table(emu, "pg_catalog", rv->relname, a, &t));
		if (t) cc = emu;
		/* walk search_path in order; "$user" means the session user */
		char *path = arena_strdup(a, s->search_path ? s->search_path : "\"$user\", public");
		char *save = NULL;
		for (char *tok = strtok_r(path, ",", &save); tok && !t; tok = strtok_r(NULL, ",", &save)) {
			while (isspace((unsigned char)*tok)) tok++;
			char *end = tok + strlen(tok);
			while (end > tok && isspace((unsigned char)end[-1])) *--end = 0;
			if (*tok == '"' && end > tok + 1 && end[-1] == '"') tok++, end[-1] = 0;
			if (strcmp(tok, "$user") == 0) tok = (char *)(s->user ? s->user : "");
			if (!*tok) continue;
			if (pgcatalog_is_schema(tok)) cc = emu;
			TRY(cc->ops->get_table(cc, tok, rv->relname, a, &t));
			if (!t && vp && cc->ops->get_view) {
				TRY(cc->ops->get_view(cc, tok, rv->relname, a, vp));
				if (*vp) break;
			}
			if (!t && cc == emu) cc = an_acquire_catalog(c, cat);
		}
	}
	if (!t && vp && *vp) {
		*catp = cc;
		*tp = NULL;
		return NULL;
	}
	if (!t) {
		const char *shown = rv->schemaname && *rv->schemaname
		                        ? arena_sprintf(a, "%s.%s", rv->schemaname, rv->relname)
		                        : rv->relname;
		return ferr_position(
		    ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", shown), pos);
	}
	*catp = cc;
	*tp = t;
	return NULL;
}

/* Column aliases (t(a, b)) rename the first columns. */
static ferr *apply_alias_cols(actx *c, rte *r, const PgQuery__Alias *al)
{
	if (!al || !al->n_colnames) return NULL;
	if ((int)al->n_colnames > r->ncols)
		return ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
		                "table \"%s\" has %d columns available but %d columns specified", r->alias,
		                r->ncols, (int)al->n_colnames);
	const char **names = arena_zalloc(c->a, sizeof(char *) * (size_t)(r->ncols + 1));
	memcpy(names, r->names, sizeof(char *) * (size_t)r->ncols);
	for (size_t i = 0; i < al->n_colnames; i++) names[i] = arena_strdup(c->a, an_strval(al->colnames[i]) ?: "?");
	r->names = names;
	return NULL;
}

static ferr *derived_item(bctx *b, const PgQuery__SelectStmt *st, const char *alias,
                          const PgQuery__Alias *al, jset *js, int location);

/*
 * A view: its stored query, analyzed as a derived table in the catalog and
 * schema it was created in, under the view's name (or the alias).
 */
static ferr *view_item(bctx *b, const PgQuery__RangeVar *rv, conn_catalog *cat, const conn_view *v,
                       jset *js)
{
	actx *c = b->c;
	if (c->depth > 32)
		return ferr_position(ferr_new(SQLSTATE_STATEMENT_TOO_COMPLEX,
		                              "views nested too deeply (a view that refers to itself?)"),
		                     rv->location + 1);
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(v->sql);
	if (r.error) {
		ferr *e = ferr_new(SQLSTATE_INTERNAL_ERROR, "stored query of view \"%s\" does not parse: %s",
		                   rv->relname, r.error->message);
		pg_query_free_protobuf_parse_result(r);
		return e;
	}
	PgQuery__ParseResult *tree =
	    pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!tree || tree->n_stmts != 1 || tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
		if (tree) pg_query__parse_result__free_unpacked(tree, NULL);
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "stored query of view \"%s\" is not a query", rv->relname);
	}
	plan_session vs = *c->s;
	vs.catalog = v->catalog ? v->catalog : cat->name;
	if (v->schema) vs.search_path = arena_sprintf(c->a, "\"%s\"", v->schema);
	const plan_session *saved = c->s;
	cte_def *saved_ctes = c->ctes;
	c->s = &vs;
	c->ctes = NULL;
	const char *alias = (rv->alias && rv->alias->aliasname) ? rv->alias->aliasname : rv->relname;
	ferr *e = derived_item(b, tree->stmts[0]->stmt->select_stmt, alias, rv->alias, js, rv->location);
	c->s = saved;
	c->ctes = saved_ctes;
	pg_query__parse_result__free_unpacked(tree, NULL);
	return e;
}

static ferr *table_item(bctx *b, const PgQuery__RangeVar *rv, jset *js)
{
	actx *c = b->c;
	conn_catalog *cat = NULL;
	conn_table *t = NULL;
	conn_view *view = NULL;
	TRY(resolve_relation(c, rv, &cat, &t, &view));
	if (!t) return view_item(b, rv, cat, view, js);
	int nvis = 0;
	for (int i = 0; i < t->ncols; i++) nvis += !t->cols[i].hidden;
	lnode *s = an_node(c, LN_SCAN, nvis);
	s->catalog = cat;
	s->table = t;
	s->table_cols = arena_zalloc(c->a, sizeof(int) * (size_t)(nvis + 1));
	rte *r = arena_zalloc(c->a, sizeof(rte));
	r->alias = arena_strdup(c->a, (rv->alias && rv->alias->aliasname) ? rv->alias->aliasname : rv->relname);
	r->ncols = nvis;
	r->names = arena_zalloc(c->a, sizeof(char *) * (size_t)(nvis + 1));
	r->ids = s->cols;
	int k = 0;
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].hidden) continue;
		s->table_cols[k] = i;
		s->cols[k] = an_col_new(c, t->cols[i].name, t->cols[i].type);
		r->names[k] = t->cols[i].name;
		k++;
	}
	TRY(an_at(apply_alias_cols(c, r, rv->alias), rv->location));
	conn_table_stats st = {.row_count = -1};
	s->base_rows = -1;
	if (cat->ops->get_statistics) {
		ferr *e = cat->ops->get_statistics(cat, t, c->a, &st);
		if (e)
			ferr_free(e); /* estimates are optional */
		else {
			s->base_rows = st.row_count;
			if (st.cols && st.ncols == t->ncols) {
				s->ndv = arena_zalloc(c->a, sizeof(double) * (size_t)(nvis + 1));
				for (int k = 0; k < nvis; k++) s->ndv[k] = st.cols[s->table_cols[k]].distinct_count;
			}
		}
	}
	s->est = s->base_rows;
	scope_add(c, b->sc, r);
	an_jset_add(c, js, s);
	return NULL;
}

/* A derived table: subquery or CTE reference, its output named by alias. */
static ferr *derived_item(bctx *b, const PgQuery__SelectStmt *st, const char *alias,
                          const PgQuery__Alias *al, jset *js, int location)
{
	selout so;
	/* FROM subqueries cannot see sibling items; outer levels only through LATERAL */
	TRY(an_at(an_select(b->c, st, NULL, SQ_FROM, &so), location));
	return an_add_derived(b, &so, alias, al, js, location);
}

ferr *an_add_derived(bctx *b, selout *so, const char *alias, const PgQuery__Alias *al, jset *js,
                     int location)
{
	actx *c = b->c;
	rte *r = arena_zalloc(c->a, sizeof(rte));
	r->alias = arena_strdup(c->a, alias);
	r->ncols = so->ncols;
	r->names = so->names;
	r->ids = so->ids;
	TRY(an_at(apply_alias_cols(c, r, al), location));
	/* the rte's names also name the columns for EXPLAIN and * */
	for (int i = 0; i < r->ncols; i++) c->q->colinfo[r->ids[i]].name = r->names[i];
	scope_add(c, b->sc, r);
	an_jset_add(c, js, so->plan);
	return NULL;
}

static ferr *cte_item(bctx *b, const PgQuery__RangeVar *rv, jset *js, bool *found)
{
	*found = false;
	if ((rv->schemaname && *rv->schemaname) || (rv->catalogname && *rv->catalogname)) return NULL;
	actx *c = b->c;
	for (cte_def *d = c->ctes; d; d = d->next) {
		if (strcmp(d->name, rv->relname) != 0) continue;
		*found = true;
		const PgQuery__CommonTableExpr *cte = d->cte;
		if (cte->ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
			return an_unsupported("data-modifying statements in WITH", cte->location);
		/* the CTE's own column list, then the reference's alias */
		PgQuery__Alias al = {.n_colnames = cte->n_aliascolnames, .colnames = cte->aliascolnames};
		const char *alias = rv->alias && rv->alias->aliasname ? rv->alias->aliasname : d->name;
		ferr *e;
		if (d->recursive_with) {
			selout so;
			e = an_at(an_cte_recursive(b, d, rv->location, &so), rv->location);
			if (!e) e = an_add_derived(b, &so, alias, &al, js, rv->location);
		} else {
			/* a CTE sees the WITH items declared before it, not later ones */
			cte_def *saved = c->ctes;
			c->ctes = d->next;
			e = derived_item(b, cte->ctequery->select_stmt, alias, &al, js, rv->location);
			c->ctes = saved;
		}
		TRY(e);
		if (rv->alias && rv->alias->n_colnames)
			TRY(an_at(apply_alias_cols(c, b->sc->r[b->sc->n - 1], rv->alias), rv->location));
		return NULL;
	}
	return NULL;
}

/* Find name among the visible columns of rtes [from, to): id or -1; 42702 when twice. */
static ferr *find_in_rtes(scope *sc, int from, int to, const char *name, int *id, int *rte_i,
                          int *col_i)
{
	*id = -1;
	for (int i = from; i < to; i++) {
		rte *r = sc->r[i];
		for (int k = 0; k < r->ncols; k++) {
			if (strcmp(r->names[k], name) != 0 || (r->hidden && r->hidden[k])) continue;
			if (*id >= 0)
				return ferr_new(SQLSTATE_AMBIGUOUS_COLUMN,
				                "common column name \"%s\" appears more than once in left table",
				                name);
			*id = r->ids[k];
			*rte_i = i;
			*col_i = k;
		}
	}
	return NULL;
}

/* Conditions of JOIN ... USING (names) / NATURAL JOIN; hides the right copies. */
static ferr *using_conditions(bctx *b, const PgQuery__JoinExpr *je, int n0, int n1, int n2,
                              jset *cond)
{
	actx *c = b->c;
	scope *sc = b->sc;
	int nnames = 0;
	const char **names = NULL;
	if (je->is_natural) {
		names = arena_zalloc(c->a, sizeof(char *) * 256);
		for (int i = n0; i < n1; i++)
			for (int k = 0; k < sc->r[i]->ncols && nnames < 256; k++) {
				const char *nm = sc->r[i]->names[k];
				int id, ri, ci;
				ferr *e = find_in_rtes(sc, n1, n2, nm, &id, &ri, &ci);
				if (e) {
					ferr_free(e);
					continue;
				}
				if (id >= 0) names[nnames++] = nm;
			}
	} else {
		nnames = (int)je->n_using_clause;
		names = arena_zalloc(c->a, sizeof(char *) * (size_t)(nnames + 1));
		for (int i = 0; i < nnames; i++) names[i] = an_strval(je->using_clause[i]);
	}
	for (int i = 0; i < nnames; i++) {
		int lid, rid, ri, ci, lri, lci;
		TRY(find_in_rtes(sc, n0, n1, names[i], &lid, &lri, &lci));
		TRY(find_in_rtes(sc, n1, n2, names[i], &rid, &ri, &ci));
		if (lid < 0 || rid < 0)
			return ferr_new(SQLSTATE_UNDEFINED_COLUMN,
			                "column \"%s\" specified in USING clause does not exist in %s table",
			                names[i], lid < 0 ? "left" : "right");
		expr *eq;
		TRY(an_make_op(c, "=", an_col(c, lid), an_col(c, rid), -1, &eq));
		an_jset_conj(c, cond, eq);
		rte *r = sc->r[ri];
		if (!r->hidden) r->hidden = arena_zalloc(c->a, sizeof(bool) * (size_t)(r->ncols + 1));
		r->hidden[ci] = true;
	}
	return NULL;
}

typedef struct side_ctx {
	const lnode *l, *r;
	bool in_l, in_r, other;
} side_ctx;

static bool has_col(const lnode *n, int id)
{
	for (int i = 0; i < n->ncols; i++)
		if (n->cols[i] == id) return true;
	return false;
}

static void side_fn(int id, void *arg)
{
	side_ctx *s = arg;
	if (has_col(s->l, id)) s->in_l = true;
	else if (has_col(s->r, id)) s->in_r = true;
	else s->other = true;
}

/* An "=" whose sides each reference only one of l, r: the key pair, oriented. */
static bool equi_pair(const expr *e, const lnode *l, const lnode *r, expr **lk, expr **rk)
{
	if (e->kind != EXPR_FUNC || e->nargs != 2 || strcmp(func_name(e->func), "=") != 0) return false;
	side_ctx a = {l, r, false, false, false}, b = {l, r, false, false, false};
	an_expr_cols(e->args[0], side_fn, &a);
	an_expr_cols(e->args[1], side_fn, &b);
	if (a.other || b.other) return false;
	if (a.in_l && !a.in_r && b.in_r && !b.in_l) {
		*lk = e->args[0], *rk = e->args[1];
		return true;
	}
	if (a.in_r && !a.in_l && b.in_l && !b.in_r) {
		*lk = e->args[1], *rk = e->args[0];
		return true;
	}
	return false;
}

/* Join l and r on conds: equalities become keys, the rest the join filter. */
static lnode *join_on(actx *c, lnode *l, lnode *r, join_type jt, expr **conds, int n)
{
	expr **lk = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	expr **rk = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	expr **rest = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	int nk = 0, nr = 0;
	for (int i = 0; i < n; i++) {
		if (equi_pair(conds[i], l, r, &lk[nk], &rk[nk]))
			nk++;
		else
			rest[nr++] = conds[i];
	}
	return an_join(c, l, r, jt, nk, lk, rk, an_and(c, rest, nr));
}

static ferr *outer_join_item(bctx *b, const PgQuery__JoinExpr *je, jset *js)
{
	actx *c = b->c;
	scope *sc = b->sc;
	jset jl = {0}, jr = {0}, cond = {0};
	int n0 = sc->n;
	/* the nullable sides are counted: WITH RECURSIVE refuses its working table there */
	bool lnull = je->jointype != PG_QUERY__JOIN_TYPE__JOIN_LEFT;
	bool rnull = je->jointype != PG_QUERY__JOIN_TYPE__JOIN_RIGHT;
	c->nullable += lnull;
	ferr *le = an_from_item(b, je->larg, &jl);
	c->nullable -= lnull;
	TRY(le);
	int n1 = sc->n;
	c->nullable += rnull;
	ferr *re = an_from_item(b, je->rarg, &jr);
	c->nullable -= rnull;
	TRY(re);
	int n2 = sc->n;
	if (je->is_natural || je->n_using_clause) TRY(using_conditions(b, je, n0, n1, n2, &cond));
	if (je->quals) {
		bctx jb = *b;
		jb.clause = "JOIN conditions";
		jb.ag = NULL;
		jb.pend = NULL;
		expr *q;
		TRY(an_bool(&jb, je->quals, "JOIN/ON", &q));
		an_jset_conj(c, &cond, q);
	}
	join_type jt = je->jointype == PG_QUERY__JOIN_TYPE__JOIN_LEFT    ? JOIN_LEFT
	             : je->jointype == PG_QUERY__JOIN_TYPE__JOIN_RIGHT ? JOIN_RIGHT
	                                                                  : JOIN_FULL;
	/* a RIGHT join is the LEFT join with the sides swapped (ids keep the columns straight) */
	jset *keep = &jl, *nullable = &jr;
	if (jt == JOIN_RIGHT) keep = &jr, nullable = &jl, jt = JOIN_LEFT;
	lnode *lp, *rp;
	/* conditions on the nullable side alone filter that side before the join */
	expr **rest = arena_zalloc(c->a, sizeof(expr *) * (size_t)(cond.nconj + 1));
	int nrest = 0;
	if (jt == JOIN_LEFT) {
		lnode *tmp;
		TRY(an_compile_jset(c, keep, &lp));
		/* decide which conditions touch only the nullable side: compile it with them */
		jset nl = *nullable;
		lnode *probe_only;
		TRY(an_compile_jset(c, &(jset){.n = nullable->n, .cap = nullable->cap, .rels = nullable->rels}, &probe_only));
		for (int i = 0; i < cond.nconj; i++) {
			side_ctx s = {lp, probe_only, false, false, false};
			an_expr_cols(cond.conj[i], side_fn, &s);
			if (s.in_r && !s.in_l && !s.other)
				an_jset_conj(c, &nl, cond.conj[i]);
			else
				rest[nrest++] = cond.conj[i];
		}
		TRY(an_compile_jset(c, &nl, &tmp));
		rp = tmp;
	} else {
		TRY(an_compile_jset(c, keep, &lp));
		TRY(an_compile_jset(c, nullable, &rp));
		memcpy(rest, cond.conj, sizeof(expr *) * (size_t)cond.nconj);
		nrest = cond.nconj;
	}
	lnode *j = join_on(c, lp, rp, jt, rest, nrest);
	if (jt == JOIN_FULL && j->nkeys == 0)
		return an_unsupported("FULL JOIN without an equality condition", -1);
	an_jset_add(c, js, j);
	return NULL;
}

/* A function in FROM (generate_series): one column named after the alias, as in PostgreSQL. */
static ferr *function_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js)
{
	actx *c = b->c;
	rf = an_catalog_srf_from(c, rf); /* pg_partition_ancestors(x) as unnest(...) */
	if (an_is_unnest(rf)) return an_unnest_item(b, rf, js); /* analyze_array.c */
	if (an_is_regexp_srf(rf)) return an_regexp_srf_item(b, rf, js); /* analyze_regexp.c */
	if (rf->ordinality) return an_unsupported("WITH ORDINALITY", -1);
	if (rf->is_rowsfrom || rf->n_functions != 1 || rf->n_coldeflist)
		return an_unsupported("ROWS FROM and column definition lists", -1);
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST && item->list->n_items >= 1)
		item = item->list->items[0];
	if (item->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return an_unsupported("this function in FROM", -1);
	const PgQuery__FuncCall *fc = item->func_call;
	const char *fname = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
	if (!fname || strcmp(fname, "generate_series") != 0 ||
	    (fc->n_funcname == 2 && strcmp(an_strval(fc->funcname[0]) ?: "", "pg_catalog") != 0) ||
	    fc->n_funcname > 2)
		return an_unsupported("functions in FROM other than generate_series", fc->location);
	lnode *s;
	TRY(an_series(b, fc, &s));
	const char *alias = rf->alias && rf->alias->aliasname ? rf->alias->aliasname : "generate_series";
	rte *r = arena_zalloc(c->a, sizeof(rte));
	r->alias = arena_strdup(c->a, alias);
	r->ncols = 1;
	r->names = arena_zalloc(c->a, sizeof(char *) * 2);
	r->names[0] = r->alias;
	r->ids = s->cols;
	TRY(an_at(apply_alias_cols(c, r, rf->alias), fc->location));
	c->q->colinfo[s->cols[0]].name = r->names[0];
	scope_add(c, b->sc, r);
	return an_lateral_function(b, s, fc->location, js);
}

static ferr *values_item(bctx *b, const PgQuery__RangeSubselect *rs, jset *js)
{
	return derived_item(b, rs->subquery->select_stmt,
	                    rs->alias && rs->alias->aliasname ? rs->alias->aliasname : "*VALUES*",
	                    rs->alias, js, -1);
}

ferr *an_from_item(bctx *b, const pqnode *n, jset *js)
{
	actx *c = b->c;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_RANGE_VAR: {
		bool found;
		TRY(cte_item(b, n->range_var, js, &found));
		if (found) return NULL;
		return table_item(b, n->range_var, js);
	}
	case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
		const PgQuery__RangeSubselect *rs = n->range_subselect;
		if (rs->lateral) return an_lateral_item(b, rs, NULL, js);
		if (rs->subquery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
			return an_unsupported("this subquery", -1);
		if (rs->subquery->select_stmt->n_values_lists) return values_item(b, rs, js);
		if (!rs->alias || !rs->alias->aliasname)
			return ferr_new(SQLSTATE_SYNTAX_ERROR, "subquery in FROM must have an alias");
		return derived_item(b, rs->subquery->select_stmt, rs->alias->aliasname, rs->alias, js, -1);
	}
	case PG_QUERY__NODE__NODE_JOIN_EXPR: {
		const PgQuery__JoinExpr *je = n->join_expr;
		if (je->alias) return an_unsupported("aliases on JOIN", -1);
		if (je->jointype == PG_QUERY__JOIN_TYPE__JOIN_LEFT && !je->is_natural && !je->n_using_clause &&
		    je->rarg->node_case == PG_QUERY__NODE__NODE_RANGE_SUBSELECT && je->rarg->range_subselect->lateral) {
			/* LEFT JOIN LATERAL: joined to the left side as it is built (analyze_lateral.c) */
			jset jl = {0};
			TRY(an_from_item(b, je->larg, &jl));
			TRY(an_lateral_item(b, je->rarg->range_subselect, je, &jl));
			lnode *l;
			TRY(an_compile_jset(c, &jl, &l));
			an_jset_add(c, js, l);
			return NULL;
		}
		if (je->jointype != PG_QUERY__JOIN_TYPE__JOIN_INNER) return outer_join_item(b, je, js);
		/* inner joins join the enclosing set: conditions go to the join planner */
		int n0 = b->sc->n;
		TRY(an_from_item(b, je->larg, js));
		int n1 = b->sc->n;
		TRY(an_from_item(b, je->rarg, js));
		if (je->is_natural || je->n_using_clause)
			TRY(using_conditions(b, je, n0, n1, b->sc->n, js));
		if (je->quals) {
			bctx jb = *b;
			jb.clause = "JOIN conditions";
			jb.ag = NULL;
			jb.pend = NULL;
			expr *q;
			TRY(an_bool(&jb, je->quals, "JOIN/ON", &q));
			an_jset_conj(c, js, q);
		}
		return NULL;
	}
	case PG_QUERY__NODE__NODE_RANGE_FUNCTION: return function_item(b, n->range_function, js);
	default: return an_unsupported("this FROM item", -1);
	}
}

/* ---- the join planner ---- */

typedef struct relmask_ctx {
	const int *owner;
	int nowner;
	uint64_t mask;
	bool foreign; /* references an id no relation produces */
} relmask_ctx;

static void relmask_fn(int id, void *arg)
{
	relmask_ctx *m = arg;
	if (id < 0 || id >= m->nowner || m->owner[id] < 0)
		m->foreign = true;
	else
		m->mask |= 1ULL << m->owner[id];
}

/* OR of ANDs that all share a conjunct: pull it out (TPC-H Q19's join key). */
static void factor_or(actx *c, jset *js)
{
	int n0 = js->nconj;
	for (int i = 0; i < n0; i++) {
		expr *e = js->conj[i];
		if (e->kind != EXPR_OR || e->nargs < 2) continue;
		const expr *first = e->args[0];
		int nf = first->kind == EXPR_AND ? first->nargs : 1;
		for (int k = 0; k < nf; k++) {
			const expr *cand = first->kind == EXPR_AND ? first->args[k] : first;
			bool everywhere = true;
			for (int d = 1; d < e->nargs && everywhere; d++) {
				const expr *dj = e->args[d];
				bool in = false;
				if (dj->kind == EXPR_AND) {
					for (int m = 0; m < dj->nargs && !in; m++) in = an_expr_equal(dj->args[m], cand);
				} else {
					in = an_expr_equal(dj, cand);
				}
				everywhere = in;
			}
			bool dup = false;
			for (int m = 0; m < js->nconj && !dup; m++) dup = an_expr_equal(js->conj[m], cand);
			if (everywhere && !dup) an_jset_conj(c, js, (expr *)cand);
		}
	}
}

/* Whether column e is (close to) unique in the scan of n that produces it. */
static bool col_is_key(const lnode *n, const expr *e)
{
	if (!e || e->kind != EXPR_COLUMN) return false;
	if (n->kind == LN_SCAN) {
		for (int k = 0; k < n->ncols; k++)
			if (n->cols[k] == e->column)
				return n->ndv && n->ndv[k] > 0 && n->base_rows > 0 && n->ndv[k] >= 0.9 * n->base_rows;
		return false;
	}
	for (int i = 0; i < n->nchildren; i++)
		if (col_is_key(n->children[i], e)) return true;
	return false;
}

/*
 * A join of cur with r on some equality where one side is a key: it cannot
 * multiply the rows of the other side much (foreign key to primary key),
 * unlike a join on a low-cardinality column (Q5's nation keys).
 */
static bool key_join(actx *c, jset *js, const uint64_t *masks, const bool *used, int nc,
                     uint64_t have, const lnode *cur, const lnode *r, int ri)
{
	for (int i = 0; i < nc; i++) {
		if (used[i] || !(masks[i] & (1ULL << ri)) || (masks[i] & ~(have | (1ULL << ri)))) continue;
		expr *lk, *rk;
		if (equi_pair(js->conj[i], cur, r, &lk, &rk) && (col_is_key(r, rk) || col_is_key(cur, lk)))
			return true;
	}
	(void)c;
	return false;
}

ferr *an_compile_jset(actx *c, jset *js, lnode **out)
{
	if (js->n == 0) {
		/* FROM-less: one empty row */
		lnode *v = an_node(c, LN_VALUES, 0);
		v->nrows = 1;
		v->rows = arena_zalloc(c->a, sizeof(expr **));
		v->rows[0] = arena_zalloc(c->a, sizeof(expr *));
		v->est = 1;
		*out = an_filter(c, v, an_and(c, js->conj, js->nconj));
		return NULL;
	}
	if (js->n > 64) return an_unsupported("more than 64 relations in one join", -1);
	factor_or(c, js);
	int nid = c->q->ncolinfo;
	int *owner = arena_alloc(c->a, sizeof(int) * (size_t)(nid + 1));
	for (int i = 0; i < nid; i++) owner[i] = -1;
	for (int r = 0; r < js->n; r++)
		for (int k = 0; k < js->rels[r]->ncols; k++) owner[js->rels[r]->cols[k]] = r;
	int nc = js->nconj;
	uint64_t *masks = arena_zalloc(c->a, sizeof(uint64_t) * (size_t)(nc + 1));
	bool *used = arena_zalloc(c->a, sizeof(bool) * (size_t)(nc + 1));
	lnode **rel = arena_zalloc(c->a, sizeof(lnode *) * (size_t)js->n);
	memcpy(rel, js->rels, sizeof(lnode *) * (size_t)js->n);
	expr **top = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nc + 1));
	int ntop = 0;
	for (int i = 0; i < nc; i++) {
		relmask_ctx m = {owner, nid, 0, false};
		an_expr_cols(js->conj[i], relmask_fn, &m);
		masks[i] = m.mask;
		if (m.foreign || m.mask == 0) {
			top[ntop++] = js->conj[i]; /* constants, or columns from elsewhere */
			used[i] = true;
		} else if ((m.mask & (m.mask - 1)) == 0) {
			/* one relation: push down onto it */
			int r = __builtin_ctzll(m.mask);
			rel[r] = an_filter(c, rel[r], js->conj[i]);
			used[i] = true;
		}
	}
	/* greedy: largest relation probes; add the smallest connected one as build,
	 * preferring joins on a key */
	int start = 0;
	for (int r = 1; r < js->n; r++)
		if (rel[r]->est > rel[start]->est) start = r;
	lnode *cur = rel[start];
	uint64_t have = 1ULL << start;
	uint64_t all = js->n == 64 ? ~0ULL : (1ULL << js->n) - 1;
	expr **conds = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nc + 1));
	while (have != all) {
		int best = -1;
		bool best_conn = false, best_key = false;
		for (int r = 0; r < js->n; r++) {
			if (have & (1ULL << r)) continue;
			bool conn = false;
			for (int i = 0; i < nc && !conn; i++) {
				if (used[i] || !(masks[i] & (1ULL << r)) || (masks[i] & ~(have | (1ULL << r)))) continue;
				expr *lk, *rk;
				conn = equi_pair(js->conj[i], cur, rel[r], &lk, &rk);
			}
			bool key = conn && key_join(c, js, masks, used, nc, have, cur, rel[r], r);
			if (best < 0 || (conn && !best_conn) || (conn == best_conn && key && !best_key) ||
			    (conn == best_conn && key == best_key && rel[r]->est >= 0 &&
			     (rel[best]->est < 0 || rel[r]->est < rel[best]->est))) {
				best = r;
				best_conn = conn;
				best_key = key;
			}
		}
		uint64_t now = have | (1ULL << best);
		int n = 0;
		for (int i = 0; i < nc; i++)
			if (!used[i] && (masks[i] & ~now) == 0) {
				conds[n++] = js->conj[i];
				used[i] = true;
			}
		lnode *b = rel[best];
		/* the smaller estimated side is the build side */
		if (b->est >= 0 && cur->est >= 0 && b->est > cur->est)
			cur = join_on(c, b, cur, JOIN_INNER, conds, n);
		else
			cur = join_on(c, cur, b, JOIN_INNER, conds, n);
		have = now;
	}
	*out = an_filter(c, cur, an_and(c, top, ntop));
	return NULL;
}

/* ---- connector pushdown (apply_filter) ---- */

static bool const_of(const expr *e, ftype t)
{
	return e->kind == EXPR_CONST && !e->value.isnull && ftype_equal(e->type, t);
}

/* The scan column position of a bare column reference, or -1. */
static int scan_pos(const lnode *s, const expr *e)
{
	if (e->kind != EXPR_COLUMN) return -1;
	for (int i = 0; i < s->ncols; i++)
		if (s->cols[i] == e->column) return i;
	return -1;
}

/*
 * One conjunct as a column domain: col op const, BETWEEN, IN (consts),
 * IS [NOT] NULL. Anything else is left to the engine.
 */
static bool conj_domain(actx *c, const lnode *s, const expr *e, conn_column_domain *d)
{
	memset(d, 0, sizeof *d);
	ftype t;
	int p;
	conn_range r = {0};
	switch (e->kind) {
	case EXPR_FUNC: {
		if (e->nargs != 2) return false;
		const char *op = func_name(e->func);
		const expr *col = e->args[0], *k = e->args[1];
		bool flip = false;
		if (scan_pos(s, col) < 0) col = e->args[1], k = e->args[0], flip = true;
		if ((p = scan_pos(s, col)) < 0) return false;
		t = col->type;
		if (!const_of(k, t)) return false;
		if (flip) op = !strcmp(op, "<") ? ">" : !strcmp(op, ">") ? "<" : !strcmp(op, "<=") ? ">=" : !strcmp(op, ">=") ? "<=" : op;
		r.low = r.high = k->value;
		if (!strcmp(op, "=")) r.low_inclusive = r.high_inclusive = true;
		else if (!strcmp(op, "<")) r.low_unbounded = true;
		else if (!strcmp(op, "<=")) r.low_unbounded = true, r.high_inclusive = true;
		else if (!strcmp(op, ">")) r.high_unbounded = true;
		else if (!strcmp(op, ">=")) r.high_unbounded = true, r.low_inclusive = true;
		else return false;
		break;
	}
	case EXPR_BETWEEN:
		if (e->negate || (p = scan_pos(s, e->args[0])) < 0) return false;
		t = e->args[0]->type;
		if (!const_of(e->args[1], t) || !const_of(e->args[2], t)) return false;
		r.low = e->args[1]->value, r.high = e->args[2]->value;
		r.low_inclusive = r.high_inclusive = true;
		break;
	case EXPR_IN: {
		if (e->negate || (p = scan_pos(s, e->args[0])) < 0) return false;
		t = e->args[0]->type;
		d->ranges = arena_zalloc(c->a, sizeof(conn_range) * (size_t)e->nargs);
		for (int i = 1; i < e->nargs; i++) {
			if (!const_of(e->args[i], t)) return false;
			conn_range *x = &d->ranges[d->nranges++];
			x->low = x->high = e->args[i]->value;
			x->low_inclusive = x->high_inclusive = true;
		}
		d->column = s->table_cols[p];
		return true;
	}
	case EXPR_IS_NULL:
		if ((p = scan_pos(s, e->args[0])) < 0) return false;
		d->column = s->table_cols[p];
		d->null_allowed = !e->negate;
		d->all = e->negate;
		return true;
	default: return false;
	}
	d->column = s->table_cols[p];
	d->nranges = 1;
	d->ranges = arena_zalloc(c->a, sizeof(conn_range));
	d->ranges[0] = r;
	return true;
}

static void domain_text(const conn_domain *dom, const conn_table *t, strbuf *out)
{
	for (int i = 0; i < dom->ncols; i++) {
		const conn_column_domain *d = &dom->cols[i];
		const conn_column *col = &t->cols[d->column];
		sb_printf(out, "%s%s", i ? " AND " : "", col->name);
		if (d->nranges == 0) {
			sb_puts(out, d->null_allowed ? " IS NULL" : " IS NOT NULL");
			continue;
		}
		sb_puts(out, " IN (");
		for (int k = 0; k < d->nranges; k++) {
			const conn_range *r = &d->ranges[k];
			sb_puts(out, k ? ", " : "");
			sb_putc(out, r->low_unbounded ? '(' : r->low_inclusive ? '[' : '(');
			if (!r->low_unbounded) value_out_text(col->type, fvalue_ptr(col->type, &r->low), NULL, out);
			else sb_puts(out, "-inf");
			sb_puts(out, ", ");
			if (!r->high_unbounded) value_out_text(col->type, fvalue_ptr(col->type, &r->high), NULL, out);
			else sb_puts(out, "+inf");
			sb_putc(out, r->high_unbounded ? ')' : r->high_inclusive ? ']' : ')');
		}
		sb_putc(out, ')');
	}
}

/*
 * Offer a scan's filter to its connector. The engine keeps evaluating every
 * conjunct unless the connector says nothing remains (then the conjuncts it
 * took are dropped), so a connector that enforces loosely is still correct.
 */
/* e with its parameter arguments replaced by their values (a shallow copy). */
static expr *bind_params(actx *c, const expr *e, const fvalue *params, int nparams, bool *any)
{
	expr *x = arena_alloc(c->a, sizeof *x);
	*x = *e;
	x->args = arena_zalloc(c->a, sizeof(expr *) * (size_t)(e->nargs + 1));
	for (int i = 0; i < e->nargs; i++) {
		const expr *a = e->args[i];
		if (a->kind == EXPR_PARAM && a->param >= 1 && a->param <= nparams && a->type.id != TYPE_UNKNOWN) {
			expr *k = an_expr(c, EXPR_CONST, a->type, 0);
			k->value = params[a->param - 1];
			x->args[i] = k;
			*any = true;
		} else {
			x->args[i] = (expr *)a;
		}
	}
	return x;
}

const conn_table *an_bind_pushdown(const lnode *f, const fvalue *params, int nparams, arena *a,
                                   const char **pushed)
{
	const lnode *s = f->children[0];
	*pushed = NULL;
	if (s->kind != LN_SCAN || !s->catalog->ops->apply_filter || !params || nparams <= 0) return NULL;
	actx c = {.a = a};
	expr **conj = NULL;
	int n = 0, cap = 0;
	an_conjuncts(&c, f->pred, &conj, &n, &cap);
	conn_domain dom = {0};
	dom.cols = arena_zalloc(a, sizeof(conn_column_domain) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		bool any = false;
		expr *b = bind_params(&c, conj[i], params, nparams, &any);
		conn_column_domain d;
		if (!any || !conj_domain(&c, s, b, &d)) continue;
		bool dup = false;
		for (int k = 0; k < dom.ncols; k++) dup |= dom.cols[k].column == d.column;
		if (!dup) dom.cols[dom.ncols++] = d;
	}
	if (dom.ncols == 0) return NULL;
	conn_table *nt = NULL;
	conn_domain *remaining = NULL;
	ferr *e = s->catalog->ops->apply_filter(s->catalog, s->table, &dom, a, &nt, &remaining);
	if (e) {
		ferr_free(e); /* the engine's filter still applies */
		return NULL;
	}
	if (!nt) return NULL;
	strbuf sb;
	sb_init(&sb);
	if (s->pushed) sb_printf(&sb, "%s AND ", s->pushed);
	domain_text(&dom, nt, &sb);
	*pushed = arena_strdup(a, sb.data ? sb.data : "");
	sb_free(&sb);
	return nt;
}

static ferr *push_filter(actx *c, lnode *f)
{
	lnode *s = f->children[0];
	if (!s->catalog->ops->apply_filter && !s->catalog->ops->apply_filter_expr) return NULL;
	expr **conj = NULL;
	int n = 0, cap = 0;
	an_conjuncts(c, f->pred, &conj, &n, &cap);
	conn_domain dom = {0};
	dom.cols = arena_zalloc(c->a, sizeof(conn_column_domain) * (size_t)(n + 1));
	bool *taken = arena_zalloc(c->a, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < n && s->catalog->ops->apply_filter; i++) {
		conn_column_domain d;
		if (!conj_domain(c, s, conj[i], &d)) continue;
		bool dup = false;
		for (int k = 0; k < dom.ncols; k++) dup |= dom.cols[k].column == d.column;
		if (dup) continue; /* one conjunct per column: the rest stay in the engine */
		dom.cols[dom.ncols++] = d;
		taken[i] = true;
	}
	conn_table *nt = NULL;
	conn_domain *remaining = NULL;
	if (dom.ncols > 0)
		TRY(s->catalog->ops->apply_filter(s->catalog, s->table, &dom, c->a, &nt, &remaining));
	/* gone: conjuncts the connector enforces, so the engine drops them */
	bool *gone = arena_zalloc(c->a, sizeof(bool) * (size_t)(n + 1));
	if (nt) {
		s->table = nt;
		strbuf sb;
		sb_init(&sb);
		domain_text(&dom, s->table, &sb);
		s->pushed = arena_strdup(c->a, sb.data ? sb.data : "");
		sb_free(&sb);
		if (!remaining) memcpy(gone, taken, sizeof(bool) * (size_t)n);
	}
	/* what a domain cannot say (LIKE, <>, OR, two columns...): as expressions */
	for (int i = 0; i < n; i++) gone[i] |= taken[i];
	TRY(an_push_filter_expr(c, s, conj, n, gone));
	for (int i = 0; i < n; i++) gone[i] &= !taken[i] || (nt && !remaining);
	expr **rest = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	int nr = 0;
	for (int i = 0; i < n; i++)
		if (!gone[i]) rest[nr++] = conj[i];
	if (nr < n) f->pred = nr ? an_and(c, rest, nr) : an_bool_const(c, true);
	return NULL;
}

static bool is_true_const(const expr *e)
{
	return e->kind == EXPR_CONST && e->type.id == TYPE_BOOL && !e->value.isnull && e->value.u.b;
}

/*
 * LIMIT n [OFFSET m] over a scan with nothing but projections and filters the
 * connector took entirely (predicate now TRUE) in between: offer n + m rows to
 * apply_limit. The LIMIT node stays, so a connector that returns more rows is
 * still correct; the spi asks that no filter remains above the scan.
 */
static ferr *push_limit(actx *c, lnode *l)
{
	if (l->limit < 0 || l->offset < 0 || l->limit > INT64_MAX - l->offset) return NULL;
	lnode *s = l->children[0];
	while (s && (s->kind == LN_PROJECT || (s->kind == LN_FILTER && is_true_const(s->pred))) &&
	       s->nchildren == 1)
		s = s->children[0];
	if (!s || s->kind != LN_SCAN || !s->catalog || !s->catalog->ops->apply_limit) return NULL;
	conn_table *nt = NULL;
	bool guaranteed = false;
	TRY(s->catalog->ops->apply_limit(s->catalog, s->table, l->limit + l->offset, c->a, &nt,
	                                 &guaranteed));
	if (nt) s->table = nt;
	return NULL;
}

ferr *an_pushdown(actx *c, lnode *n)
{
	if (!n) return NULL;
	for (int i = 0; i < n->nchildren; i++) TRY(an_pushdown(c, n->children[i]));
	if (n->kind == LN_FILTER && n->children[0]->kind == LN_SCAN) TRY(push_filter(c, n));
	if (n->kind == LN_LIMIT) TRY(push_limit(c, n));
	if (n->kind == LN_AGG) TRY(an_push_aggregation(c, n));
	if (n->kind == LN_SORT) TRY(an_push_topn(c, n));
	if (n->kind == LN_JOIN) TRY(an_push_join(c, n));
	return NULL;
}
