/*
 * planner.h — from SQL text to a physical plan; the planner's public face.
 *
 * The session calls plan_split to cut a simple-query message into
 * statements, plan_prepare to parse and analyze one statement (that is all
 * Parse and Describe need: parameter and result types), and plan_bind to
 * produce the optimized, fragmented physical plan with parameter values
 * known. Utility statements (SET, SHOW, BEGIN, ...) are recognised and
 * returned as such: the session executes them.
 */
#ifndef FERRY_PLANNER_H
#define FERRY_PLANNER_H

#include "exec/plan.h"

typedef enum stmt_kind {
	STMT_EMPTY,     /* only whitespace/comments: EmptyQueryResponse */
	STMT_QUERY,     /* SELECT, VALUES, TABLE; SHOW CATALOGS/SCHEMAS/... rewritten to queries */
	STMT_EXPLAIN,   /* query in explain_target; rows of text */
	STMT_SET,       /* SET [SESSION|LOCAL] name = value / TO DEFAULT; RESET */
	STMT_SHOW,      /* SHOW name | SHOW ALL */
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_DISCARD,   /* DISCARD ALL */
	STMT_DEALLOCATE,
	STMT_NOOP,      /* accepted and ignored, reports its command tag */
	STMT_DECLARE,   /* DECLARE name CURSOR FOR query */
	STMT_FETCH,     /* FETCH [n|ALL] FROM name */
	STMT_CLOSE,     /* CLOSE name | CLOSE ALL (cursor_name NULL) */
	STMT_DDL,       /* CREATE/DROP SCHEMA, TABLE, VIEW: plan_execute_ddl */
	STMT_WRITE,     /* INSERT, CREATE TABLE AS, DELETE, UPDATE, TRUNCATE: a plan whose
	                 * one output row is the count; see plan_write_begin */
	/* (FETCH: fetch_count rows, -1 = ALL; only FORWARD is accepted) */
	STMT_ANALYZE,   /* ANALYZE t [WITH (...)]: plan_execute_analyze */
} stmt_kind;

typedef struct result_column {
	const char *name;
	ftype type;
	/* RowDescription table OID / attnum: 0 unless a base column */
	uint32_t table_oid;
	int16_t attnum;
} result_column;

/* What the planner needs of the session. */
typedef struct plan_session {
	const char *user;
	const char *catalog;     /* connection database: default catalog */
	const char *search_path; /* comma list; first existing schema is default */
	const fmt_settings *fmt;
	int32_t backend_pid;        /* pg_backend_pid() */
	const char *server_version; /* version(): the server_version reported to clients */
	/* now()/current_timestamp and statement_timestamp(): microseconds since
	 * 2000-01-01 UTC when the transaction and the client's message began
	 * (0: not known, the wall clock is read instead). */
	int64_t xact_start_us;
	int64_t stmt_start_us;
	/* Session properties (SET SESSION): lookup by name, NULL if unset. */
	const char *(*get_property)(void *opaque, const char *name);
	void *opaque;
} plan_session;

typedef struct prepared_stmt {
	stmt_kind kind;
	const char *command_tag; /* "SELECT", "SET", "BEGIN", ... (SELECT gets its count added) */
	int nparams;
	ftype *param_types;      /* inferred or declared; TYPE_UNKNOWN resolved to text */
	int ncols;
	result_column *cols;     /* result description (0 for utility statements) */
	/* STMT_SET / STMT_SHOW */
	const char *set_name;    /* lower-cased; "all" for SHOW ALL; NULL for RESET ALL */
	const char *set_value;   /* NULL = DEFAULT / RESET */
	bool set_session_property; /* SET SESSION catalog.prop or Ferry property */
	bool set_local;
	/* STMT_EXPLAIN */
	bool explain_analyze;
	/* STMT_DECLARE / STMT_FETCH / STMT_CLOSE */
	const char *cursor_name;
	int64_t fetch_count;            /* -1 = ALL */
	bool cursor_hold;               /* WITH HOLD */
	bool cursor_binary;             /* DECLARE ... BINARY CURSOR */
	/* DECLARE: the analyzed query, with its own arena and catalog references;
	 * plan_free(p) frees it too unless the caller took it (set it to NULL) */
	struct prepared_stmt *cursor_query;
	/* STMT_WRITE: the command tag is command_tag followed by " N" unless
	 * write_no_count (TRUNCATE TABLE) */
	bool write_no_count;
	void *internal;          /* the analyzed statement, for plan_bind */
	/* now(), current_date, ... were folded from the session's start times:
	 * a Bind of this statement plans it again (gateway/session.c) */
	bool time_dependent;
	void *ddl;               /* STMT_DDL: what plan_execute_ddl does */
	arena *arena;            /* owns everything */
	void *analyze;           /* STMT_ANALYZE: the table and properties (planner/preparse.c) */
} prepared_stmt;

typedef struct stmt_span {
	int offset; /* byte offset into the message text */
	int length;
} stmt_span;

/* Cut text into statements (PostgreSQL's lexer rules, quotes and comments). */
ferr *plan_split(const char *sql, arena *a, int *n, stmt_span **spans);

/*
 * Parse and analyze one statement. param_oids[i] = 0 leaves $i+1 to be
 * inferred. Errors carry SQLSTATE and the 1-based position. The result is
 * allocated in a new arena owned by *out; free with plan_free.
 */
ferr *plan_prepare(const plan_session *s, const char *sql, int nparam_oids,
                   const uint32_t *param_oids, prepared_stmt **out);
void plan_free(prepared_stmt *p);

/*
 * Optimize and fragment an analyzed query (STMT_QUERY or the target of
 * STMT_EXPLAIN) with parameter values known; plan allocated in a.
 */
ferr *plan_bind(const plan_session *s, prepared_stmt *p, const fvalue *params, arena *a,
                phys_plan **out);

/*
 * STMT_ANALYZE: compute and store the table's statistics through its
 * catalog (0A000 when the catalog cannot); *rows the rows read, -1 when
 * the catalog does not say.
 */
ferr *plan_execute_analyze(const plan_session *s, prepared_stmt *p, int64_t *rows);

/* STMT_DDL: carry out the statement against its catalog. */
ferr *plan_execute_ddl(const plan_session *s, prepared_stmt *p);

/*
 * STMT_WRITE: a bound write plan runs as a query whose result is one
 * bigint per writer (sum them for the command tag). plan_write_begin asks
 * the target catalog to begin the write (before the plan starts); after
 * the query ended and was destroyed, exactly one of plan_write_finish
 * (commit; on failure nothing is visible) or plan_write_abort follows.
 */
ferr *plan_write_begin(phys_plan *p);
ferr *plan_write_finish(phys_plan *p);
void plan_write_abort(phys_plan *p);

/*
 * Text of the distributed plan for EXPLAIN: one line per output row,
 * separated by '\n'. With q (EXPLAIN ANALYZE, after the run) each operator
 * also shows rows, bytes, time and peak memory.
 */
struct exec_query;
void plan_explain(const phys_plan *p, struct exec_query *q, strbuf *out);

#endif
