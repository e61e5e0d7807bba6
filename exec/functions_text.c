/*
 * functions_text.c — regular expressions (~ ~* !~ !~*, regexp_replace,
 * regexp_like, regexp_count, regexp_substr, substring(x from pattern)) and
 * the text functions beyond the core set (initcap, md5, to_hex, ascii, chr,
 * repeat, translate, starts_with, quote_ident, quote_literal, format).
 * Patterns are POSIX extended expressions (glibc <regex.h>) after a small
 * rewrite of PostgreSQL's ARE class escapes; what ARE has beyond that is
 * refused with 0A000, never silently matched differently; so are the flags
 * glibc cannot honour (b e w).
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "exec/array.h"
#include "exec/functions_internal.h"

/* ---------------------------------------------------------------- resolution */

static bool is_textual(type_id t)
{
	return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_UNKNOWN || t == TYPE_NULL;
}

static bool is_integer(type_id t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }

static void set_match(func_match *m, func_op op, type_id dom, ftype result, int nargs, const ftype *argt)
{
	memset(m, 0, sizeof *m);
	m->func = FUNC_ID(op, dom);
	m->result = result;
	for (int i = 0; i < nargs && i < 8; i++) m->arg_types[i] = argt[i];
}

/* Every argument text, except those listed in int_mask (bit i: argument i is int4). */
static bool text_sig(func_match *out, func_op op, ftype result, int nargs, const ftype *t, unsigned int_mask)
{
	ftype argt[8];
	for (int i = 0; i < nargs; i++) {
		bool want_int = (int_mask >> i) & 1;
		if (want_int ? !is_integer(t[i].id) && t[i].id != TYPE_UNKNOWN && t[i].id != TYPE_NULL
		             : !is_textual(t[i].id))
			return false;
		argt[i] = ftype_make(want_int ? TYPE_INT4 : TYPE_TEXT);
	}
	set_match(out, op, TYPE_TEXT, result, nargs, argt);
	return true;
}

bool func_text_lookup(const char *n, int nargs, const ftype *t, func_match *out)
{
	ftype tx = ftype_make(TYPE_TEXT), i4 = ftype_make(TYPE_INT4), bl = ftype_make(TYPE_BOOL);
	static const struct {
		const char *sym;
		func_op op;
	} re_ops[] = {{"~", FOP_RE_MATCH}, {"~*", FOP_RE_IMATCH}, {"!~", FOP_RE_NMATCH}, {"!~*", FOP_RE_NIMATCH}};
	for (size_t i = 0; i < sizeof re_ops / sizeof re_ops[0]; i++)
		if (!strcmp(n, re_ops[i].sym) && nargs == 2) return text_sig(out, re_ops[i].op, bl, 2, t, 0);
	if (!strcmp(n, "regexp_replace") && (nargs == 3 || nargs == 4))
		return text_sig(out, FOP_RE_REPLACE, tx, nargs, t, 0);
	if (!strcmp(n, "regexp_like") && (nargs == 2 || nargs == 3)) return text_sig(out, FOP_RE_LIKE, bl, nargs, t, 0);
	/* regexp_count(string, pattern [, start [, flags]]) */
	if (!strcmp(n, "regexp_count") && nargs >= 2 && nargs <= 4)
		return text_sig(out, FOP_RE_COUNT, i4, nargs, t, 1u << 2);
	/* regexp_substr(string, pattern [, start [, N [, flags [, subexpr]]]]) */
	if (!strcmp(n, "regexp_substr") && nargs >= 2 && nargs <= 6)
		return text_sig(out, FOP_RE_SUBSTR, tx, nargs, t, 1u << 2 | 1u << 3 | 1u << 5);
	/* regexp_instr(string, pattern [, start [, N [, endoption [, flags [, subexpr]]]]]) */
	if (!strcmp(n, "regexp_instr") && nargs >= 2 && nargs <= 7)
		return text_sig(out, FOP_RE_INSTR, i4, nargs, t, 1u << 2 | 1u << 3 | 1u << 4 | 1u << 6);
	ftype txa = ftype_array(tx);
	if (!strcmp(n, "regexp_match") && (nargs == 2 || nargs == 3)) return text_sig(out, FOP_RE_MATCH_ARR, txa, nargs, t, 0);
	if (!strcmp(n, "regexp_split_to_array") && (nargs == 2 || nargs == 3))
		return text_sig(out, FOP_RE_SPLIT_ARR, txa, nargs, t, 0);
	/* what regexp_split_to_table and regexp_matches in FROM unnest
	 * (planner/analyze_regexp.c), under their own names for errors: the
	 * pieces, and each match's text[] in its text form */
	if (!strcmp(n, "__regexp_split_to_table") && (nargs == 2 || nargs == 3))
		return text_sig(out, FOP_RE_SPLIT_TBL, txa, nargs, t, 0);
	if (!strcmp(n, "__regexp_matches") && (nargs == 2 || nargs == 3))
		return text_sig(out, FOP_RE_MATCHES_ALL, txa, nargs, t, 0);
	/* substring(string from pattern): the parser gives substring(string, pattern) */
	if ((!strcmp(n, "substring") || !strcmp(n, "textregexsubstr")) && nargs == 2 && is_textual(t[0].id) &&
	    (t[1].id == TYPE_TEXT || t[1].id == TYPE_VARCHAR || t[1].id == TYPE_BPCHAR || t[1].id == TYPE_UNKNOWN))
		return text_sig(out, FOP_RE_SUBSTRING, tx, 2, t, 0);
	static const struct {
		const char *name;
		func_op op;
		int nargs;
		unsigned int_mask;
		type_id result;
	} fixed[] = {
		{"initcap", FOP_INITCAP, 1, 0, TYPE_TEXT},       {"md5", FOP_MD5, 1, 0, TYPE_TEXT},
		{"ascii", FOP_ASCII, 1, 0, TYPE_INT4},           {"chr", FOP_CHR, 1, 1, TYPE_TEXT},
		{"repeat", FOP_REPEAT, 2, 2, TYPE_TEXT},         {"translate", FOP_TRANSLATE, 3, 0, TYPE_TEXT},
		{"starts_with", FOP_STARTS_WITH, 2, 0, TYPE_BOOL}, {"quote_ident", FOP_QUOTE_IDENT, 1, 0, TYPE_TEXT},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(n, fixed[i].name) && nargs == fixed[i].nargs)
			return text_sig(out, fixed[i].op, ftype_make(fixed[i].result), nargs, t, fixed[i].int_mask);
	if (!strcmp(n, "to_hex") && nargs == 1 && (is_integer(t[0].id) || t[0].id == TYPE_UNKNOWN)) {
		ftype argt = ftype_make(t[0].id == TYPE_INT8 ? TYPE_INT8 : TYPE_INT4);
		set_match(out, FOP_TO_HEX, argt.id, tx, 1, &argt);
		return true;
	}
	if (!strcmp(n, "quote_literal") && nargs == 1) {
		/* any type: its text form, quoted (quote_literal(anyelement)) */
		ftype argt = t[0].id == TYPE_UNKNOWN || t[0].id == TYPE_NULL ? tx : t[0];
		set_match(out, FOP_QUOTE_LITERAL, TYPE_TEXT, tx, 1, &argt);
		return true;
	}
	if (!strcmp(n, "__row_text") && nargs >= 1 && nargs <= 8) {
		/* ROW(args)::text, for WITH RECURSIVE ... CYCLE (planner/analyze_recursive.c) */
		ftype argt[8];
		for (int i = 0; i < nargs; i++) argt[i] = is_textual(t[i].id) ? tx : t[i];
		set_match(out, FOP_ROW_TEXT, TYPE_TEXT, tx, nargs, argt);
		return true;
	}
	if (!strcmp(n, "format") && nargs >= 1 && nargs <= 8 && is_textual(t[0].id)) {
		/* arguments keep their types: they print with their output functions */
		ftype argt[8];
		for (int i = 0; i < nargs; i++) argt[i] = is_textual(t[i].id) ? tx : t[i];
		set_match(out, FOP_FORMAT, TYPE_TEXT, tx, nargs, argt);
		return true;
	}
	(void)i4;
	return false;
}

