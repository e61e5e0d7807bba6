/*
 * preparse.c — Trino's SHOW CATALOGS / SCHEMAS / TABLES / COLUMNS and
 * DESCRIBE, recognised before libpg_query (whose grammar rejects them) and
 * rewritten into plain SELECTs over system.jdbc.*.
 *
 * A small lexer (PostgreSQL's rules for whitespace, comments, identifiers
 * and standard-conforming string literals) reads the statement; names are
 * checked against the catalogs here, so an unknown catalog, schema or table
 * is reported as such (3D000, 3F000, 42P01) rather than as an empty result.
 * Every name reaches the rewritten text only inside a string literal with
 * its quotes doubled, so no name can change the query's shape. It never
 * aborts on input and never keeps a catalog reference past its return.
 */
#include "planner/preparse.h"

#include <string.h>

#include "connectors/catalogs.h"

/* ---- lexer ---- */

typedef enum pp_tok_kind {
	PP_EOF,
	PP_IDENT,  /* unquoted, folded to lower case */
	PP_QIDENT, /* "quoted", exactly as written */
	PP_STRING, /* 'literal', quotes undoubled */
	PP_DOT,
	PP_SEMI,
	PP_OTHER, /* any other character */
} pp_tok_kind;

typedef struct pp_tok {
	pp_tok_kind kind;
	const char *text; /* identifier or string value (arena); NULL for punctuation */
	int pos;          /* byte offset of the token in the statement */
	int len;          /* bytes of the token as written */
} pp_tok;

typedef struct pp_lexer {
	const char *sql;
	int off;
	arena *a;
} pp_lexer;

/* PostgreSQL error positions count characters from 1, not bytes. */
static int pp_char_pos(const char *sql, int byte_off)
{
	int n = 1;
	for (int i = 0; i < byte_off && sql[i]; i++)
		if (((unsigned char)sql[i] & 0xC0) != 0x80) n++;
	return n;
}

static ferr *pp_error_at(const pp_lexer *lx, int byte_off, const char *sqlstate, const char *msg)
{
	return ferr_position(ferr_new(sqlstate, "%s", msg), pp_char_pos(lx->sql, byte_off));
}

