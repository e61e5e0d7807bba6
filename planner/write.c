/*
 * write.c — statements that change data or metadata: INSERT, CREATE TABLE
 * AS, DELETE, UPDATE, TRUNCATE (write plans) and CREATE/DROP SCHEMA, TABLE,
 * VIEW (DDL carried out by plan_execute_ddl). Writes become an ordinary
 * query whose output is the target's columns, topped by a TableWriter in
 * physical.c; DELETE/UPDATE/TRUNCATE rewrite the whole table (REPLACE) from
 * a scan of it, with a flag column saying which rows the statement hits.
 * Nothing here touches data: catalogs do, through the SPI's write protocol.
 */
#include <ctype.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "planner/analyze_internal.h"

/* ---- DDL statements ---- */

typedef enum ddl_kind {
	DDL_CREATE_SCHEMA,
	DDL_DROP_SCHEMA,
	DDL_CREATE_TABLE,
	DDL_DROP_TABLE,
	DDL_CREATE_VIEW,
	DDL_DROP_VIEW,
} ddl_kind;

typedef struct ddl_name {
	const char *catalog, *schema, *name; /* schema/catalog NULL: the session's */
	int location;
} ddl_name;

typedef struct ddl_stmt {
	ddl_kind kind;
	int nnames;
	ddl_name *names; /* DROP takes several */
	bool missing_ok, cascade, or_replace;
	conn_table_def def; /* CREATE TABLE: columns and properties (schema/table unset) */
	conn_view view;     /* CREATE VIEW: sql, columns */
} ddl_stmt;

static ferr *write_unsupported(const char *what, int location)
{
	return an_unsupported(what, location);
}

/* Lower-cased copy: PostgreSQL folds unquoted names, libpg_query already did. */
static const char *dup(arena *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

static ddl_name name_of_rangevar(arena *a, const PgQuery__RangeVar *rv)
{
	ddl_name n = {0};
	n.catalog = rv->catalogname && *rv->catalogname ? dup(a, rv->catalogname) : NULL;
	n.schema = rv->schemaname && *rv->schemaname ? dup(a, rv->schemaname) : NULL;
	n.name = dup(a, rv->relname);
	n.location = rv->location;
	return n;
}

/* A WITH (name = value) list as names and texts. */
static ferr *def_props(arena *a, PgQuery__Node **opts, size_t n, int *np, const char ***names,
                       const char ***values)
{
	*np = (int)n;
	*names = arena_zalloc(a, sizeof(char *) * (n + 1));
	*values = arena_zalloc(a, sizeof(char *) * (n + 1));
	for (size_t i = 0; i < n; i++) {
		if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			return write_unsupported("this WITH option", -1);
		const PgQuery__DefElem *d = opts[i]->def_elem;
		char *nm = arena_strdup(a, d->defname);
		for (char *p = nm; *p; p++) *p = (char)tolower((unsigned char)*p);
		(*names)[i] = nm;
		const char *v = d->arg ? an_strval(d->arg) : "true";
		if (!v && d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER)
			v = arena_sprintf(a, "%d", d->arg->integer->ival);
		if (!v && d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_FLOAT)
			v = d->arg->float_->fval;
		if (!v && d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
			v = d->arg->boolean->boolval ? "true" : "false";
		if (!v)
			return ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR,
			                              "value of property \"%s\" must be a constant", nm),
			                     d->location + 1);
		(*values)[i] = arena_strdup(a, v);
	}
	return NULL;
}

/* PRIMARY KEY (a, b) or a column's PRIMARY KEY: the key columns, NOT NULL. */
static ferr *primary_key(actx *c, conn_table_def *def, const PgQuery__Constraint *ct, int column)
{
	if (def->npk)
		return ferr_position(ferr_new(SQLSTATE_INVALID_TABLE_DEFINITION,
		                              "multiple primary keys for table \"%s\" are not allowed",
		                              def->table ? def->table : ""),
		                     ct->location + 1);
	int n = column >= 0 ? 1 : (int)ct->n_keys;
	int *pk = arena_zalloc(c->a, sizeof(int) * (size_t)(n + 1));
	for (int k = 0; k < n; k++) {
		pk[k] = column;
		if (column < 0) {
			const char *name = an_strval(ct->keys[k]);
			for (int i = 0; i < def->ncols && name; i++)
				if (strcmp(def->cols[i].name, name) == 0) pk[k] = i;
			if (pk[k] < 0)
				return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN,
				                              "column \"%s\" named in key does not exist",
				                              name ? name : ""),
				                     ct->location + 1);
		}
		def->cols[pk[k]].nullable = false;
	}
	def->npk = n;
	def->pk = pk;
	return NULL;
}

