/*
 * pg_internal.h — what the files of the postgresql connector share: the
 * catalog, table handle and split structs, the connection pool, connection
 * parameters and the remote-SQL builders. Not a public seam: only files in
 * connectors/postgres/ (and its unit tests) include it.
 */
#ifndef FERRY_PG_INTERNAL_H
#define FERRY_PG_INTERNAL_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/strbuf.h"
#include "connectors/spi.h"

/* ---- connection parameters (pg_conninfo.c) ---- */

/* libpq keyword/value pairs, NULL-terminated arrays, all malloc'd. */
typedef struct pgc_conninfo {
	int n;
	char **keys;
	char **vals;
} pgc_conninfo;

/*
 * Parse connection-url: jdbc:postgresql://host[:port][,host:port...]/db?k=v&...,
 * jdbc:postgresql:db, a postgresql:// URI or a libpq "key=value" string.
 * user/password (connection-user / connection-password, may be NULL)
 * override what the URL says. Errors are F0000 config errors.
 */
ferr *pgc_conninfo_parse(const char *url, const char *user, const char *password,
                         pgc_conninfo *out);
/* Set key (replacing an earlier value). */
void pgc_conninfo_set(pgc_conninfo *ci, const char *key, const char *val);
const char *pgc_conninfo_get(const pgc_conninfo *ci, const char *key);
void pgc_conninfo_free(pgc_conninfo *ci);

/* ---- remote SQL (pg_sql.c): pure functions, no connection needed ---- */

/* "name" with embedded double quotes doubled (what PQescapeIdentifier does). */
void pgc_quote_ident(strbuf *sb, const char *name);
/*
 * A string literal that means the same under either setting of
 * standard_conforming_strings: '...' with quotes doubled, or E'...' with
 * quotes and backslashes doubled when the value has a backslash (as
 * PQescapeLiteral). False (nothing written) if the value has a NUL byte or
 * is not valid UTF-8: such a value cannot be sent as text.
 */
bool pgc_quote_literal(strbuf *sb, const char *s, size_t len);
/* A literal of Ferry type t for a comparison with a column of that type. */
bool pgc_typed_literal(strbuf *sb, ftype t, const fvalue *v);

/* How a column may be pushed down. */
typedef enum pgc_push {
	PGC_PUSH_NONE,  /* never (json, bytea, converted types, ...) */
	PGC_PUSH_EQ,    /* equality / IN only (text with a deterministic collation) */
	PGC_PUSH_RANGE, /* any range (numbers, dates, bools, text in collation "C") */
} pgc_push;

/*
 * Append the SQL form of one column's domain for the column expression
 * colsql, e.g. ("x" IS NULL OR "x" IN (1, 2) OR ("x" >= 5 AND "x" < 9)).
 * False (sb unchanged) if it cannot be expressed exactly under rule push.
 */
bool pgc_domain_sql(strbuf *sb, const char *colsql, ftype t, pgc_push push,
                    const conn_column_domain *d);
/* The number of values d allows when it is a list of single non-null
 * values (col IN (...)); 0 otherwise. */
int64_t pgc_domain_points(ftype t, const conn_column_domain *d);

/*
 * The SQL of a filter expression over the columns of t, or false (sb
 * unchanged) when PostgreSQL's result could differ from Ferry's: columns
 * must allow pushdown (equality for =, <>, IN, IS DISTINCT FROM and LIKE;
 * ranges for ordering and ILIKE), LIKE patterns must read the same.
 */
struct pgc_table;
bool pgc_expr_sql(strbuf *sb, const struct pgc_table *t, const conn_expr *e);
/*
 * The SQL of an arithmetic aggregate argument (columns, constants, + - *,
 * unary -) whose PostgreSQL value is exactly Ferry's value of e->type, or
 * false (sb unchanged): integers, float8, numeric(p,s) without rounding.
 */
bool pgc_arith_sql(strbuf *sb, const struct pgc_table *t, const conn_expr *e);
/* "c" ASC NULLS LAST, ...: only columns with range pushdown; false otherwise. */
bool pgc_order_sql(strbuf *sb, const struct pgc_table *t, int nkeys, const conn_sort_item *keys);

/*
 * The FROM clause of left JOIN right (each side as the subquery its own
 * scan of lcols/rcols would run, columns aliased c0, c1, ...) ON the
 * equalities conds, and the select_sql of each output column (l.cN, then
 * r.cN) in sel[0..nl+nr). False (sb unchanged) when a key's equality in
 * PostgreSQL could differ from Ferry's: the filter pushdown rules.
 */
