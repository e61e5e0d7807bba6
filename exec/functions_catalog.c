/*
 * functions_catalog.c — the catalog and session functions PostgreSQL
 * clients call while browsing metadata (psql's backslash commands, pgjdbc's
 * DatabaseMetaData, BI tools' sync queries), and the POSIX regular
 * expression operators ~ ~* !~ !~*. OIDs are bigint in Ferry (there is no
 * oid type); names resolve through the OID registry of connectors/pgcatalog.
 * Session values (catalog, search_path, user, pid) arrive as extra text
 * arguments the planner appends (func_catalog_session_args). Never abort
 * on input: bad privilege names and array literals are errors with SQLSTATEs.
 */
#include "exec/functions_catalog.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "connectors/pgcatalog/pgcatalog.h"
#include "exec/array.h"
#include "exec/functions_internal.h"

typedef enum fcat_op {
	FCAT_USERBYID = FOP_CATALOG_FIRST,
	FCAT_TABLE_VISIBLE,
	FCAT_TYPE_VISIBLE,
	FCAT_FUNCTION_VISIBLE,
	FCAT_FORMAT_TYPE,
	FCAT_ENCODING_TO_CHAR,
	FCAT_ARRAY_TO_STRING,
	FCAT_NULL_TEXT, /* descriptions and definitions of objects Ferry has none of */
	FCAT_COL_DESCRIPTION,
	FCAT_GET_EXPR,
	FCAT_FUNCTION_RESULT,
	FCAT_FUNCTION_ARGUMENTS,
	FCAT_VERSION,
	FCAT_CURRENT_DATABASE,
	FCAT_CURRENT_SCHEMA,
	FCAT_CURRENT_SCHEMAS, /* name[], as text[] (Ferry has no name type) */
	FCAT_BACKEND_PID,
	FCAT_HAS_PRIVILEGE,
	FCAT_SIZE_PRETTY,
	FCAT_RELATION_SIZE,
	FCAT_NO_STATISTICS, /* pg_stat_get_*: Ferry keeps no access statistics per relation */
	FCAT_TABLESPACE_LOCATION,
	FCAT_IS_IN_RECOVERY,
	FCAT_RELATION_PUBLISHABLE, /* a table (not a view or catalog) could be published */
	FCAT_TXID_CURRENT,
	FCAT_QUOTE_IDENT,
	FCAT_GET_VIEWDEF,
	FCAT_GET_KEYDEF, /* pg_get_indexdef */
	FCAT_GET_CONSTRAINTDEF,
	FCAT_MORE_THAN_ONE_ROW,
	FCAT_CURRENT_SETTING, /* the session's settings through connectors/pgcatalog */
	FCAT_PARTITION_ANCESTORS, /* regclass[]: pg_partition_ancestors before its unnest */
	FCAT__END
} fcat_op;

typedef struct fcat_def {
	const char *name;
	int min_args, max_args;
	fcat_op op;
	type_id result;
	type_id args[5]; /* TYPE_NULL: any type, passed as it is */
	const char *session; /* func_catalog_session_args */
} fcat_def;

#define T TYPE_TEXT
#define I8 TYPE_INT8
#define I4 TYPE_INT4
#define BO TYPE_BOOL
#define ANY TYPE_NULL

