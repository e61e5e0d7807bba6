/*
 * spi.h — the connector SPI: the one seam every data source plugs into.
 *
 * A connector is a factory (conn_factory) registered by name; a catalog is
 * one instance of it (conn_catalog) made from a catalog's properties. The
 * engine talks to a catalog only through the functions below: metadata,
 * pushdown negotiation, splits and page sources. Connectors never see the
 * planner's expressions: pushed-down predicates arrive as a conn_domain
 * (per column, a set of allowed ranges), as Trino's TupleDomain.
 *
 * Threading: metadata and split calls come from the planner thread of a
 * query; page sources run on executor threads, one thread at a time per
 * source, many sources at once. A catalog must therefore be thread-safe.
 * Table handles, column handles and splits are immutable once made and are
 * serializable to JSON so they can travel to workers.
 */
#ifndef FERRY_SPI_H
#define FERRY_SPI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/props.h"
#include "exec/batch.h"
#include "exec/types.h"

typedef struct conn_catalog conn_catalog;

typedef struct conn_column {
	const char *name;
	ftype type;
	bool nullable;
	const char *comment; /* may be NULL */
	bool hidden;
} conn_column;

typedef struct conn_column_stats {
	double distinct_count; /* < 0 unknown */
	double null_fraction;  /* < 0 unknown */
	bool has_range;
	fvalue min, max;
	double avg_width;      /* < 0 unknown */
} conn_column_stats;

typedef struct conn_table_stats {
	double row_count; /* < 0 unknown */
	int ncols;
	conn_column_stats *cols; /* may be NULL */
} conn_table_stats;

/*
 * A foreign key of a table: its columns reference columns of another table
 * of the same catalog. Shown to clients through pg_catalog and
 * information_schema only; Ferry does not enforce it.
 */
typedef struct conn_foreign_key {
	const char *name;
	int ncols;
	const int *cols;              /* indexes into conn_table.cols, in key order */
	const char *ref_schema, *ref_table;
	const char *const *ref_cols;  /* the referenced columns, in the order of cols */
	const int *ref_pos;           /* each one's position (1-based) in the referenced
	                               * key, 0 unknown */
	bool ref_is_pk;               /* the referenced key is that table's primary key */
	char on_update, on_delete;    /* PostgreSQL's codes: a no action, r restrict,
	                               * c cascade, n set null, d set default */
	char match;                   /* s simple, f full, p partial */
} conn_foreign_key;

/*
 * A connector's own table handle: opaque to the engine apart from the
 * catalog/schema/table names. Connectors embed this struct first.
 */
typedef struct conn_table {
	const char *schema;
	const char *table;
	int ncols;
	conn_column *cols; /* all columns the table exposes */
	int npk;           /* primary key: indexes into cols, in key order (0 = none) */
	const int *pk;
	int nfk;           /* foreign keys (0 = none) */
	const conn_foreign_key *fk;
	/* What the source calls the relation, as pg_class.relkind (shown to clients
	 * through the catalog emulation): 'v' view, 'm' materialized view, 'f'
	 * foreign table, 'p' partitioned table; 0 (or 'r') an ordinary table. */
	char relkind;
	const char *view_sql; /* definition of a 'v' or 'm' relation when the source gives it */
} conn_table;

/* A unit of parallel work: a connector's own struct with this header first. */
typedef struct conn_split {
	int64_t estimated_rows;
	const char *description; /* shown in EXPLAIN ANALYZE and errors */
} conn_split;

/* ---- pushed-down predicates ---- */

typedef struct conn_range {
	bool low_unbounded, high_unbounded;
	bool low_inclusive, high_inclusive;
	fvalue low, high;
} conn_range;

/* Allowed values of one column: OR of ranges, plus whether NULL passes. */
typedef struct conn_column_domain {
	int column; /* index into conn_table.cols */
	bool null_allowed;
	bool all;   /* any non-null value passes (only the NULL rule applies) */
	int nranges;
	conn_range *ranges;
} conn_column_domain;