static bool pp_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool pp_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool pp_ident_cont(unsigned char c)
{
	return pp_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* Whitespace and comments ( -- to end of line, nested C-style ). */
static ferr *pp_skip_blank(pp_lexer *lx)
{
	const char *s = lx->sql;
	for (;;) {
		while (pp_is_space(s[lx->off]))
			lx->off++;
		if (s[lx->off] == '-' && s[lx->off + 1] == '-') {
			while (s[lx->off] && s[lx->off] != '\n')
				lx->off++;
			continue;
		}
		if (s[lx->off] == '/' && s[lx->off + 1] == '*') {
			int start = lx->off, depth = 0;
			do {
				if (!s[lx->off])
					return pp_error_at(lx, start, SQLSTATE_SYNTAX_ERROR,
					                   "unterminated /* comment");
				if (s[lx->off] == '/' && s[lx->off + 1] == '*') {
					depth++;
					lx->off += 2;
				} else if (s[lx->off] == '*' && s[lx->off + 1] == '/') {
					depth--;
					lx->off += 2;
				} else {
					lx->off++;
				}
			} while (depth > 0);
			continue;
		}
		return NULL;
	}
}

/* A quoted token ('...' or "..."), the quote doubled inside it. */
static ferr *pp_quoted(pp_lexer *lx, char q, pp_tok *t)
{
	strbuf sb = STRBUF_INIT;
	const char *s = lx->sql;
	int i = lx->off + 1;
	for (;;) {
		if (!s[i]) {
			sb_free(&sb);
			return pp_error_at(lx, lx->off, SQLSTATE_SYNTAX_ERROR,
			                   q == '"' ? "unterminated quoted identifier"
			                            : "unterminated quoted string");
		}
		if (s[i] == q) {
			if (s[i + 1] != q) break;
			i++;
		}
		sb_putc(&sb, s[i]);
		i++;
	}
	if (q == '"' && sb.len == 0) {
		sb_free(&sb);
		return pp_error_at(lx, lx->off, SQLSTATE_SYNTAX_ERROR,
		                   "zero-length delimited identifier");
	}
	t->text = arena_strndup(lx->a, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	t->kind = q == '"' ? PP_QIDENT : PP_STRING;
	t->len = i + 1 - lx->off;
	lx->off = i + 1;
	return NULL;
}

static ferr *pp_next(pp_lexer *lx, pp_tok *t)
{
	TRY(pp_skip_blank(lx));
	const char *s = lx->sql;
	memset(t, 0, sizeof *t);
	t->pos = lx->off;
	unsigned char c = (unsigned char)s[lx->off];
	if (!c) {
		t->kind = PP_EOF;
		return NULL;
	}
	if (c == '"' || c == '\'') return pp_quoted(lx, (char)c, t);
	if (pp_ident_start(c)) {
		int i = lx->off;
		while (pp_ident_cont((unsigned char)s[i]))
			i++;
		char *id = arena_strndup(lx->a, s + lx->off, (size_t)(i - lx->off));
		/* PostgreSQL folds unquoted identifiers: ASCII only under UTF-8 */
		for (char *p = id; *p; p++)
			if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
		t->kind = PP_IDENT;
		t->text = id;
		t->len = i - lx->off;
		lx->off = i;
		return NULL;
	}
	t->kind = c == '.' ? PP_DOT : c == ';' ? PP_SEMI : PP_OTHER;
	t->len = 1;
	lx->off++;
	return NULL;
}

static bool pp_is_kw(const pp_tok *t, const char *kw)
{
	return t->kind == PP_IDENT && strcmp(t->text, kw) == 0;
}

static ferr *pp_syntax_error(const pp_lexer *lx, const pp_tok *t)
{
	if (t->kind == PP_EOF)
		return pp_error_at(lx, t->pos, SQLSTATE_SYNTAX_ERROR,
		                   "syntax error at end of input");
	ferr *e = ferr_new(SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"%.*s\"", t->len,
	                   lx->sql + t->pos);
	return ferr_position(e, pp_char_pos(lx->sql, t->pos));
}

/* ---- grammar ---- */

typedef enum pp_kind {
	PP_SHOW_CATALOGS,
	PP_SHOW_SCHEMAS,
	PP_SHOW_TABLES,
	PP_SHOW_COLUMNS,
	PP_SHOW_STATS, /* SHOW STATS FOR t | SHOW STATS FOR (query) */
} pp_kind;

typedef struct pp_stmt {
	pp_kind kind;
	int nparts; /* parts of the FROM name, 0 = none given */
	const char *parts[3];
	int name_pos;       /* byte offset of the FROM name */
	const char *like;   /* NULL = no LIKE */
	const char *escape; /* NULL = no ESCAPE */
	int like_pos;
	const char *query; /* SHOW STATS FOR (query): its text; NULL for a table */
} pp_stmt;

/* [catalog.][schema.]name with at most max parts. */
static ferr *pp_qualified_name(pp_lexer *lx, pp_tok *t, int max, pp_stmt *st)
{
	st->name_pos = t->pos;
	st->nparts = 0;
	for (;;) {
		if (t->kind != PP_IDENT && t->kind != PP_QIDENT) return pp_syntax_error(lx, t);
		if (st->nparts == max) {
			ferr *e = ferr_new(SQLSTATE_SYNTAX_ERROR,
			                   "improper qualified name (too many dotted names): %.*s",
			                   t->pos + t->len - st->name_pos, lx->sql + st->name_pos);
			return ferr_position(e, pp_char_pos(lx->sql, st->name_pos));
		}
		st->parts[st->nparts++] = t->text;
		TRY(pp_next(lx, t));
		if (t->kind != PP_DOT) return NULL;
		TRY(pp_next(lx, t));
	}
}

/* [LIKE 'pattern' [ESCAPE 'c']] [;...] end of input */
static ferr *pp_tail(pp_lexer *lx, pp_tok *t, bool like_allowed, pp_stmt *st)
{
	if (like_allowed && pp_is_kw(t, "like")) {
		TRY(pp_next(lx, t));
		if (t->kind != PP_STRING) return pp_syntax_error(lx, t);
		st->like = t->text;
		st->like_pos = t->pos;
		TRY(pp_next(lx, t));
		if (pp_is_kw(t, "escape")) {
			TRY(pp_next(lx, t));
			if (t->kind != PP_STRING) return pp_syntax_error(lx, t);
			st->escape = t->text;
			TRY(pp_next(lx, t));
		}
	}
	while (t->kind == PP_SEMI)
		TRY(pp_next(lx, t));
	if (t->kind != PP_EOF) return pp_syntax_error(lx, t);
	return NULL;
}

static ferr *pp_parse(pp_lexer *lx, pp_tok *t, pp_kind kind, pp_stmt *st)
{
	st->kind = kind;
	TRY(pp_next(lx, t));
	switch (kind) {
	case PP_SHOW_CATALOGS:
		break;
	case PP_SHOW_SCHEMAS:
	case PP_SHOW_TABLES:
		if (pp_is_kw(t, "from") || pp_is_kw(t, "in")) {
			TRY(pp_next(lx, t));
			TRY(pp_qualified_name(lx, t, kind == PP_SHOW_SCHEMAS ? 1 : 2, st));
		}
		break;
	case PP_SHOW_COLUMNS:
		if (!pp_is_kw(t, "from") && !pp_is_kw(t, "in")) return pp_syntax_error(lx, t);
		TRY(pp_next(lx, t));
		TRY(pp_qualified_name(lx, t, 3, st));
		break;
	case PP_SHOW_STATS:
		if (!pp_is_kw(t, "for")) return pp_syntax_error(lx, t);
		TRY(pp_next(lx, t));
		if (t->kind == PP_OTHER && lx->sql[t->pos] == '(') {
			/* the query is the text up to the matching parenthesis */
			int start = lx->off, depth = 1;
			while (depth > 0) {
				TRY(pp_next(lx, t));
				if (t->kind == PP_EOF) return pp_syntax_error(lx, t);
				if (t->kind == PP_OTHER && lx->sql[t->pos] == '(') depth++;
				if (t->kind == PP_OTHER && lx->sql[t->pos] == ')') depth--;
			}
			st->query = arena_strndup(lx->a, lx->sql + start, (size_t)(t->pos - start));
			st->name_pos = start;
			TRY(pp_next(lx, t));
		} else {
			TRY(pp_qualified_name(lx, t, 3, st));
		}
		return pp_tail(lx, t, false, st);
	}
	return pp_tail(lx, t, true, st);
}

/* ---- names against the catalogs ---- */

static ferr *pp_name_error(const pp_lexer *lx, int pos, ferr *e)
{
	return ferr_position(e, pp_char_pos(lx->sql, pos));
}

/* The catalog to show: named, or the session's. Acquired: release it. */
static ferr *pp_catalog(const plan_session *s, const pp_lexer *lx, const char *name, int pos,
                        conn_catalog **out)
{
	if (!name) {
		name = s->catalog;
		pos = -1; /* not written in the statement */
		if (!name || !*name)
			return ferr_hint(
			    ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "no catalog selected"),
			    "Connect to a database named after a catalog, or name one "
			    "(FROM catalog.schema).");
	}
	*out = catalogs_acquire(name);
	if (!*out) {
		ferr *e =
		    ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist", name);
		return pos >= 0 ? pp_name_error(lx, pos, e) : e;
	}
	return NULL;
}

static ferr *pp_schema_exists(conn_catalog *c, const char *schema, arena *tmp, bool *found)
{
	int n = 0;
	const char **names = NULL;
	TRY(c->ops->list_schemas(c, tmp, &n, &names));
	*found = false;
	for (int i = 0; i < n; i++)
		*found |= strcmp(names[i], schema) == 0;
	return NULL;
}

/*
 * The schemas of a search_path value in order, by PostgreSQL's rules:
 * comma separated, unquoted names folded to lower case, "$user" standing
 * for the session user. A malformed tail ends the list.
 */
static int pp_search_path(const plan_session *s, arena *a, const char ***out)
{
	const char *p = s->search_path ? s->search_path : "\"$user\", public";
	int n = 0, cap = 4;
	const char **names = arena_alloc(a, sizeof(char *) * (size_t)cap);
	for (;;) {
		while (pp_is_space(*p))
			p++;
		if (!*p) break;
		strbuf sb = STRBUF_INIT;
		bool quoted = *p == '"';
		if (quoted) {
			for (p++; *p; p++) {
				if (*p == '"') {
					if (p[1] != '"') break;
					p++;
				}
				sb_putc(&sb, *p);
			}
			if (*p != '"') {
				sb_free(&sb);
				break;
			}
			p++;
		} else {
			for (; *p && *p != ',' && !pp_is_space(*p); p++)
				sb_putc(&sb,
				        (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p);
		}
		const char *name = arena_strndup(a, sb.data ? sb.data : "", sb.len);
		sb_free(&sb);
		if (strcmp(name, "$user") == 0) name = s->user;
		if (name && *name) {
			if (n == cap) {
				names = arena_realloc(a, names, sizeof(char *) * (size_t)cap,
				                      sizeof(char *) * (size_t)(cap * 2));
				cap *= 2;
			}
			names[n++] = name;
		}
		while (pp_is_space(*p))
			p++;
		if (*p != ',') break;
		p++;
	}
	*out = names;
	return n;
}

/* SHOW TABLES' schema when none is named: the first of search_path that exists. */
static ferr *pp_default_schema(const plan_session *s, conn_catalog *c, arena *tmp, const char **out)
{
	const char **path;
	int n = pp_search_path(s, tmp, &path);
	int ns = 0;
	const char **schemas = NULL;
	TRY(c->ops->list_schemas(c, tmp, &ns, &schemas));
	for (int i = 0; i < n; i++)
		for (int j = 0; j < ns; j++)
			if (strcmp(path[i], schemas[j]) == 0) {
				*out = path[i];
				return NULL;
			}
	return ferr_hint(ferr_new(SQLSTATE_INVALID_SCHEMA_NAME,
	                          "no schema selected: no schema of search_path exists in "
	                          "catalog \"%s\"",
	                          c->name),
	                 "Name one (SHOW TABLES FROM schema) or SET search_path.");
}

/*
 * The table st names ([catalog.][schema.]table; without a schema, the
 * first search_path schema holding it, as in a query). *c is acquired even
 * when an error comes back (release it); *t NULL on error.
 */
static ferr *pp_table(const plan_session *s, const pp_lexer *lx, const pp_stmt *st, arena *tmp,
                      conn_catalog **c, const char **schema_out, conn_table **t)
{
	const char *table = st->parts[st->nparts - 1];
	const char *schema = st->nparts >= 2 ? st->parts[st->nparts - 2] : NULL;
	ferr *e = NULL;
	*t = NULL;
	*c = NULL;
	TRY(pp_catalog(s, lx, st->nparts == 3 ? st->parts[0] : NULL, st->name_pos, c));
	if (schema) {
		bool found;
		e = pp_schema_exists(*c, schema, tmp, &found);
		if (!e && !found)
			e = pp_name_error(lx, st->name_pos,
			                  ferr_new(SQLSTATE_INVALID_SCHEMA_NAME,
			                           "schema \"%s.%s\" does not exist", (*c)->name,
			                           schema));
		if (!e) e = (*c)->ops->get_table(*c, schema, table, tmp, t);
	} else {
		const char **path;
		int n = pp_search_path(s, tmp, &path);
		for (int i = 0; i < n && !*t && !e; i++) {
			e = (*c)->ops->get_table(*c, path[i], table, tmp, t);
			if (*t) schema = path[i];
		}
	}
	if (!e && !*t)
		e = pp_name_error(lx, st->name_pos,
		                  ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s%s%s\" does not exist",
		                           schema ? schema : "", schema ? "." : "", table));
	if (e) *t = NULL;
	*schema_out = schema;
	return e;
}

/* ---- rewritten text ---- */

/* A string literal for standard_conforming_strings: quotes doubled, nothing else. */
static void pp_literal(strbuf *sb, const char *v)
{
	sb_putc(sb, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '\'') sb_putc(sb, '\'');
		sb_putc(sb, *p);
	}
	sb_putc(sb, '\'');
}