static ferr *column_defs(actx *c, PgQuery__Node **elts, size_t n, conn_table_def *def)
{
	def->cols = arena_zalloc(c->a, sizeof(conn_column) * (n + 1));
	/* columns first: table-level keys name them */
	for (size_t i = 0; i < n; i++) {
		if (elts[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) continue;
		if (elts[i]->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "this table element is not supported yet");
		const PgQuery__ColumnDef *cd = elts[i]->column_def;
		conn_column *col = &def->cols[def->ncols++];
		col->name = dup(c->a, cd->colname);
		col->nullable = !cd->is_not_null;
		TRY(an_type_name(cd->type_name, &col->type));
		for (size_t k = 0; k < cd->n_constraints; k++) {
			const PgQuery__Constraint *ct = cd->constraints[k]->constraint;
			if (!ct) continue;
			if (ct->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL) col->nullable = false;
			else if (ct->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
				TRY(primary_key(c, def, ct, def->ncols - 1));
			else if (ct->contype != PG_QUERY__CONSTR_TYPE__CONSTR_NULL)
				return ferr_position(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
				                              "column constraints other than NOT NULL and PRIMARY KEY "
				                              "are not supported yet"),
				                     ct->location + 1);
		}
		for (int k = 0; k < def->ncols - 1; k++)
			if (strcmp(def->cols[k].name, col->name) == 0)
				return ferr_position(ferr_new(SQLSTATE_DUPLICATE_COLUMN,
				                              "column \"%s\" specified more than once", col->name),
				                     cd->location + 1);
	}
	for (size_t i = 0; i < n; i++) {
		if (elts[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
		const PgQuery__Constraint *ct = elts[i]->constraint;
		if (ct->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
			return ferr_position(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			                              "table constraints other than PRIMARY KEY are not supported yet"),
			                     ct->location + 1);
		TRY(primary_key(c, def, ct, -1));
	}
	return NULL;
}

/* The text after the first top-level AS: a view's query as written. */
static const char *view_query_text(arena *a, const char *sql)
{
	PgQueryScanResult r = pg_query_scan(sql);
	const char *out = NULL;
	if (!r.error) {
		PgQuery__ScanResult *sr =
		    pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
		int depth = 0;
		for (size_t i = 0; sr && i < sr->n_tokens && !out; i++) {
			const PgQuery__ScanToken *t = sr->tokens[i];
			if (t->token == '(') depth++;
			else if (t->token == ')') depth--;
			else if (depth == 0 && t->end - t->start == 2 && strncasecmp(sql + t->start, "as", 2) == 0)
				out = arena_strdup(a, sql + t->end);
		}
		if (sr) pg_query__scan_result__free_unpacked(sr, NULL);
	}
	pg_query_free_scan_result(r);
	if (!out) return NULL;
	while (isspace((unsigned char)*out)) out++;
	char *e = (char *)out + strlen(out);
	while (e > out && (isspace((unsigned char)e[-1]) || e[-1] == ';')) *--e = 0;
	return out;
}

static ferr *ddl_drop(actx *c, const PgQuery__DropStmt *d, ddl_stmt *st, prepared_stmt *p)
{
	switch (d->remove_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		st->kind = DDL_DROP_TABLE, p->command_tag = "DROP TABLE";
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		st->kind = DDL_DROP_VIEW, p->command_tag = "DROP VIEW";
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
		st->kind = DDL_DROP_SCHEMA, p->command_tag = "DROP SCHEMA";
		break;
	default:
		return write_unsupported("DROP of this object type", -1);
	}
	st->missing_ok = d->missing_ok;
	st->cascade = d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	st->names = arena_zalloc(c->a, sizeof(ddl_name) * (d->n_objects + 1));
	for (size_t i = 0; i < d->n_objects; i++) {
		const PgQuery__Node *o = d->objects[i];
		/* a table/view name is a List of String; a schema name a String */
		PgQuery__Node **parts = NULL;
		size_t np = 0;
		if (o->node_case == PG_QUERY__NODE__NODE_LIST) parts = o->list->items, np = o->list->n_items;
		else parts = (PgQuery__Node **)&d->objects[i], np = 1;
		if (np < 1 || np > 3) return write_unsupported("this object name", -1);
		ddl_name *n = &st->names[st->nnames++];
		n->location = -1;
		n->name = dup(c->a, an_strval(parts[np - 1]));
		if (np >= 2) n->schema = dup(c->a, an_strval(parts[np - 2]));
		if (np == 3) n->catalog = dup(c->a, an_strval(parts[0]));
		if (st->kind == DDL_DROP_SCHEMA) {
			/* DROP SCHEMA c.s arrives as catalog.schema */
			n->catalog = n->schema, n->schema = n->name, n->name = NULL;
		}
	}
	return NULL;
}

/* CREATE/DROP SCHEMA, TABLE, VIEW: checked now, carried out by plan_execute_ddl. */
static ferr *plan_ddl(actx *c, const pqnode *n, const char *sql, prepared_stmt *p, bool *handled)
{
	*handled = true;
	ddl_stmt *st = arena_zalloc(c->a, sizeof *st);
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
		const PgQuery__CreateSchemaStmt *cs = n->create_schema_stmt;
		if (cs->n_schema_elts) return write_unsupported("CREATE SCHEMA with elements", -1);
		st->kind = DDL_CREATE_SCHEMA;
		p->command_tag = "CREATE SCHEMA";
		st->missing_ok = cs->if_not_exists;
		st->nnames = 1;
		st->names = arena_zalloc(c->a, sizeof(ddl_name));
		st->names[0].schema = dup(c->a, cs->schemaname);
		st->names[0].location = -1;
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const PgQuery__CreateStmt *cs = n->create_stmt;
		if (cs->n_inh_relations || cs->partspec || cs->of_typename)
			return write_unsupported("this form of CREATE TABLE", cs->relation->location);
		if (cs->n_constraints)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "table constraints are not supported yet");
		if (cs->relation->relpersistence && cs->relation->relpersistence[0] == 't')
			return write_unsupported("temporary tables", cs->relation->location);
		st->kind = DDL_CREATE_TABLE;
		p->command_tag = "CREATE TABLE";
		st->missing_ok = cs->if_not_exists;
		st->nnames = 1;
		st->names = arena_zalloc(c->a, sizeof(ddl_name));
		st->names[0] = name_of_rangevar(c->a, cs->relation);
		st->def.table = st->names[0].name; /* for messages; set again at execution */
		TRY(column_defs(c, cs->table_elts, cs->n_table_elts, &st->def));
		TRY(def_props(c->a, cs->options, cs->n_options, &st->def.nprops, &st->def.prop_names,
		              &st->def.prop_values));
		break;
	}
	case PG_QUERY__NODE__NODE_VIEW_STMT: {
		const PgQuery__ViewStmt *vs = n->view_stmt;
		if (vs->with_check_option != PG_QUERY__VIEW_CHECK_OPTION__NO_CHECK_OPTION &&
		    vs->with_check_option != PG_QUERY__VIEW_CHECK_OPTION__VIEW_CHECK_OPTION_UNDEFINED)
			return write_unsupported("WITH CHECK OPTION", vs->view->location);
		if (vs->n_options) return write_unsupported("view options", vs->view->location);
		if (!vs->query || vs->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
			return write_unsupported("this view query", vs->view->location);
		st->kind = DDL_CREATE_VIEW;
		p->command_tag = "CREATE VIEW";
		st->or_replace = vs->replace;
		st->nnames = 1;
		st->names = arena_zalloc(c->a, sizeof(ddl_name));
		st->names[0] = name_of_rangevar(c->a, vs->view);
		st->view.sql = view_query_text(c->a, sql);
		if (!st->view.sql) return write_unsupported("this view definition", vs->view->location);
		/* analyze now: the view must be valid, and its columns are recorded */
		selout so;
		TRY(an_select(c, vs->query->select_stmt, NULL, SQ_TOP, &so));
		if ((int)vs->n_aliases > so.ncols)
			return ferr_new(SQLSTATE_SYNTAX_ERROR, "CREATE VIEW specifies more column names than columns");
		st->view.ncols = so.ncols;
		st->view.cols = arena_zalloc(c->a, sizeof(conn_column) * (size_t)(so.ncols + 1));
		for (int i = 0; i < so.ncols; i++) {
			conn_column *col = &st->view.cols[i];
			col->name = i < (int)vs->n_aliases ? dup(c->a, an_strval(vs->aliases[i])) : so.names[i];
			col->type = c->q->colinfo[so.ids[i]].type;
			if (col->type.id == TYPE_UNKNOWN) col->type = ftype_make(TYPE_TEXT);
			col->nullable = true;
			for (int k = 0; k < i; k++)
				if (strcmp(st->view.cols[k].name, col->name) == 0)
					return ferr_new(SQLSTATE_DUPLICATE_COLUMN, "column \"%s\" specified more than once",
					                col->name);
		}
		if (vs->n_aliases) {
			/* the stored text must name the columns too */
			strbuf sb = STRBUF_INIT;
			sb_puts(&sb, "SELECT * FROM (");
			sb_puts(&sb, st->view.sql);
			sb_puts(&sb, ") AS v(");
			for (size_t i = 0; i < vs->n_aliases; i++) {
				if (i) sb_puts(&sb, ", ");
				sb_putc(&sb, '"');
				for (const char *q = st->view.cols[i].name; *q; q++) {
					if (*q == '"') sb_putc(&sb, '"');
					sb_putc(&sb, *q);
				}
				sb_putc(&sb, '"');
			}
			sb_putc(&sb, ')');
			st->view.sql = arena_strndup(c->a, sb.data, sb.len);
			sb_free(&sb);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_DROP_STMT:
		TRY(ddl_drop(c, n->drop_stmt, st, p));
		break;
	default:
		*handled = false;
		return NULL;
	}
	p->kind = STMT_DDL;
	p->ddl = st;
	return NULL;
}

/* ---- carrying DDL out ---- */

static bool schema_exists(conn_catalog *cat, const char *schema, arena *a, ferr **err)
{
	int n = 0;
	const char **names = NULL;
	*err = cat->ops->list_schemas(cat, a, &n, &names);
	if (*err) return false;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], schema) == 0) return true;
	return false;
}

/*
 * The schemas of search_path in order, unquoted, "$user" as the session
 * user; *n gets their number. Empty entries are left out.
 */
static const char **path_schemas(const plan_session *s, arena *a, int *n)
{
	char *path = arena_strdup(a, s->search_path ? s->search_path : "\"$user\", public");
	const char **out = arena_zalloc(a, sizeof(char *) * (strlen(path) / 2 + 2));
	*n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(path, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok)) tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1])) *--end = 0;
		if (*tok == '"' && end > tok + 1 && end[-1] == '"') tok++, end[-1] = 0;
		if (strcmp(tok, "$user") == 0) tok = (char *)(s->user ? s->user : "");
		if (*tok) out[(*n)++] = tok;
	}
	return out;
}

