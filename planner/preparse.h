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

#endif