static const fcat_def defs[] = {
    {"pg_get_userbyid", 1, 1, FCAT_USERBYID, T, {I8}, NULL},
    {"pg_table_is_visible", 1, 1, FCAT_TABLE_VISIBLE, BO, {I8, T, T, T}, "csu"},
    {"pg_type_is_visible", 1, 1, FCAT_TYPE_VISIBLE, BO, {I8}, NULL},
    {"pg_function_is_visible", 1, 1, FCAT_FUNCTION_VISIBLE, BO, {I8}, NULL},
    {"format_type", 2, 2, FCAT_FORMAT_TYPE, T, {I8, I4}, NULL},
    {"pg_encoding_to_char", 1, 1, FCAT_ENCODING_TO_CHAR, T, {I4}, NULL},
    {"array_to_string", 2, 2, FCAT_ARRAY_TO_STRING, T, {T, T}, NULL},
    {"obj_description", 1, 2, FCAT_NULL_TEXT, T, {I8, T}, NULL},
    {"shobj_description", 2, 2, FCAT_NULL_TEXT, T, {I8, T}, NULL},
    /* the session's catalog, search_path and user decide whether a referenced table is qualified */
    {"pg_get_constraintdef", 1, 1, FCAT_GET_CONSTRAINTDEF, T, {I8, T, T, T}, "csu"},
    {"pg_get_constraintdef", 2, 2, FCAT_GET_CONSTRAINTDEF, T, {I8, BO, T, T, T}, "csu"},
    {"pg_get_indexdef", 1, 3, FCAT_GET_KEYDEF, T, {I8, I4, BO}, NULL},
    {"pg_get_triggerdef", 1, 2, FCAT_NULL_TEXT, T, {I8, BO}, NULL},
    {"pg_get_ruledef", 1, 2, FCAT_NULL_TEXT, T, {I8, BO}, NULL},
    {"pg_get_partkeydef", 1, 1, FCAT_NULL_TEXT, T, {I8}, NULL},
    {"col_description", 2, 2, FCAT_COL_DESCRIPTION, T, {I8, I4}, NULL},
    {"pg_get_expr", 2, 3, FCAT_GET_EXPR, T, {T, I8, BO}, NULL},
    {"pg_get_function_result", 1, 1, FCAT_FUNCTION_RESULT, T, {I8}, NULL},
    {"pg_get_function_arguments", 1, 1, FCAT_FUNCTION_ARGUMENTS, T, {I8}, NULL},
    {"pg_get_function_identity_arguments", 1, 1, FCAT_FUNCTION_ARGUMENTS, T, {I8}, NULL},
    {"version", 0, 0, FCAT_VERSION, T, {T}, "v"},
    {"current_database", 0, 0, FCAT_CURRENT_DATABASE, T, {T}, "c"},
    {"current_schema", 0, 0, FCAT_CURRENT_SCHEMA, T, {T, T, T}, "csu"},
    {"current_schemas", 1, 1, FCAT_CURRENT_SCHEMAS, TYPE_ARRAY, {BO, T, T, T}, "csu"},
    {"pg_backend_pid", 0, 0, FCAT_BACKEND_PID, I4, {T}, "p"},
    {"current_setting", 1, 1, FCAT_CURRENT_SETTING, T, {T, T}, "p"},
    {"current_setting", 2, 2, FCAT_CURRENT_SETTING, T, {T, BO, T}, "p"},
    {"has_table_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_schema_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_database_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_function_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_sequence_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_any_column_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_column_privilege", 3, 4, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, ANY, T}, NULL},
    {"has_type_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"has_tablespace_privilege", 2, 3, FCAT_HAS_PRIVILEGE, BO, {ANY, ANY, T}, NULL},
    {"pg_size_pretty", 1, 1, FCAT_SIZE_PRETTY, T, {I8}, NULL},
    {"pg_relation_size", 1, 2, FCAT_RELATION_SIZE, I8, {I8, T}, NULL},
    {"pg_total_relation_size", 1, 1, FCAT_RELATION_SIZE, I8, {I8}, NULL},
    {"pg_table_size", 1, 1, FCAT_RELATION_SIZE, I8, {I8}, NULL},
    {"pg_indexes_size", 1, 1, FCAT_RELATION_SIZE, I8, {I8}, NULL},
    {"pg_stat_get_numscans", 1, 1, FCAT_NO_STATISTICS, I8, {I8}, NULL},
    {"pg_tablespace_location", 1, 1, FCAT_TABLESPACE_LOCATION, T, {I8}, NULL},
    {"pg_is_in_recovery", 0, 0, FCAT_IS_IN_RECOVERY, BO, {0}, NULL},
    {"pg_relation_is_publishable", 1, 1, FCAT_RELATION_PUBLISHABLE, BO, {I8}, NULL},
    {"pg_get_statisticsobjdef_columns", 1, 1, FCAT_NULL_TEXT, T, {I8}, NULL},
    {"txid_current", 0, 0, FCAT_TXID_CURRENT, I8, {0}, NULL},
    {"quote_ident", 1, 1, FCAT_QUOTE_IDENT, T, {T}, NULL},
    {"pg_get_viewdef", 1, 2, FCAT_GET_VIEWDEF, T, {I8, BO}, NULL},
    /* the guard of a decorrelated scalar subquery (planner/analyze.c) */
    {"ferry_more_than_one_row", 1, 1, FCAT_MORE_THAN_ONE_ROW, ANY, {ANY}, NULL},
    /* the set pg_partition_ancestors(regclass) returns, as an array (planner/analyze_catalog_srf.c) */
    {"ferry_partition_ancestors", 1, 1, FCAT_PARTITION_ANCESTORS, TYPE_ARRAY, {I8}, NULL},
};
#define NDEFS ((int)(sizeof defs / sizeof defs[0]))

