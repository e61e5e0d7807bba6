/*
 * types_json.c — json validation and jsonb normalisation for text input:
 * json keeps its text verbatim, jsonb is re-rendered the way PostgreSQL
 * prints it (keys sorted by length then bytes, last duplicate wins, numbers
 * through numeric, ", " and ": " separators). Never accepts what
 * PostgreSQL's json parser rejects; errors are 22P02.
 */
#include <string.h>

#include "exec/types_internal.h"

#define JSON_MAX_DEPTH 1000

typedef struct jparser {
	const char *p, *end;
	arena *a;
	bool render; /* jsonb: build normalised text */
	int depth;
} jparser;

/* A parsed value rendered to normalised text (only when rendering). */
typedef struct jtext {
	char *s;
	size_t len;
} jtext;

static ferr *jerr(const char *what)
{
	return ferr_detail(ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json"),
	                   "%s", what);
}

static void jws(jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static void put_utf8(strbuf *sb, uint32_t c)
{
	if (c < 0x80) sb_putc(sb, (char)c);
	else if (c < 0x800) {
		sb_putc(sb, (char)(0xC0 | c >> 6));
		sb_putc(sb, (char)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		sb_putc(sb, (char)(0xE0 | c >> 12));
		sb_putc(sb, (char)(0x80 | (c >> 6 & 0x3F)));
		sb_putc(sb, (char)(0x80 | (c & 0x3F)));
	} else {
		sb_putc(sb, (char)(0xF0 | c >> 18));
		sb_putc(sb, (char)(0x80 | (c >> 12 & 0x3F)));
		sb_putc(sb, (char)(0x80 | (c >> 6 & 0x3F)));
		sb_putc(sb, (char)(0x80 | (c & 0x3F)));
	}
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0) return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Parse a string; when rendering, out receives the quoted, re-escaped form
 * and raw (if not NULL) the decoded bytes (for key sorting). */
static ferr *jstring(jparser *j, strbuf *out, strbuf *raw)
{
	j->p++; /* opening quote */
	if (out) sb_putc(out, '"');
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return ferr_detail(ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json"),
			                   "Character with value 0x%02x must be escaped.", c);
		uint32_t cp = c;
		bool escaped = false;
		if (c == '\\') {
			if (j->p + 1 >= j->end) return jerr("The input string ended unexpectedly.");
			char e = j->p[1];
			j->p += 2;
			escaped = true;
			switch (e) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u': {
				if (j->end - j->p < 4 || hex4(j->p) < 0) return jerr("\"\\u\" must be followed by four hexadecimal digits.");
				cp = (uint32_t)hex4(j->p);
				j->p += 4;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' || hex4(j->p + 2) < 0xDC00 || hex4(j->p + 2) > 0xDFFF)
						return jerr("Unicode high surrogate must not follow a high surrogate.");
					cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)hex4(j->p + 2) - 0xDC00);
					j->p += 6;
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					return jerr("Unicode low surrogate must follow a high surrogate.");
				}
				if (cp == 0 && j->render) return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "unsupported Unicode escape sequence");
				break;
			}
			default: return jerr("Escape sequence is invalid.");
			}
		} else {
			j->p++;
		}
		if (!out) continue;
		if (raw) {
			if (escaped) put_utf8(raw, cp);
			else sb_putc(raw, (char)c);
		}
		switch (cp) {
		case '"': sb_puts(out, "\\\""); break;
		case '\\': sb_puts(out, "\\\\"); break;
		case '\b': sb_puts(out, "\\b"); break;
		case '\f': sb_puts(out, "\\f"); break;
		case '\n': sb_puts(out, "\\n"); break;
		case '\r': sb_puts(out, "\\r"); break;
		case '\t': sb_puts(out, "\\t"); break;
		default:
			if (cp < 0x20) sb_printf(out, "\\u%04x", cp);
			else if (escaped) put_utf8(out, cp);
			else sb_putc(out, (char)c);
		}
	}
	if (j->p >= j->end) return jerr("The input string ended unexpectedly.");
	j->p++;
	if (out) sb_putc(out, '"');
	return NULL;
}