/* Where CREATE puts an unqualified name: the first schema of search_path that exists. */
static ferr *creation_schema(const plan_session *s, conn_catalog *cat, arena *a, const char **out)
{
	int n;
	const char **path = path_schemas(s, a, &n);
	for (int i = 0; i < n; i++) {
		ferr *e = NULL;
		if (schema_exists(cat, path[i], a, &e)) {
			*out = path[i];
			return NULL;
		}
		if (e) return e;
	}
	return ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "no schema has been selected to create in");
}

static ferr *no_support(conn_catalog *cat, const char *what)
{
	return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "catalog \"%s\" (connector %s) does not support %s",
	                cat->name, cat->connector ? cat->connector : "?", what);
}

static ferr *ddl_one(const plan_session *s, ddl_stmt *st, const ddl_name *nm, arena *a)
{
	const char *catname = nm->catalog ? nm->catalog : s->catalog;
	if (!catname) return ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "no default catalog");
	conn_catalog *cat = catalogs_acquire(catname);
	if (!cat) return ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist", catname);
	const conn_catalog_ops *ops = cat->ops;
	ferr *e = NULL;
	const char *schema = nm->schema;
	if (st->kind == DDL_CREATE_SCHEMA || st->kind == DDL_DROP_SCHEMA) {
		bool exists = schema_exists(cat, schema, a, &e);
		if (e) goto out;
		if (st->kind == DDL_CREATE_SCHEMA) {
			if (exists && st->missing_ok) goto out;
			if (!ops->create_schema) e = no_support(cat, "CREATE SCHEMA");
			else e = ops->create_schema(cat, schema, st->def.nprops, st->def.prop_names,
			                            st->def.prop_values);
		} else {
			if (!exists && st->missing_ok) goto out;
			if (!exists) e = ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
			else if (!ops->drop_schema) e = no_support(cat, "DROP SCHEMA");
			else e = ops->drop_schema(cat, schema, st->cascade);
		}
		goto out;
	}
	if (!schema) {
		if (st->kind == DDL_CREATE_TABLE || st->kind == DDL_CREATE_VIEW) {
			if ((e = creation_schema(s, cat, a, &schema))) goto out;
		} else {
			/* DROP: the first schema of search_path that has the name */
			int np;
			const char **path = path_schemas(s, a, &np);
			for (int i = 0; i < np && !schema; i++) {
				conn_table *t = NULL;
				conn_view *v = NULL;
				if ((e = ops->get_table(cat, path[i], nm->name, a, &t))) goto out;
				if (!t && ops->get_view && (e = ops->get_view(cat, path[i], nm->name, a, &v))) goto out;
				if (t || v) schema = path[i];
			}
		}
	} else if (!schema_exists(cat, schema, a, &e)) {
		if (!e) e = ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
		goto out;
	}
	conn_table *t = NULL;
	conn_view *v = NULL;
	if (schema) {
		if ((e = ops->get_table(cat, schema, nm->name, a, &t))) goto out;
		if (ops->get_view && (e = ops->get_view(cat, schema, nm->name, a, &v))) goto out;
	}
	switch (st->kind) {
	case DDL_CREATE_TABLE: {
		if (t || v) {
			if (!st->missing_ok)
				e = ferr_new(SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists", nm->name);
			break;
		}
		if (!ops->create_table) {
			e = no_support(cat, "CREATE TABLE");
			break;
		}
		conn_table_def def = st->def;
		def.schema = schema;
		def.table = nm->name;
		e = ops->create_table(cat, &def);
		break;
	}
	case DDL_CREATE_VIEW:
		if (!ops->create_view) e = no_support(cat, "CREATE VIEW");
		else if (t) e = ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "\"%s\" is not a view", nm->name);
		else {
			conn_view view = st->view;
			/* names inside resolve where the view was created */
			view.catalog = s->catalog;
			view.schema = NULL;
			if (s->search_path) {
				const char *sp = NULL;
				if (!creation_schema(s, cat, a, &sp)) view.schema = sp;
			}
			e = ops->create_view(cat, schema, nm->name, &view, st->or_replace);
		}
		break;
	case DDL_DROP_TABLE:
		if (!t) {
			if (v) e = ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "\"%s\" is not a table", nm->name);
			else if (!st->missing_ok)
				e = ferr_new(SQLSTATE_UNDEFINED_TABLE, "table \"%s\" does not exist", nm->name);
		} else if (!ops->drop_table) {
			e = no_support(cat, "DROP TABLE");
		} else {
			e = ops->drop_table(cat, t);
		}
		break;
	case DDL_DROP_VIEW:
		if (!v) {
			if (t) e = ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "\"%s\" is not a view", nm->name);
			else if (!st->missing_ok)
				e = ferr_new(SQLSTATE_UNDEFINED_TABLE, "view \"%s\" does not exist", nm->name);
		} else if (!ops->drop_view) {
			e = no_support(cat, "DROP VIEW");
		} else {
			e = ops->drop_view(cat, schema, nm->name);
		}
		break;
	default:
		break;
	}
out:
	catalogs_release(cat);
	if (e && nm->location >= 0 && !e->position) ferr_position(e, nm->location + 1);
	return e;
}

ferr *plan_execute_ddl(const plan_session *s, prepared_stmt *p)
{
	ddl_stmt *st = p->ddl;
	if (!st) return ferr_new(SQLSTATE_INTERNAL_ERROR, "not a DDL statement");
	arena *a = arena_create(NULL, "ddl");
	ferr *e = NULL;
	for (int i = 0; i < st->nnames && !e; i++) e = ddl_one(s, st, &st->names[i], a);
	arena_destroy(a);
	return e;
}

/* ---- write plans ---- */

static pqnode *mk_node(arena *a)
{
	pqnode *n = arena_zalloc(a, sizeof *n);
	pg_query__node__init(n);
	return n;
}

static pqnode *mk_res_target(arena *a, pqnode *val)
{
	PgQuery__ResTarget *rt = arena_zalloc(a, sizeof *rt);
	pg_query__res_target__init(rt);
	rt->val = val;
	rt->location = -1;
	pqnode *n = mk_node(a);
	n->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
	n->res_target = rt;
	return n;
}

static pqnode *mk_star(arena *a)
{
	PgQuery__AStar *s = arena_zalloc(a, sizeof *s);
	pg_query__a__star__init(s);
	pqnode *sn = mk_node(a);
	sn->node_case = PG_QUERY__NODE__NODE_A_STAR;
	sn->a_star = s;
	PgQuery__ColumnRef *cr = arena_zalloc(a, sizeof *cr);
	pg_query__column_ref__init(cr);
	cr->n_fields = 1;
	cr->fields = arena_zalloc(a, sizeof(pqnode *));
	cr->fields[0] = sn;
	cr->location = -1;
	pqnode *n = mk_node(a);
	n->node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
	n->column_ref = cr;
	return n;
}

/* (cond) IS TRUE, or TRUE without a condition */
static pqnode *mk_is_true(arena *a, pqnode *cond)
{
	if (!cond) {
		PgQuery__AConst *k = arena_zalloc(a, sizeof *k);
		pg_query__a__const__init(k);
		k->val_case = PG_QUERY__A__CONST__VAL_BOOLVAL;
		k->boolval = arena_zalloc(a, sizeof(PgQuery__Boolean));
		pg_query__boolean__init(k->boolval);
		k->boolval->boolval = true;
		k->location = -1;
		pqnode *n = mk_node(a);
		n->node_case = PG_QUERY__NODE__NODE_A_CONST;
		n->a_const = k;
		return n;
	}
	PgQuery__BooleanTest *bt = arena_zalloc(a, sizeof *bt);
	pg_query__boolean_test__init(bt);
	bt->arg = cond;
	bt->booltesttype = PG_QUERY__BOOL_TEST_TYPE__IS_TRUE;
	bt->location = -1;
	pqnode *n = mk_node(a);
	n->node_case = PG_QUERY__NODE__NODE_BOOLEAN_TEST;
	n->boolean_test = bt;
	return n;
}

