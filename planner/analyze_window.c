/*
 * analyze_window.c — window functions of one SELECT level: the calls
 * (ranking, lag/lead, first/last/nth_value, aggregates OVER), their windows
 * (named WINDOW definitions, PARTITION BY, ORDER BY, ROWS/RANGE/GROUPS
 * frames) and the logical plan they become: a project of their inputs, then
 * one LN_WINDOW per distinct window. Also DISTINCT ON, which is
 * row_number() = 1 over the DISTINCT ON keys. Errors follow PostgreSQL's
 * parse_agg.c / parse_clause.c wording; nothing here runs a query.
 */
#include <string.h>

#include "planner/analyze_internal.h"

/* PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h), as libpg_query passes them. */
enum {
	FO_NONDEFAULT = 0x1,
	FO_RANGE = 0x2,
	FO_ROWS = 0x4,
	FO_GROUPS = 0x8,
	FO_START_UNBOUNDED_PRECEDING = 0x20,
	FO_END_UNBOUNDED_FOLLOWING = 0x100,
	FO_START_CURRENT_ROW = 0x200,
	FO_END_CURRENT_ROW = 0x400,
	FO_START_OFFSET_PRECEDING = 0x800,
	FO_END_OFFSET_PRECEDING = 0x1000,
	FO_START_OFFSET_FOLLOWING = 0x2000,
	FO_END_OFFSET_FOLLOWING = 0x4000,
	FO_EXCLUSION = 0x8000 | 0x10000 | 0x20000,
};

static ferr *win_err(const char *state, int location, const char *fmt, const char *arg)
{
	ferr *e = ferr_new(state, fmt, arg);
	return location >= 0 ? ferr_position(e, location + 1) : e;
}

int an_node_location(const pqnode *n)
{
	if (!n) return -1;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST: return n->a_const->location;
	case PG_QUERY__NODE__NODE_COLUMN_REF: return n->column_ref->location;
	case PG_QUERY__NODE__NODE_TYPE_CAST: {
		/* as PostgreSQL's exprLocation: the leftmost of the cast and its argument */
		int a = an_node_location(n->type_cast->arg), l = n->type_cast->location;
		return a >= 0 && (l < 0 || a < l) ? a : l;
	}
	case PG_QUERY__NODE__NODE_A_EXPR: return n->a_expr->location;
	case PG_QUERY__NODE__NODE_FUNC_CALL: return n->func_call->location;
	case PG_QUERY__NODE__NODE_PARAM_REF: return n->param_ref->location;
	default: return -1;
	}
}

bool an_window_is_out(const winset *w, int id)
{
	if (!w) return false;
	for (int i = 0; i < w->n; i++)
		if (w->calls[i].out == id) return true;
	return false;
}

static const PgQuery__WindowDef *named_window(const winset *w, const char *name)
{
	if (!w->st) return NULL;
	for (size_t i = 0; i < w->st->n_window_clause; i++) {
		const PgQuery__WindowDef *d = w->st->window_clause[i]->window_def;
		if (d->name && !strcmp(d->name, name)) return d;
	}
	return NULL;
}

static void set_bound(frame_bound *b, int opts, int unb_prec, int cur, int off_prec, int off_fol,
                      int unb_fol)
{
	if (opts & unb_prec)
		*b = FB_UNBOUNDED_PRECEDING;
	else if (opts & cur)
		*b = FB_CURRENT_ROW;
	else if (opts & off_prec)
		*b = FB_PRECEDING;
	else if (opts & off_fol)
		*b = FB_FOLLOWING;
	else if (opts & unb_fol)
		*b = FB_UNBOUNDED_FOLLOWING;
}

static void has_col_fn(int id, void *arg)
{
	(void)id;
	*(bool *)arg = true;
}

