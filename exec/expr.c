/*
 * expr.c — the vectorized expression evaluator: every expr_kind over the
 * live rows of a batch, SQL three-valued logic, lazy CASE/COALESCE/AND/OR
 * (a branch is evaluated only for the rows that reach it, so 1/0 in a
 * branch not taken never fires), LIKE, IN, BETWEEN, NULLIF, EXPLAIN text.
 * It must never touch rows outside the batch's selection, and never assume
 * the value slot of a NULL row holds anything meaningful.
 */
#include <ctype.h>
#include <string.h>

#include "exec/functions_internal.h"

static bool bit_valid(const vector *v, int r) { return !vector_is_null(v, r); }

static uint8_t bool_at(const vector *v, int r) { return *(const uint8_t *)vector_at(v, r); }

/* A view of b restricted to the rows sel[0..count). */
static batch sub_batch(const batch *b, uint16_t *sel, int count)
{
	batch s = *b;
	s.sel = sel;
	s.count = count;
	return s;
}

static uint16_t *live_rows(const batch *b, arena *a)
{
	uint16_t *sel = arena_alloc(a, sizeof(uint16_t) * (size_t)(b->count ? b->count : 1));
	for (int i = 0; i < b->count; i++) sel[i] = (uint16_t)batch_row(b, i);
	return sel;
}

static void bool_vector(vector *out, arena *a, int capacity)
{
	vector_init(out, a, ftype_make(TYPE_BOOL), capacity);
	out->validity = NULL;
	out->is_const = false;
}

static void const_vector(vector *out, arena *a, ftype t, const fvalue *v)
{
	vector_init(out, a, t, 1);
	out->is_const = true;
	out->validity = NULL;
	if (v->isnull || t.id == TYPE_NULL) {
		vec_set_null(out, a, 0, 1);
		return;
	}
	memcpy(out->data, fvalue_ptr(t, v), ftype_width(t));
}

/* Copy row r of src (any layout, possibly const) into row r of dst. */
static void copy_row(vector *dst, const vector *src, int r, arena *a, int capacity)
{
	if (vector_is_null(src, r)) {
		vec_set_null(dst, a, r, capacity);
		return;
	}
	size_t w = ftype_width(dst->type);
	memcpy((char *)dst->data + (size_t)r * w, vector_at(src, r), w);
}

static ferr *eval_as(const expr *e, ftype t, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector v;
	TRY(expr_eval(e, ctx, b, a, &v));
	if (ftype_equal(v.type, t) || t.id == TYPE_NULL || v.type.id == TYPE_NULL) {
		*out = v;
		if (v.type.id == TYPE_NULL) out->type = t;
		return NULL;
	}
	return cast_vector(&v, t, ctx, b, a, out);
}

/* x op y over b's live rows into a bool vector, with PostgreSQL's operator
 * resolution deciding the common type. */
static ferr *compare_vectors(const char *op, const vector *x, const vector *y, const expr_ctx *ctx, const batch *b,
                             arena *a, vector *out)
{
	ftype types[2] = {x->type, y->type};
	func_match m;
	TRY(func_lookup(op, 2, types, &m));
	vector cx, cy;
	const vector *vx = x, *vy = y;
	if (!ftype_equal(x->type, m.arg_types[0]) && x->type.id != TYPE_NULL) {
		TRY(cast_vector(x, m.arg_types[0], ctx, b, a, &cx));
		vx = &cx;
	}
	if (!ftype_equal(y->type, m.arg_types[1]) && y->type.id != TYPE_NULL) {
		TRY(cast_vector(y, m.arg_types[1], ctx, b, a, &cy));
		vy = &cy;
	}
	expr fe = {.kind = EXPR_FUNC, .type = m.result, .nargs = 2, .func = m.func};
	vector *args[2] = {(vector *)vx, (vector *)vy};
	return func_eval(&fe, ctx, args, b, a, out);
}

/* ---------------------------------------------------------------- LIKE */

typedef struct like_pat {
	const char *p;
	uint32_t len;
	int escape; /* -1 none */
	bool ci;
} like_pat;

static int fold(int c, bool ci) { return ci ? tolower(c) : c; }

static uint32_t utf8_step(const char *s, uint32_t i, uint32_t n)
{
	i++;
	while (i < n && ((uint8_t)s[i] & 0xC0) == 0x80) i++;
	return i;
}