bool func_text_nonstrict(func_op op) { return op == FOP_FORMAT || op == FOP_ROW_TEXT; }

/* ---------------------------------------------------------------- regular expressions */

typedef struct re_prog {
	regex_t re;
	bool compiled;
	bool global; /* 'g' */
} re_prog;

/* PostgreSQL's wording for the errors glibc reports. */
static ferr *re_error(int rc, const regex_t *re)
{
	static const struct {
		int rc;
		const char *msg;
	} pg[] = {{REG_EPAREN, "parentheses () not balanced"}, {REG_EBRACK, "brackets [] not balanced"},
	          {REG_EBRACE, "braces {} not balanced"},     {REG_BADRPT, "quantifier operand invalid"},
	          {REG_EESCAPE, "invalid escape \\ sequence"}, {REG_ERANGE, "invalid character range"},
	          {REG_ECTYPE, "invalid character class"},     {REG_BADBR, "invalid repetition count(s)"},
	          {REG_ESUBREG, "invalid backreference number"}};
	char msg[128];
	regerror(rc, re, msg, sizeof msg);
	for (size_t i = 0; i < sizeof pg / sizeof pg[0]; i++)
		if (pg[i].rc == rc) snprintf(msg, sizeof msg, "%s", pg[i].msg);
	return ferr_new(SQLSTATE_INVALID_REGULAR_EXPRESSION, "invalid regular expression: %s", msg);
}

/*
 * ARE to POSIX ERE: the class escapes \d \s \w (and \D \S \W outside
 * brackets) become bracket expressions; non-greedy quantifiers, lookaround
 * and back references, which ERE cannot express, are refused.
 */
/* What PostgreSQL's flags and embedded options ask beyond glibc's cflags. */
typedef struct re_opts {
	bool expanded; /* 'x': white space and # comments outside brackets are ignored */
	bool nlstop;   /* 'n' 'm' 'p': . and [^...] never match a newline */
	bool nlanch;   /* 'n' 'm' 'w': ^ and $ match at newlines */
	bool quote;    /* 'q' or ***=: the whole pattern is a literal */
	bool icase;
} re_opts;

static bool re_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* The pattern as a literal: every ERE metacharacter escaped. */
static void re_quote(fstring p, strbuf *out)
{
	for (uint32_t i = 0; i < p.len; i++) {
		if (strchr(".[]()*+?{}|^$\\", p.ptr[i]) && p.ptr[i]) sb_putc(out, '\\');
		sb_putc(out, p.ptr[i]);
	}
}

