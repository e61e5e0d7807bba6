/*
 * split.c — cuts a simple-query message into statements (plan_split).
 * Uses libpg_query's scanner so quotes, dollar quotes and comments follow
 * PostgreSQL's lexer, and cuts at top-level semicolon tokens. It must never
 * parse or judge the statements: "selec 1; select 2" is two statements, the
 * first of which fails in plan_prepare with its own syntax error.
 */
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <string.h>

#include "planner/planner.h"

static bool plan_token_is_comment(const PgQuery__ScanToken *t)
{
	return t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT;
}

/*
 * Each span runs from a statement's first token to its last one (comments
 * and whitespace around it excluded). Empty statements (";;") are dropped;
 * text with no tokens at all yields no spans (the caller answers
 * EmptyQueryResponse). A lexical error (unterminated quote or comment) is a
 * 42601 for the whole message, as PostgreSQL's lexer reports it.
 */
ferr *plan_split(const char *sql, arena *a, int *n, stmt_span **spans)
{
	*n = 0;
	*spans = NULL;
	PgQueryScanResult r = pg_query_scan(sql);
	if (r.error) {
		ferr *e = ferr_new(SQLSTATE_SYNTAX_ERROR, "%s", r.error->message);
		ferr_position(e, r.error->cursorpos);
		pg_query_free_scan_result(r);
		return e;
	}
	PgQuery__ScanResult *scan =
	    pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
	pg_query_free_scan_result(r);
	if (!scan) return ferr_new(SQLSTATE_SYNTAX_ERROR, "could not scan the statement text");
	stmt_span *out = arena_zalloc(a, sizeof(stmt_span) * (scan->n_tokens + 1));
	int k = 0;
	int start = -1, end = -1, depth = 0;
	for (size_t i = 0; i <= scan->n_tokens; i++) {
		const PgQuery__ScanToken *t = i < scan->n_tokens ? scan->tokens[i] : NULL;
		if (t && plan_token_is_comment(t)) continue;
		/* Semicolons inside parentheses (never valid SQL) do not cut; the parser reports them. */
		if (t && t->token == '(') depth++;
		if (t && t->token == ')' && depth > 0) depth--;
		if (!t || (t->token == PG_QUERY__TOKEN__ASCII_59 && depth == 0)) {
			if (start >= 0) {
				out[k].offset = start;
				out[k].length = end - start;
				k++;
			}
			start = end = -1;
			depth = 0;
			continue;
		}
		if (start < 0) start = t->start;
		end = t->end;
	}
	pg_query__scan_result__free_unpacked(scan, NULL);
	*n = k;
	*spans = out;
	return NULL;
}