/* A ROWS/GROUPS/RANGE offset: a constant (or parameter) expression. */
static ferr *frame_off(bctx *b, const pqnode *n, const char *mode, expr **out)
{
	TRY(an_expr_node(b, n, out));
	bool has = false;
	an_expr_cols(*out, has_col_fn, &has);
	if (has)
		return win_err(SQLSTATE_INVALID_COLUMN_REFERENCE, an_node_location(n),
		               "argument of %s must not contain variables", mode);
	return NULL;
}

/*
 * RANGE with an offset: the bound of each row is key -/+ offset, computed
 * before the window; the key is widened to the bound's type so that the
 * executor compares like with like (a date key against timestamp bounds).
 */
static ferr *range_bounds(actx *c, wspec *s, expr *soff, expr *eoff, const int *locations)
{
	expr *key = s->order[0];
	ftype kt = key->type, ot;
	switch (kt.id) {
	case TYPE_INT2:
	case TYPE_INT4:
	case TYPE_INT8: ot = ftype_make(TYPE_INT8); break;
	case TYPE_NUMERIC: ot = ftype_make(TYPE_NUMERIC); break;
	case TYPE_FLOAT4:
	case TYPE_FLOAT8: ot = ftype_make(TYPE_FLOAT8); break;
	case TYPE_DATE:
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ: ot = ftype_make(TYPE_INTERVAL); break;
	default: ot = ftype_make(TYPE_NULL); break;
	}
	expr *offs[2] = {soff, eoff};
	for (int k = 0; k < 2; k++) {
		expr *o = offs[k];
		if (!o) continue;
		ftype t = o->type;
		bool ok = ot.id != TYPE_NULL;
		if (ok && ot.id == TYPE_INT8)
			ok = t.id == TYPE_INT2 || t.id == TYPE_INT4 || t.id == TYPE_INT8 ||
			     t.id == TYPE_UNKNOWN;
		else if (ok && ot.id == TYPE_NUMERIC)
			ok = t.id == TYPE_NUMERIC || t.id == TYPE_INT2 || t.id == TYPE_INT4 ||
			     t.id == TYPE_INT8 || t.id == TYPE_UNKNOWN;
		else if (ok && ot.id == TYPE_FLOAT8)
			ok = t.id != TYPE_INTERVAL && t.id != TYPE_TEXT;
		else if (ok)
			ok = t.id == TYPE_INTERVAL || t.id == TYPE_UNKNOWN;
		if (!ok) {
			strbuf names;
			sb_init(&names);
			ftype_format(kt, &names);
			sb_puts(&names, " and offset type ");
			ftype_format(t, &names);
			ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			                   "RANGE with offset PRECEDING/FOLLOWING is not supported for "
			                   "column type %s",
			                   names.data);
			sb_free(&names);
			ferr_hint(e, "Cast the offset value to an appropriate type.");
			return locations[k] >= 0 ? ferr_position(e, locations[k] + 1) : e;
		}
		ftype want = ot.id == TYPE_NUMERIC && t.id == TYPE_NUMERIC ? t : ot;
		TRY(an_coerce(c, o, want, -1, &offs[k]));
	}
	s->frame.start_off = offs[0];
	s->frame.end_off = offs[1];
	ftype cmp = kt;
	bool desc = s->desc[0];
	for (int k = 0; k < 2; k++) {
		if (!offs[k]) continue;
		frame_bound fb = k == 0 ? s->frame.start : s->frame.end;
		/* ascending PRECEDING and descending FOLLOWING look at smaller keys */
		const char *op = (fb == FB_PRECEDING) != desc ? "-" : "+";
		expr *base = key;
		if (kt.id == TYPE_INT2 || kt.id == TYPE_INT4)
			TRY(an_coerce(c, key, ftype_make(TYPE_INT8), -1, &base));
		expr *bound;
		TRY(an_make_op(c, op, base, offs[k], -1, &bound));
		if (k == 0)
			s->start_bound = bound;
		else
			s->end_bound = bound;
		cmp = bound->type;
	}
	/* both bounds share one type (the same offset type on the same key) */
	if (s->start_bound && s->end_bound && !ftype_equal(s->start_bound->type, s->end_bound->type))
		TRY(an_coerce(c, s->start_bound, s->end_bound->type, -1, &s->start_bound));
	TRY(an_coerce(c, key, cmp, -1, &s->range_key));
	return NULL;
}

