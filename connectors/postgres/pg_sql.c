/*
 * pg_sql.c — the SQL the postgresql connector sends: quoted identifiers,
 * literals that cannot inject whatever standard_conforming_strings says,
 * pushed-down predicates and the COPY statement of a split. Pure string
 * work (unit-tested without a server); it must never emit a predicate whose
 * result on PostgreSQL could differ from Ferry's.
 */
#include <math.h>
#include <string.h>

#include "connectors/postgres/pg_internal.h"

void pgc_quote_ident(strbuf *sb, const char *name)
{
	sb_putc(sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"') sb_putc(sb, '"');
		sb_putc(sb, *p);
	}
	sb_putc(sb, '"');
}

/* Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF, no NUL). */
static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c == 0) return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		int k;
		unsigned min;
		if ((c & 0xE0) == 0xC0) k = 1, min = 0x80, c &= 0x1F;
		else if ((c & 0xF0) == 0xE0) k = 2, min = 0x800, c &= 0x0F;
		else if ((c & 0xF8) == 0xF0) k = 3, min = 0x10000, c &= 0x07;
		else return false;
		if (i + (size_t)k >= n) return false;
		for (int j = 1; j <= k; j++) {
			if ((s[i + (size_t)j] & 0xC0) != 0x80) return false;
			c = (c << 6) | (s[i + (size_t)j] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
		i += (size_t)k + 1;
	}
	return true;
}

bool pgc_quote_literal(strbuf *sb, const char *s, size_t len)
{
	if (!valid_utf8((const unsigned char *)s, len)) return false;
	bool backslash = memchr(s, '\\', len) != NULL;
	/* E'' is read the same way under either standard_conforming_strings */
	if (backslash) sb_putc(sb, 'E');
	sb_putc(sb, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'' || s[i] == '\\') sb_putc(sb, s[i]);
		sb_putc(sb, s[i]);
	}
	sb_putc(sb, '\'');
	return true;
}

/* A value printed by Ferry's own text output, quoted and cast. */
static bool text_literal(strbuf *sb, ftype t, const fvalue *v, const char *cast)
{
	fmt_settings fs;
	fmt_settings_default(&fs); /* ISO dates, UTC offsets, PostgreSQL intervals */
	strbuf tmp = STRBUF_INIT;
	value_out_text(t, fvalue_ptr(t, v), &fs, &tmp);
	bool ok = pgc_quote_literal(sb, tmp.data ? tmp.data : "", tmp.len);
	sb_free(&tmp);
	if (ok) sb_printf(sb, "::%s", cast);
	return ok;
}

bool pgc_typed_literal(strbuf *sb, ftype t, const fvalue *v)
{
	if (v->isnull) return false;
	switch (t.id) {
	case TYPE_BOOL: sb_puts(sb, v->u.b ? "true" : "false"); return true;
	case TYPE_INT2: case TYPE_INT4: case TYPE_INT8:
		sb_printf(sb, "%lld", (long long)v->u.i);
		return true;
	case TYPE_FLOAT4: case TYPE_FLOAT8:
		/* float8 always: a float4 column is widened exactly, as Ferry does */
		if (isnan(v->u.f)) sb_puts(sb, "'NaN'::float8");
		else if (isinf(v->u.f)) sb_puts(sb, v->u.f > 0 ? "'Infinity'::float8" : "'-Infinity'::float8");
		else sb_printf(sb, "'%.17g'::float8", v->u.f);
		return true;
	case TYPE_NUMERIC: return text_literal(sb, t, v, "numeric");
	case TYPE_DATE: return text_literal(sb, t, v, "date");
	case TYPE_TIME: return text_literal(sb, t, v, "time");
	case TYPE_TIMETZ: return text_literal(sb, t, v, "timetz");
	case TYPE_TIMESTAMP: return text_literal(sb, t, v, "timestamp");
	case TYPE_TIMESTAMPTZ: return text_literal(sb, t, v, "timestamptz");
	case TYPE_INTERVAL: return text_literal(sb, t, v, "interval");
	case TYPE_UUID: return text_literal(sb, t, v, "uuid");
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR:
		/* untyped: PostgreSQL resolves it to the column's type */
		return pgc_quote_literal(sb, v->u.s.ptr ? v->u.s.ptr : "", v->u.s.len);
	default: return false;
	}
}

