/*
 * array_funcs.c — array operators and functions with PostgreSQL's results
 * and NULL rules (see array_funcs.h for the list), and array-to-array
 * casts. Arrays are read with array_iter and made with array_builder; this
 * file never looks at the encoding. Results live in the output's arena.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "exec/array.h"
#include "exec/array_funcs.h"
#include "exec/functions_internal.h"

typedef enum arr_op {
	AOP_CTOR = FOP_ARRAY_FIRST,
	AOP_EQ, AOP_NE, AOP_LT, AOP_LE, AOP_GT, AOP_GE, /* array op array */
	AOP_ANY_EQ, AOP_ANY_NE, AOP_ANY_LT, AOP_ANY_LE, AOP_ANY_GT, AOP_ANY_GE,
	AOP_ALL_EQ, AOP_ALL_NE, AOP_ALL_LT, AOP_ALL_LE, AOP_ALL_GT, AOP_ALL_GE,
	AOP_CAT, AOP_APPEND, AOP_PREPEND, /* || and array_cat/append/prepend */
	AOP_CONTAINS, AOP_CONTAINED, AOP_OVERLAP,
	AOP_SUBSCRIPT, AOP_SLICE,
	AOP_LENGTH, AOP_CARDINALITY, AOP_LOWER, AOP_UPPER, AOP_NDIMS, AOP_DIMS,
	AOP_TO_STRING, AOP_STRING_TO_ARRAY, AOP_POSITION, AOP_POSITIONS, AOP_REMOVE, AOP_REPLACE,
	AOP__END
} arr_op;

static const char *const aop_names[AOP__END - FOP_ARRAY_FIRST] = {
#define N(op, s) [(op) - FOP_ARRAY_FIRST] = (s)
	N(AOP_CTOR, "array"), N(AOP_EQ, "="), N(AOP_NE, "<>"), N(AOP_LT, "<"), N(AOP_LE, "<="),
	N(AOP_GT, ">"), N(AOP_GE, ">="), N(AOP_ANY_EQ, "= ANY"), N(AOP_ANY_NE, "<> ANY"),
	N(AOP_ANY_LT, "< ANY"), N(AOP_ANY_LE, "<= ANY"), N(AOP_ANY_GT, "> ANY"), N(AOP_ANY_GE, ">= ANY"),
	N(AOP_ALL_EQ, "= ALL"), N(AOP_ALL_NE, "<> ALL"), N(AOP_ALL_LT, "< ALL"), N(AOP_ALL_LE, "<= ALL"),
	N(AOP_ALL_GT, "> ALL"), N(AOP_ALL_GE, ">= ALL"), N(AOP_CAT, "||"), N(AOP_APPEND, "array_append"),
	N(AOP_PREPEND, "array_prepend"), N(AOP_CONTAINS, "@>"), N(AOP_CONTAINED, "<@"), N(AOP_OVERLAP, "&&"),
	N(AOP_SUBSCRIPT, "array_subscript"), N(AOP_SLICE, "array_slice"), N(AOP_LENGTH, "array_length"),
	N(AOP_CARDINALITY, "cardinality"), N(AOP_LOWER, "array_lower"), N(AOP_UPPER, "array_upper"),
	N(AOP_NDIMS, "array_ndims"), N(AOP_DIMS, "array_dims"), N(AOP_TO_STRING, "array_to_string"),
	N(AOP_STRING_TO_ARRAY, "string_to_array"), N(AOP_POSITION, "array_position"),
	N(AOP_POSITIONS, "array_positions"), N(AOP_REMOVE, "array_remove"), N(AOP_REPLACE, "array_replace"),
#undef N
};

const char *func_array_name(int func)
{
	int op = FUNC_OP(func);
	if (op < FOP_ARRAY_FIRST || op >= AOP__END) return "?";
	return aop_names[op - FOP_ARRAY_FIRST];
}

/* ---------------------------------------------------------------- lookup */

static bool untyped(ftype t) { return t.id == TYPE_UNKNOWN || t.id == TYPE_NULL; }
static bool is_arr(ftype t) { return t.id == TYPE_ARRAY; }