static int pp_utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

/*
 * " AND col LIKE 'p'": the pattern restated with the executor's default
 * escape, backslash. Without ESCAPE, Trino's LIKE has no escape character,
 * so a backslash in the pattern is an ordinary character; ESCAPE '' means
 * the same (PostgreSQL), ESCAPE 'c' makes c escape the character after it.
 */
static ferr *pp_like(const pp_lexer *lx, const pp_stmt *st, const char *col, bool first, strbuf *sb)
{
	if (!st->like) return NULL;
	const char *esc = st->escape && *st->escape ? st->escape : NULL;
	int esclen = esc ? (int)strlen(esc) : 0;
	if (esc && esclen != pp_utf8_len((unsigned char)esc[0]))
		return pp_name_error(
		    lx, st->like_pos,
		    ferr_hint(ferr_new(SQLSTATE_INVALID_ESCAPE_SEQUENCE, "invalid escape string"),
		              "Escape string must be empty or one character."));
	strbuf pat = STRBUF_INIT;
	const char *p = st->like;
	while (*p) {
		if (esc && strncmp(p, esc, (size_t)esclen) == 0) {
			p += esclen;
			if (!*p) {
				sb_free(&pat);
				return pp_name_error(
				    lx, st->like_pos,
				    ferr_new(SQLSTATE_INVALID_ESCAPE_SEQUENCE,
				             "LIKE pattern must not end with escape character"));
			}
			int n = pp_utf8_len((unsigned char)*p);
			sb_putc(&pat, '\\');
			for (int i = 0; i < n && *p; i++)
				sb_putc(&pat, *p++);
			continue;
		}
		if (*p == '\\') sb_putc(&pat, '\\');
		sb_putc(&pat, *p++);
	}
	sb_printf(sb, " %s %s LIKE ", first ? "WHERE" : "AND", col);
	pp_literal(sb, pat.data ? pat.data : "");
	sb_free(&pat);
	return NULL;
}