/* AND over columns. none = no row can pass. */
typedef struct conn_domain {
	bool none;
	int ncols;
	conn_column_domain *cols;
} conn_domain;

/* An aggregate call offered to apply_aggregation. */
typedef enum conn_agg_func {
	CONN_AGG_COUNT_STAR,
	CONN_AGG_COUNT,
	CONN_AGG_SUM,
	CONN_AGG_AVG,
	CONN_AGG_MIN,
	CONN_AGG_MAX,
} conn_agg_func;

typedef struct conn_aggregate {
	conn_agg_func func;
	int column;   /* index into conn_table.cols; -1 for count(*) */
	ftype result; /* the engine's result type: the connector must give exactly it */
	bool distinct; /* agg(DISTINCT ...) */
	/* the argument when it is an expression over table columns (column is
	 * then -1): arithmetic only (CONN_EXPR_ADD ...); NULL otherwise */
	const struct conn_expr *arg;
} conn_aggregate;

/* A sort key offered to apply_topn. */
typedef struct conn_sort_item {
	int column; /* index into conn_table.cols */
	bool desc;
	bool nulls_first;
} conn_sort_item;

/*
 * A filter expression offered to apply_filter_expr (Trino's
 * ConnectorExpression): what a conn_domain cannot say, such as LIKE,
 * `<>`, NOT IN, IS DISTINCT FROM, OR across columns and comparisons of two
 * columns. Constants are never NULL and have exactly the type of what they
 * are compared with; both sides of a comparison have the same type.
 */
typedef enum conn_expr_kind {
	CONN_EXPR_COLUMN,   /* column (index into conn_table.cols) */
	CONN_EXPR_CONST,    /* value */
	CONN_EXPR_COMPARE,  /* args[0] cmp args[1] */
	CONN_EXPR_AND,      /* n-ary */
	CONN_EXPR_OR,       /* n-ary */
	CONN_EXPR_NOT,      /* args[0] */
	CONN_EXPR_IS_NULL,  /* args[0] IS NULL; negate: IS NOT NULL */
	CONN_EXPR_IN,       /* args[0] IN (args[1..]); negate: NOT IN */
	CONN_EXPR_LIKE,     /* args[0] LIKE args[1] [ESCAPE args[2]]; negate, case_insensitive */
	CONN_EXPR_DISTINCT, /* args[0] IS DISTINCT FROM args[1]; negate: IS NOT DISTINCT FROM */
	/* arithmetic (aggregate arguments): args[0] op args[1] (NEG: -args[0]),
	 * type the engine's result type; numbers only */
	CONN_EXPR_ADD,
	CONN_EXPR_SUB,
	CONN_EXPR_MUL,
	CONN_EXPR_NEG,
} conn_expr_kind;

typedef enum conn_cmp {
	CONN_CMP_EQ,
	CONN_CMP_NE,
	CONN_CMP_LT,
	CONN_CMP_LE,
	CONN_CMP_GT,
	CONN_CMP_GE,
} conn_cmp;

typedef struct conn_expr {
	conn_expr_kind kind;
	ftype type; /* of the value (boolean for predicates) */
	int column; /* CONN_EXPR_COLUMN */
	fvalue value; /* CONN_EXPR_CONST */
	conn_cmp cmp; /* CONN_EXPR_COMPARE */
	bool negate;
	bool case_insensitive;
	int nargs;
	struct conn_expr **args;
} conn_expr;

/* A join offered to apply_join: left.cols[left] = right.cols[right]. */
typedef enum conn_join_type {
	CONN_JOIN_INNER,
	CONN_JOIN_LEFT,
} conn_join_type;

typedef struct conn_join_cond {
	int left, right; /* indexes into each side's conn_table.cols */
} conn_join_cond;

/* ---- page source ---- */

