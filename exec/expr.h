/*
 * expr.h — bound scalar expressions and the vectorized evaluator.
 *
 * The planner builds expr trees with every type resolved and every column
 * reference bound to an input column index; exec evaluates them a whole
 * batch at a time (no per-value function pointer). Functions and operators
 * are named by a func_id that the function library (exec/functions.c)
 * resolves from a SQL name and argument types, PostgreSQL's way: the
 * planner asks func_lookup() and gets the id, the result type and the
 * argument types to cast to.
 */
#ifndef FERRY_EXPR_H
#define FERRY_EXPR_H

#include "exec/batch.h"

typedef enum expr_kind {
	EXPR_CONST,   /* value */
	EXPR_COLUMN,  /* column index of the input batch */
	EXPR_PARAM,   /* $n, 1-based; value supplied at execution */
	EXPR_FUNC,    /* func id over args: operators and functions alike */
	EXPR_AND,     /* n-ary, SQL three-valued */
	EXPR_OR,      /* n-ary */
	EXPR_NOT,
	EXPR_IS_NULL, /* args[0] IS NULL; negate for IS NOT NULL */
	EXPR_CASE,    /* args: cond1, res1, cond2, res2, ..., [else]; has_else */
	EXPR_CAST,    /* args[0] to type */
	EXPR_IN,      /* args[0] IN (args[1..]); negate for NOT IN */
	EXPR_LIKE,    /* args[0] LIKE args[1] [ESCAPE args[2]]; negate, case_insensitive */
	EXPR_COALESCE,
	EXPR_NULLIF,
	EXPR_BETWEEN, /* args[0] BETWEEN args[1] AND args[2]; negate */
} expr_kind;

typedef struct expr {
	expr_kind kind;
	ftype type; /* result type */
	int nargs;
	struct expr **args;
	fvalue value;   /* EXPR_CONST */
	int column;     /* EXPR_COLUMN */
	int param;      /* EXPR_PARAM (1-based) */
	int func;       /* EXPR_FUNC: func_id */
	bool negate;
	bool has_else;
	bool case_insensitive;
	bool assignment; /* EXPR_CAST into a stored column: too long a string is 22001 */
	const char *name; /* for EXPLAIN: function or column name */
} expr;

/* Function library lookup. */
typedef struct func_match {
	int func;
	ftype result;
	ftype arg_types[8]; /* cast args to these before calling */
} func_match;

/*
 * Resolve name(args) as PostgreSQL would for the types Ferry has: operators
 * use their symbol ("+", "=", "||"). Returns 42883 when nothing matches.
 */
ferr *func_lookup(const char *name, int nargs, const ftype *args, func_match *out);
const char *func_name(int func);
/*
 * As func_lookup, and consts[i] (when consts and consts[i] are not NULL) is
 * the value of argument i if it is a constant: result types that depend on
 * a constant argument (round(x, 2), extract('second' from ...)) are then
 * exact. func_lookup(...) is func_lookup_ex(..., NULL, out).
 */
ferr *func_lookup_ex(const char *name, int nargs, const ftype *args, const fvalue *const *consts,
                     func_match *out);

/* Aggregate functions: count, count(*), sum, avg, min, max (+ DISTINCT). */
typedef enum agg_kind {
	AGG_COUNT_STAR,
	AGG_COUNT,
	AGG_SUM,
	AGG_AVG,
	AGG_MIN,
	AGG_MAX,
	/* agg_funcs_ext.c */
	AGG_VAR_SAMP,
	AGG_VAR_POP,
	AGG_STDDEV_SAMP,
	AGG_STDDEV_POP,
	AGG_BOOL_AND,
	AGG_BOOL_OR,
	AGG_APPROX_DISTINCT,
	AGG_STRING_AGG,
	AGG_PERCENTILE_CONT,
	AGG_PERCENTILE_DISC,
	AGG_ARRAY_AGG, /* agg_funcs_ext.c: NULLs kept, optional ORDER BY */
	AGG_BIT_AND,   /* agg_funcs_ext.c: bit_and/bit_or/bit_xor over integers */
	AGG_BIT_OR,
	AGG_BIT_XOR,
	AGG_REGR,            /* corr, covar_*, regr_* (float8_regr_accum); which one by name */
	AGG_JSON_AGG,        /* json_agg/jsonb_agg (result type tells which) */
	AGG_JSON_OBJECT_AGG, /* json_object_agg/jsonb_object_agg */
	AGG_MODE,            /* mode() WITHIN GROUP (ORDER BY x) */
	AGG_HYPOTHETICAL,    /* rank/dense_rank/percent_rank/cume_dist(v) WITHIN GROUP; by name */
} agg_kind;

/* stddev/variance, bool_and/or, every, string_agg, approx_distinct, percentile_cont/disc */
bool agg_is_ext_name(const char *lower_name);
/* agg_lookup for those names (agg_funcs_ext.c); false when no such signature. */
bool agg_ext_lookup(const char *lower_name, int nargs, const ftype *args, agg_kind *kind,
                    ftype *result);

/* Result type of an aggregate over arg (PostgreSQL's rules). */
ferr *agg_lookup(const char *name, bool star, int nargs, const ftype *args, agg_kind *kind,
                 ftype *result);

/* Evaluation. */
typedef struct expr_ctx {
	const fvalue *params; /* params[0] is $1 */
	int nparams;
	const ftype *param_types;
	const fmt_settings *fmt; /* text casts use the session's settings */
} expr_ctx;

/*
 * Evaluate e over the live rows of b into out (a vector allocated in arena
 * a, indexed by physical row like the batch's own vectors).
 */
ferr *expr_eval(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out);
/*
 * Evaluate a boolean predicate and narrow b's selection to rows where it is
 * true (not false, not null). b->sel may be replaced (allocated in a).
 */
ferr *expr_filter(const expr *e, const expr_ctx *ctx, batch *b, arena *a);
/* Evaluate an expression that references no columns (constants, params). */
ferr *expr_eval_const(const expr *e, const expr_ctx *ctx, arena *a, fvalue *out);

/* Render for EXPLAIN. */
void expr_format(const expr *e, strbuf *out);

#endif