static bool is_single(ftype t, const conn_range *r)
{
	if (r->low_unbounded || r->high_unbounded || !r->low_inclusive || !r->high_inclusive) return false;
	if (r->low.isnull || r->high.isnull) return false;
	return value_compare(t, fvalue_ptr(t, &r->low), fvalue_ptr(t, &r->high)) == 0;
}

int64_t pgc_domain_points(ftype t, const conn_column_domain *d)
{
	if (d->all || d->null_allowed || d->nranges <= 0) return 0;
	for (int i = 0; i < d->nranges; i++)
		if (!is_single(t, &d->ranges[i])) return 0;
	return d->nranges;
}

bool pgc_domain_sql(strbuf *sb, const char *colsql, ftype t, pgc_push push,
                    const conn_column_domain *d)
{
	if (push == PGC_PUSH_NONE) return false;
	strbuf w = STRBUF_INIT;
	int terms = 0;
	bool ok = true;
	if (d->all) {
		sb_printf(&w, d->null_allowed ? "TRUE" : "%s IS NOT NULL", colsql);
		goto done;
	}
	/* single values first, as one IN list */
	int nsingle = 0;
	for (int i = 0; i < d->nranges && ok; i++) {
		const conn_range *r = &d->ranges[i];
		if (!is_single(t, r)) continue;
		sb_puts(&w, nsingle ? ", " : "");
		if (!nsingle) sb_printf(&w, "%s IN (", colsql);
		ok = pgc_typed_literal(&w, t, &r->low);
		nsingle++;
	}
	if (nsingle) {
		sb_putc(&w, ')');
		terms++;
	}
	for (int i = 0; i < d->nranges && ok; i++) {
		const conn_range *r = &d->ranges[i];
		if (is_single(t, r)) continue;
		if (push != PGC_PUSH_RANGE) {
			ok = false;
			break;
		}
		if (terms++) sb_puts(&w, " OR ");
		if (r->low_unbounded && r->high_unbounded) {
			sb_printf(&w, "%s IS NOT NULL", colsql);
			continue;
		}
		sb_putc(&w, '(');
		if (!r->low_unbounded) {
			sb_printf(&w, "%s %s ", colsql, r->low_inclusive ? ">=" : ">");
			ok = ok && pgc_typed_literal(&w, t, &r->low);
		}
		if (!r->low_unbounded && !r->high_unbounded) sb_puts(&w, " AND ");
		if (!r->high_unbounded) {
			sb_printf(&w, "%s %s ", colsql, r->high_inclusive ? "<=" : "<");
			ok = ok && pgc_typed_literal(&w, t, &r->high);
		}
		sb_putc(&w, ')');
	}
	if (!ok) goto done;
	if (d->null_allowed) {
		if (terms++) sb_puts(&w, " OR ");
		sb_printf(&w, "%s IS NULL", colsql);
	}
	if (terms == 0) sb_puts(&w, "FALSE");
done:
	if (ok) {
		bool paren = terms > 1;
		if (paren) sb_putc(sb, '(');
		sb_append(sb, w.data ? w.data : "", w.len);
		if (paren) sb_putc(sb, ')');
	}
	sb_free(&w);
	return ok;
}