static ferr *re_translate(fstring p, const re_opts *o, strbuf *out)
{
	/* with newline-stop but not anchoring ('p'), . and [^ exclude the
	 * newline by hand: REG_NEWLINE would also anchor at it */
	const char *neg = o->nlstop && !o->nlanch ? "[^\n" : "[^";
	static const struct {
		char esc;
		const char *cls;
	} classes[] = {{'d', "[:digit:]"}, {'s', "[:space:]"}, {'w', "[:alnum:]_"}};
	bool in_bracket = false;
	for (uint32_t i = 0; i < p.len; i++) {
		char c = p.ptr[i];
		if (in_bracket) {
			if (c == ']' && !(i > 0 && (p.ptr[i - 1] == '[' || (p.ptr[i - 1] == '^' && i > 1 && p.ptr[i - 2] == '['))))
				in_bracket = false;
			if (c == '[' && i + 1 < p.len && p.ptr[i + 1] == ':') {
				/* [:class:] copied whole */
				const char *end = memmem(p.ptr + i + 2, p.len - i - 2, ":]", 2);
				if (end) {
					sb_append(out, p.ptr + i, (size_t)(end + 2 - (p.ptr + i)));
					i = (uint32_t)(end + 1 - p.ptr);
					continue;
				}
			}
			if (c == '\\' && i + 1 < p.len) {
				char e = p.ptr[++i];
				bool done = false;
				for (size_t k = 0; k < 3 && !done; k++)
					if (e == classes[k].esc) {
						sb_puts(out, classes[k].cls);
						done = true;
					}
				if (!done && strchr("DSW", e))
					return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "\\%c inside a bracket expression is not supported", e);
				if (!done) sb_putc(out, e); /* \] \\ \- : the character itself */
				continue;
			}
			sb_putc(out, c);
			continue;
		}
		if (o->expanded && re_space(c)) continue;
		if (o->expanded && c == '#') {
			while (i + 1 < p.len && p.ptr[i + 1] != '\n') i++;
			continue;
		}
		if (c == '.' && o->nlstop && !o->nlanch) {
			sb_puts(out, "[^\n]");
			continue;
		}
		if (c == '[') {
			in_bracket = true;
			if (i + 1 < p.len && p.ptr[i + 1] == '^') {
				sb_puts(out, neg);
				i++;
			} else {
				sb_putc(out, c);
			}
			if (i + 1 < p.len && p.ptr[i + 1] == ']') sb_putc(out, p.ptr[++i]);
			continue;
		}
		if (c == '\\' && i + 1 < p.len) {
			char e = p.ptr[++i];
			bool done = false;
			for (size_t k = 0; k < 3 && !done; k++) {
				if (e == classes[k].esc || e == (char)toupper((unsigned char)classes[k].esc)) {
					sb_printf(out, "%s%s]", e == classes[k].esc ? "[" : neg, classes[k].cls);
					done = true;
				}
			}
			if (done) continue;
			if (o->expanded && (re_space(e) || e == '#')) {
				sb_putc(out, e); /* an escaped blank or # is itself in expanded syntax */
				continue;
			}
			if (isdigit((unsigned char)e) || strchr("mMyYAZ", e))
				return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
				                "regular expression escape \\%c is not supported", e);
			sb_putc(out, '\\');
			sb_putc(out, e);
			continue;
		}
		if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < p.len && p.ptr[i + 1] == '?')
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "non-greedy quantifiers are not supported");
		if (c == '(' && i + 1 < p.len && p.ptr[i + 1] == '?') {
			if (i + 2 < p.len && p.ptr[i + 2] == ':') {
				/* (?:...) groups without capturing in ARE; ERE has only ( ) */
				return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "non-capturing groups (?:...) are not supported");
			}
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "lookahead and lookbehind constraints are not supported");
		}
		sb_putc(out, c);
	}
	return NULL;
}

/* One option letter of PostgreSQL's (a flag or an embedded (?...) option);
 * false if it is none. b and e (basic and extended syntax) and w (anchoring
 * at newlines while . still matches them) glibc cannot give: 0A000. */
static ferr *re_option(char f, re_opts *o, bool *known)
{
	*known = true;
	switch (f) {
	case 'i': o->icase = true; break;
	case 'c': o->icase = false; break;
	case 'n':
	case 'm': o->nlstop = o->nlanch = true; break;
	case 'p': o->nlstop = true, o->nlanch = false; break;
	case 's': o->nlstop = o->nlanch = false; break;
	case 'x': o->expanded = true; break;
	case 't': o->expanded = false; break;
	case 'q': o->quote = true; break;
	case 'w': o->nlstop = false, o->nlanch = true; break;
	case 'b':
	case 'e':
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "regular expression option \"%c\" is not supported", f);
	default: *known = false;
	}
	return NULL;
}

/* PostgreSQL's regexp flags, and g where the function takes it (fname: the
 * function, for the error); an unknown letter is 22023 as in PostgreSQL. */
