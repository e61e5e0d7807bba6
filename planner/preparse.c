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

typedef enum pp_kind { PP_SHOW_CATALOGS, PP_SHOW_SCHEMAS, PP_SHOW_TABLES, PP_SHOW_COLUMNS } pp_kind;

typedef struct pp_stmt {
	pp_kind kind;
	int nparts; /* parts of the FROM name, 0 = none given */
	const char *parts[3];
	int name_pos;       /* byte offset of the FROM name */
	const char *like;   /* NULL = no LIKE */
	const char *escape; /* NULL = no ESCAPE */
	int like_pos;
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
		const char *table = st->parts[st->nparts - 1];
		const char *schema = st->nparts >= 2 ? st->parts[st->nparts - 2] : NULL;
		conn_table *t = NULL;
		TRY(pp_catalog(s, lx, st->nparts == 3 ? st->parts[0] : NULL, st->name_pos, &c));
		if (schema) {
			bool found;
			e = pp_schema_exists(c, schema, tmp, &found);
			if (!e && !found)
				e = pp_name_error(lx, st->name_pos,
				                  ferr_new(SQLSTATE_INVALID_SCHEMA_NAME,
				                           "schema \"%s.%s\" does not exist",
				                           c->name, schema));
			if (!e) e = c->ops->get_table(c, schema, table, tmp, &t);
		} else {
			/* like a table in a query: the first search_path schema holding it */
			const char **path;
			int n = pp_search_path(s, tmp, &path);
			for (int i = 0; i < n && !t && !e; i++) {
				e = c->ops->get_table(c, path[i], table, tmp, &t);
				if (t) schema = path[i];
			}
		}
		if (e) break;
		if (!t) {
			e = pp_name_error(lx, st->name_pos,
			                  ferr_new(SQLSTATE_UNDEFINED_TABLE,
			                           "relation \"%s%s%s\" does not exist",
			                           schema ? schema : "", schema ? "." : "", table));
			break;
		}
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
