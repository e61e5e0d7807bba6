/*
 * props.c — Java .properties reader with Trino's ${ENV:NAME} substitution.
 *
 * Entries keep file order (so check-config can show them as written); a
 * later key replaces an earlier one. Parsing follows java.util.Properties:
 * '=' or ':' or whitespace separates key and value, '#' and '!' start
 * comments, a trailing backslash continues the line.
 */
#include "common/props.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/strbuf.h"

typedef struct prop {
	char *key;
	char *value;
} prop;

struct props {
	int n, cap;
	prop *items;
};

props *props_create(void) { return xcalloc(1, sizeof(props)); }

void props_destroy(props *p)
{
	if (!p) return;
	for (int i = 0; i < p->n; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
	free(p);
}

/* Replace ${ENV:NAME} with the environment's value; unset is an error. */
static ferr *expand_env(const char *key, const char *in, char **out)
{
	strbuf sb = STRBUF_INIT;
	sb_reserve(&sb, strlen(in));
	const char *s = in;
	while (*s) {
		if (strncmp(s, "${ENV:", 6) == 0) {
			const char *end = strchr(s + 6, '}');
			if (!end) {
				sb_free(&sb);
				return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
				                "property \"%s\": unterminated ${ENV:...} reference", key);
			}
			char name[256];
			size_t n = (size_t)(end - (s + 6));
			if (n == 0 || n >= sizeof name) {
				sb_free(&sb);
				return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
				                "property \"%s\": bad environment variable reference", key);
			}
			memcpy(name, s + 6, n);
			name[n] = '\0';
			const char *v = getenv(name);
			if (!v) {
				sb_free(&sb);
				return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
				                "property \"%s\": environment variable \"%s\" is not set", key,
				                name);
			}
			sb_puts(&sb, v);
			s = end + 1;
		} else {
			sb_putc(&sb, *s++);
		}
	}
	*out = sb_steal(&sb);
	return NULL;
}

ferr *props_set(props *p, const char *key, const char *value)
{
	char *v;
	TRY(expand_env(key, value, &v));
	for (int i = 0; i < p->n; i++) {
		if (strcmp(p->items[i].key, key) == 0) {
			free(p->items[i].value);
			p->items[i].value = v;
			return NULL;
		}
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = xrealloc(p->items, (size_t)p->cap * sizeof(prop));
	}
	p->items[p->n].key = xstrdup(key);
	p->items[p->n].value = v;
	p->n++;
	return NULL;
}

/* Decode java.util.Properties escapes of one logical line segment. */
static void unescape(strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n) {
			c = s[++i];
			switch (c) {
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 'f': c = '\f'; break;
			default: break;
			}
		}
		sb_putc(out, c);
	}
}

ferr *props_load_string(props *p, const char *text, const char *source_name)
{
	const char *s = text;
	int lineno = 0;
	strbuf logical = STRBUF_INIT;
	while (*s) {
		/* Gather one logical line (joining continuations). */
		sb_reset(&logical);
		int first_line = lineno + 1;
		bool more = true;
		bool first = true;
		while (more && *s) {
			lineno++;
			const char *eol = strchr(s, '\n');
			size_t len = eol ? (size_t)(eol - s) : strlen(s);
			const char *line = s;
			s = eol ? eol + 1 : s + len;
			if (len && line[len - 1] == '\r') len--;
			size_t lead = 0;
			while (lead < len && isspace((unsigned char)line[lead])) lead++;
			if (first && (lead == len || line[lead] == '#' || line[lead] == '!')) {
				more = false;
				break;
			}
			first = false;
			/* Count trailing backslashes: an odd number continues the line. */
			size_t bs = 0;
			while (bs < len - lead && line[len - 1 - bs] == '\\') bs++;
			more = (bs % 2) == 1;
			sb_append(&logical, line + lead, len - lead - (more ? 1 : 0));
		}
		if (logical.len == 0) continue;
		const char *l = logical.data;
		size_t n = logical.len, k = 0;
		while (k < n) {
			if (l[k] == '\\') {
				k += 2;
				continue;
			}
			if (l[k] == '=' || l[k] == ':' || isspace((unsigned char)l[k])) break;
			k++;
		}
		if (k > n) k = n;
		size_t v = k;
		while (v < n && isspace((unsigned char)l[v])) v++;
		if (v < n && (l[v] == '=' || l[v] == ':')) v++;
		while (v < n && isspace((unsigned char)l[v])) v++;
		strbuf key = STRBUF_INIT, val = STRBUF_INIT;
		unescape(&key, l, k);
		unescape(&val, l + v, n - v);
		size_t vl = val.len;
		while (vl > 0 && isspace((unsigned char)val.data[vl - 1])) vl--;
		if (val.data) val.data[vl] = '\0';
		ferr *e = key.len ? props_set(p, key.data, val.data ? val.data : "") :
		                    ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "empty property name");
		sb_free(&key);
		sb_free(&val);
		if (e) {
			sb_free(&logical);
			return ferr_prefix(e, "%s:%d", source_name, first_line);
		}
	}
	sb_free(&logical);
	return NULL;
}