static ferr *no_such(const char *name, int nargs, const ftype *args)
{
	strbuf sb = STRBUF_INIT;
	bool op = !isalpha((unsigned char)name[0]);
	if (op && nargs == 2) {
		sb_puts(&sb, "operator does not exist: ");
		ftype_format(args[0], &sb);
		sb_printf(&sb, " %s ", name);
		ftype_format(args[1], &sb);
	} else {
		sb_printf(&sb, "function %s(", name);
		for (int i = 0; i < nargs; i++) {
			if (i) sb_puts(&sb, ", ");
			if (untyped(args[i]))
				sb_puts(&sb, "unknown");
			else
				ftype_format(args[i], &sb);
		}
		sb_putc(&sb, ')');
	}
	ferr *e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "%s", sb.data);
	sb_free(&sb);
	ferr_hint(e, op ? "No operator matches the given name and argument types. You might need to add explicit type casts."
	                : "No function matches the given name and argument types. You might need to add explicit type casts.");
	return e;
}

/* The element type two element types meet at (the comparison's common
 * type); an untyped side takes the other's. */
static bool common_elem(ftype x, ftype y, ftype *out)
{
	if (untyped(x) || ftype_equal(x, y)) {
		*out = y;
		return !untyped(y) || (*out = ftype_make(TYPE_TEXT), true);
	}
	if (untyped(y)) {
		*out = x;
		return true;
	}
	func_match m;
	ftype t[2] = {x, y};
	ferr *e = func_lookup("=", 2, t, &m);
	if (e) {
		ferr_free(e);
		return false;
	}
	*out = m.arg_types[0];
	return array_elem_supported(out->id);
}

/* The array type two array-typed (or untyped) arguments meet at. */
static bool common_array(ftype x, ftype y, ftype *out)
{
	if (untyped(x) && untyped(y)) return false;
	if (untyped(x) || untyped(y)) {
		*out = untyped(x) ? y : x;
		return true;
	}
	ftype e;
	if (!common_elem(ftype_array_elem(x), ftype_array_elem(y), &e)) return false;
	*out = ftype_array(e);
	return true;
}

static void match(func_match *out, int op, type_id dom, ftype result, int nargs, const ftype *args)
{
	memset(out, 0, sizeof *out);
	out->func = FUNC_ID(op, dom);
	out->result = result;
	for (int i = 0; i < nargs; i++) out->arg_types[i] = args[i];
}

static const char *const cmp_ops[] = {"=", "<>", "<", "<=", ">", ">="};

static int cmp_index(const char *op)
{
	for (int i = 0; i < 6; i++)
		if (!strcmp(op, cmp_ops[i])) return i;
	if (!strcmp(op, "!=")) return 1;
	return -1;
}

void func_array_ctor(ftype elem, func_match *out)
{
	memset(out, 0, sizeof *out);
	out->func = FUNC_ID(AOP_CTOR, TYPE_ARRAY);
	out->result = ftype_array(elem);
}

ferr *func_array_any_lookup(const char *op, bool all, ftype x, ftype arr, func_match *out)
{
	int k = cmp_index(op);
	ftype et = is_arr(arr) ? ftype_array_elem(arr) : x;
	if (untyped(et)) et = ftype_make(TYPE_TEXT);
	if (!is_arr(arr) && !untyped(arr)) {
		/* PostgreSQL: op ANY/ALL (array) requires array on right side */
		return ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "op ANY/ALL (array) requires array on right side");
	}
	if (k < 0)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "operator %s is not supported with ANY/ALL (array)", op);
	ftype c;
	if (!common_elem(x, et, &c)) {
		ftype t[2] = {untyped(x) ? ftype_make(TYPE_UNKNOWN) : x, et};
		return no_such(op, 2, t);
	}
	ftype args[2] = {c, ftype_array(c)};
	match(out, (all ? AOP_ALL_EQ : AOP_ANY_EQ) + k, c.id, ftype_make(TYPE_BOOL), 2, args);
	return NULL;
}

static bool name_is(const char *n, const char *s) { return strcmp(n, s) == 0; }