bool pgc_join_sql(strbuf *sb, const struct pgc_table *l, int nl, const int *lcols,
                  const struct pgc_table *r, int nr, const int *rcols, bool left_join, int nconds,
                  const conn_join_cond *conds, arena *a, const char **sel);

/* DELETE FROM "s"."t" [WHERE <t's pushed predicate>] (apply_delete). */
void pgc_delete_sql(strbuf *sb, const struct pgc_table *t);
/*
 * UPDATE "s"."t" SET "c" = <literal>, ... [WHERE ...] with values[i] of
 * cols[i]'s type (or NULL). False (sb unchanged) when a value has no
 * literal PostgreSQL's assignment would store exactly as Ferry's value:
 * converted columns, unconstrained numeric, json, bytea.
 */
bool pgc_update_sql(strbuf *sb, const struct pgc_table *t, int nset, const int *cols, const fvalue *values);

/* "schema"."table" */
void pgc_qualified_name(strbuf *sb, const char *schema, const char *table);
/* The PostgreSQL column type for Ferry type t; false if there is none. */
bool pgc_column_type_sql(strbuf *sb, ftype t);
/*
 * CREATE TABLE for def, with COMMENT ON statements after it (one string,
 * several statements). False when a column type has no PostgreSQL form
 * (*bad_column names it) or a comment cannot be sent as text.
 */
bool pgc_create_table_sql(strbuf *sb, const conn_table_def *def, const char **bad_column);
/* COPY "s"."t" ("c1", ...) FROM STDIN (FORMAT binary), every column of t. */
void pgc_copy_in_sql(strbuf *sb, const conn_table *t);

/* ---- catalog, handles, splits ---- */

typedef enum pgc_decode {
	PGC_DEC_BOOL,
	PGC_DEC_INT2,
	PGC_DEC_INT4, /* also date */
	PGC_DEC_INT8, /* also time, timestamp, timestamptz */
	PGC_DEC_FLOAT4,
	PGC_DEC_FLOAT8,
	PGC_DEC_STRING, /* text, varchar, bpchar, json, bytea, converted types */
	PGC_DEC_JSONB,  /* version byte, then text */
	PGC_DEC_OTHER,  /* numeric, interval, uuid: value_in_binary */
} pgc_decode;

typedef struct pgc_colinfo {
	const char *select_sql; /* "col" or "col"::text for converted types */
	pgc_decode decode;
	pgc_push push;
	bool converted; /* CONVERT_TO_VARCHAR: read as text, cannot be written */
} pgc_colinfo;

typedef struct pgc_table {
	conn_table base;
	char relkind;         /* pg_class.relkind: r v m f p */
	pgc_colinfo *info;    /* parallel to base.cols */
	const char *where;    /* pushed predicate, SQL; NULL = none */
	int64_t limit;        /* pushed LIMIT; -1 = none */
	/* aggregated handle (apply_aggregation): the GROUP BY list, "" for a
	 * global aggregate; the columns are then the groups and aggregates.
	 * NULL = a plain scan. */
	const char *group_by;
	/* ORDER BY list of a pushed top-N (apply_topn, with limit); NULL = none */
	const char *order_by;
	/* joined handle (apply_join): the FROM clause "(SELECT ...) AS l JOIN
	 * (SELECT ...) AS r ON ..."; the columns are then l.cN and r.cN. One
	 * split, never ctid ranges. NULL = a table. */
	const char *from;
	/* > 0: the pushed filter pins every primary key column to a value list,
	 * so the scan reads at most this many rows through the key's index: one
	 * split, no size lookup. 0 = unknown. */
	int64_t key_rows;
	/* apply_delete / apply_update: the DELETE or UPDATE statement a scan of
	 * this handle runs, once, as its own remote transaction; the one column
	 * is then the bigint count it returns. One split. NULL = a read. */
	const char *dml;
} pgc_table;

typedef struct pgc_split {
	conn_split base;
	int64_t page_lo, page_hi; /* ctid page range [lo, hi); -1 = unbounded */
} pgc_split;

typedef struct pgc_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const char *catalog;
	pgc_conninfo ci;
	PGconn **idle;
	int nidle;
	int open; /* connections that exist: idle + lent out */
	int max;
	int64_t wait_ms;
} pgc_pool;

/* The metadata cache (pg_cache.c): pg_catalog results for metadata.cache-ttl. */
typedef struct pgc_cache_entry pgc_cache_entry;
typedef struct pgc_cache {
	pthread_mutex_t mu;
	int64_t ttl_ms;      /* metadata.cache-ttl; 0 = no caching */
	bool cache_missing;  /* metadata.cache-missing: "no such table" is cached too */
	uint64_t generation; /* bumped by every invalidation */
	pgc_cache_entry *head;
	int n;
} pgc_cache;