/* The SELECT of a scan; aliased: each column named c0, c1, ... (a join's side). */
static void select_sql(const pgc_table *t, const pgc_split *s, int ncols, const int *cols,
                       bool aliased, strbuf *out)
{
	sb_puts(out, "SELECT ");
	for (int i = 0; i < ncols; i++) {
		if (i) sb_puts(out, ", ");
		sb_puts(out, t->info[cols[i]].select_sql);
		if (aliased) sb_printf(out, " AS c%d", i);
	}
	sb_puts(out, ncols ? " FROM " : "FROM ");
	if (t->from) {
		sb_puts(out, t->from);
		s = NULL; /* a join is one split: no ctid ranges */
	} else {
		pgc_quote_ident(out, t->base.schema);
		sb_putc(out, '.');
		pgc_quote_ident(out, t->base.table);
	}
	const char *and = " WHERE ";
	if (t->where) {
		sb_printf(out, "%s%s", and, t->where);
		and = " AND ";
	}
	if (s && s->page_lo > 0) {
		sb_printf(out, "%sctid >= '(%lld,0)'::tid", and, (long long)s->page_lo);
		and = " AND ";
	}
	if (s && s->page_hi >= 0) sb_printf(out, "%sctid < '(%lld,0)'::tid", and, (long long)s->page_hi);
	if (t->group_by && *t->group_by) sb_printf(out, " GROUP BY %s", t->group_by);
	/* a global aggregate read with no columns is still one row */
	else if (t->group_by && ncols == 0) sb_puts(out, " HAVING TRUE");
	if (t->order_by) sb_printf(out, " ORDER BY %s", t->order_by);
	if (t->limit >= 0) sb_printf(out, " LIMIT %lld", (long long)t->limit);
}

void pgc_select_sql(const pgc_table *t, const pgc_split *s, int ncols, const int *cols,
                    strbuf *out)
{
	select_sql(t, s, ncols, cols, false, out);
}

void pgc_delete_sql(strbuf *sb, const pgc_table *t)
{
	sb_puts(sb, "DELETE FROM ");
	pgc_qualified_name(sb, t->base.schema, t->base.table);
	if (t->where) sb_printf(sb, " WHERE %s", t->where);
}

/*
 * The literal assigned to column c: Ferry already converted the value to
 * the column's type (lengths checked, numerics rounded to the column's
 * scale), so PostgreSQL's assignment of this literal stores the same value.
 * Unconstrained numeric is not sent: Ferry holds it rounded to 6 places.
 */
static bool assigned_literal(strbuf *sb, const pgc_table *t, int c, const fvalue *v)
{
	const conn_column *col = &t->base.cols[c];
	if (t->info[c].converted || col->hidden) return false;
	if (col->type.id == TYPE_NUMERIC && col->type.precision <= 0) return false;
	if (v->isnull) {
		sb_puts(sb, "NULL");
		return true;
	}
	return pgc_typed_literal(sb, col->type, v);
}

bool pgc_update_sql(strbuf *sb, const pgc_table *t, int nset, const int *cols, const fvalue *values)
{
	if (nset <= 0) return false;
	strbuf u = STRBUF_INIT;
	sb_puts(&u, "UPDATE ");
	pgc_qualified_name(&u, t->base.schema, t->base.table);
	sb_puts(&u, " SET ");
	bool ok = true;
	for (int i = 0; i < nset && ok; i++) {
		ok = cols[i] >= 0 && cols[i] < t->base.ncols;
		if (!ok) break;
		if (i) sb_puts(&u, ", ");
		pgc_quote_ident(&u, t->base.cols[cols[i]].name);
		sb_puts(&u, " = ");
		ok = assigned_literal(&u, t, cols[i], &values[i]);
	}
	if (ok && t->where) sb_printf(&u, " WHERE %s", t->where);
	if (ok) sb_append(sb, u.data, u.len);
	sb_free(&u);
	return ok;
}

/* "schema"."table" */
void pgc_qualified_name(strbuf *sb, const char *schema, const char *table)
{
	pgc_quote_ident(sb, schema);
	sb_putc(sb, '.');
	pgc_quote_ident(sb, table);
}

/* Column types without a modifier; NULL where the type needs one or has none. */
static const char *const plain_type_sql[TYPE__COUNT] = {
	[TYPE_BOOL] = "boolean", [TYPE_INT2] = "smallint", [TYPE_INT4] = "integer",
	[TYPE_INT8] = "bigint", [TYPE_FLOAT4] = "real", [TYPE_FLOAT8] = "double precision",
	/* an untyped literal or NULL becomes text, as PostgreSQL's CREATE TABLE AS does */
	[TYPE_TEXT] = "text", [TYPE_UNKNOWN] = "text", [TYPE_NULL] = "text",
	[TYPE_BYTEA] = "bytea", [TYPE_DATE] = "date", [TYPE_TIME] = "time", [TYPE_TIMETZ] = "timetz",
	[TYPE_TIMESTAMP] = "timestamp", [TYPE_TIMESTAMPTZ] = "timestamptz",
	[TYPE_INTERVAL] = "interval", [TYPE_UUID] = "uuid", [TYPE_JSON] = "json", [TYPE_JSONB] = "jsonb",
};

