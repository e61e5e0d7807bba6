/*
 * json.c — the JSON-lines scanner and string codec of json.h. Validates
 * the whole grammar (RFC 8259) of every value, nested ones included, with
 * recursion bounded by JSONL_MAX_DEPTH; never reads past len.
 */
#include <string.h>

#include "formats/json/json.h"

typedef struct scan {
	const char *p;
	size_t len, i;
	const char *err;
} scan;

static void ws(scan *s)
{
	while (s->i < s->len && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\n' || s->p[s->i] == '\r'))
		s->i++;
}

static bool fail(scan *s, const char *msg)
{
	if (!s->err) s->err = msg;
	return false;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* A string starting at the quote; *from, *to: its contents. */
static bool string(scan *s, size_t *from, size_t *to)
{
	s->i++;
	*from = s->i;
	while (s->i < s->len) {
		unsigned char c = (unsigned char)s->p[s->i];
		if (c == '"') {
			*to = s->i++;
			return true;
		}
		if (c < 0x20) return fail(s, "control character in a string");
		s->i += c == '\\' ? 2 : 1;
	}
	return fail(s, "unterminated string");
}

static bool number(scan *s)
{
	size_t i = s->i;
	if (i < s->len && s->p[i] == '-') i++;
	if (i >= s->len || !is_digit(s->p[i])) return fail(s, "invalid number");
	if (s->p[i] == '0') i++;
	else
		while (i < s->len && is_digit(s->p[i])) i++;
	if (i < s->len && s->p[i] == '.') {
		if (++i >= s->len || !is_digit(s->p[i])) return fail(s, "invalid number");
		while (i < s->len && is_digit(s->p[i])) i++;
	}
	if (i < s->len && (s->p[i] == 'e' || s->p[i] == 'E')) {
		i++;
		if (i < s->len && (s->p[i] == '+' || s->p[i] == '-')) i++;
		if (i >= s->len || !is_digit(s->p[i])) return fail(s, "invalid number");
		while (i < s->len && is_digit(s->p[i])) i++;
	}
	s->i = i;
	return true;
}

static bool literal(scan *s, const char *word)
{
	size_t n = strlen(word);
	if (s->len - s->i < n || memcmp(s->p + s->i, word, n) != 0) return fail(s, "invalid literal");
	s->i += n;
	return true;
}

static bool value(scan *s, int depth, jsonl_kind *kind);

static bool container(scan *s, int depth)
{
	char close = s->p[s->i] == '{' ? '}' : ']';
	bool object = close == '}';
	if (depth >= JSONL_MAX_DEPTH) return fail(s, "nesting too deep");
	s->i++;
	ws(s);
	if (s->i < s->len && s->p[s->i] == close) {
		s->i++;
		return true;
	}
	for (;;) {
		ws(s);
		if (object) {
			size_t a, b;
			if (s->i >= s->len || s->p[s->i] != '"') return fail(s, "expected a member name");
			if (!string(s, &a, &b)) return false;
			ws(s);
			if (s->i >= s->len || s->p[s->i++] != ':') return fail(s, "expected ':'");
		}
		jsonl_kind k;
		if (!value(s, depth + 1, &k)) return false;
		ws(s);
		if (s->i < s->len && s->p[s->i] == ',') {
			s->i++;
			continue;
		}
		if (s->i < s->len && s->p[s->i] == close) {
			s->i++;
			return true;
		}
		return fail(s, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool value(scan *s, int depth, jsonl_kind *kind)
{
	ws(s);
	if (s->i >= s->len) return fail(s, "expected a value");
	size_t a, b;
	switch (s->p[s->i]) {
	case '{':
	case '[': *kind = JSONL_NESTED; return container(s, depth);
	case '"': *kind = JSONL_STRING; return string(s, &a, &b);
	case 't': *kind = JSONL_TRUE; return literal(s, "true");
	case 'f': *kind = JSONL_FALSE; return literal(s, "false");
	case 'n': *kind = JSONL_NULL; return literal(s, "null");
	default: *kind = JSONL_NUMBER; return number(s);
	}
}

const char *jsonl_parse_object(const char *p, size_t len, jsonl_member_cb cb, void *ctx, int *cb_rc,
                               size_t *err_at)
{
	scan s = {p, len, 0, NULL};
	*cb_rc = 0;
	ws(&s);
	if (s.i >= len || p[s.i] != '{') {
		*err_at = s.i;
		return "a line must hold a JSON object";
	}
	s.i++;
	ws(&s);
	bool empty = s.i < len && p[s.i] == '}';
	if (empty) s.i++;
	while (!empty) {
		ws(&s);
		jsonl_member m;
		size_t a, b;
		if (s.i >= len || p[s.i] != '"') {
			fail(&s, "expected a member name");
			break;
		}
		if (!string(&s, &a, &b)) break;
		m.key = p + a;
		m.key_len = b - a;
		ws(&s);
		if (s.i >= len || p[s.i++] != ':') {
			fail(&s, "expected ':'");
			break;
		}
		ws(&s);
		size_t start = s.i;
		if (!value(&s, 1, &m.kind)) break;
		m.val = p + start;
		m.val_len = s.i - start;
		if (m.kind == JSONL_STRING) m.val++, m.val_len -= 2;
		if ((*cb_rc = cb(ctx, &m)) != 0) return NULL;
		ws(&s);
		if (s.i < len && p[s.i] == ',') {
			s.i++;
			continue;
		}
		if (s.i < len && p[s.i] == '}') {
			s.i++;
			break;
		}
		fail(&s, "expected ',' or '}'");
		break;
	}
	if (!s.err) {
		ws(&s);
		if (s.i < len) fail(&s, "text after the object");
	}
	*err_at = s.i;
	return s.err;
}

bool jsonl_blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return false;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= c - '0';
		else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
		else return -1;
	}
	return v;
}

static void put_utf8(strbuf *out, unsigned cp)
{
	if (cp < 0x80) sb_putc(out, (char)cp);
	else if (cp < 0x800) {
		sb_putc(out, (char)(0xc0 | (cp >> 6)));
		sb_putc(out, (char)(0x80 | (cp & 63)));
	} else if (cp < 0x10000) {
		sb_putc(out, (char)(0xe0 | (cp >> 12)));
		sb_putc(out, (char)(0x80 | ((cp >> 6) & 63)));
		sb_putc(out, (char)(0x80 | (cp & 63)));
	} else {
		sb_putc(out, (char)(0xf0 | (cp >> 18)));
		sb_putc(out, (char)(0x80 | ((cp >> 12) & 63)));
		sb_putc(out, (char)(0x80 | ((cp >> 6) & 63)));
		sb_putc(out, (char)(0x80 | (cp & 63)));
	}
}

bool jsonl_unescape(const char *p, size_t len, strbuf *out)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\\') continue;
		sb_append(out, p + from, i - from);
		if (++i >= len) return false;
		switch (p[i]) {
		case '"': sb_putc(out, '"'); break;
		case '\\': sb_putc(out, '\\'); break;
		case '/': sb_putc(out, '/'); break;
		case 'b': sb_putc(out, '\b'); break;
		case 'f': sb_putc(out, '\f'); break;
		case 'n': sb_putc(out, '\n'); break;
		case 'r': sb_putc(out, '\r'); break;
		case 't': sb_putc(out, '\t'); break;
		case 'u': {
			int cp = i + 4 < len ? hex4(p + i + 1) : -1;
			if (cp <= 0) return false; /* malformed, or NUL (text cannot hold it) */
			i += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff) return false;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				int lo = i + 6 < len && p[i + 1] == '\\' && p[i + 2] == 'u' ? hex4(p + i + 3) : -1;
				if (lo < 0xdc00 || lo > 0xdfff) return false;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			put_utf8(out, (unsigned)cp);
			break;
		}
		default: return false;
		}
		from = i + 1;
	}
	sb_append(out, p + from, len - from);
	return true;
}

/* The escape JSON needs for byte c, or NULL (buf holds \u00XX forms). */
static const char *escape_of(unsigned char c, char buf[8])
{
	static const char hex[] = "0123456789abcdef";
	static const char *const named[32] = {['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r",
	                                      ['\t'] = "\\t"};
	if (c == '"') return "\\\"";
	if (c == '\\') return "\\\\";
	if (c >= 0x20) return NULL;
	if (named[c]) return named[c];
	memcpy(buf, "\\u00", 4);
	buf[4] = hex[c >> 4];
	buf[5] = hex[c & 15];
	buf[6] = 0;
	return buf;
}

void jsonl_write_string(const char *p, size_t len, strbuf *out)
{
	char buf[8];
	size_t from = 0;
	sb_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		const char *esc = escape_of((unsigned char)p[i], buf);
		if (!esc) continue;
		sb_append(out, p + from, i - from);
		sb_puts(out, esc);
		from = i + 1;
	}
	sb_append(out, p + from, len - from);
	sb_putc(out, '"');
}