/* ---- SHOW STATS ---- */

static void pp_stat_double(strbuf *sb, double v)
{
	if (!(v >= 0)) sb_puts(sb, ", CAST(NULL AS double precision)");
	else sb_printf(sb, ", CAST(%.17g AS double precision)", v);
}

static void pp_stat_text(strbuf *sb, const char *v)
{
	sb_puts(sb, ", CAST(");
	if (v) pp_literal(sb, v);
	else sb_puts(sb, "NULL");
	sb_puts(sb, " AS varchar)");
}

/*
 * Trino's SHOW STATS result as a VALUES query: one row per column (stats
 * cs[i], NULL when unknown) and a summary row with the row count. Figures
 * the connector does not know are NULL; data_size is the average width
 * times the non-null rows; no column has more distinct values than rows.
 */
static void pp_stats_values(strbuf *sb, int n, const char **names, const ftype *types,
                            const conn_column_stats **cs, double rows)
{
	fmt_settings fs;
	fmt_settings_default(&fs);
	sb_puts(sb, "SELECT column_name, data_size, distinct_values_count, nulls_fraction, row_count,"
	            " low_value, high_value FROM (VALUES ");
	for (int i = 0; i < n; i++) {
		const conn_column_stats *c = cs[i];
		double nf = c ? c->null_fraction : -1, ndv = c ? c->distinct_count : -1, size = -1;
		if (c && c->avg_width >= 0 && rows >= 0) /* whole bytes */
			size = (double)(int64_t)(c->avg_width * rows * (1 - (nf > 0 ? nf : 0)) + 0.5);
		if (ndv >= 0 && rows >= 0 && ndv > rows) ndv = rows;
		sb_printf(sb, "(%d", i);
		pp_stat_text(sb, names[i]);
		pp_stat_double(sb, size);
		pp_stat_double(sb, ndv);
		pp_stat_double(sb, nf);
		pp_stat_double(sb, -1);
		for (int k = 0; k < 2; k++) {
			if (!c || !c->has_range) {
				pp_stat_text(sb, NULL);
				continue;
			}
			strbuf v = STRBUF_INIT;
			value_out_text(types[i], fvalue_ptr(types[i], k ? &c->max : &c->min), &fs, &v);
			pp_stat_text(sb, v.data ? v.data : "");
			sb_free(&v);
		}
		sb_puts(sb, "), ");
	}
	sb_printf(sb, "(%d", n);
	pp_stat_text(sb, NULL);
	for (int k = 0; k < 3; k++) pp_stat_double(sb, -1);
	pp_stat_double(sb, rows);
	pp_stat_text(sb, NULL);
	pp_stat_text(sb, NULL);
	sb_puts(sb, ")) AS s(ord, column_name, data_size, distinct_values_count, nulls_fraction,"
	            " row_count, low_value, high_value) ORDER BY ord");
}