/* CASE WHEN cond THEN val END: evaluated only for the rows it hits */
static pqnode *mk_case(arena *a, pqnode *cond, pqnode *val)
{
	PgQuery__CaseWhen *w = arena_zalloc(a, sizeof *w);
	pg_query__case_when__init(w);
	w->expr = cond;
	w->result = val;
	w->location = -1;
	pqnode *wn = mk_node(a);
	wn->node_case = PG_QUERY__NODE__NODE_CASE_WHEN;
	wn->case_when = w;
	PgQuery__CaseExpr *ce = arena_zalloc(a, sizeof *ce);
	pg_query__case_expr__init(ce);
	ce->n_args = 1;
	ce->args = arena_zalloc(a, sizeof(pqnode *));
	ce->args[0] = wn;
	ce->location = -1;
	pqnode *n = mk_node(a);
	n->node_case = PG_QUERY__NODE__NODE_CASE_EXPR;
	n->case_expr = ce;
	return n;
}

/* SELECT targets FROM rel [WHERE where] */
static PgQuery__SelectStmt *mk_select(arena *a, PgQuery__RangeVar *rel, int n, pqnode **targets,
                                      pqnode *where)
{
	PgQuery__SelectStmt *st = arena_zalloc(a, sizeof *st);
	pg_query__select_stmt__init(st);
	st->op = PG_QUERY__SET_OPERATION__SETOP_NONE;
	st->limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
	st->n_target_list = (size_t)n;
	st->target_list = arena_zalloc(a, sizeof(pqnode *) * (size_t)n);
	for (int i = 0; i < n; i++) st->target_list[i] = mk_res_target(a, targets[i]);
	pqnode *rn = mk_node(a);
	rn->node_case = PG_QUERY__NODE__NODE_RANGE_VAR;
	rn->range_var = rel;
	st->n_from_clause = 1;
	st->from_clause = arena_zalloc(a, sizeof(pqnode *));
	st->from_clause[0] = rn;
	st->where_clause = where;
	return st;
}

static bool is_numeric_type(type_id t)
{
	return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8 || t == TYPE_FLOAT4 ||
	       t == TYPE_FLOAT8 || t == TYPE_NUMERIC;
}

static bool is_string_type(type_id t) { return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR; }

static bool is_datetime(type_id t)
{
	return t == TYPE_DATE || t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ;
}

/*
 * PostgreSQL's assignment context: what INSERT/UPDATE convert without being
 * asked. Numbers among themselves, dates and timestamps among themselves,
 * anything into a string type (its output function), untyped literals into
 * anything (the input function); everything else is 42804.
 */
static ferr *assign_coerce(actx *c, expr *e, const conn_column *col, int location, expr **out)
{
	type_id from = e->type.id, to = col->type.id;
	bool ok = from == to || from == TYPE_UNKNOWN || from == TYPE_NULL ||
	          (is_numeric_type(from) && is_numeric_type(to)) || is_string_type(to) ||
	          (is_datetime(from) && is_datetime(to)) ||
	          ((from == TYPE_TIMESTAMP || from == TYPE_TIMESTAMPTZ) && to == TYPE_TIME) ||
	          ((from == TYPE_JSON || from == TYPE_JSONB) && (to == TYPE_JSON || to == TYPE_JSONB));
	if (!ok) {
		strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		ftype_format(col->type, &a);
		ftype_format(e->type, &b);
		ferr *err = ferr_new(SQLSTATE_DATATYPE_MISMATCH, "column \"%s\" is of type %s but expression is of type %s",
		                     col->name, a.data, b.data);
		sb_free(&a);
		sb_free(&b);
		ferr_hint(err, "You will need to rewrite or cast the expression.");
		return location >= 0 ? ferr_position(err, location + 1) : err;
	}
	TRY(an_coerce(c, e, col->type, location, out));
	if ((*out)->kind == EXPR_CAST) (*out)->assignment = true;
	else if ((*out)->kind == EXPR_CONST && e->kind == EXPR_CONST && !ftype_equal(e->type, col->type) &&
	         (to == TYPE_VARCHAR || to == TYPE_BPCHAR) && col->type.length >= 0) {
		/* a folded constant: check the length as a stored value would be */
		expr *x = an_expr(c, EXPR_CAST, col->type, 1);
		x->args[0] = e->type.id == TYPE_UNKNOWN ? *out : e;
		if (e->type.id == TYPE_UNKNOWN) {
			expr *t = an_expr(c, EXPR_CONST, ftype_make(TYPE_TEXT), 0);
			t->value = e->value;
			x->args[0] = t;
		}
		x->assignment = true;
		fvalue v;
		ferr *err = expr_eval_const(x, &c->ectx, c->a, &v);
		if (err) return location >= 0 ? ferr_position(err, location + 1) : err;
	}
	return NULL;
}

static lnode *write_project(actx *c, lnode *child, int n, expr **es, const char **names)
{
	lnode *p = an_node(c, LN_PROJECT, n);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = child;
	p->exprs = es;
	p->est = child->est;
	for (int i = 0; i < n; i++) p->cols[i] = an_col_new(c, names[i], es[i]->type);
	return p;
}

/* The target's visible columns: what a sink receives. */
static conn_table *visible_table(actx *c, const conn_table *t)
{
	conn_table *v = arena_zalloc(c->a, sizeof *v);
	*v = *t;
	v->cols = arena_zalloc(c->a, sizeof(conn_column) * (size_t)(t->ncols + 1));
	v->ncols = 0;
	for (int i = 0; i < t->ncols; i++)
		if (!t->cols[i].hidden) v->cols[v->ncols++] = t->cols[i];
	return v;
}

static void set_output(actx *c, plan_query *q, lnode *root)
{
	q->root = root;
	q->ncols = root->ncols;
	q->out_cols = root->cols;
	q->names = arena_zalloc(c->a, sizeof(char *) * (size_t)(root->ncols + 1));
	for (int i = 0; i < root->ncols; i++) q->names[i] = c->q->colinfo[root->cols[i]].name;
}

static ferr *target_of(actx *c, const PgQuery__RangeVar *rv, const char *verb, conn_catalog **cat,
                       conn_table **t)
{
	TRY(an_resolve_table(c, rv, cat, t));
	if (!(*cat)->ops->begin_insert || !(*cat)->ops->open_page_sink)
		return ferr_position(no_support(*cat, verb), rv->location + 1);
	return NULL;
}

/*
 * Output i of a source query as an expression above it. An untyped literal
 * output (SELECT 'x') is the literal itself, so that the target column's
 * input function reads it, as PostgreSQL does.
 */
static expr *source_col(actx *c, const selout *so, int i)
{
	const lnode *pl = so->plan;
	if (pl->kind == LN_PROJECT)
		for (int j = 0; j < pl->ncols; j++)
			if (pl->cols[j] == so->ids[i] && pl->exprs[j]->kind == EXPR_CONST &&
			    (pl->exprs[j]->type.id == TYPE_UNKNOWN || pl->exprs[j]->value.isnull))
				return pl->exprs[j];
	expr *e = an_col(c, so->ids[i]);
	if (e->type.id == TYPE_UNKNOWN) e->type = ftype_make(TYPE_TEXT);
	return e;
}

static bool is_plain_values(const PgQuery__SelectStmt *s)
{
	return s->n_values_lists > 0 && !s->n_sort_clause && !s->limit_count && !s->limit_offset &&
	       !s->with_clause;
}

static void write_target(plan_query *q, conn_catalog *cat, const conn_table *t, conn_write_mode mode,
                         int count_col, bool drop)
{
	q->write = true;
	q->write_catalog = cat;
	q->write_table = t;
	q->write_mode = mode;
	q->write_count_col = count_col;
	q->write_drop_counted = drop;
}

