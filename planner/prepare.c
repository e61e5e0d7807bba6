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
#include "planner/preparse.h"

typedef PgQuery__Node pqnode;

static ferr *plan_unsupported(const char *feature, int location)
{
	ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", feature);
	return location >= 0 ? ferr_position(e, location + 1) : e;
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

/* ---- queries ---- */

static ferr *plan_prepare_query(const plan_session *s, arena *a, const pqnode *n,
                                prepared_stmt *p)
{
	plan_query *q = arena_zalloc(a, sizeof(plan_query));
	p->internal = q; /* set first so plan_free releases the catalogs on error */
	TRY(plan_analyze_query(s, p, n->select_stmt, q));
	p->ncols = q->ncols;
	p->cols = arena_zalloc(a, sizeof(result_column) * (size_t)(q->ncols + 1));
	for (int i = 0; i < q->ncols; i++) {
		p->cols[i].name = q->names[i];
		p->cols[i].type = q->colinfo[q->out_cols[i]].type;
		/* no stable table OIDs: base columns report 0 like computed ones */
	}
	return NULL;
}

/* Declared parameter types ($n with param_oids[n-1] != 0). */
static ferr *plan_declared_params(prepared_stmt *p, int nparam_oids, const uint32_t *param_oids)
{
	if (nparam_oids <= 0 || !param_oids) return NULL;
	p->nparams = nparam_oids;
	p->param_types = arena_zalloc(p->arena, sizeof(ftype) * (size_t)(nparam_oids + 1));
	for (int i = 0; i < nparam_oids; i++) {
		p->param_types[i] = ftype_make(TYPE_UNKNOWN);
		if (param_oids[i] == 0 || param_oids[i] == OID_UNKNOWN) continue;
		if (!ftype_from_oid(param_oids[i], -1, &p->param_types[i]))
			return ferr_new(SQLSTATE_UNDEFINED_OBJECT, "type with OID %u is not supported",
			                param_oids[i]);
	}
	return NULL;
}

static ferr *plan_prepare_select_node(const plan_session *s, const pqnode *n, int nparam_oids,
                                      const uint32_t *param_oids, prepared_stmt **out);

/* ---- cursors ---- */

#define CURSOR_OPT_BINARY 0x0001
#define CURSOR_OPT_HOLD 0x0020

static ferr *plan_cursor_stmt(const plan_session *s, arena *a, const pqnode *n, prepared_stmt *p,
                              int nparam_oids, const uint32_t *param_oids, bool *handled)
{
	*handled = true;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT: {
		const PgQuery__DeclareCursorStmt *d = n->declare_cursor_stmt;
		p->kind = STMT_DECLARE;
		p->command_tag = "DECLARE CURSOR";
		p->cursor_name = arena_strdup(a, d->portalname);
		p->cursor_hold = (d->options & CURSOR_OPT_HOLD) != 0;
		p->cursor_binary = (d->options & CURSOR_OPT_BINARY) != 0;
		if (!d->query || d->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
			return plan_unsupported("DECLARE CURSOR for this statement", -1);
		TRY(plan_prepare_select_node(s, d->query, nparam_oids, param_oids, &p->cursor_query));
		p->nparams = p->cursor_query->nparams;
		p->param_types = p->cursor_query->param_types;
		return NULL;
	}
	case PG_QUERY__NODE__NODE_FETCH_STMT: {
		const PgQuery__FetchStmt *f = n->fetch_stmt;
		if (f->ismove) return plan_unsupported("MOVE", -1);
		if (f->direction != PG_QUERY__FETCH_DIRECTION__FETCH_FORWARD)
			return plan_unsupported("FETCH other than FORWARD", -1);
		p->kind = STMT_FETCH;
		p->command_tag = "FETCH";
		p->cursor_name = arena_strdup(a, f->portalname ? f->portalname : "");
		/* the grammar's FETCH_ALL is LONG_MAX */
		p->fetch_count = f->how_many >= INT64_MAX / 2 ? -1 : f->how_many;
		return NULL;
	}
	case PG_QUERY__NODE__NODE_CLOSE_PORTAL_STMT: {
		const char *name = n->close_portal_stmt->portalname;
		p->kind = STMT_CLOSE;
		p->command_tag = "CLOSE CURSOR";
		p->cursor_name = name && *name ? arena_strdup(a, name) : NULL;
		return NULL;
	}
	default:
		*handled = false;
		return NULL;
	}
}

static ferr *plan_prepare_stmt(const plan_session *s, const char *sql, prepared_stmt *p,
                               int nparam_oids, const uint32_t *param_oids)
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
		if (!err && !handled) err = plan_cursor_stmt(s, a, n, p, nparam_oids, param_oids, &handled);
		if (!err && !handled) {
			if (n->node_case == PG_QUERY__NODE__NODE_EXPLAIN_STMT) {
				const PgQuery__ExplainStmt *ex = n->explain_stmt;
				for (size_t i = 0; i < ex->n_options; i++)
					if (ex->options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
					    strcmp(ex->options[i]->def_elem->defname, "analyze") == 0)
						p->explain_analyze = true;
				if (ex->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
					/* a write's plan, shown but never run (nothing is begun) */
					bool wrote = false;
					if (p->explain_analyze) err = plan_unsupported("EXPLAIN ANALYZE of a write", -1);
					else err = plan_prepare_write(s, p, ex->query, sql, &wrote);
					if (!err && (!wrote || p->kind != STMT_WRITE))
						err = plan_unsupported("EXPLAIN of this statement", -1);
				} else {
					err = plan_prepare_query(s, a, ex->query, p);
				}
				if (!err) {
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
			} else if (n->node_case == PG_QUERY__NODE__NODE_UNLISTEN_STMT) {
				p->kind = STMT_NOOP; /* poolers send it; nothing listens here */
				p->command_tag = "UNLISTEN";
			} else {
				bool wrote = false;
				err = plan_prepare_write(s, p, n, sql, &wrote);
				if (!err && !wrote)
					err = plan_unsupported("this statement type", tree->stmts[0]->stmt_location);
			}
		}
	}
	pg_query__parse_result__free_unpacked(tree, NULL);
	return err;
}