static bool spec_equal(const wspec *a, const wspec *b)
{
	if (a->npart != b->npart || a->norder != b->norder) return false;
	for (int i = 0; i < a->npart; i++)
		if (!an_expr_equal(a->part[i], b->part[i])) return false;
	for (int i = 0; i < a->norder; i++)
		if (!an_expr_equal(a->order[i], b->order[i]) || a->desc[i] != b->desc[i] ||
		    a->nulls_first[i] != b->nulls_first[i])
			return false;
	return true;
}

static bool frame_equal(const wspec *a, const wspec *b)
{
	const window_frame *x = &a->frame, *y = &b->frame;
	if (x->mode != y->mode || x->start != y->start || x->end != y->end) return false;
	if ((x->start_off || y->start_off) &&
	    (!x->start_off || !y->start_off || !an_expr_equal(x->start_off, y->start_off)))
		return false;
	if ((x->end_off || y->end_off) &&
	    (!x->end_off || !y->end_off || !an_expr_equal(x->end_off, y->end_off)))
		return false;
	return true;
}

/* The window of a call: OVER w, OVER (w ...), OVER (PARTITION BY ... ORDER BY ... frame). */
static ferr *window_spec(bctx *b, const PgQuery__WindowDef *wd, int *spec_out)
{
	actx *c = b->c;
	winset *w = b->win;
	const PgQuery__WindowDef *part_def = wd, *order_def = wd, *frame_def = wd;
	bool by_name = wd->name && *wd->name;
	const char *ref = by_name ? wd->name : wd->refname;
	if (ref && *ref) {
		const PgQuery__WindowDef *base = named_window(w, ref);
		if (!base)
			return win_err(SQLSTATE_UNDEFINED_OBJECT, wd->location, "window \"%s\" does not exist",
			               ref);
		/* WINDOW w2 AS (w1 ORDER BY ...): w2 takes w1's partitioning */
		part_def = order_def = base;
		if (base->refname && *base->refname) {
			const PgQuery__WindowDef *b2 = named_window(w, base->refname);
			if (!b2)
				return win_err(SQLSTATE_UNDEFINED_OBJECT, base->location,
				               "window \"%s\" does not exist", base->refname);
			part_def = b2;
			if (!base->n_order_clause) order_def = b2;
		}
		if (by_name) {
			frame_def = base;
		} else {
			if (wd->n_partition_clause)
				return win_err(SQLSTATE_WINDOWING_ERROR, wd->location,
				               "cannot override PARTITION BY clause of window \"%s\"", ref);
			if (wd->n_order_clause && order_def->n_order_clause)
				return win_err(SQLSTATE_WINDOWING_ERROR, wd->location,
				               "cannot override ORDER BY clause of window \"%s\"", ref);
			if (base->frame_options & FO_NONDEFAULT)
				return win_err(SQLSTATE_WINDOWING_ERROR, wd->location,
				               "cannot copy window \"%s\" because it has a frame clause", ref);
			if (wd->n_order_clause) order_def = wd;
		}
	}
	wspec s = {0};
	bctx wb = *b;
	wb.in_win = true;
	wb.pend = NULL;
	s.npart = (int)part_def->n_partition_clause;
	s.part = arena_zalloc(c->a, sizeof(expr *) * (size_t)(s.npart + 1));
	for (int i = 0; i < s.npart; i++)
		TRY(an_expr_node(&wb, part_def->partition_clause[i], &s.part[i]));
	s.norder = (int)order_def->n_order_clause;
	s.order = arena_zalloc(c->a, sizeof(expr *) * (size_t)(s.norder + 1));
	s.desc = arena_zalloc(c->a, (size_t)s.norder + 1);
	s.nulls_first = arena_zalloc(c->a, (size_t)s.norder + 1);
	for (int i = 0; i < s.norder; i++) {
		const PgQuery__SortBy *sb = order_def->order_clause[i]->sort_by;
		if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
			return an_unsupported("ORDER BY USING", sb->location);
		s.desc[i] = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		s.nulls_first[i] = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
		                   (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST &&
		                    s.desc[i]);
		TRY(an_expr_node(&wb, sb->node, &s.order[i]));
	}
	/* frame: the default is RANGE UNBOUNDED PRECEDING .. CURRENT ROW */
	int fo = frame_def->frame_options;
	s.frame = (window_frame){FRAME_RANGE, FB_UNBOUNDED_PRECEDING, FB_CURRENT_ROW, NULL, NULL,
	                         -1, -1, -1};
	expr *soff = NULL, *eoff = NULL;
	if (fo & FO_NONDEFAULT) {
		if (fo & FO_EXCLUSION) return an_unsupported("frame EXCLUDE", frame_def->location);
		s.frame.mode = fo & FO_ROWS ? FRAME_ROWS : fo & FO_GROUPS ? FRAME_GROUPS : FRAME_RANGE;
		const char *mode = fo & FO_ROWS ? "ROWS" : fo & FO_GROUPS ? "GROUPS" : "RANGE";
		set_bound(&s.frame.start, fo, FO_START_UNBOUNDED_PRECEDING, FO_START_CURRENT_ROW,
		          FO_START_OFFSET_PRECEDING, FO_START_OFFSET_FOLLOWING, 0);
		s.frame.end = FB_CURRENT_ROW;
		set_bound(&s.frame.end, fo, 0, FO_END_CURRENT_ROW, FO_END_OFFSET_PRECEDING,
		          FO_END_OFFSET_FOLLOWING, FO_END_UNBOUNDED_FOLLOWING);
		bctx ob = *b;
		ob.ag = NULL;
		ob.win = NULL;
		ob.pend = NULL;
		ob.clause = "window frame";
		if (frame_def->start_offset) TRY(frame_off(&ob, frame_def->start_offset, mode, &soff));
		if (frame_def->end_offset) TRY(frame_off(&ob, frame_def->end_offset, mode, &eoff));
		if (s.frame.mode == FRAME_GROUPS && s.norder == 0)
			return win_err(SQLSTATE_WINDOWING_ERROR, frame_def->location,
			               "GROUPS mode requires an ORDER BY clause", NULL);
		if (s.frame.mode == FRAME_RANGE && (soff || eoff)) {
			if (s.norder != 1)
				return win_err(SQLSTATE_WINDOWING_ERROR, frame_def->location,
				               "RANGE with offset PRECEDING/FOLLOWING requires exactly one "
				               "ORDER BY column",
				               NULL);
			int locs[2] = {an_node_location(frame_def->start_offset),
			               an_node_location(frame_def->end_offset)};
			TRY(range_bounds(c, &s, soff, eoff, locs));
		} else {
			if (soff) TRY(an_coerce(c, soff, ftype_make(TYPE_INT8), -1, &s.frame.start_off));
			if (eoff) TRY(an_coerce(c, eoff, ftype_make(TYPE_INT8), -1, &s.frame.end_off));
		}
	}
	for (int i = 0; i < w->nspecs; i++)
		if (spec_equal(&w->specs[i], &s) && frame_equal(&w->specs[i], &s) && !s.range_key &&
		    !w->specs[i].range_key) {
			*spec_out = i;
			return NULL;
		}
	if (w->nspecs == w->capspecs) {
		int cap = w->capspecs ? w->capspecs * 2 : 4;
		w->specs = arena_realloc(c->a, w->specs, sizeof(wspec) * (size_t)w->capspecs,
		                         sizeof(wspec) * (size_t)cap);
		w->capspecs = cap;
	}
	w->specs[w->nspecs] = s;
	*spec_out = w->nspecs++;
	return NULL;
}