/* INSERT ... VALUES: each cell is converted straight to its column's type. */
static ferr *insert_values(actx *c, const PgQuery__SelectStmt *sel, conn_catalog *cat,
                           const conn_table *t, const conn_table *vt, int ntarget, const int *target,
                           const PgQuery__InsertStmt *st, prepared_stmt *p)
{
	int nrows = (int)sel->n_values_lists;
	scope sc = {.min_id = c->q->ncolinfo};
	bctx b = {.c = c, .sc = &sc, .clause = "VALUES"};
	expr ***rows = arena_zalloc(c->a, sizeof(expr **) * (size_t)(nrows + 1));
	for (int r = 0; r < nrows; r++) {
		const pqnode *l = sel->values_lists[r];
		if (l->node_case != PG_QUERY__NODE__NODE_LIST) return write_unsupported("this VALUES row", -1);
		int n = (int)l->list->n_items;
		if (n > ntarget)
			return ferr_new(SQLSTATE_SYNTAX_ERROR, "INSERT has more expressions than target columns");
		if (n < ntarget && st->n_cols)
			return ferr_new(SQLSTATE_SYNTAX_ERROR, "INSERT has more target columns than expressions");
		rows[r] = arena_zalloc(c->a, sizeof(expr *) * (size_t)(vt->ncols + 1));
		for (int k = 0; k < vt->ncols; k++) {
			rows[r][k] = an_expr(c, EXPR_CONST, vt->cols[k].type, 0);
			rows[r][k]->value.isnull = true;
		}
		for (int k = 0; k < n; k++) {
			const pqnode *cell = l->list->items[k];
			const conn_column *col = &vt->cols[target[k]];
			if (cell->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) continue; /* NULL */
			expr *e;
			TRY(an_expr_node(&b, cell, &e));
			if (an_refs_below(e, 0) || e->kind == EXPR_COLUMN)
				return write_unsupported("column references in VALUES", -1);
			TRY(assign_coerce(c, e, col, -1, &rows[r][target[k]]));
		}
	}
	lnode *v = an_node(c, LN_VALUES, vt->ncols);
	for (int k = 0; k < vt->ncols; k++) v->cols[k] = an_col_new(c, vt->cols[k].name, vt->cols[k].type);
	v->nrows = nrows;
	v->rows = rows;
	v->est = nrows;
	set_output(c, c->q, v);
	write_target(c->q, cat, t, CONN_WRITE_APPEND, -1, false);
	p->command_tag = "INSERT 0";
	return NULL;
}

static ferr *plan_insert(actx *c, const PgQuery__InsertStmt *st, prepared_stmt *p)
{
	if (st->on_conflict_clause) return write_unsupported("ON CONFLICT", st->on_conflict_clause->location);
	if (st->n_returning_list) return write_unsupported("RETURNING", -1);
	if (st->with_clause) return write_unsupported("WITH in INSERT", st->with_clause->location);
	conn_catalog *cat;
	conn_table *t;
	TRY(target_of(c, st->relation, "INSERT", &cat, &t));
	conn_table *vt = visible_table(c, t);
	/* target column list: position in vt for each source column */
	int ntarget = st->n_cols ? (int)st->n_cols : vt->ncols;
	int *target = arena_zalloc(c->a, sizeof(int) * (size_t)(ntarget + 1));
	for (int i = 0; i < ntarget; i++) {
		if (!st->n_cols) {
			target[i] = i;
			continue;
		}
		const PgQuery__ResTarget *rt = st->cols[i]->res_target;
		if (rt->n_indirection) return write_unsupported("INSERT into a field or element", rt->location);
		target[i] = -1;
		for (int k = 0; k < vt->ncols; k++)
			if (strcmp(vt->cols[k].name, rt->name) == 0) target[i] = k;
		if (target[i] < 0)
			return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN,
			                              "column \"%s\" of relation \"%s\" does not exist", rt->name,
			                              t->table),
			                     rt->location + 1);
		for (int k = 0; k < i; k++)
			if (target[k] == target[i])
				return ferr_position(ferr_new(SQLSTATE_DUPLICATE_COLUMN,
				                              "column \"%s\" specified more than once", rt->name),
				                     rt->location + 1);
	}
	if (!st->select_stmt) return write_unsupported("INSERT ... DEFAULT VALUES", -1);
	const PgQuery__SelectStmt *sel = st->select_stmt->select_stmt;
	if (is_plain_values(sel)) return insert_values(c, sel, cat, t, vt, ntarget, target, st, p);
	/* the source keeps untyped literals untyped: the target columns type them */
	selout so;
	TRY(an_select(c, sel, NULL, SQ_SETOP, &so));
	if (so.ncols > ntarget)
		return ferr_new(SQLSTATE_SYNTAX_ERROR, "INSERT has more expressions than target columns");
	if (so.ncols < ntarget && st->n_cols)
		return ferr_new(SQLSTATE_SYNTAX_ERROR, "INSERT has more target columns than expressions");
	expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(vt->ncols + 1));
	const char **names = arena_zalloc(c->a, sizeof(char *) * (size_t)(vt->ncols + 1));
	for (int k = 0; k < vt->ncols; k++) {
		names[k] = vt->cols[k].name;
		es[k] = an_expr(c, EXPR_CONST, vt->cols[k].type, 0);
		es[k]->value.isnull = true;
	}
	for (int i = 0; i < so.ncols; i++) {
		int loc = st->n_cols ? st->cols[i]->res_target->location : -1;
		TRY(assign_coerce(c, source_col(c, &so, i), &vt->cols[target[i]], loc, &es[target[i]]));
	}
	set_output(c, c->q, write_project(c, so.plan, vt->ncols, es, names));
	write_target(c->q, cat, t, CONN_WRITE_APPEND, -1, false);
	p->command_tag = "INSERT 0";
	return NULL;
}

static ferr *plan_ctas(actx *c, const PgQuery__CreateTableAsStmt *st, prepared_stmt *p)
{
	if (st->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return write_unsupported("materialized views", -1);
	const PgQuery__IntoClause *into = st->into;
	if (!st->query || st->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return write_unsupported("this CREATE TABLE AS query", into->rel->location);
	if (into->rel->relpersistence && into->rel->relpersistence[0] == 't')
		return write_unsupported("temporary tables", into->rel->location);
	ddl_name nm = name_of_rangevar(c->a, into->rel);
	const char *catname = nm.catalog ? nm.catalog : c->s->catalog;
	conn_catalog *cat = catname ? an_acquire_catalog(c, catname) : NULL;
	if (!cat)
		return ferr_position(ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist",
		                              catname ? catname : ""),
		                     nm.location + 1);
	if (!cat->ops->begin_create_table || !cat->ops->open_page_sink)
		return ferr_position(no_support(cat, "CREATE TABLE AS"), nm.location + 1);
	const char *schema = nm.schema;
	ferr *e = NULL;
	if (!schema) TRY(an_at(creation_schema(c->s, cat, c->a, &schema), nm.location));
	else if (!schema_exists(cat, schema, c->a, &e)) {
		if (e) return e;
		return ferr_position(ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema),
		                     nm.location + 1);
	}
	conn_table *old = NULL;
	conn_view *oldv = NULL;
	TRY(cat->ops->get_table(cat, schema, nm.name, c->a, &old));
	if (!old && cat->ops->get_view) TRY(cat->ops->get_view(cat, schema, nm.name, c->a, &oldv));
	if (old || oldv) {
		if (st->if_not_exists) {
			p->kind = STMT_NOOP;
			p->command_tag = "CREATE TABLE AS";
			return NULL;
		}
		return ferr_position(ferr_new(SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists", nm.name),
		                     nm.location + 1);
	}
	selout so;
	TRY(an_select(c, st->query->select_stmt, NULL, SQ_TOP, &so));
	if ((int)into->n_col_names > so.ncols)
		return ferr_new(SQLSTATE_SYNTAX_ERROR, "too many column names were specified");
	conn_table_def *def = arena_zalloc(c->a, sizeof *def);
	def->schema = schema;
	def->table = nm.name;
	def->ncols = so.ncols;
	def->cols = arena_zalloc(c->a, sizeof(conn_column) * (size_t)(so.ncols + 1));
	expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(so.ncols + 1));
	const char **names = arena_zalloc(c->a, sizeof(char *) * (size_t)(so.ncols + 1));
	for (int i = 0; i < so.ncols; i++) {
		conn_column *col = &def->cols[i];
		col->name = i < (int)into->n_col_names ? dup(c->a, an_strval(into->col_names[i])) : so.names[i];
		col->type = c->q->colinfo[so.ids[i]].type;
		col->nullable = true;
		if (col->type.id == TYPE_UNKNOWN || col->type.id == TYPE_NULL) col->type = ftype_make(TYPE_TEXT);
		for (int k = 0; k < i; k++)
			if (strcmp(def->cols[k].name, col->name) == 0)
				return ferr_new(SQLSTATE_DUPLICATE_COLUMN, "column \"%s\" specified more than once", col->name);
		TRY(an_coerce(c, an_col(c, so.ids[i]), col->type, -1, &es[i]));
		names[i] = col->name;
	}
	TRY(def_props(c->a, into->options, into->n_options, &def->nprops, &def->prop_names, &def->prop_values));
	lnode *root = write_project(c, so.plan, so.ncols, es, names);
	if (into->skip_data) {
		lnode *l = an_node(c, LN_LIMIT, root->ncols);
		memcpy(l->cols, root->cols, sizeof(int) * (size_t)root->ncols);
		l->nchildren = 1;
		l->children = arena_zalloc(c->a, sizeof(lnode *));
		l->children[0] = root;
		l->limit = 0;
		l->est = 0;
		root = l;
	}
	set_output(c, c->q, root);
	conn_table *vt = arena_zalloc(c->a, sizeof *vt);
	vt->schema = schema;
	vt->table = nm.name;
	vt->ncols = def->ncols;
	vt->cols = def->cols;
	write_target(c->q, cat, vt, CONN_WRITE_APPEND, -1, false);
	c->q->write_def = def;
	p->command_tag = into->skip_data ? "CREATE TABLE AS" : "SELECT"; /* PostgreSQL's tags */
	p->write_no_count = into->skip_data;
	return NULL;
}