static ferr *re_flags(const fstring *flags, const char *fname, re_opts *o, bool *global)
{
	*global = false;
	for (uint32_t i = 0; flags && i < flags->len; i++) {
		char f = flags->ptr[i];
		bool known;
		TRY(re_option(f, o, &known));
		if (known) continue;
		if (f == 'g' && (!strcmp(fname, "regexp_replace") || !strcmp(fname, "regexp_matches"))) *global = true;
		else if (f == 'g') {
			ferr *e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "%s() does not support the \"global\" option", fname);
			if (!strcmp(fname, "regexp_match")) ferr_hint(e, "Use the regexp_matches function instead.");
			return e;
		} else
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid regular expression option: \"%c\"", f);
	}
	return NULL;
}

/* ARE's director prefixes: ***= (the rest is a literal), ***: (an ARE), and
 * embedded options (?letters) at the start. */
static ferr *re_prefix(fstring *pat, re_opts *o)
{
	if (pat->len >= 4 && !memcmp(pat->ptr, "***=", 4)) {
		o->quote = true;
		pat->ptr += 4, pat->len -= 4;
		return NULL;
	}
	if (pat->len >= 4 && !memcmp(pat->ptr, "***:", 4)) pat->ptr += 4, pat->len -= 4;
	if (o->quote || pat->len < 3 || memcmp(pat->ptr, "(?", 2) || !isalpha((unsigned char)pat->ptr[2])) return NULL;
	uint32_t i = 2;
	for (; i < pat->len && pat->ptr[i] != ')'; i++) {
		bool known;
		TRY(re_option(pat->ptr[i], o, &known));
		if (!known)
			return ferr_new(SQLSTATE_INVALID_REGULAR_EXPRESSION, "invalid regular expression: invalid embedded option");
	}
	if (i == pat->len)
		return ferr_new(SQLSTATE_INVALID_REGULAR_EXPRESSION, "invalid regular expression: invalid embedded option");
	pat->ptr += i + 1, pat->len -= i + 1;
	return NULL;
}

static ferr *re_compile(fstring pat, const fstring *flags, bool icase, const char *fname, re_prog *rp)
{
	re_opts o = {.icase = icase};
	TRY(re_flags(flags, fname, &o, &rp->global));
	TRY(re_prefix(&pat, &o));
	if (o.nlanch && !o.nlstop)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "regular expression option \"w\" (newline anchoring without newline stop) is not supported");
	int cflags = REG_EXTENDED | (o.icase ? REG_ICASE : 0) | (o.nlstop && o.nlanch ? REG_NEWLINE : 0);
	strbuf sb = STRBUF_INIT;
	ferr *e = NULL;
	if (o.quote) re_quote(pat, &sb);
	else e = re_translate(pat, &o, &sb);
	if (e) {
		sb_free(&sb);
		return e;
	}
	int rc = regcomp(&rp->re, sb.data ? sb.data : "", cflags);
	sb_free(&sb);
	if (rc != 0) {
		e = re_error(rc, &rp->re);
		regfree(&rp->re);
		return e;
	}
	rp->compiled = true;
	return NULL;
}

static void re_free(re_prog *rp)
{
	if (rp->compiled) regfree(&rp->re);
	rp->compiled = false;
}

/* NUL-terminated copy of a value for regexec (into sb). */
static const char *cstr(fstring s, strbuf *sb)
{
	sb_reset(sb);
	sb_append(sb, s.ptr, s.len);
	sb_putc(sb, '\0');
	return sb->data;
}

/* Match at byte offset `from` of s (length n); REG_NOTBOL when not at the start. */
static bool re_exec(const re_prog *rp, const char *s, size_t n, size_t from, regmatch_t *m, size_t nm)
{
	m[0].rm_so = (regoff_t)from;
	m[0].rm_eo = (regoff_t)n;
	return regexec(&rp->re, s, nm, m, REG_STARTEND | (from > 0 ? REG_NOTBOL : 0)) == 0;
}

/* Byte offset of UTF-8 character index ci (0-based) of s, or n. */
static size_t char_offset(const char *s, size_t n, int64_t ci)
{
	size_t i = 0;
	for (; i < n && ci > 0; ci--) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
	}
	return i;
}

/* Advance past one UTF-8 character (after an empty match). */
static size_t next_char(const char *s, size_t n, size_t i)
{
	if (i >= n) return n + 1;
	i++;
	while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
	return i;
}