typedef struct conn_page_source conn_page_source;
typedef struct conn_page_source_ops {
	/*
	 * Produce the next batch (columns in the order requested) allocated in
	 * arena a, or *out = NULL at the end. Must return within a bounded time
	 * so that cancellation is prompt; a source that has nothing yet may
	 * return a batch with count 0.
	 */
	ferr *(*next)(conn_page_source *src, arena *a, batch **out);
	void (*close)(conn_page_source *src);
	/* Bytes read from the source so far (for EXPLAIN ANALYZE). */
	int64_t (*bytes_read)(conn_page_source *src);
} conn_page_source_ops;

struct conn_page_source {
	const conn_page_source_ops *ops;
};

/* ---- writes ----
 *
 * A write is Trino's begin / sink / finish protocol. The engine calls
 * begin_insert (or begin_create_table for CREATE TABLE AS) once per
 * statement and gets a conn_write handle; every writer driver opens its own
 * page sink on it (sinks run on executor threads, several at once) and
 * appends batches whose columns are the target table's columns in table
 * order, already of the column types. When every sink has finished, the
 * engine calls finish_write exactly once: that is the commit, after which
 * all rows are visible at once. On any failure or cancel it calls
 * abort_write instead (also after sinks were aborted): nothing of the
 * statement may then be visible, and a table begun by begin_create_table
 * must not exist. finish_write/abort_write free the handle.
 */
typedef enum conn_write_mode {
	CONN_WRITE_APPEND,  /* INSERT: add rows */
	CONN_WRITE_REPLACE, /* the rows written replace the table's rows (DELETE, TRUNCATE) */
} conn_write_mode;

/* A table to create: columns and WITH (name = value, ...) properties. */
typedef struct conn_table_def {
	const char *schema;
	const char *table;
	int ncols;
	conn_column *cols;
	int nprops;
	const char **prop_names;  /* lower-cased */
	const char **prop_values; /* text of each value */
	const char *comment;      /* may be NULL */
	int npk;                  /* PRIMARY KEY columns (indexes into cols); the connector
	                           * enforces it (23505) or refuses the table */
	const int *pk;
} conn_table_def;

typedef struct conn_write {
	const conn_table *table; /* the target: its columns are the sink's layout */
} conn_write;

typedef struct conn_page_sink conn_page_sink;
typedef struct conn_page_sink_ops {
	/* Take the live rows of b (b may carry a selection vector); b is valid only
	 * during the call, so copy what is kept. */
	ferr *(*append)(conn_page_sink *s, const batch *b);
	/* All rows appended: make them ready for finish_write (not yet visible). */
	ferr *(*finish)(conn_page_sink *s);
	/* Drop what this sink wrote; also frees it. Called instead of finish. */
	void (*abort)(conn_page_sink *s);
	/* Frees a finished sink. */
	void (*close)(conn_page_sink *s);
} conn_page_sink_ops;

struct conn_page_sink {
	const conn_page_sink_ops *ops;
};

/* A view: its SQL text and the catalog/schema its names resolve in. */
typedef struct conn_view {
	const char *sql;
	const char *catalog; /* may be NULL: the view's own catalog */
	const char *schema;  /* may be NULL: the view's own schema */
	int ncols;           /* output columns when created (names, types) */
	conn_column *cols;
} conn_view;

/* ---- catalog ---- */