/*
 * DELETE, UPDATE and TRUNCATE rewrite the table: SELECT *, (where) IS TRUE
 * [, CASE WHEN (where) IS TRUE THEN value END ...] FROM target; the writer
 * counts flagged rows, drops them for DELETE, and UPDATE's projection takes
 * the new value where the flag is set.
 */
static ferr *plan_rewrite(actx *c, PgQuery__RangeVar *rel, pqnode *where, int nset,
                          PgQuery__ResTarget **sets, bool drop, prepared_stmt *p, const char *verb)
{
	conn_catalog *cat;
	conn_table *t;
	TRY(target_of(c, rel, verb, &cat, &t));
	conn_table *vt = visible_table(c, t);
	int nt = 2 + nset;
	pqnode **targets = arena_zalloc(c->a, sizeof(pqnode *) * (size_t)nt);
	targets[0] = mk_star(c->a);
	targets[1] = mk_is_true(c->a, where);
	int *setcol = arena_zalloc(c->a, sizeof(int) * (size_t)(nset + 1));
	for (int i = 0; i < nset; i++) {
		const PgQuery__ResTarget *rt = sets[i];
		if (rt->n_indirection) return write_unsupported("UPDATE of a field or element", rt->location);
		setcol[i] = -1;
		for (int k = 0; k < vt->ncols; k++)
			if (strcmp(vt->cols[k].name, rt->name) == 0) setcol[i] = k;
		if (setcol[i] < 0)
			return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN,
			                              "column \"%s\" of relation \"%s\" does not exist", rt->name,
			                              t->table),
			                     rt->location + 1);
		for (int k = 0; k < i; k++)
			if (setcol[k] == setcol[i])
				return ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR,
				                              "multiple assignments to same column \"%s\"", rt->name),
				                     rt->location + 1);
		if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
			targets[2 + i] = NULL;
			continue;
		}
		/* untyped literals stay bare (the column types them); anything that
		 * could fail is evaluated only for the rows the statement hits */
		bool literal = rt->val->node_case == PG_QUERY__NODE__NODE_A_CONST;
		targets[2 + i] = literal ? rt->val : mk_case(c->a, mk_is_true(c->a, where), rt->val);
	}
	int k = 2;
	for (int i = 0; i < nset; i++)
		if (targets[2 + i]) targets[k++] = targets[2 + i];
	PgQuery__SelectStmt *sel = mk_select(c->a, rel, k, targets, NULL);
	selout so;
	TRY(an_select(c, sel, NULL, SQ_SETOP, &so));
	if (so.ncols != vt->ncols + k - 1)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "the rewrite of %s lost a column", verb);
	int flag = so.ids[vt->ncols];
	expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(vt->ncols + 2));
	const char **names = arena_zalloc(c->a, sizeof(char *) * (size_t)(vt->ncols + 2));
	for (int i = 0; i < vt->ncols; i++) {
		es[i] = an_col(c, so.ids[i]);
		names[i] = vt->cols[i].name;
	}
	for (int i = 0, v = vt->ncols + 1; i < nset; i++) {
		int col = setcol[i];
		expr *val;
		if (!targets[2 + i]) {
			val = an_expr(c, EXPR_CONST, vt->cols[col].type, 0);
			val->value.isnull = true;
		} else {
			TRY(assign_coerce(c, source_col(c, &so, v++), &vt->cols[col], sets[i]->location, &val));
		}
		expr *ce = an_expr(c, EXPR_CASE, vt->cols[col].type, 3);
		ce->args[0] = an_col(c, flag);
		ce->args[1] = val;
		ce->args[2] = es[col];
		ce->has_else = true;
		es[col] = ce;
	}
	es[vt->ncols] = an_col(c, flag);
	names[vt->ncols] = "$hit";
	set_output(c, c->q, write_project(c, so.plan, vt->ncols + 1, es, names));
	write_target(c->q, cat, t, CONN_WRITE_REPLACE, vt->ncols, drop);
	return NULL;
}

/* ---- DELETE / UPDATE carried out by the connector (apply_delete, apply_update) ---- */

/* A failure on the pushed path only means "not pushed": the rewrite reports it. */
static bool declined(ferr *e)
{
	if (e) ferr_free(e);
	return e != NULL;
}

/*
 * SET column = value of an UPDATE as a constant of the column's type (the
 * assignment conversion done now, as PostgreSQL folds it at planning);
 * false for DEFAULT, field targets, column references, parameters and
 * anything that does not fold.
 */