/*
 * Iterative wildcard match with backtracking to the last '%'. Returns 1/0,
 * or -1 when the match reaches an escape character that ends the pattern
 * (PostgreSQL raises that error only when matching gets there).
 */
static int like_match(const like_pat *lp, const char *s, uint32_t n)
{
	const char *p = lp->p;
	uint32_t pn = lp->len, pi = 0, si = 0, star_p = UINT32_MAX, star_s = 0;
	while (si < n) {
		if (pi < pn) {
			char c = p[pi];
			if (c == '%') {
				while (pi < pn && p[pi] == '%') pi++;
				if (pi == pn) return 1;
				star_p = pi;
				star_s = si;
				continue;
			}
			if (c == '_') {
				pi++;
				si = utf8_step(s, si, n);
				continue;
			}
			uint32_t lit = pi;
			if (lp->escape >= 0 && (uint8_t)c == lp->escape) {
				if (pi + 1 == pn) return -1;
				lit = pi + 1;
			}
			if (fold((uint8_t)p[lit], lp->ci) == fold((uint8_t)s[si], lp->ci)) {
				pi = lit + 1;
				si++;
				continue;
			}
		}
		if (star_p == UINT32_MAX) return 0;
		star_s = utf8_step(s, star_s, n);
		si = star_s;
		pi = star_p;
	}
	while (pi < pn && p[pi] == '%') pi++;
	return pi == pn;
}

static ferr *like_compile(const fstring *pat, const fstring *esc, bool ci, like_pat *lp)
{
	lp->p = pat->ptr;
	lp->len = pat->len;
	lp->ci = ci;
	lp->escape = '\\';
	if (esc) {
		if (esc->len == 0) lp->escape = -1;
		else if (esc->len == 1) lp->escape = (uint8_t)esc->ptr[0];
		else
			return ferr_new(SQLSTATE_INVALID_ESCAPE_SEQUENCE, "invalid escape string");
	}
	return NULL;
}

static ferr *eval_like(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector s, p, esc;
	ftype tx = ftype_make(TYPE_TEXT);
	TRY(eval_as(e->args[0], tx, ctx, b, a, &s));
	TRY(eval_as(e->args[1], tx, ctx, b, a, &p));
	bool have_esc = e->nargs > 2;
	if (have_esc) TRY(eval_as(e->args[2], tx, ctx, b, a, &esc));
	bool_vector(out, a, b->capacity);
	uint8_t *o = out->data;
	/* constant pattern: compile once for the whole batch */
	bool pconst = p.is_const && (!have_esc || esc.is_const);
	like_pat cp;
	if (pconst && bit_valid(&p, 0) && (!have_esc || bit_valid(&esc, 0)))
		TRY(like_compile(vector_at(&p, 0), have_esc ? vector_at(&esc, 0) : NULL, e->case_insensitive, &cp));
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		if (vector_is_null(&s, r) || vector_is_null(&p, r) || (have_esc && vector_is_null(&esc, r))) {
			vec_set_null(out, a, r, b->capacity);
			continue;
		}
		like_pat lp = cp;
		if (!pconst)
			TRY(like_compile(vector_at(&p, r), have_esc ? vector_at(&esc, r) : NULL, e->case_insensitive, &lp));
		const fstring *str = vector_at(&s, r);
		int m = like_match(&lp, str->ptr, str->len);
		if (m < 0)
			return ferr_new(SQLSTATE_INVALID_ESCAPE_SEQUENCE, "LIKE pattern must not end with escape character");
		o[r] = (uint8_t)((m == 1) != e->negate);
	}
	return NULL;
}

/* ---------------------------------------------------------------- AND / OR / NOT */

/*
 * AND: a row already false needs no further conjunct (and must not raise
 * errors from them); OR symmetrically for true. Each next argument is
 * evaluated only over the rows still undecided.
 */
