/*
 * prepare.c — plan_prepare: libpg_query parse tree to an analyzed statement
 * (utility statement kinds, or a SELECT resolved against the catalogs).
 * It must never execute anything and never abort on user input: every
 * unsupported construct is a 0A000 error naming the feature.
 */
#include <ctype.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "planner/planner_internal.h"

typedef PgQuery__Node pqnode;

static ferr *plan_unsupported(const char *feature, int location)
{
	ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", feature);
	return location >= 0 ? ferr_position(e, location + 1) : e;
}

static const char *plan_strval(const pqnode *n)
{
	return (n && n->node_case == PG_QUERY__NODE__NODE_STRING) ? n->string->sval : NULL;
}

/* ---- utility statements ---- */

/* SET's value as text: identifiers and strings as is, numbers as written. */
static const char *plan_set_arg_text(arena *a, const pqnode *n)
{
	if (n->node_case == PG_QUERY__NODE__NODE_A_CONST) {
		const PgQuery__AConst *c = n->a_const;
		switch (c->val_case) {
		case PG_QUERY__A__CONST__VAL_IVAL: return arena_sprintf(a, "%d", c->ival->ival);
		case PG_QUERY__A__CONST__VAL_FVAL: return arena_strdup(a, c->fval->fval);
		case PG_QUERY__A__CONST__VAL_SVAL: return arena_strdup(a, c->sval->sval);
		case PG_QUERY__A__CONST__VAL_BOOLVAL: return c->boolval->boolval ? "on" : "off";
		default: return NULL;
		}
	}
	if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && n->type_cast->arg)
		return plan_set_arg_text(a, n->type_cast->arg);
	return NULL;
}

static ferr *plan_utility_set(arena *a, const PgQuery__VariableSetStmt *v, prepared_stmt *p)
{
	p->kind = STMT_SET;
	p->set_local = v->is_local;
	switch (v->kind) {
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE: {
		strbuf sb;
		sb_init(&sb);
		for (size_t i = 0; i < v->n_args; i++) {
			const char *t = plan_set_arg_text(a, v->args[i]);
			if (!t) {
				sb_free(&sb);
				return plan_unsupported("this SET value", -1);
			}
			if (i) sb_puts(&sb, ", ");
			sb_puts(&sb, t);
		}
		p->set_value = arena_strdup(a, sb.data ? sb.data : "");
		sb_free(&sb);
		p->command_tag = "SET";
		break;
	}
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
		p->command_tag = "SET";
		break;
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
		p->command_tag = "RESET";
		break;
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
		p->command_tag = "RESET";
		p->set_name = NULL;
		return NULL;
	default:
		/* SET TRANSACTION ..., SET TIME ZONE LOCAL and friends: accepted, ignored */
		p->kind = STMT_NOOP;
		p->command_tag = "SET";
		return NULL;
	}
	char *name = arena_strdup(a, v->name ? v->name : "");
	for (char *c = name; *c; c++) *c = (char)tolower((unsigned char)*c);
	p->set_name = name;
	/* A dotted name is a catalog session property in Trino's sense. */
	if (strchr(name, '.')) p->set_session_property = true;
	return NULL;
}

static ferr *plan_utility(arena *a, const pqnode *n, prepared_stmt *p, bool *handled)
{
	*handled = true;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		return plan_utility_set(a, n->variable_set_stmt, p);
	case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT: {
		p->kind = STMT_SHOW;
		p->command_tag = "SHOW";
		char *name = arena_strdup(a, n->variable_show_stmt->name);
		for (char *c = name; *c; c++) *c = (char)tolower((unsigned char)*c);
		p->set_name = name;
		return NULL;
	}
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		switch (n->transaction_stmt->kind) {
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
			p->kind = STMT_BEGIN, p->command_tag = "BEGIN";
			return NULL;
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
			p->kind = STMT_BEGIN, p->command_tag = "START TRANSACTION";
			return NULL;
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
			p->kind = STMT_COMMIT, p->command_tag = "COMMIT";
			return NULL;
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
			p->kind = STMT_ROLLBACK, p->command_tag = "ROLLBACK";
			return NULL;
		default:
			return plan_unsupported("savepoints and two-phase commit", -1);
		}
	case PG_QUERY__NODE__NODE_DISCARD_STMT:
		p->kind = STMT_DISCARD, p->command_tag = "DISCARD ALL";
		return NULL;
	case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
		p->kind = STMT_DEALLOCATE, p->command_tag = "DEALLOCATE";
		p->set_name = (n->deallocate_stmt->name && *n->deallocate_stmt->name) ? arena_strdup(a, n->deallocate_stmt->name) : NULL;
		return NULL;
	default:
		*handled = false;
		return NULL;
	}
}

