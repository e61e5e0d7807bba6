/*
 * functions_internal.h — how a func_id is built and evaluated, shared by the
 * function library (functions.c), casts (cast.c) and the evaluator (expr.c).
 * A func_id packs an operation and the type domain its arguments were cast
 * to, so the evaluator dispatches once per vector, never per value.
 */
#ifndef FERRY_FUNCTIONS_INTERNAL_H
#define FERRY_FUNCTIONS_INTERNAL_H

#include "exec/expr.h"
#include "exec/types_internal.h"

typedef enum func_op {
	FOP_NONE = 0,
	FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_MOD, FOP_NEG,
	FOP_BIT_AND, FOP_BIT_OR, FOP_BIT_XOR, /* integer & | # */
	FOP_EQ, FOP_NE, FOP_LT, FOP_LE, FOP_GT, FOP_GE,
	FOP_CONCAT_OP,                 /* text || text */
	FOP_DATE_ADD_INT, FOP_DATE_SUB_INT, FOP_DATE_SUB_DATE,
	FOP_TS_ADD_IV, FOP_TS_SUB_IV, FOP_TS_SUB_TS, /* domain TIMESTAMP or TIMESTAMPTZ */
	FOP_INT_ADD_DATE, FOP_IV_ADD_TS,             /* commuted forms: int + date, interval + ts */
	FOP_IV_ADD, FOP_IV_SUB, FOP_IV_NEG,
	FOP_DATE_ADD_TIME,                 /* date + time (dom DATE), time + date (dom TIME) */
	FOP_TIME_ADD_IV, FOP_TIME_SUB_IV, FOP_TIME_SUB_TIME,
	FOP_IV_MUL, FOP_IV_DIV, /* interval * float8, float8 * interval (dom FLOAT8), interval / float8 */
	FOP_ABS, FOP_ROUND, FOP_ROUND2, FOP_FLOOR, FOP_CEIL, FOP_TRUNC,
	FOP_LENGTH, FOP_UPPER, FOP_LOWER, FOP_SUBSTR2, FOP_SUBSTR3,
	FOP_BTRIM, FOP_LTRIM, FOP_RTRIM, FOP_BTRIM2, FOP_LTRIM2, FOP_RTRIM2,
	FOP_CONCAT, FOP_REPLACE, FOP_STRPOS,
	FOP_CONCAT_WS, FOP_LEFT, FOP_RIGHT, FOP_LPAD, FOP_RPAD, FOP_SPLIT_PART,
	FOP_DATE_PART, FOP_EXTRACT, FOP_DATE_TRUNC,
	FOP_POW, FOP_SQRT, FOP_CBRT, FOP_EXP, FOP_LN, FOP_LOG10, /* double precision variants */
	/* functions_text.c */
	FOP_RE_MATCH, FOP_RE_IMATCH, FOP_RE_NMATCH, FOP_RE_NIMATCH, FOP_RE_REPLACE, FOP_RE_LIKE, FOP_RE_COUNT, FOP_RE_SUBSTR, FOP_RE_SUBSTRING,
	FOP_RE_INSTR, FOP_RE_MATCH_ARR, FOP_RE_SPLIT_ARR, FOP_RE_SPLIT_TBL, FOP_RE_MATCHES_ALL,
	FOP_INITCAP, FOP_MD5, FOP_TO_HEX, FOP_ASCII, FOP_CHR, FOP_REPEAT, FOP_TRANSLATE, FOP_STARTS_WITH,
	FOP_QUOTE_IDENT, FOP_QUOTE_LITERAL, FOP_ROW_TEXT, FOP_FORMAT,
	FOP__COUNT
} func_op;

#define FUNC_ID(op, dom) ((int)(op) << 8 | (int)(dom))
#define FUNC_OP(f) ((func_op)((f) >> 8))
#define FUNC_DOM(f) ((type_id)((f)&0xff))

/*
 * Evaluate function e->func over argument vectors (already of the argument
 * types func_lookup asked for) for the live rows of b into out (allocated
 * by the caller for e->type, capacity b->capacity). Strict functions give
 * NULL when an argument is NULL; errors carry PostgreSQL's SQLSTATEs.
 */
ferr *func_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b, arena *a,
                vector *out);

/* Cast the live rows of src (type src->type) into out (type to). */
ferr *cast_vector(const vector *src, ftype to, const expr_ctx *ctx, const batch *b, arena *a,
                  vector *out);
/* Cast a single value (src must not be null). */
ferr *cast_value(ftype from, const void *src, ftype to, const expr_ctx *ctx, arena *a, void *dst);

/* round(a * 10^k / b) half away from zero; false on overflow or b == 0. */
bool num_div_round(i128 a, i128 b, int k, i128 *out);

/*
 * p/10^s1 divided by q/10^s2 at PostgreSQL's select_div_scale, rounded
 * half away from zero once; at fewer decimals when the quotient would have
 * more than NUM_DS_MAX_DIGITS digits. *scale is the quotient's scale.
 * Errors: 22012 for q = 0, 22003 when even the integer part does not fit.
 */
ferr *num_div_ds(i128 p, int s1, i128 q, int s2, i128 *v, int *scale);

/* Value of row r of an argument vector (row 0 of a constant vector). */
#define AT(v, T, r) (((const T *)(v)->data)[(v)->is_const ? 0 : (r)])
#define ISNULL(v, r) vector_is_null((v), (r))
/* Loop over live, non-null result rows (needs b and out in scope). */
#define FOR_ROWS(r)                                                                          \
	for (int i_ = 0; i_ < b->count; i_++)                                                    \
		for (int r = batch_row(b, i_), once_ = 1; once_; once_ = 0)                          \
			if (!out->validity || ((out->validity[r >> 6] >> (r & 63)) & 1))

/*
 * functions_text.c: regular expressions and the text functions beyond the
 * core set. func_text_lookup resolves lname (lower case, or an operator
 * symbol) and returns false when it is not one of them; func_text_eval runs
 * a func_id it resolved.
 */
bool func_text_lookup(const char *lname, int nargs, const ftype *args, func_match *out);
ferr *func_text_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b, arena *a,
                     vector *out);
/* Functions whose NULL arguments do not make the result NULL (format). */
bool func_text_nonstrict(func_op op);

/* True for operators (rendered infix by expr_format). */
bool func_is_operator(int func);

/* Mark row null / valid in out (allocating validity lazily). */
void vec_set_null(vector *v, arena *a, int row, int capacity);

#endif