/* Numbers: JSON grammar; jsonb prints them as numeric_out would. */
static ferr *jnumber(jparser *j, strbuf *out)
{
	const char *s = j->p;
	bool neg = false;
	if (*j->p == '-') neg = true, j->p++;
	const char *ip = j->p;
	if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9')) return jerr("Token is invalid.");
	if (*j->p == '0') j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
	size_t nint = (size_t)(j->p - ip);
	const char *fp = NULL;
	size_t nfrac = 0;
	if (j->p < j->end && *j->p == '.') {
		fp = ++j->p;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
		nfrac = (size_t)(j->p - fp);
		if (!nfrac) return jerr("Token is invalid.");
	}
	long exp = 0;
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		bool eneg = false;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-')) eneg = *j->p++ == '-';
		if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9')) return jerr("Token is invalid.");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
			if (exp < 10000000) exp = exp * 10 + (*j->p - '0');
			j->p++;
		}
		if (eneg) exp = -exp;
	}
	if (!out) return NULL;
	(void)s;
	if (exp > 131072 || exp < -131072)
		return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
	/* digits d1..dn with the decimal point after nint + exp of them */
	strbuf dg = STRBUF_INIT;
	sb_append(&dg, ip, nint);
	if (nfrac) sb_append(&dg, fp, nfrac);
	long point = (long)nint + exp;
	long dscale = (long)nfrac - exp;
	if (dscale < 0) dscale = 0;
	/* integer part */
	strbuf num = STRBUF_INIT;
	bool nonzero = false;
	for (long i = 0; i < (long)dg.len; i++)
		if (dg.data[i] != '0') nonzero = true;
	if (neg && nonzero) sb_putc(&num, '-');
	bool any = false;
	for (long i = 0; i < point; i++) {
		char c = i < (long)dg.len ? dg.data[i] : '0';
		if (c == '0' && !any) continue;
		any = true;
		sb_putc(&num, c);
	}
	if (!any) sb_putc(&num, '0');
	if (dscale > 0) {
		sb_putc(&num, '.');
		for (long i = point; i < point + dscale; i++) sb_putc(&num, i >= 0 && i < (long)dg.len ? dg.data[i] : '0');
	}
	sb_append(out, num.data, num.len);
	sb_free(&num);
	sb_free(&dg);
	return NULL;
}

typedef struct jmember {
	char *key; /* decoded, for sorting */
	size_t keylen;
	char *text; /* "key": value */
	size_t len;
} jmember;

static int member_cmp(const void *x, const void *y)
{
	const jmember *a = x, *b = y;
	if (a->keylen != b->keylen) return a->keylen < b->keylen ? -1 : 1;
	return memcmp(a->key, b->key, a->keylen);
}

static ferr *jvalue(jparser *j, strbuf *out);

