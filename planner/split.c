/*
 * split.c — cuts a simple-query message into statements (plan_split).
 * Uses libpg_query's scanner so quotes, dollar quotes and comments follow
 * PostgreSQL's lexer; it must never parse or judge the statements itself.
 */
#include <ctype.h>
#include <pg_query.h>
#include <string.h>

#include "planner/planner.h"

static bool plan_span_is_blank(const char *s, int len)
{
	for (int i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]) && s[i] != ';') return false;
	return true;
}

/*
 * Statements that are only whitespace are dropped; text that is only
 * comments yields no spans (the caller answers EmptyQueryResponse).
 * The scanner variant is used on purpose: a syntax error in statement 2
 * must not stop statement 1 from running, as in PostgreSQL.
 */
ferr *plan_split(const char *sql, arena *a, int *n, stmt_span **spans)
{
	*n = 0;
	*spans = NULL;
	PgQuerySplitResult r = pg_query_split_with_scanner(sql);
	if (r.error) {
		ferr *e = ferr_new(SQLSTATE_SYNTAX_ERROR, "%s", r.error->message);
		ferr_position(e, r.error->cursorpos);
		pg_query_free_split_result(r);
		return e;
	}
	stmt_span *out = arena_zalloc(a, sizeof(stmt_span) * (size_t)(r.n_stmts + 1));
	int k = 0;
	for (int i = 0; i < r.n_stmts; i++) {
		int off = r.stmts[i]->stmt_location, len = r.stmts[i]->stmt_len;
		if (len == 0) len = (int)strlen(sql) - off;
		/* the scanner reports a span that may start with whitespace */
		while (len > 0 && isspace((unsigned char)sql[off])) off++, len--;
		if (len <= 0 || plan_span_is_blank(sql + off, len)) continue;
		out[k].offset = off;
		out[k].length = len;
		k++;
	}
	pg_query_free_split_result(r);
	*n = k;
	*spans = out;
	return NULL;
}