static bool pushed_set_value(actx *c, const conn_table *t, const PgQuery__ResTarget *rt, int *col,
                             fvalue *v)
{
	if (rt->n_indirection || !rt->val || rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
		return false;
	*col = -1;
	for (int k = 0; k < t->ncols; k++)
		if (!t->cols[k].hidden && strcmp(t->cols[k].name, rt->name) == 0) *col = k;
	if (*col < 0) return false;
	scope sc = {.min_id = c->q->ncolinfo};
	bctx b = {.c = c, .sc = &sc, .clause = "UPDATE"};
	expr *e, *val;
	if (declined(an_expr_node(&b, rt->val, &e))) return false;
	if (declined(assign_coerce(c, e, &t->cols[*col], rt->location, &val))) return false;
	if (val->kind != EXPR_CONST || !ftype_equal(val->type, t->cols[*col].type)) return false;
	*v = val->value;
	return true;
}

/*
 * DELETE or UPDATE ... SET col = constant whose WHERE the connector took
 * entirely (the filter pushdown leaves nothing above the scan): one
 * statement at the source, as Trino's applyDelete / applyUpdate. The plan
 * is a scan of the connector's handle, whose one row is the count. *done
 * stays false when anything is not pushed; the rewrite then plans it.
 */
static ferr *plan_pushed_write(actx *c, PgQuery__RangeVar *rel, pqnode *where, int nset,
                               PgQuery__ResTarget **sets, bool *done)
{
	*done = false;
	conn_catalog *cat;
	conn_table *t;
	TRY(an_resolve_table(c, rel, &cat, &t));
	if (nset ? !cat->ops->apply_update : !cat->ops->apply_delete) return NULL;
	int *cols = arena_zalloc(c->a, sizeof(int) * (size_t)(nset + 1));
	fvalue *vals = arena_zalloc(c->a, sizeof(fvalue) * (size_t)(nset + 1));
	for (int i = 0; i < nset; i++) {
		if (!pushed_set_value(c, t, sets[i], &cols[i], &vals[i])) return NULL;
		for (int k = 0; k < i; k++)
			if (cols[k] == cols[i]) return NULL;
	}
	pqnode *star = mk_star(c->a);
	selout so;
	if (declined(an_select(c, mk_select(c->a, rel, 1, &star, where), NULL, SQ_SETOP, &so))) return NULL;
	if (declined(an_pushdown(c, so.plan))) return NULL;
	lnode *s = so.plan;
	while (s && s->kind != LN_SCAN && s->nchildren == 1) {
		if (s->kind == LN_FILTER && !(s->pred->kind == EXPR_CONST && s->pred->type.id == TYPE_BOOL &&
		                               !s->pred->value.isnull && s->pred->value.u.b))
			return NULL;
		if (s->kind == LN_PROJECT) {
			for (int i = 0; i < s->ncols; i++)
				if (s->exprs[i]->kind != EXPR_COLUMN) return NULL;
		} else if (s->kind != LN_FILTER) {
			return NULL;
		}
		s = s->children[0];
	}
	if (!s || s->kind != LN_SCAN || s->catalog != cat) return NULL;
	conn_table *nt = NULL;
	if (nset) TRY(cat->ops->apply_update(cat, s->table, nset, cols, vals, c->a, &nt));
	else TRY(cat->ops->apply_delete(cat, s->table, c->a, &nt));
	if (!nt) return NULL;
	if (nt->ncols != 1 || nt->cols[0].type.id != TYPE_INT8)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "catalog '%s': pushed write's handle is not one bigint",
		                cat->name);
	lnode *scan = an_node(c, LN_SCAN, 1);
	scan->catalog = cat;
	scan->table = nt;
	scan->table_cols = arena_zalloc(c->a, sizeof(int) * 2);
	scan->cols[0] = an_col_new(c, "rows", nt->cols[0].type);
	scan->base_rows = scan->est = 1;
	scan->pushed = s->pushed;
	set_output(c, c->q, scan);
	*done = true;
	return NULL;
}

static ferr *plan_write_stmt(actx *c, const pqnode *n, prepared_stmt *p, bool *handled)
{
	*handled = true;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		TRY(plan_insert(c, n->insert_stmt, p));
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		TRY(plan_ctas(c, n->create_table_as_stmt, p));
		if (p->kind == STMT_NOOP) return NULL;
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT: {
		const PgQuery__DeleteStmt *d = n->delete_stmt;
		if (d->n_using_clause) return write_unsupported("DELETE ... USING", -1);
		if (d->n_returning_list) return write_unsupported("RETURNING", -1);
		if (d->with_clause) return write_unsupported("WITH in DELETE", d->with_clause->location);
		bool pushed;
		TRY(plan_pushed_write(c, d->relation, d->where_clause, 0, NULL, &pushed));
		if (!pushed) TRY(plan_rewrite(c, d->relation, d->where_clause, 0, NULL, true, p, "DELETE"));
		p->command_tag = "DELETE";
		break;
	}
	case PG_QUERY__NODE__NODE_UPDATE_STMT: {
		const PgQuery__UpdateStmt *u = n->update_stmt;
		if (u->n_from_clause) return write_unsupported("UPDATE ... FROM", -1);
		if (u->n_returning_list) return write_unsupported("RETURNING", -1);
		if (u->with_clause) return write_unsupported("WITH in UPDATE", u->with_clause->location);
		PgQuery__ResTarget **sets = arena_zalloc(c->a, sizeof(void *) * (u->n_target_list + 1));
		for (size_t i = 0; i < u->n_target_list; i++) {
			if (u->target_list[i]->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
				return write_unsupported("this SET form", -1);
			sets[i] = u->target_list[i]->res_target;
			if (sets[i]->val && sets[i]->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF)
				return write_unsupported("SET (a, b) = ...", sets[i]->location);
		}
		bool pushed;
		TRY(plan_pushed_write(c, u->relation, u->where_clause, (int)u->n_target_list, sets, &pushed));
		if (!pushed)
			TRY(plan_rewrite(c, u->relation, u->where_clause, (int)u->n_target_list, sets, false, p,
			                 "UPDATE"));
		p->command_tag = "UPDATE";
		break;
	}
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
		const PgQuery__TruncateStmt *tr = n->truncate_stmt;
		if (tr->n_relations != 1) return write_unsupported("TRUNCATE of several tables", -1);
		TRY(plan_rewrite(c, tr->relations[0]->range_var, NULL, 0, NULL, true, p, "TRUNCATE"));
		p->command_tag = "TRUNCATE TABLE";
		p->write_no_count = true;
		break;
	}
	default:
		*handled = false;
		return NULL;
	}
	p->kind = STMT_WRITE;
	return NULL;
}

ferr *plan_prepare_write(const plan_session *s, prepared_stmt *p, const void *node, const char *sql,
                         bool *handled)
{
	const pqnode *n = node;
	plan_query *q = arena_zalloc(p->arena, sizeof(plan_query));
	actx c;
	an_ctx_init(&c, s, p, q);
	p->internal = q; /* its catalogs are released by plan_free */
	bool ddl = false;
	TRY(plan_ddl(&c, n, sql, p, &ddl));
	if (ddl) {
		*handled = true;
		return NULL;
	}
	TRY(plan_write_stmt(&c, n, p, handled));
	if (!*handled || p->kind != STMT_WRITE) return NULL;
	TRY(an_pushdown(&c, q->root));
	an_ctx_params_out(&c, p);
	return NULL;
}

/* ---- the write protocol around a run ---- */

ferr *plan_write_begin(phys_plan *pp)
{
	pnode *w = pp ? pp->writer : NULL;
	if (pp && !w) return NULL; /* a pushed DELETE/UPDATE: its scan carries it out */
	if (!w) return ferr_new(SQLSTATE_INTERNAL_ERROR, "not a write plan");
	conn_catalog *cat = w->catalog;
	if (w->create_def) return cat->ops->begin_create_table(cat, w->create_def, &w->write);
	return cat->ops->begin_insert(cat, w->table, w->write_mode, &w->write);
}

ferr *plan_write_finish(phys_plan *pp)
{
	pnode *w = pp->writer;
	if (!w) return NULL; /* a pushed DELETE/UPDATE: committed by the source with its statement */
	if (!w->write) return ferr_new(SQLSTATE_INTERNAL_ERROR, "write was not begun");
	conn_write *cw = w->write;
	w->write = NULL;
	return w->catalog->ops->finish_write(w->catalog, cw);
}

void plan_write_abort(phys_plan *pp)
{
	pnode *w = pp ? pp->writer : NULL;
	if (!w || !w->write) return;
	conn_write *cw = w->write;
	w->write = NULL;
	w->catalog->ops->abort_write(w->catalog, cw);
}

/* ---- Trino's DDL spellings ---- */

typedef struct tok {
	int kind, start, end;
} tok;

static int scan_tokens(const char *sql, arena *a, tok **out)
{
	PgQueryScanResult r = pg_query_scan(sql);
	int n = 0;
	if (!r.error) {
		PgQuery__ScanResult *sr =
		    pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
		if (sr) {
			*out = arena_zalloc(a, sizeof(tok) * (sr->n_tokens + 1));
			for (size_t i = 0; i < sr->n_tokens; i++)
				(*out)[n++] = (tok){sr->tokens[i]->token, sr->tokens[i]->start, sr->tokens[i]->end};
			pg_query__scan_result__free_unpacked(sr, NULL);
		}
	}
	pg_query_free_scan_result(r);
	return n;
}