static ferr *jobject(jparser *j, strbuf *out)
{
	j->p++;
	jmember *m = NULL;
	size_t n = 0, cap = 0;
	jws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		if (out) sb_puts(out, "{}");
		return NULL;
	}
	for (;;) {
		jws(j);
		if (j->p >= j->end || *j->p != '"') return jerr("Expected string.");
		strbuf key = STRBUF_INIT, raw = STRBUF_INIT, val = STRBUF_INIT;
		ferr *e = jstring(j, out ? &key : NULL, out ? &raw : NULL);
		jws(j);
		if (!e && (j->p >= j->end || *j->p != ':')) e = jerr("Expected \":\".");
		if (!e) {
			j->p++;
			e = jvalue(j, out ? &val : NULL);
		}
		if (e) {
			sb_free(&key);
			sb_free(&raw);
			sb_free(&val);
			return e;
		}
		if (out) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				m = arena_realloc(j->a, m, cap * sizeof *m, ncap * sizeof *m);
				cap = ncap;
			}
			strbuf t = STRBUF_INIT;
			sb_append(&t, key.data, key.len);
			sb_puts(&t, ": ");
			sb_append(&t, val.data, val.len);
			m[n].key = arena_strndup(j->a, raw.data ? raw.data : "", raw.len);
			m[n].keylen = raw.len;
			m[n].text = arena_strndup(j->a, t.data, t.len);
			m[n].len = t.len;
			n++;
			sb_free(&t);
		}
		sb_free(&key);
		sb_free(&raw);
		sb_free(&val);
		jws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			break;
		}
		return jerr("Expected \",\" or \"}\".");
	}
	if (!out) return NULL;
	/* stable order, then keep the last of equal keys */
	size_t *idx = arena_alloc(j->a, n * sizeof(size_t));
	for (size_t i = 0; i < n; i++) idx[i] = i;
	/* insertion sort by (key, position): objects are small */
	for (size_t i = 1; i < n; i++) {
		size_t v = idx[i], k = i;
		while (k > 0) {
			int c = member_cmp(&m[idx[k - 1]], &m[v]);
			if (c < 0 || (c == 0 && idx[k - 1] < v)) break;
			idx[k] = idx[k - 1];
			k--;
		}
		idx[k] = v;
	}
	sb_putc(out, '{');
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && member_cmp(&m[idx[i]], &m[idx[i + 1]]) == 0) continue; /* a later duplicate wins */
		if (!first) sb_puts(out, ", ");
		first = false;
		sb_append(out, m[idx[i]].text, m[idx[i]].len);
	}
	sb_putc(out, '}');
	return NULL;
}

static ferr *jarray(jparser *j, strbuf *out)
{
	j->p++;
	jws(j);
	if (out) sb_putc(out, '[');
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		if (out) sb_putc(out, ']');
		return NULL;
	}
	for (bool first = true;; first = false) {
		if (out && !first) sb_puts(out, ", ");
		TRY(jvalue(j, out));
		jws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			break;
		}
		return jerr("Expected \",\" or \"]\".");
	}
	if (out) sb_putc(out, ']');
	return NULL;
}

static ferr *jvalue(jparser *j, strbuf *out)
{
	jws(j);
	if (j->p >= j->end) return jerr("The input string ended unexpectedly.");
	if (++j->depth > JSON_MAX_DEPTH)
		return ferr_new(SQLSTATE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded");
	ferr *e = NULL;
	char c = *j->p;
	if (c == '{') e = jobject(j, out);
	else if (c == '[') e = jarray(j, out);
	else if (c == '"') e = jstring(j, out, NULL);
	else if (c == '-' || (c >= '0' && c <= '9')) e = jnumber(j, out);
	else {
		static const char *const words[] = {"true", "false", "null"};
		bool ok = false;
		for (int i = 0; i < 3 && !ok; i++) {
			size_t l = strlen(words[i]);
			if ((size_t)(j->end - j->p) >= l && !memcmp(j->p, words[i], l)) {
				const char *after = j->p + l;
				if (after < j->end && ((*after >= 'a' && *after <= 'z') || (*after >= '0' && *after <= '9'))) break;
				if (out) sb_puts(out, words[i]);
				j->p = after;
				ok = true;
			}
		}
		if (!ok) e = jerr("Token is invalid.");
	}
	j->depth--;
	return e;
}

ferr *json_in(ftype t, const char *s, size_t len, arena *a, fstring *out)
{
	jparser j = {s, s + len, a, t.id == TYPE_JSONB, 0};
	strbuf sb = STRBUF_INIT;
	ferr *e = jvalue(&j, j.render ? &sb : NULL);
	if (!e) {
		jws(&j);
		if (j.p != j.end) e = jerr("Token is invalid.");
	}
	if (e) {
		sb_free(&sb);
		return e;
	}
	if (j.render) {
		out->ptr = arena_strndup(a, sb.data ? sb.data : "", sb.len);
		out->len = (uint32_t)sb.len;
	} else {
		out->ptr = arena_strndup(a, s, len);
		out->len = (uint32_t)len;
	}
	sb_free(&sb);
	return NULL;
}