#undef T
#undef I8
#undef I4
#undef BO
#undef ANY

static const fcat_def *def_of(int func)
{
	int op = (int)FUNC_OP(func);
	for (int i = 0; i < NDEFS; i++)
		if ((int)defs[i].op == op) return &defs[i];
	return NULL;
}

const char *func_catalog_session_args(const char *name, int nargs)
{
	const char *n = strncmp(name, "pg_catalog.", 11) == 0 ? name + 11 : name;
	for (int i = 0; i < NDEFS; i++)
		if (defs[i].session && strcmp(defs[i].name, n) == 0 && nargs >= defs[i].min_args &&
		    nargs <= defs[i].max_args)
			return defs[i].session;
	return NULL;
}

bool func_catalog_lookup(const char *name, int nargs, const ftype *args, func_match *out,
                         ferr **err)
{
	*err = NULL;
	char lname[64];
	size_t nl = strlen(name);
	if (nl >= sizeof lname) return false;
	for (size_t i = 0; i <= nl; i++) lname[i] = (char)tolower((unsigned char)name[i]);
	const char *n = strncmp(lname, "pg_catalog.", 11) == 0 ? lname + 11 : lname;
	for (int i = 0; i < NDEFS; i++) {
		const fcat_def *d = &defs[i];
		int extra = d->session ? (int)strlen(d->session) : 0;
		if (strcmp(d->name, n) != 0) continue;
		if (nargs < d->min_args + extra || nargs > d->max_args + extra) continue;
		memset(out, 0, sizeof *out);
		out->func = FUNC_ID(d->op, 0);
		for (int j = 0; j < nargs; j++) {
			type_id want = d->args[j];
			ftype at = args[j];
			if (want == TYPE_NULL)
				out->arg_types[j] =
				    at.id == TYPE_UNKNOWN || at.id == TYPE_NULL ? ftype_make(TYPE_TEXT) : at;
			else
				out->arg_types[j] = ftype_make(want);
		}
		out->result = d->result == TYPE_NULL    ? out->arg_types[0]
		              : d->op == FCAT_PARTITION_ANCESTORS ? ftype_array(ftype_make(TYPE_INT8))
		              : d->result == TYPE_ARRAY ? ftype_array(ftype_make(TYPE_TEXT)) /* text[] otherwise */
		                                        : ftype_make(d->result);
		return true;
	}
	return false;
}

const char *func_catalog_name(int func)
{
	const fcat_def *d = def_of(func);
	return d ? d->name : "?";
}

bool func_catalog_is_volatile(int func)
{
	return (int)FUNC_OP(func) == (int)FCAT_CURRENT_SETTING;
}