static ferr *pp_stats_unsupported(const pp_lexer *lx, const pp_stmt *st, const char *what)
{
	return pp_name_error(
	    lx, st->name_pos,
	    ferr_hint(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "SHOW STATS FOR %s is not supported yet", what),
	              "SHOW STATS FOR (SELECT columns FROM table WHERE condition) is."));
}

/*
 * SHOW STATS FOR (query): the query is planned, and its plan must be one
 * table scan under filters, projections of columns and sorts. The scan's
 * table handle (with the filter the connector took, e.g. the partitions
 * left after pruning) gives the column figures; the row count is the
 * connector's for that handle, or the planner's estimate when a filter
 * remains above the scan.
 */
static ferr *pp_show_stats_query(const plan_session *s, const pp_lexer *lx, const pp_stmt *st,
                                 arena *tmp, strbuf *sb)
{
	prepared_stmt *q = NULL;
	ferr *pe = plan_prepare(s, st->query, 0, NULL, &q);
	if (pe) {
		/* the query's error positions count from its own start */
		if (pe->position > 0) pe->position += pp_char_pos(lx->sql, st->name_pos) - 1;
		return pe;
	}
	ferr *e = NULL;
	arena *pa = arena_create(NULL, "show stats plan");
	phys_plan *plan = NULL;
	if (q->kind != STMT_QUERY) e = pp_stats_unsupported(lx, st, "this statement");
	else if (q->nparams > 0) e = pp_stats_unsupported(lx, st, "a query with parameters");
	if (!e) e = plan_bind(s, q, NULL, pa, &plan);
	int *map = arena_alloc(tmp, sizeof *map * (size_t)(q->ncols + 1));
	for (int i = 0; i < q->ncols; i++) map[i] = i;
	pnode *n = plan ? plan->fragments[0]->root : NULL;
	double est = n ? n->est_rows : -1;
	bool filtered = false;
	while (!e && n && n->kind != PN_SCAN) {
		switch (n->kind) {
		case PN_FILTER:
			filtered = true;
			/* fall through */
		case PN_SORT:
			n = n->children[0];
			break;
		case PN_PROJECT:
			for (int i = 0; i < q->ncols; i++)
				if (map[i] >= 0)
					map[i] = n->exprs[map[i]]->kind == EXPR_COLUMN ? n->exprs[map[i]]->column : -1;
			n = n->children[0];
			break;
		case PN_EXCHANGE: {
			pnode *next = NULL;
			for (int f = 0; n->nsources == 1 && f < plan->nfragments; f++)
				if (plan->fragments[f]->id == n->source_fragments[0]) next = plan->fragments[f]->root;
			if (!next) e = pp_stats_unsupported(lx, st, "this query");
			n = next;
			break;
		}
		default:
			e = pp_stats_unsupported(lx, st, "a query with joins, aggregations or limits");
			break;
		}
	}
	conn_table_stats ts = {.row_count = -1};
	if (!e && n && n->catalog->ops->get_statistics)
		e = n->catalog->ops->get_statistics(n->catalog, n->table, tmp, &ts);
	if (!e) {
		double rows = ts.row_count;
		if (filtered && est >= 0 && (rows < 0 || est < rows)) rows = est;
		const char **names = arena_alloc(tmp, sizeof *names * (size_t)(q->ncols + 1));
		ftype *types = arena_alloc(tmp, sizeof *types * (size_t)(q->ncols + 1));
		const conn_column_stats **cs = arena_alloc(tmp, sizeof *cs * (size_t)(q->ncols + 1));
		for (int i = 0; i < q->ncols; i++) {
			names[i] = arena_strdup(tmp, q->cols[i].name);
			types[i] = q->cols[i].type;
			int k = map[i] >= 0 && map[i] < n->nscan_cols ? n->scan_cols[map[i]] : -1;
			cs[i] = k >= 0 && ts.cols && ts.ncols == n->table->ncols ? &ts.cols[k] : NULL;
		}
		pp_stats_values(sb, q->ncols, names, types, cs, rows);
	}
	arena_destroy(pa);
	plan_free(q);
	return e;
}