ferr *props_load_file(props *p, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "could not open \"%s\": %s", path,
		                strerror(errno));
	strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_append(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		sb_free(&sb);
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "could not read \"%s\"", path);
	}
	ferr *e = props_load_string(p, sb.data ? sb.data : "", path);
	sb_free(&sb);
	return e;
}

const char *props_get(const props *p, const char *key)
{
	for (int i = p->n - 1; i >= 0; i--)
		if (strcmp(p->items[i].key, key) == 0) return p->items[i].value;
	return NULL;
}

const char *props_get_default(const props *p, const char *key, const char *def)
{
	const char *v = props_get(p, key);
	return v ? v : def;
}

ferr *props_get_int(const props *p, const char *key, int64_t def, int64_t *out)
{
	const char *v = props_get(p, key);
	if (!v) {
		*out = def;
		return NULL;
	}
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "property \"%s\": invalid integer \"%s\"",
		                key, v);
	*out = x;
	return NULL;
}

ferr *props_get_bool(const props *p, const char *key, bool def, bool *out)
{
	const char *v = props_get(p, key);
	if (!v) {
		*out = def;
		return NULL;
	}
	if (strcasecmp(v, "true") == 0) *out = true;
	else if (strcasecmp(v, "false") == 0) *out = false;
	else
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "property \"%s\": invalid boolean \"%s\" (true or false)", key, v);
	return NULL;
}

ferr *props_get_bytes(const props *p, const char *key, int64_t def, int64_t *out)
{
	const char *v = props_get(p, key);
	if (!v) {
		*out = def;
		return NULL;
	}
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	while (*end == ' ') end++;
	double mult = 1;
	if (!strcasecmp(end, "B") || !*end) mult = 1;
	else if (!strcasecmp(end, "kB")) mult = 1024.0;
	else if (!strcasecmp(end, "MB")) mult = 1024.0 * 1024;
	else if (!strcasecmp(end, "GB")) mult = 1024.0 * 1024 * 1024;
	else if (!strcasecmp(end, "TB")) mult = 1024.0 * 1024 * 1024 * 1024;
	else end = NULL;
	if (errno || !end || end == v || x < 0)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "property \"%s\": invalid data size \"%s\" (e.g. 512MB, 2GB)", key, v);
	*out = (int64_t)(x * mult);
	return NULL;
}

ferr *props_get_duration_ms(const props *p, const char *key, int64_t def, int64_t *out)
{
	const char *v = props_get(p, key);
	if (!v) {
		*out = def;
		return NULL;
	}
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	while (*end == ' ') end++;
	double mult = 1;
	if (!strcmp(end, "ms")) mult = 1;
	else if (!strcmp(end, "s") || !*end) mult = 1000;
	else if (!strcmp(end, "m")) mult = 60000;
	else if (!strcmp(end, "h")) mult = 3600000;
	else if (!strcmp(end, "d")) mult = 86400000;
	else end = NULL;
	if (errno || !end || end == v || x < 0)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "property \"%s\": invalid duration \"%s\" (e.g. 500ms, 10s, 5m)", key, v);
	*out = (int64_t)(x * mult);
	return NULL;
}

int props_count(const props *p) { return p->n; }
const char *props_key_at(const props *p, int i) { return p->items[i].key; }
const char *props_value_at(const props *p, int i) { return p->items[i].value; }

props *props_copy(const props *p)
{
	props *c = props_create();
	for (int i = 0; i < p->n; i++) {
		/* Values are already expanded: copy verbatim. */
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->items = xrealloc(c->items, (size_t)c->cap * sizeof(prop));
		}
		c->items[c->n].key = xstrdup(p->items[i].key);
		c->items[c->n].value = xstrdup(p->items[i].value);
		c->n++;
	}
	return c;
}