/* ---- helpers ---- */

static const char *cstr(const vector *v, int r, arena *a)
{
	const fstring *s = vector_at(v, r);
	return arena_strndup(a, s->ptr, s->len);
}

static void put_text(vector *out, arena *a, int r, const char *s)
{
	vector_set_string(out, a, r, s, (uint32_t)strlen(s));
}

static int64_t i8_at(const vector *v, int r)
{
	return *(const int64_t *)vector_at(v, r);
}

/* PostgreSQL 15's pg_size_pretty: bytes below 10 kB, then halves rounded. */
static const char *size_pretty(int64_t size, arena *a)
{
	static const struct {
		const char *name;
		int64_t limit;
		bool round;
		int bits;
	} units[] = {{"bytes", 10 * 1024, false, 0}, {"kB", 20 * 1024 - 1, true, 10},
	             {"MB", 20 * 1024 - 1, true, 20}, {"GB", 20 * 1024 - 1, true, 30},
	             {"TB", 20 * 1024 - 1, true, 40}, {"PB", 20 * 1024 - 1, true, 50}};
	const int n = (int)(sizeof units / sizeof units[0]);
	for (int i = 0;; i++) {
		int64_t abs = size < 0 ? -size : size;
		if (i == n - 1 || abs < units[i].limit) {
			if (units[i].round) size = (size + (size < 0 ? -1 : 1)) / 2;
			return arena_sprintf(a, "%lld %s", (long long)size, units[i].name);
		}
		int bits = units[i + 1].bits - units[i].bits - (units[i + 1].round ? 1 : 0) +
		           (units[i].round ? 1 : 0);
		size /= (int64_t)1 << bits;
	}
}

/* A privilege list as has_*_privilege reads it: "SELECT, USAGE WITH GRANT OPTION". */
static ferr *check_privileges(const char *list)
{
	static const char *const known[] = {"select", "insert",  "update",     "delete",
	                                    "truncate", "references", "trigger", "usage",
	                                    "create", "connect", "temporary", "temp", "execute",
	                                    "maintain"};
	char *copy = strdup(list), *save = NULL;
	if (!copy) return ferr_new(SQLSTATE_OUT_OF_MEMORY, "out of memory");
	ferr *err = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok)) tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1])) *--end = 0;
		size_t wl = strcspn(tok, " \t");
		const char *rest = tok + wl;
		while (isspace((unsigned char)*rest)) rest++;
		bool ok = *rest == '\0' || strcasecmp(rest, "with grant option") == 0;
		bool word = false;
		for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
			word |= strlen(known[k]) == wl && strncasecmp(tok, known[k], wl) == 0;
		if (!ok || !word)
			err = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			               "unrecognized privilege type: \"%s\"", tok);
	}
	free(copy);
	return err;
}

static bool ident_needs_quotes(const char *s)
{
	static const char *const reserved[] = {
	    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
	    "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
	    "current_date", "current_role", "current_time", "current_timestamp", "current_user",
	    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
	    "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially",
	    "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
	    "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
	    "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
	    "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
	    "window", "with"};
	if (!(islower((unsigned char)s[0]) || s[0] == '_')) return true;
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) return true;
	for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
		if (strcmp(s, reserved[k]) == 0) return true;
	return false;
}

static const char *quote_ident(const char *s, arena *a)
{
	if (!ident_needs_quotes(s)) return s;
	strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "\"");
	for (const char *p = s; *p; p++) {
		if (*p == '"') sb_puts(&sb, "\""); /* an embedded quote is doubled */
		sb_append(&sb, p, 1);
	}
	sb_puts(&sb, "\"");
	const char *r = arena_strndup(a, sb.data, sb.len);
	sb_free(&sb);
	return r;
}