static ferr *pp_rewrite(const plan_session *s, const pp_lexer *lx, const pp_stmt *st, arena *tmp,
                        strbuf *sb)
{
	conn_catalog *c = NULL;
	ferr *e = NULL;
	switch (st->kind) {
	case PP_SHOW_CATALOGS:
		sb_puts(sb, "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs");
		TRY(pp_like(lx, st, "table_cat", true, sb));
		sb_puts(sb, " ORDER BY table_cat");
		return NULL;

	case PP_SHOW_SCHEMAS: {
		TRY(pp_catalog(s, lx, st->nparts ? st->parts[0] : NULL, st->name_pos, &c));
		/* Asking the catalog now turns its failure into this statement's
		 * error instead of a listing that silently skips it. */
		int n;
		const char **names;
		e = c->ops->list_schemas(c, tmp, &n, &names);
		if (e) break;
		sb_puts(sb, "SELECT table_schem AS \"Schema\" FROM system.jdbc.schemas"
		            " WHERE table_catalog = ");
		pp_literal(sb, c->name);
		e = pp_like(lx, st, "table_schem", false, sb);
		sb_puts(sb, " ORDER BY table_schem");
		break;
	}

	case PP_SHOW_TABLES: {
		const char *schema = NULL;
		TRY(pp_catalog(s, lx, st->nparts == 2 ? st->parts[0] : NULL, st->name_pos, &c));
		if (st->nparts) {
			schema = st->parts[st->nparts - 1];
			bool found;
			e = pp_schema_exists(c, schema, tmp, &found);
			if (!e && !found)
				e = pp_name_error(lx, st->name_pos,
				                  ferr_new(SQLSTATE_INVALID_SCHEMA_NAME,
				                           "schema \"%s.%s\" does not exist",
				                           c->name, schema));
		} else {
			e = pp_default_schema(s, c, tmp, &schema);
		}
		if (e) break;
		int n;
		const char **names;
		if (c->ops->list_tables && (e = c->ops->list_tables(c, schema, tmp, &n, &names)))
			break;
		sb_puts(
		    sb,
		    "SELECT table_name AS \"Table\" FROM system.jdbc.tables WHERE table_cat = ");
		pp_literal(sb, c->name);
		sb_puts(sb, " AND table_schem = ");
		pp_literal(sb, schema);
		e = pp_like(lx, st, "table_name", false, sb);
		sb_puts(sb, " ORDER BY table_name");
		break;
	}

	case PP_SHOW_COLUMNS: {
		const char *table = st->parts[st->nparts - 1], *schema;
		conn_table *t;
		e = pp_table(s, lx, st, tmp, &c, &schema, &t);
		if (e) break; /* the catalog is released below */
		/* Trino shows '' for no extra and no comment (coalesce() in its
		 * rewrite); Extra is always '' here, Comment is remarks, NULL when
		 * the column has none, until the planner has coalesce(). */
		sb_puts(sb, "SELECT column_name AS \"Column\", type_name AS \"Type\","
		            " '' AS \"Extra\", remarks AS \"Comment\""
		            " FROM system.jdbc.columns WHERE table_cat = ");
		pp_literal(sb, c->name);
		sb_puts(sb, " AND table_schem = ");
		pp_literal(sb, schema);
		sb_puts(sb, " AND table_name = ");
		pp_literal(sb, table);
		e = pp_like(lx, st, "column_name", false, sb);
		sb_puts(sb, " ORDER BY ordinal_position");
		break;
	}

	case PP_SHOW_STATS: {
		if (st->query) return pp_show_stats_query(s, lx, st, tmp, sb);
		const char *schema;
		conn_table *t;
		e = pp_table(s, lx, st, tmp, &c, &schema, &t);
		if (e) break;
		conn_table_stats ts = {.row_count = -1};
		if (c->ops->get_statistics && (e = c->ops->get_statistics(c, t, tmp, &ts))) break;
		int n = 0;
		const char **names = arena_alloc(tmp, sizeof *names * (size_t)(t->ncols + 1));
		ftype *types = arena_alloc(tmp, sizeof *types * (size_t)(t->ncols + 1));
		const conn_column_stats **cs = arena_alloc(tmp, sizeof *cs * (size_t)(t->ncols + 1));
		for (int i = 0; i < t->ncols; i++) {
			if (t->cols[i].hidden) continue;
			names[n] = t->cols[i].name;
			types[n] = t->cols[i].type;
			cs[n++] = ts.cols && ts.ncols == t->ncols ? &ts.cols[i] : NULL;
		}
		pp_stats_values(sb, n, names, types, cs, ts.row_count);
		break;
	}
	}
	catalogs_release(c);
	return e;
}

/* ---- entry ---- */

/*
 * Recognise the statement from its first words only; anything else (SHOW
 * search_path, SHOW ALL, SHOW TIME ZONE, text the lexer cannot read) is
 * left to the normal path untouched.
 */