typedef struct pgc_catalog {
	conn_catalog base;
	pgc_pool pool;
	pgc_cache cache;
	bool convert_unsupported; /* unsupported-type-handling=CONVERT_TO_VARCHAR */
	int64_t split_min_pages;  /* postgresql.split-min-pages */
} pgc_catalog;

/*
 * Ferry type, decoder and pushdown rule for a PostgreSQL type (postgres.c);
 * false if Ferry has no faithful equivalent. collation: "C", "other",
 * "nondeterministic" or "" (see get_table).
 */
bool pgc_map_type(uint32_t oid, int32_t typmod, const char *collation, ftype *t, pgc_decode *dec,
                  pgc_push *push);

/* ---- pool (pg_pool.c) ---- */

ferr *pgc_pool_init(pgc_pool *p, const char *catalog, pgc_conninfo ci, int max, int64_t wait_ms);
void pgc_pool_destroy(pgc_pool *p);
/* A connection for this thread; *reused says it came from the idle list. */
ferr *pgc_pool_get(pgc_pool *p, PGconn **out, bool *reused);
/* Give a connection back; a broken or busy one is closed instead. */
void pgc_pool_put(pgc_pool *p, PGconn *c);
/* Close a connection that cannot be trusted any more (lent out by this pool). */
void pgc_pool_discard(pgc_pool *p, PGconn *c);
/* The statement failed because the connection is gone (or going: FATAL). */
bool pgc_conn_lost(PGconn *c, const PGresult *r);
/* Error for a failed statement: the server's SQLSTATE, or 08006 when the
 * connection was lost; the message names the catalog. r may be NULL. */
ferr *pgc_result_error(const char *catalog, PGconn *c, const PGresult *r);
/* Run a metadata statement with text parameters; retried once on a fresh
 * connection when a pooled one turns out to be dead. */
ferr *pgc_query(pgc_catalog *c, const char *sql, int nparams, const char *const *params,
                PGresult **out);

/* Run one or more statements (no parameters, no rows wanted), retried like pgc_query. */
ferr *pgc_exec(pgc_catalog *c, const char *sql);

/* ---- metadata cache (pg_cache.c) ---- */

void pgc_cache_init(pgc_cache *m, int64_t ttl_ms, bool cache_missing);
void pgc_cache_destroy(pgc_cache *m);
/* Forget everything: after DDL or a write through the catalog, or a scan
 * that found the remote table changed. */
void pgc_cache_invalidate(pgc_cache *m);
/*
 * pgc_query answered from the cache while the entry is younger than the
 * TTL. empty_is_missing: an empty result means "no such object", stored
 * only under metadata.cache-missing.
 */
ferr *pgc_query_cached(pgc_catalog *c, const char *sql, int nparams, const char *const *params,
                       bool empty_is_missing, PGresult **out);

/* ---- page source (pg_source.c) ---- */

/* The remote SELECT for a scan of cols of t restricted to split s (pg_sql.c). */
void pgc_select_sql(const pgc_table *t, const pgc_split *s, int ncols, const int *cols,
                    strbuf *out);
ferr *pgc_open_page_source(conn_catalog *cat, const conn_table *t, const conn_split *split,
                           int ncols, const int *cols, arena *a, conn_page_source **out);

/* ---- DDL and writes (pg_write.c) ---- */

ferr *pgc_create_schema(conn_catalog *cat, const char *schema, int nprops, const char **prop_names,
                        const char **prop_values);
ferr *pgc_drop_schema(conn_catalog *cat, const char *schema, bool cascade);
ferr *pgc_create_table(conn_catalog *cat, const conn_table_def *def);
ferr *pgc_drop_table(conn_catalog *cat, const conn_table *t);
ferr *pgc_begin_create_table(conn_catalog *cat, const conn_table_def *def, conn_write **out);
ferr *pgc_begin_insert(conn_catalog *cat, const conn_table *t, conn_write_mode mode,
                       conn_write **out);
/* Pushed DELETE / UPDATE: handles whose scan runs the statement (see dml). */
ferr *pgc_apply_delete(conn_catalog *cat, const conn_table *t, arena *a, conn_table **out);
ferr *pgc_apply_update(conn_catalog *cat, const conn_table *t, int nset, const int *cols,
                       const fvalue *values, arena *a, conn_table **out);
ferr *pgc_open_dml_source(conn_catalog *cat, const pgc_table *t, arena *a, conn_page_source **out);
ferr *pgc_open_page_sink(conn_catalog *cat, conn_write *w, conn_page_sink **out);
ferr *pgc_finish_write(conn_catalog *cat, conn_write *w);
void pgc_abort_write(conn_catalog *cat, conn_write *w);

#endif