static bool is_agg_name(const char *n)
{
	/* single-argument aggregates only: string_agg, corr(y, x) & co., json_object_agg and
	 * the ordered-set ones need more */
	return !strcmp(n, "count") || !strcmp(n, "sum") || !strcmp(n, "avg") || !strcmp(n, "min") ||
	       !strcmp(n, "max") ||
	       (agg_is_ext_name(n) && strcmp(n, "string_agg") != 0 && strncmp(n, "percentile_", 11) != 0 &&
	        strcmp(n, "mode") != 0 && strcmp(n, "corr") != 0 && strncmp(n, "covar_", 6) != 0 &&
	        strncmp(n, "regr_", 5) != 0 && strstr(n, "_object_agg") == NULL);
}

static const struct {
	const char *name;
	wfunc_kind kind;
	int min_args, max_args;
} window_funcs[] = {
    {"row_number", WF_ROW_NUMBER, 0, 0},   {"rank", WF_RANK, 0, 0},
    {"dense_rank", WF_DENSE_RANK, 0, 0},   {"percent_rank", WF_PERCENT_RANK, 0, 0},
    {"cume_dist", WF_CUME_DIST, 0, 0},     {"ntile", WF_NTILE, 1, 1},
    {"lag", WF_LAG, 1, 3},                 {"lead", WF_LEAD, 1, 3},
    {"first_value", WF_FIRST_VALUE, 1, 1}, {"last_value", WF_LAST_VALUE, 1, 1},
    {"nth_value", WF_NTH_VALUE, 2, 2},
};