bool pgc_column_type_sql(strbuf *sb, ftype t)
{
	switch (t.id) {
	case TYPE_NUMERIC:
		/* precision 0: unconstrained (each value keeps Ferry's fixed scale) */
		if (t.precision <= 0) sb_puts(sb, "numeric");
		else sb_printf(sb, "numeric(%d,%d)", t.precision, t.scale);
		return true;
	case TYPE_VARCHAR:
		if (t.length > 0) sb_printf(sb, "varchar(%d)", (int)t.length);
		else sb_puts(sb, "varchar");
		return true;
	case TYPE_BPCHAR: sb_printf(sb, "char(%d)", t.length > 0 ? (int)t.length : 1); return true;
	default:
		if (t.id < 0 || t.id >= TYPE__COUNT || !plain_type_sql[t.id]) return false;
		sb_puts(sb, plain_type_sql[t.id]);
		return true;
	}
}

bool pgc_create_table_sql(strbuf *sb, const conn_table_def *def, const char **bad_column)
{
	*bad_column = NULL;
	sb_puts(sb, "CREATE TABLE ");
	pgc_qualified_name(sb, def->schema, def->table);
	sb_puts(sb, " (");
	for (int i = 0; i < def->ncols; i++) {
		const conn_column *c = &def->cols[i];
		if (i) sb_puts(sb, ", ");
		pgc_quote_ident(sb, c->name);
		sb_putc(sb, ' ');
		if (!pgc_column_type_sql(sb, c->type)) {
			*bad_column = c->name;
			return false;
		}
		if (!c->nullable) sb_puts(sb, " NOT NULL");
	}
	if (def->npk) {
		sb_puts(sb, ", PRIMARY KEY (");
		for (int k = 0; k < def->npk; k++) {
			if (k) sb_puts(sb, ", ");
			pgc_quote_ident(sb, def->cols[def->pk[k]].name);
		}
		sb_putc(sb, ')');
	}
	sb_putc(sb, ')');
	/* comments in the same (implicit) transaction as the table */
	if (def->comment) {
		sb_puts(sb, "; COMMENT ON TABLE ");
		pgc_qualified_name(sb, def->schema, def->table);
		sb_puts(sb, " IS ");
		if (!pgc_quote_literal(sb, def->comment, strlen(def->comment))) return false;
	}
	for (int i = 0; i < def->ncols; i++) {
		const conn_column *c = &def->cols[i];
		if (!c->comment) continue;
		sb_puts(sb, "; COMMENT ON COLUMN ");
		pgc_qualified_name(sb, def->schema, def->table);
		sb_putc(sb, '.');
		pgc_quote_ident(sb, c->name);
		sb_puts(sb, " IS ");
		if (!pgc_quote_literal(sb, c->comment, strlen(c->comment))) return false;
	}
	return true;
}

void pgc_copy_in_sql(strbuf *sb, const conn_table *t)
{
	sb_puts(sb, "COPY ");
	pgc_qualified_name(sb, t->schema, t->table);
	if (t->ncols > 0) {
		sb_puts(sb, " (");
		for (int i = 0; i < t->ncols; i++) {
			if (i) sb_puts(sb, ", ");
			pgc_quote_ident(sb, t->cols[i].name);
		}
		sb_putc(sb, ')');
	}
	sb_puts(sb, " FROM STDIN (FORMAT binary)");
}

/* ---- expressions (apply_filter_expr) and ORDER BY (apply_topn) ---- */

/* Types whose PostgreSQL comparison is exactly Ferry's once the column's
 * pushdown rule allows it: unconstrained numeric is rounded on the way in
 * (Ferry would compare rounded values, PostgreSQL exact ones) and char(n)
 * compares without its padding in PostgreSQL. */
