/*
 * serde.c — Hive's LazySimpleSerDe line syntax: fields split at one
 * separator byte, an optional escape byte that makes the next byte
 * literal (with "\n" and "\r" standing for line breaks, as Hive writes
 * them), and a null format compared against the raw field.
 */
#include <string.h>

#include "formats/text/text.h"

int text_split_fields(const text_serde *s, const char *line, size_t len, text_field *fields, int max)
{
	int n = 0;
	size_t from = 0;
	bool escaped = false;
	for (size_t i = 0; i <= len; i++) {
		if (i + 1 < len && s->escape >= 0 && (unsigned char)line[i] == (unsigned char)s->escape) {
			escaped = true;
			i++; /* the next byte is literal, separator or not */
			continue;
		}
		if (i < len && line[i] != s->sep) continue;
		if (n < max) fields[n] = (text_field){line + from, i - from, escaped};
		n++;
		from = i + 1;
		escaped = false;
	}
	return n;
}

bool text_field_is_null(const text_serde *s, const text_field *f)
{
	size_t n = strlen(s->null_format);
	return f->len == n && memcmp(f->p, s->null_format, n) == 0;
}

void text_unescape(const text_serde *s, const text_field *f, strbuf *out)
{
	if (!f->escaped) {
		sb_append(out, f->p, f->len);
		return;
	}
	for (size_t i = 0; i < f->len; i++) {
		char c = f->p[i];
		if ((unsigned char)c == (unsigned char)s->escape && i + 1 < f->len) {
			c = f->p[++i];
			if (c == 'n') c = '\n';
			else if (c == 'r') c = '\r';
		}
		sb_putc(out, c);
	}
}

void text_escape(const text_serde *s, const char *p, size_t len, strbuf *out)
{
	if (s->escape < 0) {
		sb_append(out, p, len);
		return;
	}
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c != s->sep && (unsigned char)c != (unsigned char)s->escape && c != '\n' && c != '\r') continue;
		sb_append(out, p + from, i - from);
		sb_putc(out, (char)s->escape);
		sb_putc(out, c == '\n' ? 'n' : c == '\r' ? 'r' : c);
		from = i + 1;
	}
	sb_append(out, p + from, len - from);
}