static ferr *eval_andor(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	bool is_and = e->kind == EXPR_AND;
	bool_vector(out, a, b->capacity);
	uint8_t *o = out->data;
	uint16_t *rows = live_rows(b, a);
	int n = b->count;
	for (int i = 0; i < n; i++) o[rows[i]] = is_and;
	uint8_t *sawnull = arena_zalloc(a, (size_t)b->capacity);
	for (int k = 0; k < e->nargs && n > 0; k++) {
		batch sb = sub_batch(b, rows, n);
		vector v;
		TRY(expr_eval(e->args[k], ctx, &sb, a, &v));
		int m = 0;
		for (int i = 0; i < n; i++) {
			int r = rows[i];
			if (vector_is_null(&v, r)) {
				sawnull[r] = 1;
				rows[m++] = (uint16_t)r;
			} else if (bool_at(&v, r) != is_and) {
				o[r] = !is_and; /* decided: false for AND, true for OR */
				sawnull[r] = 0;
			} else {
				rows[m++] = (uint16_t)r;
			}
		}
		n = m;
	}
	/* undecided rows that saw a NULL are NULL */
	for (int i = 0; i < n; i++)
		if (sawnull[rows[i]]) vec_set_null(out, a, rows[i], b->capacity);
	return NULL;
}

/* ---------------------------------------------------------------- CASE, COALESCE */

/*
 * A value stored into varchar(n)/char(n) must fit in n characters; only
 * trailing spaces may be cut (SQL's rule, as PostgreSQL applies it).
 */
static ferr *check_stored_length(const vector *v, ftype t, const batch *b)
{
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		if (vector_is_null(v, r)) continue;
		const fstring *s = vector_at(v, r);
		int32_t chars = 0;
		for (uint32_t k = 0; k < s->len; k++) {
			if (((unsigned char)s->ptr[k] & 0xC0) == 0x80) continue;
			if (chars++ >= t.length && s->ptr[k] != ' ')
				return ferr_new(SQLSTATE_STRING_DATA_RIGHT_TRUNCATION,
				                "value too long for type %s(%d)",
				                t.id == TYPE_VARCHAR ? "character varying" : "character", t.length);
		}
	}
	return NULL;
}

static ferr *eval_case(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	uint16_t *rows = live_rows(b, a);
	int n = b->count;
	int npairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
	uint16_t *hit = arena_alloc(a, sizeof(uint16_t) * (size_t)(n ? n : 1));
	for (int k = 0; k < npairs && n > 0; k++) {
		batch sb = sub_batch(b, rows, n);
		vector c;
		TRY(expr_eval(e->args[2 * k], ctx, &sb, a, &c));
		int nh = 0, m = 0;
		for (int i = 0; i < n; i++) {
			int r = rows[i];
			if (!vector_is_null(&c, r) && bool_at(&c, r)) hit[nh++] = (uint16_t)r;
			else rows[m++] = (uint16_t)r;
		}
		n = m;
		if (nh) {
			batch hb = sub_batch(b, hit, nh);
			vector v;
			TRY(eval_as(e->args[2 * k + 1], e->type, ctx, &hb, a, &v));
			for (int i = 0; i < nh; i++) copy_row(out, &v, hit[i], a, b->capacity);
		}
	}
	if (n > 0) {
		if (e->has_else) {
			batch sb = sub_batch(b, rows, n);
			vector v;
			TRY(eval_as(e->args[e->nargs - 1], e->type, ctx, &sb, a, &v));
			for (int i = 0; i < n; i++) copy_row(out, &v, rows[i], a, b->capacity);
		} else {
			for (int i = 0; i < n; i++) vec_set_null(out, a, rows[i], b->capacity);
		}
	}
	return NULL;
}

static ferr *eval_coalesce(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	uint16_t *rows = live_rows(b, a);
	int n = b->count;
	for (int k = 0; k < e->nargs && n > 0; k++) {
		batch sb = sub_batch(b, rows, n);
		vector v;
		TRY(eval_as(e->args[k], e->type, ctx, &sb, a, &v));
		int m = 0;
		for (int i = 0; i < n; i++) {
			int r = rows[i];
			if (vector_is_null(&v, r)) rows[m++] = (uint16_t)r;
			else copy_row(out, &v, r, a, b->capacity);
		}
		n = m;
	}
	for (int i = 0; i < n; i++) vec_set_null(out, a, rows[i], b->capacity);
	return NULL;
}

/* ---------------------------------------------------------------- IN */

typedef struct in_set {
	ftype t;
	int cap; /* power of two */
	const void **slots;
} in_set;