static bool cmp_type_ok(ftype t)
{
	if (t.id == TYPE_NUMERIC) return t.precision > 0;
	return t.id != TYPE_BPCHAR;
}

/* A column or constant operand; *push is the rule it allows. */
static bool operand_sql(strbuf *sb, const pgc_table *t, const conn_expr *e, pgc_push *push)
{
	if (!cmp_type_ok(e->type)) return false;
	if (e->kind == CONN_EXPR_CONST) {
		*push = PGC_PUSH_RANGE;
		return pgc_typed_literal(sb, e->type, &e->value);
	}
	if (e->kind != CONN_EXPR_COLUMN || e->column < 0 || e->column >= t->base.ncols) return false;
	const pgc_colinfo *ci = &t->info[e->column];
	if (ci->push == PGC_PUSH_NONE || !ftype_equal(t->base.cols[e->column].type, e->type)) return false;
	*push = ci->push;
	sb_puts(sb, ci->select_sql);
	return true;
}

/*
 * Two operands of a comparison. Two string columns may have different
 * collations (PostgreSQL then refuses to compare them): both are compared
 * under "C", which is what Ferry does, and for equality what every
 * deterministic collation does too.
 */
static bool operands_sql(strbuf *sb, const pgc_table *t, const conn_expr *x, const conn_expr *y,
                         const char *op, pgc_push *px, pgc_push *py)
{
	bool collate = x->kind == CONN_EXPR_COLUMN && y->kind == CONN_EXPR_COLUMN &&
	               (x->type.id == TYPE_TEXT || x->type.id == TYPE_VARCHAR);
	sb_putc(sb, '(');
	if (!operand_sql(sb, t, x, px)) return false;
	sb_printf(sb, "%s %s ", collate ? " COLLATE \"C\"" : "", op);
	if (!operand_sql(sb, t, y, py)) return false;
	sb_printf(sb, "%s)", collate ? " COLLATE \"C\"" : "");
	return true;
}

static const char *const cmp_sql[] = {
	[CONN_CMP_EQ] = "=", [CONN_CMP_NE] = "<>", [CONN_CMP_LT] = "<",
	[CONN_CMP_LE] = "<=", [CONN_CMP_GT] = ">", [CONN_CMP_GE] = ">=",
};

/*
 * A LIKE pattern and escape that PostgreSQL reads as Ferry does: a one-byte
 * ASCII escape other than % and _ (PostgreSQL reads the escape before the
 * wildcards, Ferry after), or none; no escape character ending the pattern
 * (an error on both sides, raised at different rows).
 */
static bool like_pattern_ok(const fvalue *pat, const fvalue *esc)
{
	int ec = '\\';
	if (esc) {
		if (esc->u.s.len == 0) ec = -1;
		else if (esc->u.s.len != 1) return false;
		else ec = (unsigned char)esc->u.s.ptr[0];
		if (ec == '%' || ec == '_' || ec >= 0x80) return false;
	}
	for (uint32_t i = 0; i < pat->u.s.len; i++) {
		if (ec >= 0 && (unsigned char)pat->u.s.ptr[i] == ec) {
			if (i + 1 == pat->u.s.len) return false;
			i++;
		}
	}
	return true;
}

static bool string_type(ftype t) { return t.id == TYPE_TEXT || t.id == TYPE_VARCHAR; }