static ferr *no_such_function(actx *c, const char *name, int n, expr **args, int loc)
{
	strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < n; i++) {
		if (i) sb_puts(&sb, ", ");
		ftype_format(args[i]->type, &sb);
	}
	ferr *e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function %s(%s) does not exist", name,
	                   sb.data ? sb.data : "");
	sb_free(&sb);
	ferr_hint(e, "No function matches the given name and argument types. You might need to add "
	             "explicit type casts.");
	(void)c;
	return ferr_position(e, loc + 1);
}

ferr *an_window_func(bctx *b, const PgQuery__FuncCall *fc, const char *name, expr **out)
{
	actx *c = b->c;
	int loc = fc->location;
	if (!b->win)
		return win_err(SQLSTATE_WINDOWING_ERROR, loc, "window functions are not allowed in %s",
		               b->clause ? b->clause : "this context");
	if (b->in_win)
		return win_err(SQLSTATE_WINDOWING_ERROR, loc, "window function calls cannot be nested",
		               NULL);
	if (b->in_agg)
		return win_err(SQLSTATE_GROUPING_ERROR, loc,
		               "aggregate function calls cannot contain window function calls", NULL);
	if (fc->agg_distinct)
		return win_err(SQLSTATE_FEATURE_NOT_SUPPORTED, loc,
		               "DISTINCT is not implemented for window functions", NULL);
	if (fc->n_agg_order)
		return win_err(SQLSTATE_FEATURE_NOT_SUPPORTED, loc,
		               "aggregate ORDER BY is not implemented for window functions", NULL);
	/* array_agg and json(b)_agg keep NULL values: their FILTER is no CASE */
	if (fc->agg_filter && (!is_agg_name(name) || !strcmp(name, "array_agg") ||
	                       !strcmp(name, "json_agg") || !strcmp(name, "jsonb_agg")))
		return fc->agg_filter && !is_agg_name(name)
		           ? win_err(SQLSTATE_WRONG_OBJECT_TYPE, loc,
		                     "FILTER is not implemented for non-aggregate window functions", NULL)
		           : an_unsupported("FILTER in window array_agg and json_agg", loc);
	if (fc->agg_within_group || fc->func_variadic) return an_unsupported("this window call", loc);
	int n = (int)fc->n_args;
	if (n > 3) return an_unsupported("window functions with more than 3 arguments", loc);
	expr *args[3] = {NULL, NULL, NULL};
	bctx ab = *b;
	ab.in_win = true;
	ab.pend = NULL;
	for (int i = 0; i < n; i++)
		TRY(an_expr_node(&ab, fc->args[i], &args[i]));
	wcall call = {.kind = WF_AGG, .name = arena_strdup(c->a, name)};
	int k = -1;
	for (size_t i = 0; i < sizeof window_funcs / sizeof window_funcs[0]; i++)
		if (!strcmp(window_funcs[i].name, name)) k = (int)i;
	if (k >= 0) {
		if (fc->agg_star || n < window_funcs[k].min_args || n > window_funcs[k].max_args)
			return no_such_function(c, name, n, args, loc);
		call.kind = window_funcs[k].kind;
		switch (call.kind) {
		case WF_ROW_NUMBER:
		case WF_RANK:
		case WF_DENSE_RANK: call.result = ftype_make(TYPE_INT8); break;
		case WF_PERCENT_RANK:
		case WF_CUME_DIST: call.result = ftype_make(TYPE_FLOAT8); break;
		case WF_NTILE:
			TRY(an_at(an_coerce(c, args[0], ftype_make(TYPE_INT4), loc, &call.args[1]), loc));
			call.result = ftype_make(TYPE_INT4);
			break;
		default: {
			/* value [, n or offset (integer) [, default (same type as value)]] */
			ftype t = args[0]->type;
			if (n == 3) {
				expr *vd[2] = {args[0], args[2]};
				TRY(an_common_type(name, 2, vd, loc, &t));
			} else if (t.id == TYPE_UNKNOWN || t.id == TYPE_NULL) {
				t = ftype_make(TYPE_TEXT);
			}
			TRY(an_coerce(c, args[0], t, loc, &call.args[0]));
			if (n >= 2)
				TRY(an_at(an_coerce(c, args[1], ftype_make(TYPE_INT4), loc, &call.args[1]),
				          loc));
			if (n == 3) TRY(an_coerce(c, args[2], t, loc, &call.args[2]));
			call.result = t;
			break;
		}
		}
	} else if (is_agg_name(name)) {
		expr *arg = fc->agg_star ? NULL : args[0];
		if (!fc->agg_star && n != 1) return no_such_function(c, name, n, args, loc);
		if (arg && (arg->type.id == TYPE_UNKNOWN || arg->type.id == TYPE_NULL))
			TRY(an_coerce(c, arg, ftype_make(TYPE_TEXT), loc, &arg));
		ftype at = arg ? arg->type : ftype_make(TYPE_NULL);
		TRY(an_at(agg_lookup(name, fc->agg_star, arg ? 1 : 0, &at, &call.agg, &call.result),
		          loc));
		if (fc->agg_filter) {
			/* agg(x) FILTER (WHERE c) folds CASE WHEN c THEN x END; count(*) counts CASE WHEN c THEN 1 END */
			bool star = fc->agg_star;
			TRY(an_agg_filter(&ab, fc->agg_filter, &arg, &star));
			if (fc->agg_star) {
				at = arg->type;
				TRY(an_at(agg_lookup(name, false, 1, &at, &call.agg, &call.result), loc));
			}
		}
		call.args[0] = arg;
	} else {
		return win_err(SQLSTATE_WRONG_OBJECT_TYPE, loc,
		               "OVER specified, but %s is not a window function nor an aggregate "
		               "function",
		               name);
	}
	TRY(window_spec(b, fc->over, &call.spec));
	winset *w = b->win;
	if (w->n == w->cap) {
		int cap = w->cap ? w->cap * 2 : 8;
		w->calls = arena_realloc(c->a, w->calls, sizeof(wcall) * (size_t)w->cap,
		                         sizeof(wcall) * (size_t)cap);
		w->cap = cap;
	}
	call.out = an_col_new(c, call.name, call.result);
	w->calls[w->n++] = call;
	*out = an_col(c, call.out);
	return NULL;
}