bool func_array_lookup(const char *name, int nargs, const ftype *args, func_match *out, ferr **err)
{
	*err = NULL;
	char lname[64];
	size_t nl = strlen(name);
	if (nl >= sizeof lname) return false;
	for (size_t i = 0; i <= nl; i++) lname[i] = (char)tolower((unsigned char)name[i]);
	const char *n = strncmp(lname, "pg_catalog.", 11) == 0 ? lname + 11 : lname;
	bool any_arr = false;
	for (int i = 0; i < nargs; i++) any_arr |= is_arr(args[i]);
	ftype t[3], i4 = ftype_make(TYPE_INT4), tx = ftype_make(TYPE_TEXT), bo = ftype_make(TYPE_BOOL);
	int k = cmp_index(n);

	if (name_is(n, "string_to_array") && (nargs == 2 || nargs == 3)) {
		t[0] = t[1] = t[2] = tx;
		match(out, AOP_STRING_TO_ARRAY, TYPE_TEXT, ftype_array(tx), nargs, t);
		return true;
	}
	if (!any_arr) return false;
	ftype a0 = args[0], a1 = nargs > 1 ? args[1] : a0;

	if (nargs == 2 && (k >= 0 || name_is(n, "@>") || name_is(n, "<@") || name_is(n, "&&"))) {
		ftype c;
		if (!common_array(a0, a1, &c)) goto none;
		t[0] = t[1] = c;
		int op = k >= 0 ? AOP_EQ + k : name_is(n, "@>") ? AOP_CONTAINS : name_is(n, "<@") ? AOP_CONTAINED : AOP_OVERLAP;
		match(out, op, TYPE_ARRAY, bo, 2, t);
		return true;
	}
	if (nargs == 2 && (name_is(n, "||") || name_is(n, "array_cat") || name_is(n, "array_append") ||
	                   name_is(n, "array_prepend"))) {
		bool cat = name_is(n, "array_cat") || (name_is(n, "||") && (is_arr(a0) || untyped(a0)) &&
		                                       (is_arr(a1) || untyped(a1)));
		ftype c, e;
		if (cat) {
			if (!common_array(a0, a1, &c)) goto none;
			t[0] = t[1] = c;
			match(out, AOP_CAT, TYPE_ARRAY, c, 2, t);
			return true;
		}
		bool prepend = name_is(n, "array_prepend") || (name_is(n, "||") && !is_arr(a0));
		ftype arr = prepend ? a1 : a0, el = prepend ? a0 : a1;
		if (!is_arr(arr) || is_arr(el) || !common_elem(el, ftype_array_elem(arr), &e)) goto none;
		c = ftype_array(e);
		t[0] = prepend ? e : c;
		t[1] = prepend ? c : e;
		match(out, prepend ? AOP_PREPEND : AOP_APPEND, TYPE_ARRAY, c, 2, t);
		return true;
	}
	if (!is_arr(a0)) goto none;
	ftype et = ftype_array_elem(a0);
	if (name_is(n, "[]") && nargs == 2) {
		t[0] = a0, t[1] = i4;
		match(out, AOP_SUBSCRIPT, TYPE_ARRAY, et, 2, t);
		return true;
	}
	if (name_is(n, "[:]") && nargs == 3) {
		t[0] = a0, t[1] = t[2] = i4;
		match(out, AOP_SLICE, TYPE_ARRAY, a0, 3, t);
		return true;
	}
	static const struct {
		const char *name;
		int nargs;
		int op;
	} simple[] = {
		{"array_length", 2, AOP_LENGTH}, {"cardinality", 1, AOP_CARDINALITY}, {"array_lower", 2, AOP_LOWER},
		{"array_upper", 2, AOP_UPPER},   {"array_ndims", 1, AOP_NDIMS},       {"array_dims", 1, AOP_DIMS},
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
		if (!name_is(n, simple[i].name) || nargs != simple[i].nargs) continue;
		t[0] = a0, t[1] = i4;
		match(out, simple[i].op, TYPE_ARRAY, simple[i].op == AOP_DIMS ? tx : i4, nargs, t);
		return true;
	}
	if (name_is(n, "array_to_string") && (nargs == 2 || nargs == 3)) {
		t[0] = a0, t[1] = t[2] = tx;
		match(out, AOP_TO_STRING, TYPE_ARRAY, tx, nargs, t);
		return true;
	}
	bool pos = name_is(n, "array_position"), poss = name_is(n, "array_positions");
	bool rem = name_is(n, "array_remove"), rep = name_is(n, "array_replace");
	if (((pos && (nargs == 2 || nargs == 3)) || ((poss || rem) && nargs == 2) || (rep && nargs == 3))) {
		ftype e = et;
		if (is_arr(a1) || (!untyped(a1) && !ftype_equal(a1, et) && !common_elem(a1, et, &e))) goto none;
		if (rep && (is_arr(args[2]) || (!untyped(args[2]) && !common_elem(args[2], e, &e)))) goto none;
		ftype c = ftype_array(e);
		t[0] = c, t[1] = e, t[2] = rep ? e : i4;
		int op = pos ? AOP_POSITION : poss ? AOP_POSITIONS : rem ? AOP_REMOVE : AOP_REPLACE;
		match(out, op, TYPE_ARRAY, pos ? i4 : poss ? ftype_array(i4) : c, nargs, t);
		return true;
	}
	return false;
none:
	*err = no_such(n, nargs, args);
	return true;
}