/* format_type(oid, typmod): PostgreSQL's display name; typmod < 0 leaves the modifier out. */
static const char *format_type(int64_t oid, int32_t typmod, arena *a)
{
	ftype t;
	uint32_t elem = oid >= 0 && oid <= UINT32_MAX ? pgcatalog_array_elem((uint32_t)oid) : 0;
	if (elem) return arena_sprintf(a, "%s[]", format_type(elem, typmod, a));
	if (oid >= 0 && oid <= UINT32_MAX && ftype_from_oid((uint32_t)oid, typmod, &t)) {
		strbuf sb = STRBUF_INIT;
		ftype_format(t, &sb);
		const char *r = arena_strndup(a, sb.data ? sb.data : "", sb.len);
		sb_free(&sb);
		return r;
	}
	const char *n = oid >= 0 && oid <= UINT32_MAX ? pgcatalog_type_name((uint32_t)oid) : NULL;
	if (n) return strcmp(n, "char") == 0 ? "\"char\"" : n;
	return "???";
}

/* array_to_string over an array's text form: {a,"b c",NULL} joined by sep, NULLs left out. */
static ferr *array_to_string(const char *s, const char *sep, arena *a, const char **out)
{
	strbuf sb = STRBUF_INIT;
	ferr *err = NULL;
	const char *p = s;
	while (isspace((unsigned char)*p)) p++;
	if (*p != '{') {
		err = ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "malformed array literal: \"%s\"", s);
		goto out;
	}
	p++;
	bool first = true;
	while (*p && *p != '}') {
		strbuf el = STRBUF_INIT;
		bool quoted = *p == '"';
		if (quoted) {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1]) p++;
				sb_append(&el, p, 1);
			}
			if (*p == '"') p++;
		} else {
			for (; *p && *p != ',' && *p != '}'; p++) sb_append(&el, p, 1);
		}
		bool isnull = !quoted && el.len == 4 && strncasecmp(el.data, "null", 4) == 0;
		if (!isnull) {
			if (!first) sb_puts(&sb, sep);
			sb_append(&sb, el.data ? el.data : "", el.len);
			first = false;
		}
		sb_free(&el);
		if (*p == ',') p++;
	}
	if (*p != '}')
		err = ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "malformed array literal: \"%s\"", s);
	else
		*out = arena_strndup(a, sb.data ? sb.data : "", sb.len);
out:
	sb_free(&sb);
	return err;
}

static bool table_visible(const pgcat_object *o, const char *catalog, const char *path,
                          const char *user, arena *a)
{
	if (strcmp(o->schema, "pg_catalog") == 0) return true;
	const char **sp;
	int n = pgcatalog_search_path(path, user, a, &sp);
	/* pg_catalog is searched first unless search_path names it */
	if (pgcatalog_has_relation(catalog, "pg_catalog", o->name)) return false;
	for (int i = 0; i < n; i++) {
		if (strcmp(sp[i], o->schema) == 0) return true;
		if (pgcatalog_has_relation(catalog, sp[i], o->name)) return false;
	}
	return false;
}

static const char *column_comment(int64_t reloid, int32_t attnum, arena *a)
{
	pgcat_object o;
	if (reloid < 0 || reloid > UINT32_MAX || !pgcatalog_lookup_oid((uint32_t)reloid, a, &o) ||
	    (o.kind != 'r' && o.kind != 'v') || pgcatalog_is_schema(o.schema))
		return NULL;
	conn_catalog *cat = catalogs_acquire(o.catalog);
	if (!cat) return NULL;
	conn_table *t = NULL;
	ferr *e = cat->ops->get_table(cat, o.schema, o.name, a, &t);
	catalogs_release(cat);
	if (e) {
		ferr_free(e);
		return NULL;
	}
	int k = 0;
	for (int i = 0; t && i < t->ncols; i++) {
		if (t->cols[i].hidden) continue;
		if (++k == attnum) return t->cols[i].comment;
	}
	return NULL;
}

