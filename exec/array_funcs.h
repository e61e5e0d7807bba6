/*
 * array_funcs.h — array operators and functions (=, <, ||, @>, <@, &&,
 * subscripts and slices, x op ANY/ALL (array), the ARRAY[...] constructor,
 * array_length, cardinality, array_to_string, string_to_array,
 * array_position(s), array_append/prepend/cat/remove/replace, ...) and casts
 * between array types. Plugged into the function library by one hook in
 * func_lookup_ex, func_eval and func_name; ops are numbered from
 * FOP_ARRAY_FIRST, between functions.c's ops and the catalog functions.
 */
#ifndef FERRY_ARRAY_FUNCS_H
#define FERRY_ARRAY_FUNCS_H

#include "exec/expr.h"

#define FOP_ARRAY_FIRST 900

/*
 * Resolve name(args) if it is an array function or an operator over an
 * array: returns true and sets *err (NULL on success, *out filled); false
 * when the call is not one of them. The planner's own names: "[]" (a[i]),
 * "[:]" (a[i:j]).
 */
bool func_array_lookup(const char *name, int nargs, const ftype *args, func_match *out, ferr **err);
/* x op ANY (arr) (all = false) or x op ALL (arr): op is a comparison. */
ferr *func_array_any_lookup(const char *op, bool all, ftype x, ftype arr, func_match *out);
/* ARRAY[e1, ...]: any number of arguments, already cast to elem. */
void func_array_ctor(ftype elem, func_match *out);
ferr *func_array_eval(const expr *e, vector *const *args, const batch *b, arena *a, vector *out);
const char *func_array_name(int func);
/* A cast between two array types, element by element. */
ferr *array_cast_value(ftype from, const void *src, ftype to, const expr_ctx *ctx, arena *a, void *dst);
/* text to an array type: read without the element's modifier, then cast to
 * it, so '{ab}'::varchar(1)[] truncates as an explicit cast does. */
ferr *array_cast_from_text(const void *src, ftype to, const expr_ctx *ctx, arena *a, void *dst);

#endif