static void in_set_add(in_set *s, const void *v)
{
	uint64_t h = value_hash(s->t, v);
	for (int i = (int)(h & (uint64_t)(s->cap - 1));; i = (i + 1) & (s->cap - 1)) {
		if (!s->slots[i]) {
			s->slots[i] = v;
			return;
		}
		if (value_compare(s->t, s->slots[i], v) == 0) return;
	}
}

static bool in_set_has(const in_set *s, const void *v)
{
	uint64_t h = value_hash(s->t, v);
	for (int i = (int)(h & (uint64_t)(s->cap - 1));; i = (i + 1) & (s->cap - 1)) {
		if (!s->slots[i]) return false;
		if (value_compare(s->t, s->slots[i], v) == 0) return true;
	}
}

#define IN_HASH_MIN 8

static ferr *eval_in(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector x;
	TRY(expr_eval(e->args[0], ctx, b, a, &x));
	int nlist = e->nargs - 1;
	bool all_const = nlist >= IN_HASH_MIN;
	for (int k = 1; k <= nlist && all_const; k++) all_const = e->args[k]->kind == EXPR_CONST;
	bool_vector(out, a, b->capacity);
	uint8_t *o = out->data;
	if (all_const) {
		/* long constant list: one hash set, probed per row */
		ftype types[2] = {x.type, e->args[1]->type};
		func_match m;
		TRY(func_lookup("=", 2, types, &m));
		ftype ct = m.arg_types[0];
		vector cx;
		const vector *vx = &x;
		if (!ftype_equal(x.type, ct)) {
			TRY(cast_vector(&x, ct, ctx, b, a, &cx));
			vx = &cx;
		}
		in_set s = {ct, 16, NULL};
		while (s.cap < nlist * 2) s.cap *= 2;
		s.slots = arena_zalloc(a, sizeof(void *) * (size_t)s.cap);
		bool list_null = false;
		for (int k = 1; k <= nlist; k++) {
			const expr *c = e->args[k];
			if (c->value.isnull) {
				list_null = true;
				continue;
			}
			void *slot = arena_alloc(a, ftype_width(ct) + 16);
			TRY(cast_value(c->type, fvalue_ptr(c->type, &c->value), ct, ctx, a, slot));
			in_set_add(&s, slot);
		}
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (vector_is_null(vx, r)) {
				vec_set_null(out, a, r, b->capacity);
				continue;
			}
			if (in_set_has(&s, vector_at(vx, r))) o[r] = !e->negate;
			else if (list_null) vec_set_null(out, a, r, b->capacity);
			else o[r] = e->negate;
		}
		return NULL;
	}
	/* short list: OR of equalities with three-valued logic */
	uint8_t *found = arena_zalloc(a, (size_t)b->capacity), *sawnull = arena_zalloc(a, (size_t)b->capacity);
	for (int k = 1; k <= nlist; k++) {
		vector y, eq;
		TRY(expr_eval(e->args[k], ctx, b, a, &y));
		TRY(compare_vectors("=", &x, &y, ctx, b, a, &eq));
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (vector_is_null(&eq, r)) sawnull[r] = 1;
			else if (bool_at(&eq, r)) found[r] = 1;
		}
	}
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		if (found[r]) o[r] = !e->negate;
		else if (sawnull[r] || vector_is_null(&x, r)) vec_set_null(out, a, r, b->capacity);
		else o[r] = e->negate;
	}
	return NULL;
}

/* ---------------------------------------------------------------- BETWEEN, NULLIF */

static ferr *eval_between(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector x, lo, hi, ge, le;
	TRY(expr_eval(e->args[0], ctx, b, a, &x));
	TRY(expr_eval(e->args[1], ctx, b, a, &lo));
	TRY(expr_eval(e->args[2], ctx, b, a, &hi));
	TRY(compare_vectors(">=", &x, &lo, ctx, b, a, &ge));
	TRY(compare_vectors("<=", &x, &hi, ctx, b, a, &le));
	bool_vector(out, a, b->capacity);
	uint8_t *o = out->data;
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		bool gn = vector_is_null(&ge, r), ln = vector_is_null(&le, r);
		bool gv = !gn && bool_at(&ge, r), lv = !ln && bool_at(&le, r);
		/* AND in three-valued logic, then NOT for NOT BETWEEN */
		if ((!gn && !gv) || (!ln && !lv)) o[r] = e->negate;
		else if (gn || ln) vec_set_null(out, a, r, b->capacity);
		else o[r] = !e->negate;
	}
	return NULL;
}