static void append_replacement(strbuf *sb, fstring rep, const char *s, const regmatch_t *m, size_t nm)
{
	for (uint32_t k = 0; k < rep.len; k++) {
		char c = rep.ptr[k];
		if (c == '\\' && k + 1 < rep.len) {
			char d = rep.ptr[k + 1];
			if (d >= '1' && d <= '9') {
				size_t g = (size_t)(d - '0');
				if (g < nm && m[g].rm_so >= 0) sb_append(sb, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
				k++;
				continue;
			}
			if (d == '&') {
				sb_append(sb, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
				k++;
				continue;
			}
			if (d == '\\') {
				sb_putc(sb, '\\');
				k++;
				continue;
			}
		}
		sb_putc(sb, c);
	}
}

static fstring arena_str(arena *a, const char *p, size_t n)
{
	char *q = arena_alloc(a, n ? n : 1);
	if (n) memcpy(q, p, n);
	return (fstring){(uint32_t)n, q};
}

static ferr *int_arg(const vector *v, int r, const char *what, int64_t min, int64_t *out)
{
	*out = AT(v, int32_t, r);
	if (*out < min)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": %lld", what,
		                (long long)*out);
	return NULL;
}

#define RE_NSUB 10

/* UTF-8 characters in the first n bytes of s. */
static size_t char_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Where the next search starts after match m: its end, or one character on
 * after an empty match. */
static size_t after_match(const char *s, size_t n, const regmatch_t *m)
{
	return m->rm_eo > m->rm_so ? (size_t)m->rm_eo : next_char(s, n, (size_t)m->rm_eo);
}

/* One match as regexp_match gives it: the parenthesized subexpressions (NULL
 * where one took no part), or the whole match when there are none. */
static fstring match_array(const re_prog *rp, const char *s, const regmatch_t *m, arena *a)
{
	array_builder ab;
	array_builder_init(&ab, ftype_make(TYPE_TEXT), a);
	size_t ng = rp->re.re_nsub;
	for (size_t g = ng ? 1 : 0; g <= ng; g++) {
		if (g >= RE_NSUB || m[g].rm_so < 0) {
			array_builder_add(&ab, NULL);
			continue;
		}
		fstring v = {(uint32_t)(m[g].rm_eo - m[g].rm_so), s + m[g].rm_so};
		array_builder_add(&ab, &v);
	}
	return array_builder_finish(&ab);
}

/*
 * regexp_match: the first match's array, NULL without one. __regexp_matches
 * (regexp_matches in FROM): every match with 'g', else the first, each as
 * the text form of its array, in one text[].
 */
static ferr *match_arrays(func_op op, const re_prog *rp, const char *s, size_t n, arena *a, vector *out, int r,
                          int cap, strbuf *tmp)
{
	regmatch_t m[RE_NSUB];
	if (op == FOP_RE_MATCH_ARR) {
		if (!re_exec(rp, s, n, 0, m, RE_NSUB))
			vec_set_null(out, a, r, cap);
		else
			((fstring *)out->data)[r] = match_array(rp, s, m, a);
		return NULL;
	}
	ftype tx = ftype_make(TYPE_TEXT), txa = ftype_array(tx);
	fmt_settings fs;
	fmt_settings_default(&fs);
	array_builder all;
	array_builder_init(&all, tx, a);
	for (size_t pos = 0; pos <= n && re_exec(rp, s, n, pos, m, RE_NSUB); pos = after_match(s, n, &m[0])) {
		fstring one = match_array(rp, s, m, a);
		sb_reset(tmp);
		value_out_text(txa, &one, &fs, tmp);
		fstring text = {(uint32_t)tmp->len, tmp->data ? tmp->data : ""};
		array_builder_add(&all, &text);
		if (!rp->global) break;
	}
	((fstring *)out->data)[r] = array_builder_finish(&all);
	return NULL;
}

/* regexp_split_to_array: the pieces between matches, where an empty match at
 * either end of the string or right after the previous match splits nothing
 * (PostgreSQL's "degenerate" matches). */
static fstring split_array(const re_prog *rp, const char *s, size_t n, arena *a)
{
	array_builder ab;
	array_builder_init(&ab, ftype_make(TYPE_TEXT), a);
	regmatch_t m[1];
	size_t piece = 0, prev_end = 0;
	for (size_t pos = 0; pos <= n && re_exec(rp, s, n, pos, m, 1); pos = after_match(s, n, &m[0])) {
		if ((size_t)m[0].rm_so < n && (size_t)m[0].rm_eo > prev_end) {
			fstring v = {(uint32_t)((size_t)m[0].rm_so - piece), s + piece};
			array_builder_add(&ab, &v);
			piece = (size_t)m[0].rm_eo;
		}
		prev_end = (size_t)m[0].rm_eo;
	}
	fstring last = {(uint32_t)(n - piece), s + piece};
	array_builder_add(&ab, &last);
	return array_builder_finish(&ab);
}

/* The regular-expression functions: one compiled program per batch when the
 * pattern and flags are constants, else one per row. */
static ferr *eval_regex(func_op op, int nargs, vector *const *args, const batch *b, arena *a, vector *out)
{
	int flags_arg = op == FOP_RE_REPLACE ? 3 : op == FOP_RE_LIKE ? 2 : op == FOP_RE_COUNT ? 3 : op == FOP_RE_SUBSTR ? 4
	              : op == FOP_RE_INSTR ? 5 : op >= FOP_RE_MATCH_ARR ? 2 : -1;
	bool have_flags = flags_arg >= 0 && flags_arg < nargs;
	bool icase = op == FOP_RE_IMATCH || op == FOP_RE_NIMATCH;
	bool per_batch = args[1]->is_const && (!have_flags || args[flags_arg]->is_const);
	re_prog rp = {0};
	strbuf s = STRBUF_INIT, res = STRBUF_INIT;
	ferr *err = NULL;
	FOR_ROWS(r)
	{
		if (!rp.compiled || !per_batch) {
			re_free(&rp);
			fstring fl = have_flags ? AT(args[flags_arg], fstring, r) : (fstring){0, ""};
			err = re_compile(AT(args[1], fstring, r), have_flags ? &fl : NULL, icase, func_name(FUNC_ID(op, TYPE_TEXT)), &rp);
			if (err) break;
		}
		fstring src = AT(args[0], fstring, r);
		const char *str = cstr(src, &s);
		regmatch_t m[RE_NSUB];
		switch (op) {
		case FOP_RE_MATCH: case FOP_RE_IMATCH: case FOP_RE_NMATCH: case FOP_RE_NIMATCH: case FOP_RE_LIKE: {
			bool hit = re_exec(&rp, str, src.len, 0, m, 1);
			((uint8_t *)out->data)[r] = (uint8_t)(op == FOP_RE_NMATCH || op == FOP_RE_NIMATCH ? !hit : hit);
			break;
		}
		case FOP_RE_REPLACE: {
			sb_reset(&res);
			size_t pos = 0, copied = 0;
			while (pos <= src.len && re_exec(&rp, str, src.len, pos, m, RE_NSUB)) {
				sb_append(&res, str + copied, (size_t)m[0].rm_so - copied);
				append_replacement(&res, AT(args[2], fstring, r), str, m, RE_NSUB);
				copied = (size_t)m[0].rm_eo;
				if (!rp.global) break;
				pos = m[0].rm_eo > m[0].rm_so ? (size_t)m[0].rm_eo : next_char(str, src.len, (size_t)m[0].rm_eo);
				if (m[0].rm_eo == m[0].rm_so && (size_t)m[0].rm_eo < src.len) {
					/* an empty match keeps the character it stood before */
					sb_append(&res, str + copied, pos - copied);
					copied = pos;
				}
			}
			if (copied < src.len) sb_append(&res, str + copied, src.len - copied);
			((fstring *)out->data)[r] = arena_str(a, res.data ? res.data : "", res.len);
			break;
		}
		case FOP_RE_COUNT: case FOP_RE_SUBSTR: {
			int64_t start = 1, nth = 1, sub = 0;
			if (nargs > 2 && (err = int_arg(args[2], r, "start", 1, &start))) break;
			if (op == FOP_RE_SUBSTR && nargs > 3 && (err = int_arg(args[3], r, "n", 1, &nth))) break;
			if (op == FOP_RE_SUBSTR && nargs > 5 && (err = int_arg(args[5], r, "subexpr", 0, &sub))) break;
			size_t pos = char_offset(str, src.len, start - 1);
			int64_t count = 0;
			bool found = false;
			while (pos <= src.len && re_exec(&rp, str, src.len, pos, m, RE_NSUB)) {
				count++;
				if (op == FOP_RE_SUBSTR && count == nth) {
					found = true;
					break;
				}
				pos = m[0].rm_eo > m[0].rm_so ? (size_t)m[0].rm_eo : next_char(str, src.len, (size_t)m[0].rm_eo);
			}
			if (op == FOP_RE_COUNT) {
				((int32_t *)out->data)[r] = (int32_t)count;
			} else if (!found || sub > (int64_t)rp.re.re_nsub || sub >= RE_NSUB || m[sub].rm_so < 0) {
				vec_set_null(out, a, r, b->capacity);
			} else {
				((fstring *)out->data)[r] = arena_str(a, str + m[sub].rm_so, (size_t)(m[sub].rm_eo - m[sub].rm_so));
			}
			break;
		}
		case FOP_RE_INSTR: {
			int64_t start = 1, nth = 1, endopt = 0, sub = 0;
			if (nargs > 2 && (err = int_arg(args[2], r, "start", 1, &start))) break;
			if (nargs > 3 && (err = int_arg(args[3], r, "n", 1, &nth))) break;
			if (nargs > 4 && (err = int_arg(args[4], r, "endoption", 0, &endopt))) break;
			if (endopt > 1) {
				err = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": %lld",
				               "endoption", (long long)endopt);
				break;
			}
			if (nargs > 6 && (err = int_arg(args[6], r, "subexpr", 0, &sub))) break;
			int64_t count = 0;
			size_t pos = char_offset(str, src.len, start - 1);
			int32_t at = 0;
			while (pos <= src.len && re_exec(&rp, str, src.len, pos, m, RE_NSUB)) {
				if (++count == nth) {
					if (sub <= (int64_t)rp.re.re_nsub && sub < RE_NSUB && m[sub].rm_so >= 0)
						at = (int32_t)char_count(str, (size_t)(endopt ? m[sub].rm_eo : m[sub].rm_so)) + 1;
					break;
				}
				pos = m[0].rm_eo > m[0].rm_so ? (size_t)m[0].rm_eo : next_char(str, src.len, (size_t)m[0].rm_eo);
			}
			((int32_t *)out->data)[r] = at;
			break;
		}
		case FOP_RE_MATCH_ARR: case FOP_RE_MATCHES_ALL:
			err = match_arrays(op, &rp, str, src.len, a, out, r, b->capacity, &res);
			break;
		case FOP_RE_SPLIT_ARR: case FOP_RE_SPLIT_TBL:
			((fstring *)out->data)[r] = split_array(&rp, str, src.len, a);
			break;
		case FOP_RE_SUBSTRING: {
			/* the first parenthesized subexpression if there is one, else the match */
			int g = rp.re.re_nsub > 0 ? 1 : 0;
			if (!re_exec(&rp, str, src.len, 0, m, RE_NSUB) || m[g].rm_so < 0)
				vec_set_null(out, a, r, b->capacity);
			else
				((fstring *)out->data)[r] = arena_str(a, str + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
			break;
		}
		default: break;
		}
		if (err) break;
	}
	re_free(&rp);
	sb_free(&s);
	sb_free(&res);
	return err;
}

/* ---------------------------------------------------------------- other text functions */

/* Decode one UTF-8 character at s (n bytes left); *len gets its length. */
static uint32_t utf8_decode(const unsigned char *s, uint32_t n, int *len)
{
	int l = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if ((uint32_t)l > n) l = (int)n;
	uint32_t cp = l == 1 ? s[0] : s[0] & (0x3F >> (l - 1));
	for (int i = 1; i < l; i++) cp = cp << 6 | (s[i] & 0x3F);
	*len = l;
	return cp;
}

static int utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* quote_ident's rule: quotes unless all lower-case letters, digits and _
 * not starting with a digit (keywords are not checked: see README). */
static void quote_ident(fstring s, strbuf *sb)
{
	bool safe = s.len > 0 && !isdigit((unsigned char)s.ptr[0]);
	for (uint32_t i = 0; i < s.len && safe; i++)
		safe = islower((unsigned char)s.ptr[i]) || isdigit((unsigned char)s.ptr[i]) || s.ptr[i] == '_';
	if (safe) {
		sb_append(sb, s.ptr, s.len);
		return;
	}
	sb_putc(sb, '"');
	for (uint32_t i = 0; i < s.len; i++) {
		if (s.ptr[i] == '"') sb_putc(sb, '"');
		sb_putc(sb, s.ptr[i]);
	}
	sb_putc(sb, '"');
}

/* quote_literal: E'...' when the text has a backslash, doubled quotes and backslashes. */
static void quote_literal(fstring s, strbuf *sb)
{
	if (memchr(s.ptr, '\\', s.len)) sb_putc(sb, 'E');
	sb_putc(sb, '\'');
	for (uint32_t i = 0; i < s.len; i++) {
		if (s.ptr[i] == '\'' || s.ptr[i] == '\\') sb_putc(sb, s.ptr[i]);
		sb_putc(sb, s.ptr[i]);
	}
	sb_putc(sb, '\'');
}

/* Text form of argument k at row r: text as is, other types by their output function. */
static fstring arg_text(const vector *v, int r, const expr_ctx *ctx, strbuf *tmp)
{
	ftype t = v->type;
	if (t.id == TYPE_TEXT || t.id == TYPE_VARCHAR || t.id == TYPE_BPCHAR || t.id == TYPE_UNKNOWN)
		return AT(v, fstring, r);
	sb_reset(tmp);
	value_out_text(t, vector_at(v, r), ctx ? ctx->fmt : NULL, tmp);
	return (fstring){(uint32_t)tmp->len, tmp->data ? tmp->data : ""};
}

/* format(fmt, args...): %s, %I, %L, %% and positions (%2$s). */
static ferr *format_row(const expr_ctx *ctx, vector *const *args, int nargs, int r, strbuf *sb, strbuf *tmp)
{
	fstring f = AT(args[0], fstring, r);
	int next = 1;
	for (uint32_t i = 0; i < f.len; i++) {
		if (f.ptr[i] != '%') {
			sb_putc(sb, f.ptr[i]);
			continue;
		}
		if (++i >= f.len) return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "unterminated format() type specifier");
		if (f.ptr[i] == '%') {
			sb_putc(sb, '%');
			continue;
		}
		int argn = next;
		if (isdigit((unsigned char)f.ptr[i])) {
			int v = 0;
			uint32_t j = i;
			while (j < f.len && isdigit((unsigned char)f.ptr[j]) && v < 100000) v = v * 10 + (f.ptr[j++] - '0');
			if (j < f.len && f.ptr[j] == '$') {
				if (v == 0)
					return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "format specifies argument 0, but arguments are numbered from 1");
				argn = v;
				i = j + 1;
			}
		}
		if (i >= f.len) return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "unterminated format() type specifier");
		char conv = f.ptr[i];
		if (conv != 's' && conv != 'I' && conv != 'L')
			return ferr_hint(ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "unrecognized format() type specifier \"%c\"", conv),
			                 "For a single \"%%\" use \"%%%%\".");
		if (argn >= nargs) return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "too few arguments for format()");
		next = argn + 1;
		if (ISNULL(args[argn], r)) {
			if (conv == 'I')
				return ferr_new(SQLSTATE_NULL_VALUE_NOT_ALLOWED, "null values cannot be formatted as an SQL identifier");
			if (conv == 'L') sb_puts(sb, "NULL");
			continue;
		}
		fstring v = arg_text(args[argn], r, ctx, tmp);
		if (conv == 's') sb_append(sb, v.ptr, v.len);
		else if (conv == 'I') quote_ident(v, sb);
		else quote_literal(v, sb);
	}
	return NULL;
}