typedef struct conn_catalog_ops {
	ferr *(*list_schemas)(conn_catalog *c, arena *a, int *n, const char ***names);
	ferr *(*list_tables)(conn_catalog *c, const char *schema, arena *a, int *n,
	                     const char ***names);
	/* *out = NULL (and no error) when the schema or table does not exist. */
	ferr *(*get_table)(conn_catalog *c, const char *schema, const char *table, arena *a,
	                   conn_table **out);
	ferr *(*get_statistics)(conn_catalog *c, const conn_table *t, arena *a,
	                        conn_table_stats *out);

	/*
	 * Pushdown negotiation. Each returns a new handle in *out (or NULL when
	 * the connector declines). apply_filter sets *remaining to what the
	 * engine must still evaluate (NULL = nothing); a connector accepts only
	 * what it enforces exactly. Optional: NULL means never accepted.
	 * apply_filter on a handle it returned before ANDs the new domain with
	 * what that handle already enforces. The engine also calls it at run
	 * time with dynamic filters (the key set of a join's build side) on the
	 * handle it scans, and opens the same splits with the result: splits
	 * made for a handle must stay valid for handles derived from it.
	 */
	ferr *(*apply_filter)(conn_catalog *c, const conn_table *t, const conn_domain *d, arena *a,
	                      conn_table **out, conn_domain **remaining);
	ferr *(*apply_limit)(conn_catalog *c, const conn_table *t, int64_t limit, arena *a,
	                     conn_table **out, bool *limit_guaranteed);
	/*
	 * GROUP BY table columns groups[0..ngroups) computing aggs (Trino's
	 * applyAggregation; an aggregate may be DISTINCT or over an arithmetic
	 * expression, conn_aggregate.arg). All or nothing: on acceptance *out is
	 * a handle whose columns are the groups then the aggregates, in that
	 * order and of those types, one row per group (exactly one row when
	 * ngroups is 0), and the engine scans it instead of aggregating.
	 */
	ferr *(*apply_aggregation)(conn_catalog *c, const conn_table *t, int ngroups, const int *groups,
	                           int naggs, const conn_aggregate *aggs, arena *a, conn_table **out);

	/*
	 * ORDER BY keys[0..nkeys) LIMIT limit (Trino's applyTopN). On acceptance
	 * the scan of *out returns at most limit rows, and they are the first
	 * limit rows of the table under that order (ties broken anyway); the
	 * engine keeps its own top-N above, so any number of splits is correct
	 * as long as each returns such rows. Optional.
	 */
	ferr *(*apply_topn)(conn_catalog *c, const conn_table *t, int nkeys, const conn_sort_item *keys,
	                    int64_t limit, arena *a, conn_table **out);
	/*
	 * Conjuncts conj[0..n) of a filter (ANDed). The connector sets
	 * accepted[i] for each one it enforces exactly (the engine then drops
	 * it) and returns in *out a handle enforcing them with whatever it
	 * already enforced, or NULL when it accepts none. Optional.
	 */
	ferr *(*apply_filter_expr)(conn_catalog *c, const conn_table *t, int n,
	                           const conn_expr *const *conj, arena *a, conn_table **out,
	                           bool *accepted);

	/*
	 * left JOIN right ON every conds[k] (Trino's applyJoin): equality under
	 * Ferry's comparison of columns of the same type; both handles are of
	 * catalog c. lcols[0..nl) and rcols[0..nr) are the columns the engine
	 * reads from each side (indexes into each side's cols; every key is
	 * among them). On acceptance *out is a handle whose columns are lcols
	 * then rcols, in that order, giving exactly the join's rows (for a LEFT
	 * join, right columns NULL where no right row matched). Optional.
	 */
	ferr *(*apply_join)(conn_catalog *c, conn_join_type jt, const conn_table *left, int nl,
	                    const int *lcols, const conn_table *right, int nr, const int *rcols,
	                    int nconds, const conn_join_cond *conds, arena *a, conn_table **out);

	/*
	 * DELETE (Trino's applyDelete) of exactly the rows a scan of t returns,
	 * t being a table handle with pushed filters only. On acceptance *out is
	 * a handle with one bigint column and one split; scanning it (once)
	 * carries out the delete at the source as one statement, committed when
	 * the scan ends, and returns one row: the number of rows deleted.
	 * Optional.
	 */
	ferr *(*apply_delete)(conn_catalog *c, const conn_table *t, arena *a, conn_table **out);
	/*
	 * UPDATE (Trino's applyUpdate) of those rows, setting cols[i] (indexes
	 * into t->cols) to values[i], each already of its column's type (or
	 * NULL); a connector declines where the source's assignment could store
	 * a different value. *out as for apply_delete: its scan returns the
	 * number of rows updated. Optional.
	 */
	ferr *(*apply_update)(conn_catalog *c, const conn_table *t, int nset, const int *cols,
	                      const fvalue *values, arena *a, conn_table **out);

	/* Splits for a scan of columns cols[0..ncols) of t. */
	ferr *(*get_splits)(conn_catalog *c, const conn_table *t, int desired_splits, arena *a,
	                    int *n, conn_split ***splits);
	ferr *(*open_page_source)(conn_catalog *c, const conn_table *t, const conn_split *split,
	                          int ncols, const int *cols, arena *a, conn_page_source **out);

	/*
	 * DDL and writes; each optional (NULL: the catalog does not support it,
	 * the engine reports 0A000 naming the catalog). Errors: an existing
	 * schema/table 42P06/42P07, a missing one 3F000/42P01.
	 */
	ferr *(*create_schema)(conn_catalog *c, const char *schema, int nprops,
	                       const char **prop_names, const char **prop_values);
	ferr *(*drop_schema)(conn_catalog *c, const char *schema, bool cascade);
	ferr *(*create_table)(conn_catalog *c, const conn_table_def *def);
	ferr *(*drop_table)(conn_catalog *c, const conn_table *t);
	/* The table is created by finish_write (atomically with its rows). */
	ferr *(*begin_create_table)(conn_catalog *c, const conn_table_def *def, conn_write **out);
	ferr *(*begin_insert)(conn_catalog *c, const conn_table *t, conn_write_mode mode,
	                      conn_write **out);
	ferr *(*open_page_sink)(conn_catalog *c, conn_write *w, conn_page_sink **out);
	/* Commit. Frees w either way; when it fails, nothing may be visible. */
	ferr *(*finish_write)(conn_catalog *c, conn_write *w);
	void (*abort_write)(conn_catalog *c, conn_write *w);

	/* Views. get_view: *out = NULL when there is no such view. */
	ferr *(*get_view)(conn_catalog *c, const char *schema, const char *name, arena *a,
	                  conn_view **out);
	ferr *(*create_view)(conn_catalog *c, const char *schema, const char *name,
	                     const conn_view *v, bool or_replace);
	ferr *(*drop_view)(conn_catalog *c, const char *schema, const char *name);
	/* Views are listed by list_tables along with tables. */

	/* Describe a handle for EXPLAIN (pushed predicates, remote SQL...). */
	void (*explain)(conn_catalog *c, const conn_table *t, strbuf *out);

	/* JSON forms for shipping to workers (optional until distribution). */
	json_t *(*table_to_json)(conn_catalog *c, const conn_table *t);
	json_t *(*split_to_json)(conn_catalog *c, const conn_split *s);

	void (*destroy)(conn_catalog *c);

	/*
	 * ANALYZE (Trino's analyze): read the table, compute its statistics and
	 * store them where get_statistics finds them; *rows is the number of
	 * rows read. WITH (name = value, ...) properties arrive as SQL text,
	 * as for create_table (unknown ones: 22023). Optional: NULL means the
	 * catalog cannot store statistics (the engine reports 0A000).
	 */
	ferr *(*analyze)(conn_catalog *c, const conn_table *t, int nprops, const char **prop_names,
	                 const char **prop_values, int64_t *rows);
} conn_catalog_ops;

struct conn_catalog {
	const conn_catalog_ops *ops;
	const char *name;      /* catalog name */
	const char *connector; /* connector.name */
};

typedef struct conn_factory {
	const char *name; /* connector.name value */
	/* Build a catalog from its properties; props outlive the catalog. */
	ferr *(*create)(const char *catalog_name, const props *p, conn_catalog **out);
} conn_factory;

/* Registry of connector factories (built in at link time). */
void conn_register_builtin(void);
void conn_register(const conn_factory *f);
const conn_factory *conn_find_factory(const char *name);

#endif