static prepared_stmt *plan_new_stmt(void)
{
	arena *a = arena_create(NULL, "prepared statement");
	prepared_stmt *p = arena_zalloc(a, sizeof(prepared_stmt));
	p->arena = a;
	return p;
}

/* A DECLARE's query: its own statement and arena, so it can outlive the DECLARE. */
static ferr *plan_prepare_select_node(const plan_session *s, const pqnode *n, int nparam_oids,
                                      const uint32_t *param_oids, prepared_stmt **out)
{
	*out = NULL;
	prepared_stmt *p = plan_new_stmt();
	p->kind = STMT_QUERY;
	p->command_tag = "SELECT";
	ferr *e = plan_declared_params(p, nparam_oids, param_oids);
	if (!e) e = plan_prepare_query(s, p->arena, n, p);
	if (e) {
		plan_free(p);
		return e;
	}
	*out = p;
	return NULL;
}

ferr *plan_prepare(const plan_session *s, const char *sql, int nparam_oids,
                   const uint32_t *param_oids, prepared_stmt **out)
{
	*out = NULL;
	prepared_stmt *p = plan_new_stmt();
	/* SHOW CATALOGS and friends: plan the query they stand for */
	ferr *e = NULL;
	const char *rewritten = NULL;
	if (preparse_rewrite(s, sql, p->arena, &rewritten, &e)) {
		if (!e) sql = rewritten;
	}
	if (!e && preparse_analyze(s, sql, p, &e) && !e) {
		*out = p;
		return NULL;
	}
	if (!e) e = plan_declared_params(p, nparam_oids, param_oids);
	const char *trino = NULL;
	if (!e && plan_trino_ddl(sql, p, &trino)) {
		*out = p;
		return NULL;
	}
	if (trino) sql = trino;
	if (!e) e = plan_prepare_stmt(s, sql, p, nparam_oids, param_oids);
	if (e) {
		plan_free(p);
		return e;
	}
	*out = p;
	return NULL;
}

/*
 * The prepared statement owns its catalog references; any phys_plan built
 * from it by plan_bind points into those catalogs and must be freed first.
 * A DECLARE's cursor_query is freed with it unless the caller took it
 * (set p->cursor_query = NULL after taking ownership).
 */
void plan_free(prepared_stmt *p)
{
	if (!p) return;
	if (p->cursor_query) plan_free(p->cursor_query);
	plan_query_release(p->internal);
	arena_destroy(p->arena);
}
