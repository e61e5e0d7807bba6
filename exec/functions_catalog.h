/*
 * functions_catalog.h — PostgreSQL's catalog and session functions that
 * psql, pgjdbc and BI tools call (pg_get_userbyid, format_type,
 * pg_table_is_visible, version(), has_table_privilege, ...),
 * plugged into the function library by one hook in func_lookup_ex,
 * func_eval and func_name. Ops are numbered from FOP_CATALOG_FIRST, above
 * every op of functions.c.
 */
#ifndef FERRY_FUNCTIONS_CATALOG_H
#define FERRY_FUNCTIONS_CATALOG_H

#include "exec/expr.h"

#define FOP_CATALOG_FIRST 1000

/*
 * Resolve name(args) if it is a catalog function: returns
 * true and sets *err (NULL on success, with *out filled). false: not ours.
 */
bool func_catalog_lookup(const char *name, int nargs, const ftype *args, func_match *out,
                         ferr **err);
ferr *func_catalog_eval(const expr *e, vector *const *args, const batch *b, arena *a,
                        vector *out);
const char *func_catalog_name(int func);
/* True when a call must not be folded to a constant when it is planned: its value can
 * change between two executions of one prepared statement (current_setting after SET). */
bool func_catalog_is_volatile(int func);

/*
 * Session values the planner appends, as text constants, to a call of
 * name with nargs arguments, one letter each: 'c' the connection's catalog,
 * 's' search_path, 'u' the session user, 'p' the backend pid, 'v' the server_version. NULL: none.
 */
const char *func_catalog_session_args(const char *name, int nargs);

#endif