static bool expr_sql(strbuf *sb, const pgc_table *t, const conn_expr *e)
{
	pgc_push p0, p1;
	switch (e->kind) {
	case CONN_EXPR_COMPARE:
		if (e->nargs != 2 || e->cmp < CONN_CMP_EQ || e->cmp > CONN_CMP_GE ||
		    !ftype_equal(e->args[0]->type, e->args[1]->type))
			return false;
		if (!operands_sql(sb, t, e->args[0], e->args[1], cmp_sql[e->cmp], &p0, &p1)) return false;
		/* ordering needs both sides ordered as Ferry orders them */
		if (e->cmp != CONN_CMP_EQ && e->cmp != CONN_CMP_NE)
			return p0 == PGC_PUSH_RANGE && p1 == PGC_PUSH_RANGE;
		return true;
	case CONN_EXPR_DISTINCT:
		if (e->nargs != 2 || !ftype_equal(e->args[0]->type, e->args[1]->type)) return false;
		return operands_sql(sb, t, e->args[0], e->args[1],
		                    e->negate ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", &p0, &p1);
	case CONN_EXPR_AND:
	case CONN_EXPR_OR:
		if (e->nargs < 1) return false;
		sb_putc(sb, '(');
		for (int i = 0; i < e->nargs; i++) {
			if (i) sb_puts(sb, e->kind == CONN_EXPR_AND ? " AND " : " OR ");
			if (!expr_sql(sb, t, e->args[i])) return false;
		}
		sb_putc(sb, ')');
		return true;
	case CONN_EXPR_NOT:
		if (e->nargs != 1) return false;
		sb_puts(sb, "(NOT ");
		if (!expr_sql(sb, t, e->args[0])) return false;
		sb_putc(sb, ')');
		return true;
	case CONN_EXPR_IS_NULL:
		if (e->nargs != 1 || e->args[0]->kind != CONN_EXPR_COLUMN) return false;
		sb_putc(sb, '(');
		if (!operand_sql(sb, t, e->args[0], &p0)) return false;
		sb_puts(sb, e->negate ? " IS NOT NULL)" : " IS NULL)");
		return true;
	case CONN_EXPR_IN:
		if (e->nargs < 2 || e->args[0]->kind != CONN_EXPR_COLUMN) return false;
		sb_putc(sb, '(');
		if (!operand_sql(sb, t, e->args[0], &p0)) return false;
		sb_puts(sb, e->negate ? " NOT IN (" : " IN (");
		for (int i = 1; i < e->nargs; i++) {
			if (e->args[i]->kind != CONN_EXPR_CONST || !ftype_equal(e->args[i]->type, e->args[0]->type))
				return false;
			if (i > 1) sb_puts(sb, ", ");
			if (!operand_sql(sb, t, e->args[i], &p1)) return false;
		}
		sb_puts(sb, "))");
		return true;
	case CONN_EXPR_LIKE: {
		if (e->nargs < 2 || e->nargs > 3 || e->args[0]->kind != CONN_EXPR_COLUMN ||
		    !string_type(e->args[0]->type))
			return false;
		for (int i = 1; i < e->nargs; i++)
			if (e->args[i]->kind != CONN_EXPR_CONST || !string_type(e->args[i]->type)) return false;
		if (!like_pattern_ok(&e->args[1]->value, e->nargs > 2 ? &e->args[2]->value : NULL))
			return false;
		sb_putc(sb, '(');
		if (!operand_sql(sb, t, e->args[0], &p0)) return false;
		/* ILIKE folds case as Ferry does (ASCII only) only in collation "C" */
		if (e->case_insensitive && p0 != PGC_PUSH_RANGE) return false;
		sb_printf(sb, " %s%s ", e->negate ? "NOT " : "", e->case_insensitive ? "ILIKE" : "LIKE");
		const fstring *pat = &e->args[1]->value.u.s;
		if (!pgc_quote_literal(sb, pat->ptr ? pat->ptr : "", pat->len)) return false;
		if (e->nargs > 2) {
			const fstring *esc = &e->args[2]->value.u.s;
			sb_puts(sb, " ESCAPE ");
			if (!pgc_quote_literal(sb, esc->ptr ? esc->ptr : "", esc->len)) return false;
		}
		sb_putc(sb, ')');
		return true;
	}
	default: return false;
	}
}

/* fn's SQL for e appended to sb, or false with sb unchanged. */
static bool whole_or_nothing(strbuf *sb, const pgc_table *t, const conn_expr *e,
                             bool (*fn)(strbuf *, const pgc_table *, const conn_expr *))
{
	strbuf w = STRBUF_INIT;
	bool ok = fn(&w, t, e);
	if (ok) sb_append(sb, w.data ? w.data : "", w.len);
	sb_free(&w);
	return ok;
}

bool pgc_expr_sql(strbuf *sb, const pgc_table *t, const conn_expr *e)
{
	return whole_or_nothing(sb, t, e, expr_sql);
}

/* Position of table column col in cols[0..n), or -1. */
static int col_pos(int n, const int *cols, int col)
{
	for (int i = 0; i < n; i++)
		if (cols[i] == col) return i;
	return -1;
}

/*
 * Each side is the subquery its own scan would run (its WHERE, GROUP BY,
 * ORDER BY and LIMIT stay inside it, so a LEFT join keeps its unmatched
 * rows and a side's filter never applies to the other), with its columns
 * renamed c0, c1, ... so that equal names on both sides cannot clash.
 */
bool pgc_join_sql(strbuf *sb, const pgc_table *l, int nl, const int *lcols, const pgc_table *r,
                  int nr, const int *rcols, bool left_join, int nconds, const conn_join_cond *conds,
                  arena *a, const char **sel)
{
	if (nconds < 1) return false;
	for (int i = 0; i < nl; i++)
		if (lcols[i] < 0 || lcols[i] >= l->base.ncols) return false;
	for (int i = 0; i < nr; i++)
		if (rcols[i] < 0 || rcols[i] >= r->base.ncols) return false;
	strbuf on = STRBUF_INIT;
	bool ok = true;
	for (int k = 0; k < nconds && ok; k++) {
		int pl = col_pos(nl, lcols, conds[k].left), pr = col_pos(nr, rcols, conds[k].right);
		ok = pl >= 0 && pr >= 0;
		if (!ok) break;
		const pgc_colinfo *li = &l->info[conds[k].left], *ri = &r->info[conds[k].right];
		ftype lt = l->base.cols[conds[k].left].type, rt = r->base.cols[conds[k].right].type;
		/* equality as a pushed filter's: same type, both pushable, compared as Ferry does */
		ok = ftype_equal(lt, rt) && cmp_type_ok(lt) && li->push != PGC_PUSH_NONE &&
		     ri->push != PGC_PUSH_NONE;
		if (!ok) break;
		/* two deterministic collations: equal bytes either way; "C" lets them compare */
		const char *coll = string_type(lt) ? " COLLATE \"C\"" : "";
		sb_printf(&on, "%s(l.c%d%s = r.c%d%s)", k ? " AND " : "", pl, coll, pr, coll);
	}
	if (ok) {
		sb_puts(sb, "(");
		select_sql(l, NULL, nl, lcols, true, sb);
		sb_printf(sb, ") AS l %sJOIN (", left_join ? "LEFT " : "");
		select_sql(r, NULL, nr, rcols, true, sb);
		sb_printf(sb, ") AS r ON %s", on.data);
		for (int i = 0; i < nl; i++) sel[i] = arena_sprintf(a, "l.c%d", i);
		for (int i = 0; i < nr; i++) sel[nl + i] = arena_sprintf(a, "r.c%d", i);
	}
	sb_free(&on);
	return ok;
}

bool pgc_order_sql(strbuf *sb, const pgc_table *t, int nkeys, const conn_sort_item *keys)
{
	if (nkeys <= 0) return false;
	strbuf w = STRBUF_INIT;
	bool ok = true;
	for (int i = 0; i < nkeys && ok; i++) {
		int c = keys[i].column;
		/* the order of ranges: the same rule as range pushdown */
		ok = c >= 0 && c < t->base.ncols && t->info[c].push == PGC_PUSH_RANGE &&
		     cmp_type_ok(t->base.cols[c].type);
		if (!ok) break;
		sb_printf(&w, "%s%s %s NULLS %s", i ? ", " : "", t->info[c].select_sql,
		          keys[i].desc ? "DESC" : "ASC", keys[i].nulls_first ? "FIRST" : "LAST");
	}
	if (ok) sb_append(sb, w.data, w.len);
	sb_free(&w);
	return ok;
}

/* ---- arithmetic (aggregate arguments of apply_aggregation) ---- */

static int int_rank(type_id id)
{
	return id == TYPE_INT2 ? 1 : id == TYPE_INT4 ? 2 : id == TYPE_INT8 ? 3 : 0;
}

/* numeric(p,s) with a fixed scale: its values have PostgreSQL's dscale s. */
static bool fixed_numeric(ftype t)
{
	return t.id == TYPE_NUMERIC && t.precision > 0 && !numeric_has_value_scale(t);
}

/*
 * Whether PostgreSQL's operator gives a value of exactly type r from a and
 * b, as Ferry's does: integers the wider type (both raise 22003 on
 * overflow), float8 with float8, and numerics whose exact result (scale
 * max(s1, s2) for + and -, s1 + s2 for *) fits r without rounding: r is
 * then the unclipped type Ferry derives, so neither side rounds or
 * overflows where the other does not.
 */
static bool arith_types_ok(conn_expr_kind k, ftype a, ftype b, ftype r)
{
	if (int_rank(r.id)) {
		int ra = int_rank(a.id), rb = int_rank(b.id);
		return ra && rb && int_rank(r.id) == (ra > rb ? ra : rb);
	}
	if (r.id == TYPE_FLOAT8) return a.id == TYPE_FLOAT8 && b.id == TYPE_FLOAT8;
	if (!fixed_numeric(r) || !fixed_numeric(a) || !fixed_numeric(b)) return false;
	int i1 = a.precision - a.scale, i2 = b.precision - b.scale;
	int s = k == CONN_EXPR_MUL ? a.scale + b.scale : a.scale > b.scale ? a.scale : b.scale;
	int p = k == CONN_EXPR_MUL ? i1 + i2 + s : (i1 > i2 ? i1 : i2) + 1 + s;
	return r.scale == s && r.precision == p && p <= 38; /* 38: Ferry's widest numeric */
}

static bool arith_sql(strbuf *sb, const pgc_table *t, const conn_expr *e)
{
	ftype ty = e->type;
	if (!int_rank(ty.id) && ty.id != TYPE_FLOAT8 && !fixed_numeric(ty)) return false;
	switch (e->kind) {
	case CONN_EXPR_COLUMN: {
		if (e->column < 0 || e->column >= t->base.ncols) return false;
		const pgc_colinfo *ci = &t->info[e->column];
		if (ci->push == PGC_PUSH_NONE || !ftype_equal(t->base.cols[e->column].type, ty)) return false;
		sb_puts(sb, ci->select_sql);
		return true;
	}
	case CONN_EXPR_CONST:
		if (e->value.isnull) return false;
		/* integers typed as Ferry typed them: a bare 5 would be integer */
		if (int_rank(ty.id)) {
			sb_printf(sb, "'%lld'::%s", (long long)e->value.u.i,
			          ty.id == TYPE_INT2 ? "int2" : ty.id == TYPE_INT4 ? "int4" : "int8");
			return true;
		}
		/* numeric: Ferry's text has the type's scale, PostgreSQL's dscale */
		return pgc_typed_literal(sb, ty, &e->value);
	case CONN_EXPR_NEG:
		if (e->nargs != 1 || !ftype_equal(e->args[0]->type, ty)) return false;
		sb_puts(sb, "(- ");
		if (!arith_sql(sb, t, e->args[0])) return false;
		sb_putc(sb, ')');
		return true;
	case CONN_EXPR_ADD:
	case CONN_EXPR_SUB:
	case CONN_EXPR_MUL:
		if (e->nargs != 2 || !arith_types_ok(e->kind, e->args[0]->type, e->args[1]->type, ty))
			return false;
		sb_putc(sb, '(');
		if (!arith_sql(sb, t, e->args[0])) return false;
		sb_puts(sb, e->kind == CONN_EXPR_ADD ? " + " : e->kind == CONN_EXPR_SUB ? " - " : " * ");
		if (!arith_sql(sb, t, e->args[1])) return false;
		sb_putc(sb, ')');
		return true;
	default: return false;
	}
}

bool pgc_arith_sql(strbuf *sb, const pgc_table *t, const conn_expr *e)
{
	return whole_or_nothing(sb, t, e, arith_sql);
}