ferr *func_text_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b, arena *a,
                     vector *out)
{
	func_op op = FUNC_OP(e->func);
	if (op >= FOP_RE_MATCH && op <= FOP_RE_MATCHES_ALL) return eval_regex(op, e->nargs, args, b, a, out);
	strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	ferr *err = NULL;
	fstring *so = out->data;
	if (op == FOP_FORMAT) {
		/* NULL format gives NULL; NULL arguments are handled per conversion */
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (ISNULL(args[0], r)) vec_set_null(out, a, r, b->capacity);
		}
	}
	FOR_ROWS(r)
	{
		sb_reset(&sb);
		fstring s = is_textual(args[0]->type.id) ? AT(args[0], fstring, r) : (fstring){0, ""};
		switch (op) {
		case FOP_INITCAP: {
			/* words are runs of letters and digits; ASCII case mapping (C collation) */
			bool in_word = false;
			for (uint32_t i = 0; i < s.len; i++) {
				unsigned char c = (unsigned char)s.ptr[i];
				sb_putc(&sb, (char)(in_word ? tolower(c) : toupper(c)));
				in_word = isalnum(c) || c >= 0x80;
			}
			break;
		}
		case FOP_MD5: {
			unsigned char d[EVP_MAX_MD_SIZE];
			unsigned int dl = 0;
			if (!EVP_Digest(s.ptr, s.len, d, &dl, EVP_md5(), NULL)) {
				err = ferr_new(SQLSTATE_INTERNAL_ERROR, "could not compute MD5 hash");
				break;
			}
			for (unsigned int i = 0; i < dl; i++) sb_printf(&sb, "%02x", d[i]);
			break;
		}
		case FOP_TO_HEX: {
			int64_t v = FUNC_DOM(e->func) == TYPE_INT8 ? AT(args[0], int64_t, r) : AT(args[0], int32_t, r);
			uint64_t u = FUNC_DOM(e->func) == TYPE_INT8 ? (uint64_t)v : (uint64_t)(uint32_t)v;
			sb_printf(&sb, "%llx", (unsigned long long)u);
			break;
		}
		case FOP_ASCII: {
			int l;
			((int32_t *)out->data)[r] = s.len ? (int32_t)utf8_decode((const unsigned char *)s.ptr, s.len, &l) : 0;
			continue;
		}
		case FOP_CHR: {
			int32_t cp = AT(args[0], int32_t, r);
			char buf[4];
			if (cp == 0) {
				err = ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "null character not permitted");
			} else if (cp < 0) {
				err = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "character number must be positive");
			} else if (cp > 0x10FFFF) {
				err = ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested character too large for encoding: %d", cp);
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				err = ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested character not valid for encoding: %d", cp);
			} else {
				sb_append(&sb, buf, (size_t)utf8_encode((uint32_t)cp, buf));
			}
			break;
		}
		case FOP_REPEAT: {
			int32_t n = AT(args[1], int32_t, r);
			if (n > 0 && (uint64_t)s.len * (uint64_t)n >= (1u << 30)) {
				err = ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
				break;
			}
			for (int32_t i = 0; i < n; i++) sb_append(&sb, s.ptr, s.len);
			break;
		}
		case FOP_TRANSLATE: {
			/* characters of from map to the same position in to, or vanish past its end */
			fstring from = AT(args[1], fstring, r), to = AT(args[2], fstring, r);
			for (uint32_t i = 0; i < s.len;) {
				int l;
				utf8_decode((const unsigned char *)s.ptr + i, s.len - i, &l);
				int pos = -1, k = 0;
				for (uint32_t j = 0; j < from.len; k++) {
					int fl;
					utf8_decode((const unsigned char *)from.ptr + j, from.len - j, &fl);
					if (fl == l && !memcmp(from.ptr + j, s.ptr + i, (size_t)l)) {
						pos = k;
						break;
					}
					j += (uint32_t)fl;
				}
				if (pos < 0) {
					sb_append(&sb, s.ptr + i, (size_t)l);
				} else {
					size_t off = char_offset(to.ptr, to.len, pos);
					if (off < to.len) {
						int tl;
						utf8_decode((const unsigned char *)to.ptr + off, (uint32_t)(to.len - off), &tl);
						sb_append(&sb, to.ptr + off, (size_t)tl);
					}
				}
				i += (uint32_t)l;
			}
			break;
		}
		case FOP_STARTS_WITH: {
			fstring p = AT(args[1], fstring, r);
			((uint8_t *)out->data)[r] = (uint8_t)(p.len <= s.len && !memcmp(s.ptr, p.ptr, p.len));
			continue;
		}
		case FOP_QUOTE_IDENT: quote_ident(s, &sb); break;
		case FOP_QUOTE_LITERAL: {
			fstring v = arg_text(args[0], r, ctx, &tmp);
			quote_literal(v, &sb);
			break;
		}
		case FOP_FORMAT: err = format_row(ctx, args, e->nargs, r, &sb, &tmp); break;
		case FOP_ROW_TEXT:
			sb_putc(&sb, '(');
			for (int i = 0; i < e->nargs; i++) {
				if (i) sb_putc(&sb, ',');
				if (ISNULL(args[i], r)) continue;
				fstring f = arg_text(args[i], r, ctx, &tmp);
				record_field_out(f.ptr, f.len, &sb);
			}
			sb_putc(&sb, ')');
			break;
		default: err = ferr_new(SQLSTATE_INTERNAL_ERROR, "function %s is not implemented", func_name(e->func)); break;
		}
		if (err) break;
		so[r] = arena_str(a, sb.data ? sb.data : "", sb.len);
	}
	sb_free(&sb);
	sb_free(&tmp);
	return err;
}