void an_window_rewrite(winset *w, expr *(*fn)(void *arg, expr *e), void *arg)
{
	for (int i = 0; i < w->n; i++)
		for (int k = 0; k < 3; k++)
			if (w->calls[i].args[k]) w->calls[i].args[k] = fn(arg, w->calls[i].args[k]);
	for (int i = 0; i < w->nspecs; i++) {
		wspec *s = &w->specs[i];
		for (int k = 0; k < s->npart; k++) s->part[k] = fn(arg, s->part[k]);
		for (int k = 0; k < s->norder; k++) s->order[k] = fn(arg, s->order[k]);
		if (s->range_key) s->range_key = fn(arg, s->range_key);
		if (s->start_bound) s->start_bound = fn(arg, s->start_bound);
		if (s->end_bound) s->end_bound = fn(arg, s->end_bound);
	}
}

/* Inputs computed below the windows: bare columns keep their id. */
typedef struct wproj {
	int n, cap;
	expr **es;
	int *ids;
} wproj;

static int wproj_id(actx *c, wproj *p, expr *e)
{
	if (!e) return -1;
	if (e->kind == EXPR_COLUMN) return e->column;
	for (int i = 0; i < p->n; i++)
		if (an_expr_equal(p->es[i], e)) return p->ids[i];
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		p->es = arena_realloc(c->a, p->es, sizeof(expr *) * (size_t)p->cap,
		                      sizeof(expr *) * (size_t)cap);
		p->ids = arena_realloc(c->a, p->ids, sizeof(int) * (size_t)p->cap,
		                       sizeof(int) * (size_t)cap);
		p->cap = cap;
	}
	p->es[p->n] = e;
	p->ids[p->n] = an_col_new(c, "winarg", e->type);
	return p->ids[p->n++];
}