bool preparse_rewrite(const plan_session *s, const char *sql, arena *a, const char **rewritten,
                      ferr **err)
{
	if (!sql) return false;
	arena *tmp = arena_create(a, "preparse");
	pp_lexer lx = {sql, 0, tmp};
	pp_tok t;
	pp_kind kind = PP_SHOW_COLUMNS;
	bool mine = false, describe = false;
	ferr *first = pp_next(&lx, &t);
	ferr_free(first); /* unreadable from the start: the normal path reports it */
	if (!first && t.kind == PP_IDENT) {
		if (strcmp(t.text, "describe") == 0) {
			/* DESCRIBE INPUT/OUTPUT stmt is Trino's for prepared statements: not ours
			 */
			pp_lexer peek = lx;
			pp_tok t2, t3;
			ferr *pe = pp_next(&peek, &t2);
			if (!pe) pe = pp_next(&peek, &t3);
			ferr_free(pe);
			mine = pe || !(pp_is_kw(&t2, "input") || pp_is_kw(&t2, "output")) ||
			       t3.kind == PP_EOF || t3.kind == PP_SEMI || t3.kind == PP_DOT;
			describe = true;
		} else if (strcmp(t.text, "show") == 0) {
			ferr *pe = pp_next(&lx, &t);
			if (pe) {
				ferr_free(pe);
			} else if (t.kind == PP_IDENT) {
				mine = true;
				if (strcmp(t.text, "catalogs") == 0)
					kind = PP_SHOW_CATALOGS;
				else if (strcmp(t.text, "schemas") == 0)
					kind = PP_SHOW_SCHEMAS;
				else if (strcmp(t.text, "tables") == 0)
					kind = PP_SHOW_TABLES;
				else if (strcmp(t.text, "columns") == 0)
					kind = PP_SHOW_COLUMNS;
				else if (strcmp(t.text, "stats") == 0)
					kind = PP_SHOW_STATS;
				else
					mine = false;
			}
		}
	}
	if (!mine) {
		arena_destroy(tmp);
		return false;
	}

	pp_stmt st = {0};
	ferr *e = NULL;
	if (describe) {
		st.kind = PP_SHOW_COLUMNS;
		e = pp_next(&lx, &t);
		if (!e) e = pp_qualified_name(&lx, &t, 3, &st);
		if (!e) e = pp_tail(&lx, &t, false, &st);
	} else {
		e = pp_parse(&lx, &t, kind, &st);
	}
	strbuf sb = STRBUF_INIT;
	if (!e) e = pp_rewrite(s, &lx, &st, tmp, &sb);
	if (e) {
		*err = e;
	} else {
		*rewritten = arena_strdup(a, sb.data);
	}
	sb_free(&sb);
	arena_destroy(tmp);
	return true;
}

/* ---- ANALYZE ---- */

/* What plan_execute_analyze needs: the table's names and the WITH properties. */
typedef struct pp_analyze {
	const char *catalog, *schema, *table;
	int nprops;
	const char **names, **values; /* names lower-cased, values as SQL text */
} pp_analyze;

static bool pp_is_char(const pp_lexer *lx, const pp_tok *t, char c)
{
	return t->kind == PP_OTHER && lx->sql[t->pos] == c;
}

/* WITH (name = value, ...): each value's SQL text up to a ',' or ')' outside brackets. */
static ferr *pp_analyze_props(pp_lexer *lx, pp_tok *t, arena *a, pp_analyze *an)
{
	TRY(pp_next(lx, t));
	if (!pp_is_char(lx, t, '(')) return pp_syntax_error(lx, t);
	int cap = 4;
	an->names = arena_alloc(a, sizeof(char *) * (size_t)cap);
	an->values = arena_alloc(a, sizeof(char *) * (size_t)cap);
	for (;;) {
		TRY(pp_next(lx, t));
		if (t->kind != PP_IDENT && t->kind != PP_QIDENT) return pp_syntax_error(lx, t);
		const char *name = arena_strdup(a, t->text);
		TRY(pp_next(lx, t));
		if (!pp_is_char(lx, t, '=')) return pp_syntax_error(lx, t);
		TRY(pp_next(lx, t));
		int start = t->pos, end = start, depth = 0;
		while (depth > 0 || !(pp_is_char(lx, t, ',') || pp_is_char(lx, t, ')'))) {
			if (t->kind == PP_EOF || t->kind == PP_SEMI) return pp_syntax_error(lx, t);
			if (pp_is_char(lx, t, '(') || pp_is_char(lx, t, '[')) depth++;
			if (pp_is_char(lx, t, ')') || pp_is_char(lx, t, ']')) depth--;
			end = t->pos + t->len;
			TRY(pp_next(lx, t));
		}
		if (end == start) return pp_syntax_error(lx, t);
		if (an->nprops == cap) {
			an->names = arena_realloc(a, an->names, sizeof(char *) * (size_t)cap, sizeof(char *) * (size_t)cap * 2);
			an->values = arena_realloc(a, an->values, sizeof(char *) * (size_t)cap, sizeof(char *) * (size_t)cap * 2);
			cap *= 2;
		}
		for (int i = 0; i < an->nprops; i++)
			if (strcmp(an->names[i], name) == 0)
				return pp_error_at(lx, start, SQLSTATE_SYNTAX_ERROR, "duplicate property in ANALYZE");
		an->names[an->nprops] = name;
		an->values[an->nprops++] = arena_strndup(a, lx->sql + start, (size_t)(end - start));
		if (pp_is_char(lx, t, ')')) break;
	}
	return pp_next(lx, t);
}