/* An identifier or keyword token as a name: unquoted ones fold to lower case. */
static const char *tok_name(const char *sql, const tok *t, arena *a)
{
	int len = t->end - t->start;
	const char *p = sql + t->start;
	if (len >= 2 && p[0] == '"') {
		char *o = arena_alloc(a, (size_t)len), *w = o;
		for (int i = 1; i < len - 1; i++) {
			*w++ = p[i];
			if (p[i] == '"' && p[i + 1] == '"') i++;
		}
		*w = 0;
		return o;
	}
	for (int i = 0; i < len; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '$') return NULL;
	char *o = arena_strndup(a, p, (size_t)len);
	for (char *q = o; *q; q++) *q = (char)tolower((unsigned char)*q);
	return o;
}

/* A literal token's value: strings unquoted, numbers and true/false as written. */
static const char *tok_value(const char *sql, const tok *t, arena *a)
{
	int len = t->end - t->start;
	const char *p = sql + t->start;
	if (t->kind == PG_QUERY__TOKEN__SCONST && len >= 2 && p[0] == '\'') {
		char *o = arena_alloc(a, (size_t)len), *w = o;
		for (int i = 1; i < len - 1; i++) {
			*w++ = p[i];
			if (p[i] == '\'' && p[i + 1] == '\'') i++;
		}
		*w = 0;
		return o;
	}
	if (t->kind == PG_QUERY__TOKEN__ICONST || t->kind == PG_QUERY__TOKEN__FCONST) return arena_strndup(a, p, (size_t)len);
	const char *w = tok_name(sql, t, a);
	return w && (strcmp(w, "true") == 0 || strcmp(w, "false") == 0) ? w : NULL;
}

/* CREATE SCHEMA [IF NOT EXISTS] [catalog.]schema [WITH (name = literal, ...)] */
static bool trino_create_schema(const char *sql, const tok *t, int n, prepared_stmt *p)
{
	arena *a = p->arena;
	int i = 2;
	bool if_not_exists = false;
	if (i + 2 < n && t[i].kind == PG_QUERY__TOKEN__IF_P && t[i + 1].kind == PG_QUERY__TOKEN__NOT &&
	    t[i + 2].kind == PG_QUERY__TOKEN__EXISTS)
		if_not_exists = true, i += 3;
	if (i >= n) return false;
	const char *first = tok_name(sql, &t[i++], a), *second = NULL;
	if (!first) return false;
	if (i + 1 < n && t[i].kind == '.') {
		second = tok_name(sql, &t[i + 1], a);
		if (!second) return false;
		i += 2;
	}
	int np = 0;
	const char **names = arena_zalloc(a, sizeof(char *) * (size_t)(n + 1));
	const char **values = arena_zalloc(a, sizeof(char *) * (size_t)(n + 1));
	if (i < n && t[i].kind == PG_QUERY__TOKEN__WITH) {
		if (++i >= n || t[i].kind != '(') return false;
		for (i++; i + 2 < n; i += 4) {
			names[np] = tok_name(sql, &t[i], a);
			values[np] = t[i + 1].kind == '=' ? tok_value(sql, &t[i + 2], a) : NULL;
			if (!names[np] || !values[np]) return false;
			np++;
			if (i + 3 < n && t[i + 3].kind == ')') break;
			if (i + 3 >= n || t[i + 3].kind != ',') return false;
		}
		i += 4;
	}
	if (i < n && t[i].kind == ';') i++;
	if (i != n || (!second && np == 0)) return false; /* PostgreSQL's grammar has the rest */
	ddl_stmt *st = arena_zalloc(a, sizeof *st);
	st->kind = DDL_CREATE_SCHEMA;
	st->missing_ok = if_not_exists;
	st->nnames = 1;
	st->names = arena_zalloc(a, sizeof(ddl_name));
	st->names[0].catalog = second ? first : NULL;
	st->names[0].schema = second ? second : first;
	st->names[0].location = -1;
	st->def.nprops = np;
	st->def.prop_names = names;
	st->def.prop_values = values;
	p->kind = STMT_DDL;
	p->command_tag = "CREATE SCHEMA";
	p->ddl = st;
	return true;
}

/* CREATE TABLE ... WITH (k = ARRAY['a', 'b']): the array becomes the string of its text. */
static const char *with_arrays_as_text(const char *sql, const tok *t, int n, arena *a)
{
	strbuf sb = STRBUF_INIT;
	int copied = 0;
	bool in_with = false;
	for (int i = 0; i < n; i++) {
		if (t[i].kind == PG_QUERY__TOKEN__WITH) in_with = true;
		if (!in_with || t[i].kind != PG_QUERY__TOKEN__ARRAY || i + 1 >= n || t[i + 1].kind != '[') continue;
		int depth = 0, j = i + 1;
		for (; j < n; j++) {
			if (t[j].kind == '[') depth++;
			else if (t[j].kind == ']' && --depth == 0) break;
		}
		if (j >= n) break;
		sb_append(&sb, sql + copied, (size_t)(t[i].start - copied));
		sb_putc(&sb, '\'');
		for (const char *q = sql + t[i].start; q < sql + t[j].end; q++) {
			if (*q == '\'') sb_putc(&sb, '\'');
			sb_putc(&sb, *q);
		}
		sb_putc(&sb, '\'');
		copied = t[j].end;
		i = j;
	}
	const char *out = NULL;
	if (copied > 0) {
		sb_puts(&sb, sql + copied);
		out = arena_strndup(a, sb.data, sb.len);
	}
	sb_free(&sb);
	return out;
}

/* DROP SCHEMA [IF EXISTS] catalog.schema [CASCADE | RESTRICT] */
static bool trino_drop_schema(const char *sql, const tok *t, int n, prepared_stmt *p)
{
	arena *a = p->arena;
	int i = 2;
	bool if_exists = false;
	if (i + 1 < n && t[i].kind == PG_QUERY__TOKEN__IF_P && t[i + 1].kind == PG_QUERY__TOKEN__EXISTS)
		if_exists = true, i += 2;
	if (i + 2 >= n || t[i + 1].kind != '.') return false;
	const char *cat = tok_name(sql, &t[i], a), *schema = tok_name(sql, &t[i + 2], a);
	if (!cat || !schema) return false;
	i += 3;
	bool cascade = false;
	if (i < n && (t[i].kind == PG_QUERY__TOKEN__CASCADE || t[i].kind == PG_QUERY__TOKEN__RESTRICT))
		cascade = t[i++].kind == PG_QUERY__TOKEN__CASCADE;
	if (i < n && t[i].kind == ';') i++;
	if (i != n) return false;
	ddl_stmt *st = arena_zalloc(a, sizeof *st);
	st->kind = DDL_DROP_SCHEMA;
	st->missing_ok = if_exists;
	st->cascade = cascade;
	st->nnames = 1;
	st->names = arena_zalloc(a, sizeof(ddl_name));
	st->names[0] = (ddl_name){.catalog = cat, .schema = schema, .location = -1};
	p->kind = STMT_DDL;
	p->command_tag = "DROP SCHEMA";
	p->ddl = st;
	return true;
}

bool plan_trino_ddl(const char *sql, prepared_stmt *p, const char **rewritten)
{
	*rewritten = NULL;
	tok *t = NULL;
	int n = scan_tokens(sql, p->arena, &t);
	if (n >= 3 && t[0].kind == PG_QUERY__TOKEN__DROP && t[1].kind == PG_QUERY__TOKEN__SCHEMA)
		return trino_drop_schema(sql, t, n, p);
	if (n < 3 || t[0].kind != PG_QUERY__TOKEN__CREATE) return false;
	if (t[1].kind == PG_QUERY__TOKEN__SCHEMA) return trino_create_schema(sql, t, n, p);
	if (t[1].kind == PG_QUERY__TOKEN__TABLE) *rewritten = with_arrays_as_text(sql, t, n, p->arena);
	return false;
}