/* ---------------------------------------------------------------- eval */

static const void *arg_at(const vector *v, int r) { return vector_is_null(v, r) ? NULL : vector_at(v, r); }
static fstring arr_at(const vector *v, int r) { return *(const fstring *)vector_at(v, r); }

static void set_arr(vector *out, int r, fstring f) { ((fstring *)out->data)[r] = f; }
static void set_i4(vector *out, int r, int32_t v) { ((int32_t *)out->data)[r] = v; }

static bool elem_eq(ftype et, const void *x, const void *y)
{
	if (!x || !y) return !x && !y; /* IS NOT DISTINCT FROM */
	return value_compare(et, x, y) == 0;
}

static bool cmp_holds(int k, int c)
{
	switch (k) {
	case 0: return c == 0;
	case 1: return c != 0;
	case 2: return c < 0;
	case 3: return c <= 0;
	case 4: return c > 0;
	default: return c >= 0;
	}
}

/* Copy every element of arr into ab. */
static void add_all(array_builder *ab, ftype at, fstring arr)
{
	array_iter it;
	array_iter_init(&it, at, arr);
	const void *e;
	while (array_iter_next(&it, &e)) array_builder_add(ab, e);
}

/* x op ANY/ALL (arr) with PostgreSQL's NULLs: an empty array gives false
 * (ANY) or true (ALL) whatever x is; otherwise a NULL x or element that
 * could change the answer makes it NULL. Returns 1, 0 or -1 (NULL). */
static int any_all(ftype at, const void *x, fstring arr, int k, bool all)
{
	array_iter it;
	array_iter_init(&it, at, arr);
	if (it.n == 0) return all ? 1 : 0;
	if (!x) return -1;
	bool saw_null = false;
	const void *e;
	while (array_iter_next(&it, &e)) {
		if (!e) {
			saw_null = true;
			continue;
		}
		bool h = cmp_holds(k, value_compare(it.elem, x, e));
		if (!all && h) return 1;
		if (all && !h) return 0;
	}
	return saw_null ? -1 : all ? 1 : 0;
}

/* Whether every non-NULL... PostgreSQL's array_contain_compare: each element
 * of a must equal some element of b; a NULL element never matches. */
static bool contained(ftype at, fstring a, fstring b, bool any)
{
	array_iter ia, ib;
	array_iter_init(&ia, at, a);
	const void *x, *y;
	while (array_iter_next(&ia, &x)) {
		bool found = false;
		if (x) {
			array_iter_init(&ib, at, b);
			while (!found && array_iter_next(&ib, &y)) found = y && value_compare(ia.elem, x, y) == 0;
		}
		if (any && found) return true;
		if (!any && !found) return false;
	}
	return !any;
}