static ferr *eval_nullif(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector x, y, eq;
	TRY(eval_as(e->args[0], e->type, ctx, b, a, &x));
	TRY(expr_eval(e->args[1], ctx, b, a, &y));
	TRY(compare_vectors("=", &x, &y, ctx, b, a, &eq));
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		if (!vector_is_null(&eq, r) && bool_at(&eq, r)) vec_set_null(out, a, r, b->capacity);
		else copy_row(out, &x, r, a, b->capacity);
	}
	return NULL;
}

/* ---------------------------------------------------------------- entry points */

ferr *expr_eval(const expr *e, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	switch (e->kind) {
	case EXPR_CONST:
		const_vector(out, a, e->type, &e->value);
		return NULL;
	case EXPR_PARAM: {
		if (!ctx || e->param < 1 || e->param > ctx->nparams)
			return ferr_new(SQLSTATE_UNDEFINED_PARAMETER, "there is no parameter $%d", e->param);
		const fvalue *pv = &ctx->params[e->param - 1];
		ftype pt = ctx->param_types ? ctx->param_types[e->param - 1] : e->type;
		if (pt.id == TYPE_NULL || pt.id == TYPE_UNKNOWN) pt = e->type;
		vector v;
		const_vector(&v, a, pt, pv);
		if (ftype_equal(pt, e->type) || pv->isnull) {
			*out = v;
			out->type = e->type;
			return NULL;
		}
		/* a parameter sent as text (or another type) becomes the expected type */
		batch one = {.ncols = 0, .count = 1, .capacity = 1, .arena = a};
		TRY(cast_vector(&v, e->type, ctx, &one, a, out));
		out->is_const = true;
		return NULL;
	}
	case EXPR_COLUMN:
		if (e->column < 0 || e->column >= b->ncols)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "column %d out of range in expression", e->column);
		*out = b->cols[e->column];
		return NULL;
	case EXPR_FUNC: {
		vector argv[8];
		vector *args[8];
		if (e->nargs > 8) return ferr_new(SQLSTATE_INTERNAL_ERROR, "too many function arguments");
		for (int k = 0; k < e->nargs; k++) {
			TRY(expr_eval(e->args[k], ctx, b, a, &argv[k]));
			args[k] = &argv[k];
		}
		return func_eval(e, ctx, args, b, a, out);
	}
	case EXPR_AND: case EXPR_OR: return eval_andor(e, ctx, b, a, out);
	case EXPR_NOT: {
		vector v;
		TRY(expr_eval(e->args[0], ctx, b, a, &v));
		bool_vector(out, a, b->capacity);
		uint8_t *o = out->data;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (vector_is_null(&v, r)) vec_set_null(out, a, r, b->capacity);
			else o[r] = !bool_at(&v, r);
		}
		return NULL;
	}
	case EXPR_IS_NULL: {
		vector v;
		TRY(expr_eval(e->args[0], ctx, b, a, &v));
		bool_vector(out, a, b->capacity);
		uint8_t *o = out->data;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			o[r] = (uint8_t)(vector_is_null(&v, r) != e->negate);
		}
		return NULL;
	}
	case EXPR_CASE: return eval_case(e, ctx, b, a, out);
	case EXPR_CAST: {
		vector v;
		TRY(expr_eval(e->args[0], ctx, b, a, &v));
		if (ftype_equal(v.type, e->type)) {
			*out = v;
			return NULL;
		}
		if (v.type.id == TYPE_NULL) {
			*out = v;
			out->type = e->type;
			vector_init(out, a, e->type, 1);
			out->is_const = true;
			vec_set_null(out, a, 0, 1);
			return NULL;
		}
		if (e->assignment && (e->type.id == TYPE_VARCHAR || e->type.id == TYPE_BPCHAR) &&
		    e->type.length >= 0) {
			ftype wide = e->type;
			wide.length = -1;
			vector w = v;
			if (!ftype_equal(v.type, wide)) TRY(cast_vector(&v, wide, ctx, b, a, &w));
			TRY(check_stored_length(&w, e->type, b));
			return cast_vector(&w, e->type, ctx, b, a, out);
		}
		return cast_vector(&v, e->type, ctx, b, a, out);
	}
	case EXPR_IN: return eval_in(e, ctx, b, a, out);
	case EXPR_LIKE: return eval_like(e, ctx, b, a, out);
	case EXPR_COALESCE: return eval_coalesce(e, ctx, b, a, out);
	case EXPR_NULLIF: return eval_nullif(e, ctx, b, a, out);
	case EXPR_BETWEEN: return eval_between(e, ctx, b, a, out);
	}
	return ferr_new(SQLSTATE_INTERNAL_ERROR, "unknown expression kind %d", (int)e->kind);
}

