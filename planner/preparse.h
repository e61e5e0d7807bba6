/*
 * preparse.h — statements the PostgreSQL grammar rejects but Trino users
 * type: SHOW CATALOGS, SHOW SCHEMAS [FROM c], SHOW TABLES [FROM c.s],
 * SHOW COLUMNS FROM t, DESCRIBE t (each with an optional LIKE pattern).
 * They are recognised before libpg_query sees the text and rewritten into
 * ordinary queries over the system catalog's tables, so they plan, describe
 * and execute like any SELECT (extended protocol included).
 */
#ifndef FERRY_PLANNER_PREPARSE_H
#define FERRY_PLANNER_PREPARSE_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/error.h"
#include "planner/planner.h"

/*
 * If sql is one of the statements above, returns true and sets *rewritten
 * to the equivalent query text (allocated in a), or sets *err (e.g. 3D000
 * for an unknown catalog, 42601 for a malformed SHOW). Returns false for
 * any other text, leaving *rewritten and *err untouched.
 */
bool preparse_rewrite(const plan_session *s, const char *sql, arena *a, const char **rewritten,
                      ferr **err);

/*
 * ANALYZE [VERBOSE] [catalog.[schema.]]table [WITH (name = value, ...)]
 * (Trino's form) and a bare ANALYZE (PostgreSQL's, of every table: a
 * no-op here). Returns true when sql is an ANALYZE statement: p becomes
 * STMT_ANALYZE (or STMT_NOOP), or *err is set (42P01 for a missing
 * table, 0A000 for forms Ferry does not run: several tables, columns,
 * options in parentheses).
 */
bool preparse_analyze(const plan_session *s, const char *sql, prepared_stmt *p, ferr **err);

#endif