static ferr *string_to_array(const vector *const *args, int nargs, int r, arena *a, fstring *out, bool *isnull)
{
	const fstring *s = arg_at(args[0], r), *d = arg_at(args[1], r);
	const fstring *ns = nargs > 2 ? arg_at(args[2], r) : NULL;
	*isnull = !s;
	if (!s) return NULL;
	array_builder ab;
	array_builder_init(&ab, ftype_make(TYPE_TEXT), a);
	fstring piece;
#define ADD_PIECE(p, l)                                                                                \
	do {                                                                                               \
		piece.ptr = (p), piece.len = (uint32_t)(l);                                                    \
		bool nul_ = ns && piece.len == ns->len && memcmp(piece.ptr, ns->ptr, piece.len) == 0;          \
		array_builder_add(&ab, nul_ ? NULL : &piece);                                                  \
	} while (0)
	if (s->len == 0) {
		/* an empty string gives an empty array */
	} else if (!d) {
		/* NULL delimiter: one element per character */
		for (uint32_t i = 0; i < s->len;) {
			uint32_t j = i + 1;
			while (j < s->len && ((uint8_t)s->ptr[j] & 0xC0) == 0x80) j++;
			ADD_PIECE(s->ptr + i, j - i);
			i = j;
		}
	} else if (d->len == 0) {
		ADD_PIECE(s->ptr, s->len);
	} else {
		uint32_t start = 0;
		for (uint32_t i = 0; i + d->len <= s->len;) {
			if (memcmp(s->ptr + i, d->ptr, d->len) == 0) {
				ADD_PIECE(s->ptr + start, i - start);
				i += d->len;
				start = i;
			} else {
				i++;
			}
		}
		ADD_PIECE(s->ptr + start, s->len - start);
	}
#undef ADD_PIECE
	*out = array_builder_finish(&ab);
	return NULL;
}

static void array_to_string(ftype at, fstring arr, const fstring *sep, const fstring *nullstr, arena *a, fstring *out)
{
	array_iter it;
	array_iter_init(&it, at, arr);
	strbuf sb = STRBUF_INIT, el = STRBUF_INIT;
	bool first = true;
	const void *e;
	while (array_iter_next(&it, &e)) {
		if (!e && !nullstr) continue;
		if (!first) sb_append(&sb, sep->ptr, sep->len);
		first = false;
		if (!e) {
			sb_append(&sb, nullstr->ptr, nullstr->len);
			continue;
		}
		sb_reset(&el);
		value_out_text(it.elem, e, NULL, &el);
		sb_append(&sb, el.data ? el.data : "", el.len);
	}
	out->ptr = arena_strndup(a, sb.data ? sb.data : "", sb.len);
	out->len = (uint32_t)sb.len;
	sb_free(&sb);
	sb_free(&el);
}