static const char *view_definition(int64_t oid, arena *a)
{
	pgcat_object o;
	if (oid < 0 || oid > UINT32_MAX || !pgcatalog_lookup_oid((uint32_t)oid, a, &o) ||
	    o.kind != 'v' || pgcatalog_is_schema(o.schema))
		return NULL;
	conn_catalog *cat = catalogs_acquire(o.catalog);
	if (!cat) return NULL;
	conn_view *v = NULL;
	ferr *e = cat->ops->get_view ? cat->ops->get_view(cat, o.schema, o.name, a, &v) : NULL;
	if (e) ferr_free(e);
	/* a source's own view (postgresql: the remote pg_get_viewdef) */
	conn_table *t = NULL;
	if (!v && (e = cat->ops->get_table(cat, o.schema, o.name, a, &t))) ferr_free(e);
	catalogs_release(cat);
	return v ? v->sql : t ? t->view_sql : NULL;
}

static atomic_llong txid_counter = 1000;

/* One row of a catalog function; *isnull for a NULL result. */
static ferr *eval_row(fcat_op op, vector *const *args, int nargs, int r, arena *a, vector *out,
                      bool *isnull)
{
	*isnull = false;
	switch (op) {
	case FCAT_USERBYID: {
		int64_t id = i8_at(args[0], r);
		put_text(out, a, r,
		         id == PGC_OID_SUPERUSER ? "ferry"
		                                 : arena_sprintf(a, "unknown (OID=%lld)", (long long)id));
		return NULL;
	}
	case FCAT_TABLE_VISIBLE: {
		pgcat_object o;
		int64_t oid = i8_at(args[0], r);
		if (oid < 0 || oid > UINT32_MAX || !pgcatalog_lookup_oid((uint32_t)oid, a, &o) ||
		    (o.kind != 'r' && o.kind != 'v' && o.kind != 'i')) {
			*isnull = true;
			return NULL;
		}
		((uint8_t *)out->data)[r] = table_visible(&o, cstr(args[1], r, a), cstr(args[2], r, a),
		                                          cstr(args[3], r, a), a);
		return NULL;
	}
	case FCAT_TYPE_VISIBLE: {
		int64_t oid = i8_at(args[0], r);
		ftype t;
		bool known = oid >= 0 && oid <= UINT32_MAX &&
		             (pgcatalog_type_name((uint32_t)oid) || ftype_from_oid((uint32_t)oid, -1, &t));
		if (!known) *isnull = true;
		else ((uint8_t *)out->data)[r] = true; /* every type is in pg_catalog */
		return NULL;
	}
	case FCAT_FUNCTION_VISIBLE: {
		pgcat_object o;
		int64_t oid = i8_at(args[0], r);
		if (oid < 0 || oid > UINT32_MAX || !pgcatalog_lookup_oid((uint32_t)oid, a, &o) ||
		    o.kind != 'p')
			*isnull = true;
		else
			((uint8_t *)out->data)[r] = true;
		return NULL;
	}
	case FCAT_FORMAT_TYPE: {
		int32_t typmod = vector_is_null(args[1], r) ? -1 : *(const int32_t *)vector_at(args[1], r);
		put_text(out, a, r, format_type(i8_at(args[0], r), typmod, a));
		return NULL;
	}
	case FCAT_ENCODING_TO_CHAR: {
		int32_t enc = *(const int32_t *)vector_at(args[0], r);
		put_text(out, a, r, enc == 6 ? "UTF8" : enc == 0 ? "SQL_ASCII" : "");
		return NULL;
	}
	case FCAT_ARRAY_TO_STRING: {
		const char *s = NULL;
		TRY(array_to_string(cstr(args[0], r, a), cstr(args[1], r, a), a, &s));
		put_text(out, a, r, s);
		return NULL;
	}
	case FCAT_NULL_TEXT:
		*isnull = true;
		return NULL;
	case FCAT_COL_DESCRIPTION: {
		const char *c = column_comment(i8_at(args[0], r), *(const int32_t *)vector_at(args[1], r), a);
		if (c) put_text(out, a, r, c);
		else *isnull = true;
		return NULL;
	}
	case FCAT_GET_EXPR:
		put_text(out, a, r, cstr(args[0], r, a));
		return NULL;
	case FCAT_FUNCTION_RESULT:
	case FCAT_FUNCTION_ARGUMENTS: {
		const char *res, *fargs;
		int64_t oid = i8_at(args[0], r);
		if (oid < 0 || oid > UINT32_MAX || !pgcatalog_proc_signature((uint32_t)oid, a, &res, &fargs))
			*isnull = true;
		else
			put_text(out, a, r, op == FCAT_FUNCTION_RESULT ? res : fargs);
		return NULL;
	}
	case FCAT_VERSION:
		put_text(out, a, r,
		         arena_sprintf(a, "PostgreSQL %s on x86_64-pc-linux-gnu, 64-bit",
		                       cstr(args[0], r, a)));
		return NULL;
	case FCAT_CURRENT_DATABASE:
		put_text(out, a, r, cstr(args[0], r, a));
		return NULL;
	case FCAT_CURRENT_SCHEMA: {
		const char *s = NULL;
		TRY(pgcatalog_current_schema(cstr(args[0], r, a), cstr(args[1], r, a),
		                             cstr(args[2], r, a), a, &s));
		if (s) put_text(out, a, r, s);
		else *isnull = true;
		return NULL;
	}
	case FCAT_CURRENT_SCHEMAS: {
		/* current_schemas(implicit, catalog, search_path, user) */
		int n = 0;
		const char **names = NULL;
		TRY(pgcatalog_current_schemas(cstr(args[1], r, a), cstr(args[2], r, a), cstr(args[3], r, a),
		                              *(const uint8_t *)vector_at(args[0], r), a, &n, &names));
		array_builder ab;
		array_builder_init(&ab, ftype_make(TYPE_TEXT), a);
		for (int i = 0; i < n; i++) {
			fstring s = {(uint32_t)strlen(names[i]), names[i]};
			array_builder_add(&ab, &s);
		}
		((fstring *)out->data)[r] = array_builder_finish(&ab);
		return NULL;
	}
	case FCAT_BACKEND_PID:
		((int32_t *)out->data)[r] = (int32_t)atol(cstr(args[0], r, a));
		return NULL;
	case FCAT_CURRENT_SETTING: {
		/* current_setting(name [, missing_ok]): the session pid comes last */
		bool missing_ok = nargs == 3 && *(const uint8_t *)vector_at(args[1], r);
		const char *v = NULL;
		TRY(pgcatalog_setting((int32_t)atol(cstr(args[nargs - 1], r, a)), cstr(args[0], r, a),
		                      missing_ok, a, &v));
		if (v) put_text(out, a, r, v);
		else *isnull = true;
		return NULL;
	}
	case FCAT_HAS_PRIVILEGE:
		/* Ferry has no per-object privileges: whoever may connect may read everything. */
		TRY(check_privileges(cstr(args[nargs - 1], r, a)));
		((uint8_t *)out->data)[r] = true;
		return NULL;
	case FCAT_SIZE_PRETTY:
		put_text(out, a, r, size_pretty(i8_at(args[0], r), a));
		return NULL;
	case FCAT_RELATION_SIZE:
		*isnull = true; /* sources do not report sizes on disk */
		return NULL;
	case FCAT_NO_STATISTICS:
		*isnull = true; /* unknown, not PostgreSQL's 0 of a relation never scanned */
		return NULL;
	case FCAT_TABLESPACE_LOCATION:
		put_text(out, a, r, "");
		return NULL;
	case FCAT_IS_IN_RECOVERY:
		((uint8_t *)out->data)[r] = false;
		return NULL;
	case FCAT_RELATION_PUBLISHABLE: {
		pgcat_object o;
		int64_t oid = i8_at(args[0], r);
		((uint8_t *)out->data)[r] = oid >= 0 && oid <= UINT32_MAX &&
		                            pgcatalog_lookup_oid((uint32_t)oid, a, &o) && o.kind == 'r' &&
		                            !pgcatalog_is_schema(o.schema);
		return NULL;
	}
	case FCAT_TXID_CURRENT:
		((int64_t *)out->data)[r] = (int64_t)atomic_fetch_add(&txid_counter, 1);
		return NULL;
	case FCAT_QUOTE_IDENT:
		put_text(out, a, r, quote_ident(cstr(args[0], r, a), a));
		return NULL;
	case FCAT_GET_KEYDEF: {
		/* pg_get_indexdef(oid, column, pretty): column 0 is the whole definition */
		int64_t oid = i8_at(args[0], r);
		int column = nargs >= 3 && args[1]->type.id == TYPE_INT4 ? (int)*(const int32_t *)vector_at(args[1], r) : 0;
		const char *d = NULL;
		if (oid >= 0 && oid <= UINT32_MAX && pgcatalog_key_def((uint32_t)oid, column, NULL, a, &d))
			put_text(out, a, r, d);
		else
			*isnull = true;
		return NULL;
	}
	case FCAT_GET_CONSTRAINTDEF: {
		/* pg_get_constraintdef(oid [, pretty], catalog, search_path, user) */
		int64_t oid = i8_at(args[0], r);
		fmt_settings fs;
		fmt_settings_default(&fs);
		fs.reg_catalog = cstr(args[nargs - 3], r, a);
		fs.reg_search_path = cstr(args[nargs - 2], r, a);
		fs.reg_user = cstr(args[nargs - 1], r, a);
		const char *d = NULL;
		if (oid >= 0 && oid <= UINT32_MAX && pgcatalog_key_def((uint32_t)oid, 0, &fs, a, &d))
			put_text(out, a, r, d);
		else
			*isnull = true;
		return NULL;
	}
	case FCAT_GET_VIEWDEF: {
		const char *d = view_definition(i8_at(args[0], r), a);
		if (d) put_text(out, a, r, d);
		else *isnull = true;
		return NULL;
	}
	case FCAT_PARTITION_ANCESTORS: {
		/*
		 * PostgreSQL lists a relation and its ancestors only when it is part of a partition
		 * tree (check_rel_can_be_partition), else nothing. No Ferry relation is partitioned
		 * or a partition (pg_class.relispartition is false, relkind never 'p'): always empty.
		 */
		array_builder ab;
		array_builder_init(&ab, ftype_make(TYPE_INT8), a);
		((fstring *)out->data)[r] = array_builder_finish(&ab);
		return NULL;
	}
	case FCAT_MORE_THAN_ONE_ROW:
		return ferr_new(SQLSTATE_CARDINALITY_VIOLATION,
		                "more than one row returned by a subquery used as an expression");
	default:
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "unknown catalog function %d", (int)op);
	}
}

ferr *func_catalog_eval(const expr *e, vector *const *args, const batch *b, arena *a, vector *out)
{
	fcat_op op = (fcat_op)FUNC_OP(e->func);
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	bool format_type_fn = op == FCAT_FORMAT_TYPE; /* not strict in its typmod */
	ferr *err = NULL;
	for (int i = 0; i < b->count && !err; i++) {
		int r = batch_row(b, i);
		bool anynull = false;
		for (int k = 0; k < e->nargs; k++)
			if (!(format_type_fn && k == 1)) anynull |= vector_is_null(args[k], r);
		if (anynull) {
			vec_set_null(out, a, r, b->capacity);
			continue;
		}
		bool isnull;
		err = eval_row(op, args, e->nargs, r, a, out, &isnull);
		if (!err && isnull) vec_set_null(out, a, r, b->capacity);
	}
	return err;
}