ferr *expr_filter(const expr *e, const expr_ctx *ctx, batch *b, arena *a)
{
	/* conjuncts narrow the selection one after another: later ones see
	 * only surviving rows (cheaper, and no errors from filtered rows) */
	if (e->kind == EXPR_AND) {
		for (int k = 0; k < e->nargs && b->count > 0; k++) TRY(expr_filter(e->args[k], ctx, b, a));
		return NULL;
	}
	vector v;
	TRY(expr_eval(e, ctx, b, a, &v));
	uint16_t *sel = arena_alloc(a, sizeof(uint16_t) * (size_t)(b->count ? b->count : 1));
	int n = 0;
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		if (!vector_is_null(&v, r) && bool_at(&v, r)) sel[n++] = (uint16_t)r;
	}
	b->sel = sel;
	b->count = n;
	return NULL;
}

ferr *expr_eval_const(const expr *e, const expr_ctx *ctx, arena *a, fvalue *out)
{
	batch one = {.ncols = 0, .count = 1, .capacity = 1, .cols = NULL, .sel = NULL, .arena = a};
	vector v;
	TRY(expr_eval(e, ctx, &one, a, &v));
	memset(out, 0, sizeof *out);
	if (vector_is_null(&v, 0)) {
		out->isnull = true;
		return NULL;
	}
	const void *p = vector_at(&v, 0);
	ftype t = v.type;
	switch (t.id) {
	case TYPE_BOOL: out->u.b = *(const uint8_t *)p; break;
	case TYPE_INT2: out->u.i = *(const int16_t *)p; break;
	case TYPE_INT4: case TYPE_DATE: out->u.i = *(const int32_t *)p; break;
	case TYPE_INT8: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ: out->u.i = *(const int64_t *)p; break;
	case TYPE_FLOAT4: out->u.f = *(const float *)p; break;
	case TYPE_FLOAT8: out->u.f = *(const double *)p; break;
	case TYPE_NUMERIC:
		if (numeric_is_wide(t)) memcpy(&out->u.n, p, sizeof(i128));
		else out->u.i = *(const int64_t *)p;
		break;
	case TYPE_INTERVAL: out->u.iv = *(const finterval *)p; break;
	case TYPE_UUID: out->u.uuid = *(const fuuid *)p; break;
	case TYPE_TIMETZ: out->u.tt = *(const ftimetz *)p; break;
	case TYPE_NULL: out->isnull = true; break;
	default: out->u.s = *(const fstring *)p; break;
	}
	return NULL;
}

/* ---------------------------------------------------------------- EXPLAIN */

static void format_list(const expr *e, int from, strbuf *out)
{
	for (int k = from; k < e->nargs; k++) {
		if (k > from) sb_puts(out, ", ");
		expr_format(e->args[k], out);
	}
}