/* ---- SELECT ---- */

/* Resolve [catalog.][schema.]table; default schema from search_path. */
static ferr *plan_resolve_table(const plan_session *s, arena *a, const PgQuery__RangeVar *rv,
                                plan_query *q)
{
	int pos = rv->location + 1;
	const char *cat = (rv->catalogname && *rv->catalogname) ? rv->catalogname : s->catalog;
	if (!cat) return ferr_position(ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "no default catalog"), pos);
	q->catalog = catalogs_acquire(cat);
	if (!q->catalog)
		return ferr_position(
		    ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist", cat), pos);
	conn_catalog *c = q->catalog;
	if (rv->schemaname && *rv->schemaname) {
		int n = 0;
		const char **names = NULL;
		TRY(c->ops->list_schemas(c, a, &n, &names));
		bool found = false;
		for (int i = 0; i < n; i++) found |= strcmp(names[i], rv->schemaname) == 0;
		if (!found)
			return ferr_position(ferr_new(SQLSTATE_INVALID_SCHEMA_NAME,
			                              "schema \"%s\" does not exist", rv->schemaname),
			                     pos);
		TRY(c->ops->get_table(c, rv->schemaname, rv->relname, a, &q->table));
	} else {
		/* Walk search_path in order; "$user" means the session user. */
		char *path = arena_strdup(a, s->search_path ? s->search_path : "\"$user\", public");
		for (char *tok = strtok(path, ","); tok && !q->table; tok = strtok(NULL, ",")) {
			while (isspace((unsigned char)*tok)) tok++;
			char *end = tok + strlen(tok);
			while (end > tok && isspace((unsigned char)end[-1])) *--end = 0;
			if (*tok == '"' && end > tok + 1 && end[-1] == '"') tok++, end[-1] = 0;
			if (strcmp(tok, "$user") == 0) tok = (char *)(s->user ? s->user : "");
			if (!*tok) continue;
			TRY(c->ops->get_table(c, tok, rv->relname, a, &q->table));
		}
	}
	if (!q->table) {
		const char *shown = rv->schemaname && *rv->schemaname
		                        ? arena_sprintf(a, "%s.%s", rv->schemaname, rv->relname)
		                        : rv->relname;
		return ferr_position(
		    ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", shown), pos);
	}
	conn_table_stats st = {.row_count = -1};
	q->est_rows = -1;
	if (c->ops->get_statistics && !c->ops->get_statistics(c, q->table, a, &st))
		q->est_rows = st.row_count;
	return NULL;
}

static expr *plan_const(arena *a, ftype t)
{
	expr *e = arena_zalloc(a, sizeof(expr));
	e->kind = EXPR_CONST;
	e->type = t;
	return e;
}

/*
 * PostgreSQL's literal typing: integers int4 when they fit, else int8, else
 * numeric; decimals numeric with their own scale; strings 'unknown' until
 * context decides (an output column of unknown type becomes text).
 */
static ferr *plan_literal(arena *a, const PgQuery__AConst *c, expr **out)
{
	expr *e;
	if (c->isnull) {
		e = plan_const(a, ftype_make(TYPE_TEXT));
		e->value.isnull = true;
		*out = e;
		return NULL;
	}
	switch (c->val_case) {
	case PG_QUERY__A__CONST__VAL_IVAL:
		e = plan_const(a, ftype_make(TYPE_INT4));
		e->value.u.i = c->ival->ival;
		break;
	case PG_QUERY__A__CONST__VAL_BOOLVAL:
		e = plan_const(a, ftype_make(TYPE_BOOL));
		e->value.u.b = c->boolval->boolval;
		break;
	case PG_QUERY__A__CONST__VAL_SVAL: {
		e = plan_const(a, ftype_make(TYPE_UNKNOWN));
		const char *sv = arena_strdup(a, c->sval->sval);
		e->value.u.s.ptr = sv;
		e->value.u.s.len = (uint32_t)strlen(sv);
		break;
	}
	case PG_QUERY__A__CONST__VAL_FVAL: {
		const char *t = c->fval->fval;
		const char *dot = strchr(t, '.');
		if (strpbrk(t, "eExX_"))
			return plan_unsupported("this numeric literal form", c->location);
		size_t digits = strlen(t) - (dot ? 1 : 0) - (*t == '-' ? 1 : 0);
		int scale = dot ? (int)strlen(dot + 1) : 0;
		if (!dot && digits <= 18) {
			e = plan_const(a, ftype_make(TYPE_INT8));
			e->value.u.i = strtoll(t, NULL, 10);
			break;
		}
		if (digits > 18) return plan_unsupported("numeric literals over 18 digits", c->location);
		e = plan_const(a, ftype_numeric((int)digits, scale));
		/* scaled int64: the digits with the point removed */
		int64_t v = 0;
		bool neg = false;
		for (const char *p = t; *p; p++) {
			if (*p == '-') neg = true;
			else if (isdigit((unsigned char)*p)) v = v * 10 + (*p - '0');
		}
		e->value.u.i = neg ? -v : v;
		break;
	}
	default:
		return plan_unsupported("bit string literals", c->location);
	}
	*out = e;
	return NULL;
}

static ferr *plan_column_ref(const plan_query *q, const PgQuery__ColumnRef *cr, int *col)
{
	int pos = cr->location + 1;
	const char *name = plan_strval(cr->fields[cr->n_fields - 1]);
	if (cr->n_fields > 1) {
		/* qualifier must name the table (its alias support is pending) */
		const char *qual = plan_strval(cr->fields[cr->n_fields - 2]);
		if (!q->table || !qual || strcmp(qual, q->table->table) != 0)
			return ferr_position(ferr_new(SQLSTATE_UNDEFINED_TABLE,
			                              "missing FROM-clause entry for table \"%s\"",
			                              qual ? qual : "?"),
			                     pos);
	}
	if (q->table)
		for (int i = 0; i < q->table->ncols; i++)
			if (strcmp(q->table->cols[i].name, name) == 0) {
				*col = i;
				return NULL;
			}
	return ferr_position(
	    ferr_new(SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" does not exist", name), pos);
}

static ferr *plan_analyze_select(const plan_session *s, arena *a, const PgQuery__SelectStmt *st,
                                 plan_query *q)
{
	if (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
		return plan_unsupported("UNION/INTERSECT/EXCEPT", -1);
	if (st->with_clause) return plan_unsupported("WITH", -1);
	if (st->n_values_lists) return plan_unsupported("VALUES", -1);
	if (st->where_clause) return plan_unsupported("WHERE", -1);
	if (st->n_group_clause || st->having_clause) return plan_unsupported("GROUP BY", -1);
	if (st->n_sort_clause) return plan_unsupported("ORDER BY", -1);
	if (st->limit_count || st->limit_offset) return plan_unsupported("LIMIT/OFFSET", -1);
	if (st->n_distinct_clause) return plan_unsupported("DISTINCT", -1);
	if (st->n_from_clause > 1) return plan_unsupported("joins", -1);
	if (st->n_from_clause == 1) {
		const pqnode *f = st->from_clause[0];
		if (f->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
			return plan_unsupported("joins and subqueries in FROM", -1);
		if (f->range_var->alias) return plan_unsupported("table aliases", f->range_var->location);
		TRY(plan_resolve_table(s, a, f->range_var, q));
	}
	/* Expand * first to size the output. */
	int cap = 0;
	for (size_t i = 0; i < st->n_target_list; i++) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		const pqnode *v = rt->val;
		bool star = v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
		            v->column_ref->fields[v->column_ref->n_fields - 1]->node_case ==
		                PG_QUERY__NODE__NODE_A_STAR;
		if (star && !q->table)
			return ferr_position(
			    ferr_new(SQLSTATE_SYNTAX_ERROR, "SELECT * with no tables specified is not valid"),
			    v->column_ref->location + 1);
		cap += star ? q->table->ncols : 1;
	}
	q->cols = arena_zalloc(a, sizeof(plan_out_col) * (size_t)(cap + 1));
	q->names = arena_zalloc(a, sizeof(char *) * (size_t)(cap + 1));
	for (size_t i = 0; i < st->n_target_list; i++) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		const pqnode *v = rt->val;
		if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
			const PgQuery__ColumnRef *cr = v->column_ref;
			if (cr->fields[cr->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR) {
				for (int c = 0; c < q->table->ncols; c++) {
					if (q->table->cols[c].hidden) continue;
					q->cols[q->ncols].table_col = c;
					q->names[q->ncols++] = q->table->cols[c].name;
				}
				continue;
			}
			int col = 0;
			TRY(plan_column_ref(q, cr, &col));
			q->cols[q->ncols].table_col = col;
			q->names[q->ncols++] = (rt->name && *rt->name) ? arena_strdup(a, rt->name) : q->table->cols[col].name;
		} else if (v->node_case == PG_QUERY__NODE__NODE_A_CONST) {
			expr *e = NULL;
			TRY(plan_literal(a, v->a_const, &e));
			/* an output column never stays 'unknown': PostgreSQL makes it text */
			if (e->type.id == TYPE_UNKNOWN) e->type = ftype_make(TYPE_TEXT);
			q->cols[q->ncols].table_col = -1;
			q->cols[q->ncols].value = e;
			q->names[q->ncols++] = (rt->name && *rt->name) ? arena_strdup(a, rt->name) : "?column?";
		} else {
			return plan_unsupported("expressions other than columns and literals",
			                        rt->location);
		}
	}
	return NULL;
}

static ftype plan_out_type(const plan_query *q, int i)
{
	return q->cols[i].table_col >= 0 ? q->table->cols[q->cols[i].table_col].type
	                                 : q->cols[i].value->type;
}

static ferr *plan_prepare_query(const plan_session *s, arena *a, const pqnode *n,
                                prepared_stmt *p)
{
	plan_query *q = arena_zalloc(a, sizeof(plan_query));
	q->est_rows = -1;
	p->internal = q; /* set first so plan_free releases the catalog on error */
	TRY(plan_analyze_select(s, a, n->select_stmt, q));
	p->ncols = q->ncols;
	p->cols = arena_zalloc(a, sizeof(result_column) * (size_t)(q->ncols + 1));
	for (int i = 0; i < q->ncols; i++) {
		p->cols[i].name = q->names[i];
		p->cols[i].type = plan_out_type(q, i);
		/* no table OIDs yet: base columns report 0 like computed ones */
	}
	return NULL;
}

static ferr *plan_prepare_stmt(const plan_session *s, const char *sql, prepared_stmt *p)
{
	arena *a = p->arena;
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	if (r.error) {
		ferr *e = ferr_new(SQLSTATE_SYNTAX_ERROR, "%s", r.error->message);
		ferr_position(e, r.error->cursorpos);
		pg_query_free_protobuf_parse_result(r);
		return e;
	}
	PgQuery__ParseResult *tree =
	    pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!tree) return ferr_new(SQLSTATE_SYNTAX_ERROR, "could not decode the parse tree");
	ferr *err = NULL;
	if (tree->n_stmts == 0) {
		p->kind = STMT_EMPTY;
	} else if (tree->n_stmts > 1) {
		err = ferr_new(SQLSTATE_SYNTAX_ERROR,
		               "cannot insert multiple commands into a prepared statement");
	} else {
		const pqnode *n = tree->stmts[0]->stmt;
		bool handled;
		err = plan_utility(a, n, p, &handled);
		if (!err && !handled) {
			if (n->node_case == PG_QUERY__NODE__NODE_EXPLAIN_STMT) {
				const PgQuery__ExplainStmt *ex = n->explain_stmt;
				for (size_t i = 0; i < ex->n_options; i++)
					if (ex->options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
					    strcmp(ex->options[i]->def_elem->defname, "analyze") == 0)
						p->explain_analyze = true;
				if (ex->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
					err = plan_unsupported("EXPLAIN of this statement", -1);
				} else {
					err = plan_prepare_query(s, a, ex->query, p);
					p->kind = STMT_EXPLAIN;
					p->command_tag = "EXPLAIN";
					p->ncols = 1;
					p->cols = arena_zalloc(a, sizeof(result_column));
					p->cols[0].name = "QUERY PLAN";
					p->cols[0].type = ftype_make(TYPE_TEXT);
				}
			} else if (n->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
				p->kind = STMT_QUERY;
				p->command_tag = "SELECT";
				err = plan_prepare_query(s, a, n, p);
			} else {
				err = plan_unsupported("this statement type", tree->stmts[0]->stmt_location);
			}
		}
	}
	pg_query__parse_result__free_unpacked(tree, NULL);
	return err;
}

ferr *plan_prepare(const plan_session *s, const char *sql, int nparam_oids,
                   const uint32_t *param_oids, prepared_stmt **out)
{
	(void)param_oids;
	*out = NULL;
	arena *a = arena_create(NULL, "prepared statement");
	prepared_stmt *p = arena_zalloc(a, sizeof(prepared_stmt));
	p->arena = a;
	/* $n references are rejected by the analyzer for now, so declared
	 * parameter types have nothing to bind to */
	(void)nparam_oids;
	ferr *e = plan_prepare_stmt(s, sql, p);
	if (e) {
		plan_free(p);
		return e;
	}
	*out = p;
	return NULL;
}

/*
 * The prepared statement owns its catalog reference; any phys_plan built
 * from it by plan_bind points into that catalog and must be freed first.
 */
void plan_free(prepared_stmt *p)
{
	if (!p) return;
	plan_query *q = p->internal;
	if (q && q->catalog) catalogs_release(q->catalog);
	arena_destroy(p->arena);
}