/* One row of op; *isnull for a NULL result. */
static ferr *eval_row(const expr *e, int op, vector *const *args, int r, arena *a, vector *out, bool *isnull)
{
	ftype at = e->nargs ? args[0]->type : e->type; /* ARRAY[] has no arguments */
	ftype et = at.id == TYPE_ARRAY ? ftype_array_elem(at) : at;
	array_builder ab;
	array_iter it;
	const void *x;
	*isnull = false;
	switch (op) {
	case AOP_CTOR:
		array_builder_init(&ab, ftype_array_elem(e->type), a);
		for (int k = 0; k < e->nargs; k++) array_builder_add(&ab, arg_at(args[k], r));
		set_arr(out, r, array_builder_finish(&ab));
		return NULL;
	case AOP_STRING_TO_ARRAY: {
		fstring f;
		TRY(string_to_array((const vector *const *)args, e->nargs, r, a, &f, isnull));
		if (!*isnull) set_arr(out, r, f);
		return NULL;
	}
	case AOP_CAT: case AOP_APPEND: case AOP_PREPEND: {
		/* NULL arrays are empty here; a NULL element is appended as NULL */
		bool n0 = vector_is_null(args[0], r), n1 = vector_is_null(args[1], r);
		ftype rt = e->type;
		if (op == AOP_CAT && n0 && n1) break;
		array_builder_init(&ab, ftype_array_elem(rt), a);
		if (op == AOP_PREPEND) {
			array_builder_add(&ab, arg_at(args[0], r));
			if (!n1) add_all(&ab, rt, arr_at(args[1], r));
		} else {
			if (!n0) add_all(&ab, rt, arr_at(args[0], r));
			if (op == AOP_APPEND)
				array_builder_add(&ab, arg_at(args[1], r));
			else if (!n1)
				add_all(&ab, rt, arr_at(args[1], r));
		}
		set_arr(out, r, array_builder_finish(&ab));
		return NULL;
	}
	case AOP_POSITION: case AOP_POSITIONS: case AOP_REMOVE: case AOP_REPLACE: {
		if (vector_is_null(args[0], r)) break;
		const void *v = arg_at(args[1], r);
		fstring arr = arr_at(args[0], r);
		array_iter_init(&it, at, arr);
		if (op == AOP_POSITION) {
			int32_t start = 1;
			if (e->nargs > 2) {
				if (vector_is_null(args[2], r))
					return ferr_new(SQLSTATE_NULL_VALUE_NOT_ALLOWED, "initial position must not be null");
				start = *(const int32_t *)vector_at(args[2], r);
			}
			while (array_iter_next(&it, &x))
				if ((int32_t)it.i >= start && elem_eq(et, x, v)) {
					set_i4(out, r, (int32_t)it.i);
					return NULL;
				}
			break;
		}
		ftype bt = op == AOP_POSITIONS ? ftype_make(TYPE_INT4) : et;
		array_builder_init(&ab, bt, a);
		const void *with = op == AOP_REPLACE ? arg_at(args[2], r) : NULL;
		while (array_iter_next(&it, &x)) {
			bool eq = elem_eq(et, x, v);
			if (op == AOP_POSITIONS) {
				int32_t i = (int32_t)it.i;
				if (eq) array_builder_add(&ab, &i);
			} else if (op == AOP_REMOVE) {
				if (!eq) array_builder_add(&ab, x);
			} else {
				array_builder_add(&ab, eq ? with : x);
			}
		}
		set_arr(out, r, array_builder_finish(&ab));
		return NULL;
	}
	default: break;
	}
	if (op == AOP_CAT || op == AOP_POSITION) {
		*isnull = true;
		return NULL;
	}
	/* the rest are strict in every argument */
	for (int k = 0; k < e->nargs; k++)
		if (vector_is_null(args[k], r) && !(op == AOP_TO_STRING && k == 2)) {
			*isnull = true;
			return NULL;
		}
	if (op >= AOP_ANY_EQ && op <= AOP_ALL_GE) {
		/* the left operand may be NULL: ANY over an empty array is false */
		return NULL;
	}
	fstring arr = arr_at(args[0], r);
	uint32_t n = array_count(arr);
	switch (op) {
	case AOP_EQ: case AOP_NE: case AOP_LT: case AOP_LE: case AOP_GT: case AOP_GE:
		((uint8_t *)out->data)[r] = cmp_holds(op - AOP_EQ, array_compare(at, arr, arr_at(args[1], r)));
		return NULL;
	case AOP_CONTAINS: case AOP_CONTAINED: case AOP_OVERLAP: {
		fstring o = arr_at(args[1], r);
		bool v = op == AOP_CONTAINS ? contained(at, o, arr, false)
		       : op == AOP_CONTAINED ? contained(at, arr, o, false) : contained(at, arr, o, true);
		((uint8_t *)out->data)[r] = v;
		return NULL;
	}
	case AOP_SUBSCRIPT: {
		int32_t i = *(const int32_t *)vector_at(args[1], r);
		if (i < 1 || (uint32_t)i > n || !array_get(at, arr, (uint32_t)i - 1, &it, &x) || !x) {
			*isnull = true;
			return NULL;
		}
		memcpy((char *)out->data + (size_t)r * ftype_width(e->type), x, ftype_width(e->type));
		return NULL;
	}
	case AOP_SLICE: {
		int64_t lo = *(const int32_t *)vector_at(args[1], r), hi = *(const int32_t *)vector_at(args[2], r);
		if (lo < 1) lo = 1;
		if (hi > (int64_t)n) hi = n;
		array_builder_init(&ab, et, a);
		array_iter_init(&it, at, arr);
		while (array_iter_next(&it, &x))
			if ((int64_t)it.i >= lo && (int64_t)it.i <= hi) array_builder_add(&ab, x);
		set_arr(out, r, array_builder_finish(&ab));
		return NULL;
	}
	case AOP_CARDINALITY: set_i4(out, r, (int32_t)n); return NULL;
	case AOP_NDIMS: case AOP_DIMS: case AOP_LENGTH: case AOP_LOWER: case AOP_UPPER: {
		/* '{}' has no dimensions: NULL, as in PostgreSQL */
		int32_t dim = op == AOP_NDIMS || op == AOP_DIMS ? 1 : *(const int32_t *)vector_at(args[1], r);
		if (n == 0 || dim != 1) {
			*isnull = true;
			return NULL;
		}
		if (op == AOP_DIMS) {
			const char *s = arena_sprintf(a, "[1:%u]", n);
			fstring f = {(uint32_t)strlen(s), s};
			set_arr(out, r, f);
		} else {
			set_i4(out, r, op == AOP_NDIMS || op == AOP_LOWER ? 1 : (int32_t)n);
		}
		return NULL;
	}
	case AOP_TO_STRING: {
		fstring f;
		array_to_string(at, arr, arg_at(args[1], r), e->nargs > 2 ? arg_at(args[2], r) : NULL, a, &f);
		set_arr(out, r, f);
		return NULL;
	}
	default: break;
	}
	return ferr_new(SQLSTATE_INTERNAL_ERROR, "array function %s is not implemented", func_array_name(e->func));
}