static ferr *pp_analyze_parse(const plan_session *s, pp_lexer *lx, prepared_stmt *p)
{
	pp_tok t;
	arena *a = p->arena;
	TRY(pp_next(lx, &t));
	if (pp_is_kw(&t, "verbose")) TRY(pp_next(lx, &t));
	if (pp_is_char(lx, &t, '(')) {
		/* PostgreSQL's options (VERBOSE, SKIP_LOCKED, ...): nothing they change applies here */
		int depth = 1;
		while (depth > 0) {
			TRY(pp_next(lx, &t));
			if (t.kind == PP_EOF) return pp_syntax_error(lx, &t);
			depth += pp_is_char(lx, &t, '(') - pp_is_char(lx, &t, ')');
		}
		TRY(pp_next(lx, &t));
	}
	while (t.kind == PP_SEMI) TRY(pp_next(lx, &t));
	if (t.kind == PP_EOF) {
		/* every table of the database: PostgreSQL clients and BI tools send it; nothing to do */
		p->kind = STMT_NOOP;
		p->command_tag = "ANALYZE";
		return NULL;
	}
	pp_stmt st = {0};
	TRY(pp_qualified_name(lx, &t, 3, &st));
	if (pp_is_char(lx, &t, '('))
		return pp_error_at(lx, t.pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
		                   "ANALYZE of some columns is not supported: name only the table");
	if (pp_is_char(lx, &t, ','))
		return pp_error_at(lx, t.pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
		                   "ANALYZE of several tables is not supported: analyze one table at a time");
	pp_analyze *an = arena_zalloc(a, sizeof *an);
	if (pp_is_kw(&t, "with")) TRY(pp_analyze_props(lx, &t, a, an));
	TRY(pp_tail(lx, &t, false, &st));
	conn_catalog *c;
	conn_table *table;
	arena *tmp = arena_create(NULL, "analyze");
	ferr *e = pp_table(s, lx, &st, tmp, &c, &an->schema, &table);
	if (!e && !c->ops->analyze)
		e = pp_name_error(lx, st.name_pos,
		                  ferr_hint(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                                     "catalog '%s' (connector %s) does not support ANALYZE",
		                                     c->name, c->connector),
		                            "ANALYZE needs a connector that stores statistics (hive, postgresql)."));
	if (!e) {
		an->catalog = arena_strdup(a, c->name);
		an->schema = arena_strdup(a, an->schema);
		an->table = arena_strdup(a, table->table);
		p->kind = STMT_ANALYZE;
		p->command_tag = "ANALYZE";
		p->analyze = an;
	}
	catalogs_release(c);
	arena_destroy(tmp);
	return e;
}

bool preparse_analyze(const plan_session *s, const char *sql, prepared_stmt *p, ferr **err)
{
	if (!sql) return false;
	/* every statement passes here: most are dismissed by their first character */
	const char *c = sql;
	while (pp_is_space(*c)) c++;
	if (*c != 'a' && *c != 'A' && *c != '-' && *c != '/') return false;
	arena *tmp = arena_create(NULL, "preparse analyze");
	pp_lexer lx = {sql, 0, tmp};
	pp_tok t;
	ferr *first = pp_next(&lx, &t);
	bool mine = !first && (pp_is_kw(&t, "analyze") || pp_is_kw(&t, "analyse"));
	ferr_free(first);
	if (mine) {
		lx.a = p->arena;
		*err = pp_analyze_parse(s, &lx, p);
	}
	arena_destroy(tmp);
	return mine;
}

ferr *plan_execute_analyze(const plan_session *s, prepared_stmt *p, int64_t *rows)
{
	const pp_analyze *an = p->analyze;
	*rows = -1;
	if (!an) return ferr_new(SQLSTATE_INTERNAL_ERROR, "not an ANALYZE statement");
	conn_catalog *c = catalogs_acquire(an->catalog);
	if (!c) return ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist", an->catalog);
	arena *a = arena_create(NULL, "analyze");
	conn_table *t = NULL;
	ferr *e = c->ops->get_table(c, an->schema, an->table, a, &t);
	if (!e && !t)
		e = ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s.%s\" does not exist", an->schema, an->table);
	if (!e && !c->ops->analyze)
		e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "catalog '%s' does not support ANALYZE", c->name);
	if (!e) e = c->ops->analyze(c, t, an->nprops, an->names, an->values, rows);
	arena_destroy(a);
	catalogs_release(c);
	(void)s;
	return e;
}