void expr_format(const expr *e, strbuf *out)
{
	switch (e->kind) {
	case EXPR_CONST:
		if (e->value.isnull || e->type.id == TYPE_NULL) {
			sb_puts(out, "NULL");
		} else {
			bool quote = ftype_width(e->type) == sizeof(fstring) && e->type.id != TYPE_INTERVAL && e->type.id != TYPE_UUID;
			quote = quote || e->type.id == TYPE_DATE || e->type.id >= TYPE_TIME;
			if (e->type.id == TYPE_BOOL) {
				sb_puts(out, e->value.u.b ? "true" : "false");
				break;
			}
			strbuf v = STRBUF_INIT;
			value_out_text(e->type, fvalue_ptr(e->type, &e->value), NULL, &v);
			if (quote) {
				sb_putc(out, '\'');
				for (size_t i = 0; i < v.len; i++) {
					if (v.data[i] == '\'') sb_putc(out, '\'');
					sb_putc(out, v.data[i]);
				}
				sb_putc(out, '\'');
				if (e->type.id != TYPE_TEXT && e->type.id != TYPE_UNKNOWN) {
					sb_puts(out, "::");
					ftype_format(e->type, out);
				}
			} else if (v.len) {
				sb_append(out, v.data, v.len);
			}
			sb_free(&v);
		}
		break;
	case EXPR_COLUMN:
		if (e->name) sb_puts(out, e->name);
		else sb_printf(out, "#%d", e->column);
		break;
	case EXPR_PARAM: sb_printf(out, "$%d", e->param); break;
	case EXPR_FUNC:
		if (func_is_operator(e->func) && e->nargs == 2) {
			sb_putc(out, '(');
			expr_format(e->args[0], out);
			sb_printf(out, " %s ", func_name(e->func));
			expr_format(e->args[1], out);
			sb_putc(out, ')');
		} else if (func_is_operator(e->func) && e->nargs == 1) {
			sb_printf(out, "(%s ", func_name(e->func));
			expr_format(e->args[0], out);
			sb_putc(out, ')');
		} else {
			sb_printf(out, "%s(", e->name ? e->name : func_name(e->func));
			format_list(e, 0, out);
			sb_putc(out, ')');
		}
		break;
	case EXPR_AND: case EXPR_OR:
		sb_putc(out, '(');
		for (int k = 0; k < e->nargs; k++) {
			if (k) sb_puts(out, e->kind == EXPR_AND ? " AND " : " OR ");
			expr_format(e->args[k], out);
		}
		sb_putc(out, ')');
		break;
	case EXPR_NOT:
		sb_puts(out, "(NOT ");
		expr_format(e->args[0], out);
		sb_putc(out, ')');
		break;
	case EXPR_IS_NULL:
		sb_putc(out, '(');
		expr_format(e->args[0], out);
		sb_puts(out, e->negate ? " IS NOT NULL)" : " IS NULL)");
		break;
	case EXPR_CASE: {
		int npairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
		sb_puts(out, "CASE");
		for (int k = 0; k < npairs; k++) {
			sb_puts(out, " WHEN ");
			expr_format(e->args[2 * k], out);
			sb_puts(out, " THEN ");
			expr_format(e->args[2 * k + 1], out);
		}
		if (e->has_else) {
			sb_puts(out, " ELSE ");
			expr_format(e->args[e->nargs - 1], out);
		}
		sb_puts(out, " END");
		break;
	}
	case EXPR_CAST:
		sb_putc(out, '(');
		expr_format(e->args[0], out);
		sb_puts(out, ")::");
		ftype_format(e->type, out);
		break;
	case EXPR_IN:
		sb_putc(out, '(');
		expr_format(e->args[0], out);
		sb_puts(out, e->negate ? " NOT IN (" : " IN (");
		format_list(e, 1, out);
		sb_puts(out, "))");
		break;
	case EXPR_LIKE:
		sb_putc(out, '(');
		expr_format(e->args[0], out);
		sb_printf(out, " %s%s ", e->negate ? "NOT " : "", e->case_insensitive ? "ILIKE" : "LIKE");
		expr_format(e->args[1], out);
		if (e->nargs > 2) {
			sb_puts(out, " ESCAPE ");
			expr_format(e->args[2], out);
		}
		sb_putc(out, ')');
		break;
	case EXPR_COALESCE:
		sb_puts(out, "COALESCE(");
		format_list(e, 0, out);
		sb_putc(out, ')');
		break;
	case EXPR_NULLIF:
		sb_puts(out, "NULLIF(");
		format_list(e, 0, out);
		sb_putc(out, ')');
		break;
	case EXPR_BETWEEN:
		sb_putc(out, '(');
		expr_format(e->args[0], out);
		sb_puts(out, e->negate ? " NOT BETWEEN " : " BETWEEN ");
		expr_format(e->args[1], out);
		sb_puts(out, " AND ");
		expr_format(e->args[2], out);
		sb_putc(out, ')');
		break;
	}
}
