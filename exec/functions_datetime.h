/*
 * functions_datetime.h — to_char, to_date, to_timestamp, to_number,
 * justify_*, isfinite and make_* (functions_datetime.c), plugged into the
 * function library by one hook in func_lookup_ex, func_eval and func_name.
 * Ops are numbered from FOP_DATETIME_FIRST, above the catalog functions.
 */
#ifndef FERRY_FUNCTIONS_DATETIME_H
#define FERRY_FUNCTIONS_DATETIME_H

#include "exec/expr.h"

#define FOP_DATETIME_FIRST 1500

/* Resolve lower-case name(args) if it is one of ours; false: not ours. */
bool func_datetime_lookup(const char *lname, int nargs, const ftype *args, func_match *out);
ferr *func_datetime_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b,
                         arena *a, vector *out);
const char *func_datetime_name(int func);

#endif