ferr *func_array_eval(const expr *e, vector *const *args, const batch *b, arena *a, vector *out)
{
	int op = FUNC_OP(e->func);
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	bool anyall = op >= AOP_ANY_EQ && op <= AOP_ALL_GE;
	for (int i = 0; i < b->count; i++) {
		int r = batch_row(b, i);
		bool isnull = false;
		if (anyall) {
			int v = vector_is_null(args[1], r)
			          ? -1
			          : any_all(args[1]->type, arg_at(args[0], r), arr_at(args[1], r),
			                    (op - AOP_ANY_EQ) % 6, op >= AOP_ALL_EQ);
			if (v < 0)
				isnull = true;
			else
				((uint8_t *)out->data)[r] = (uint8_t)v;
		} else {
			TRY(eval_row(e, op, args, r, a, out, &isnull));
		}
		if (isnull) vec_set_null(out, a, r, b->capacity);
	}
	return NULL;
}

/* ---------------------------------------------------------------- casts */

ferr *array_cast_value(ftype from, const void *src, ftype to, const expr_ctx *ctx, arena *a, void *dst)
{
	if (ftype_equal(from, to)) {
		*(fstring *)dst = *(const fstring *)src;
		return NULL;
	}
	ftype fe = ftype_array_elem(from), te = ftype_array_elem(to);
	array_iter it;
	array_iter_init(&it, from, *(const fstring *)src);
	array_builder ab;
	array_builder_init(&ab, te, a);
	array_slot slot;
	const void *x;
	while (array_iter_next(&it, &x)) {
		if (!x) {
			array_builder_add(&ab, NULL);
			continue;
		}
		TRY(cast_value(fe, x, te, ctx, a, slot.bytes));
		array_builder_add(&ab, slot.bytes);
	}
	*(fstring *)dst = array_builder_finish(&ab);
	return NULL;
}

ferr *array_cast_from_text(const void *src, ftype to, const expr_ctx *ctx, arena *a, void *dst)
{
	const fstring *s = src;
	ftype bare = ftype_make(ftype_array_elem(to).id);
	if (bare.id == TYPE_NUMERIC) bare = ftype_numeric_value_scale();
	bare = ftype_array(bare);
	fstring parsed;
	TRY(value_in_text_fs(bare, s->ptr, s->len, a, &parsed, ctx ? ctx->fmt : NULL));
	return array_cast_value(bare, &parsed, to, ctx, a, dst);
}