static lnode *window_node(actx *c, lnode *child, int npart, const int *part, int nsort,
                          const lsort *sort, int nwin, const lwin *win)
{
	lnode *w = an_node(c, LN_WINDOW, child->ncols + nwin);
	memcpy(w->cols, child->cols, sizeof(int) * (size_t)child->ncols);
	for (int i = 0; i < nwin; i++) w->cols[child->ncols + i] = win[i].out;
	w->nchildren = 1;
	w->children = arena_zalloc(c->a, sizeof(lnode *));
	w->children[0] = child;
	w->npart = npart;
	w->part = arena_zalloc(c->a, sizeof(int) * (size_t)(npart + 1));
	memcpy(w->part, part, sizeof(int) * (size_t)npart);
	w->nsort = nsort;
	w->sort = arena_zalloc(c->a, sizeof(lsort) * (size_t)(nsort + 1));
	memcpy(w->sort, sort, sizeof(lsort) * (size_t)nsort);
	w->nwin = nwin;
	w->win = arena_zalloc(c->a, sizeof(lwin) * (size_t)(nwin + 1));
	memcpy(w->win, win, sizeof(lwin) * (size_t)nwin);
	w->est = child->est;
	return w;
}

ferr *an_window_plan(actx *c, winset *w, lnode **plan)
{
	if (w->n == 0) return NULL;
	lnode *child = *plan;
	wproj p = {0};
	int *argids = arena_zalloc(c->a, sizeof(int) * (size_t)(3 * w->n + 1));
	for (int i = 0; i < w->n; i++)
		for (int k = 0; k < 3; k++) argids[3 * i + k] = wproj_id(c, &p, w->calls[i].args[k]);
	int **partids = arena_zalloc(c->a, sizeof(int *) * (size_t)(w->nspecs + 1));
	lsort **sorts = arena_zalloc(c->a, sizeof(lsort *) * (size_t)(w->nspecs + 1));
	int *rk = arena_zalloc(c->a, sizeof(int) * (size_t)(3 * w->nspecs + 1));
	for (int s = 0; s < w->nspecs; s++) {
		wspec *sp = &w->specs[s];
		partids[s] = arena_zalloc(c->a, sizeof(int) * (size_t)(sp->npart + 1));
		for (int k = 0; k < sp->npart; k++) partids[s][k] = wproj_id(c, &p, sp->part[k]);
		sorts[s] = arena_zalloc(c->a, sizeof(lsort) * (size_t)(sp->norder + 1));
		for (int k = 0; k < sp->norder; k++)
			sorts[s][k] = (lsort){wproj_id(c, &p, sp->order[k]), sp->desc[k], sp->nulls_first[k]};
		rk[3 * s] = wproj_id(c, &p, sp->range_key);
		rk[3 * s + 1] = wproj_id(c, &p, sp->start_bound);
		rk[3 * s + 2] = wproj_id(c, &p, sp->end_bound);
	}
	if (p.n > 0) {
		lnode *pp = an_node(c, LN_PROJECT, child->ncols + p.n);
		pp->nchildren = 1;
		pp->children = arena_zalloc(c->a, sizeof(lnode *));
		pp->children[0] = child;
		pp->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(pp->ncols + 1));
		for (int i = 0; i < child->ncols; i++) {
			pp->cols[i] = child->cols[i];
			pp->exprs[i] = an_col(c, child->cols[i]);
		}
		for (int i = 0; i < p.n; i++) {
			pp->cols[child->ncols + i] = p.ids[i];
			pp->exprs[child->ncols + i] = p.es[i];
		}
		pp->est = child->est;
		child = pp;
	}
	lwin *win = arena_zalloc(c->a, sizeof(lwin) * (size_t)(w->n + 1));
	for (int s = 0; s < w->nspecs; s++) {
		int nw = 0;
		for (int i = 0; i < w->n; i++) {
			const wcall *wc = &w->calls[i];
			if (wc->spec != s) continue;
			lwin *l = &win[nw++];
			*l = (lwin){wc->kind, wc->agg, {argids[3 * i], argids[3 * i + 1], argids[3 * i + 2]},
			            wc->result, wc->name, w->specs[s].frame, wc->out};
			l->frame.range_key = rk[3 * s];
			l->frame.start_col = rk[3 * s + 1];
			l->frame.end_col = rk[3 * s + 2];
		}
		child = window_node(c, child, w->specs[s].npart, partids[s], w->specs[s].norder,
		                    sorts[s], nw, win);
	}
	*plan = child;
	return NULL;
}

lnode *an_first_per_key(actx *c, lnode *plan, int nkeys, const int *keys, int nsort,
                        const lsort *order)
{
	lwin rn = {.kind = WF_ROW_NUMBER,
	           .args = {-1, -1, -1},
	           .result = ftype_make(TYPE_INT8),
	           .name = "row_number",
	           .frame = {FRAME_ROWS, FB_UNBOUNDED_PRECEDING, FB_CURRENT_ROW, NULL, NULL, -1, -1,
	                     -1}};
	rn.out = an_col_new(c, "row_number", rn.result);
	lnode *w = window_node(c, plan, nkeys, keys, nsort, order, 1, &rn);
	expr *one = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT8), 0);
	one->value.u.i = 1;
	expr *pred = NULL;
	ferr *e = an_make_op(c, "=", an_col(c, rn.out), one, -1, &pred);
	if (e) { /* bigint = bigint always resolves */
		ferr_free(e);
		return w;
	}
	lnode *f = an_filter(c, w, pred);
	/* the filter keeps the window's columns; the row number stays hidden */
	f->est = plan->est >= 0 ? plan->est * 0.5 : -1;
	return f;
}
