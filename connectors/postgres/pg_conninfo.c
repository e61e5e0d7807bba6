/*
 * pg_conninfo.c — turns the catalog's connection-url (Trino's JDBC form, a
 * postgresql:// URI or a libpq key=value string) plus connection-user and
 * connection-password into libpq keyword/value arrays. Pure string work: it
 * never opens a connection.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/log.h"
#include "connectors/postgres/pg_internal.h"

void pgc_conninfo_set(pgc_conninfo *ci, const char *key, const char *val)
{
	for (int i = 0; i < ci->n; i++)
		if (strcmp(ci->keys[i], key) == 0) {
			free(ci->vals[i]);
			ci->vals[i] = xstrdup(val);
			return;
		}
	ci->keys = xrealloc(ci->keys, sizeof(char *) * (size_t)(ci->n + 2));
	ci->vals = xrealloc(ci->vals, sizeof(char *) * (size_t)(ci->n + 2));
	ci->keys[ci->n] = xstrdup(key);
	ci->vals[ci->n] = xstrdup(val);
	ci->n++;
	ci->keys[ci->n] = NULL;
	ci->vals[ci->n] = NULL;
}

const char *pgc_conninfo_get(const pgc_conninfo *ci, const char *key)
{
	for (int i = 0; i < ci->n; i++)
		if (strcmp(ci->keys[i], key) == 0) return ci->vals[i];
	return NULL;
}

void pgc_conninfo_free(pgc_conninfo *ci)
{
	for (int i = 0; i < ci->n; i++) {
		free(ci->keys[i]);
		free(ci->vals[i]);
	}
	free(ci->keys);
	free(ci->vals);
	ci->keys = ci->vals = NULL;
	ci->n = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..n) into a malloc'd string; NULL on a bad escape or NUL. */
static char *pct_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n) {
				free(out);
				return NULL;
			}
			int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				return NULL;
			}
			out[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	return out;
}

/* JDBC driver parameters that have a libpq equivalent. */
static const struct {
	const char *jdbc, *libpq;
} jdbc_params[] = {
	{"user", "user"},
	{"password", "password"},
	{"sslmode", "sslmode"},
	{"sslcert", "sslcert"},
	{"sslkey", "sslkey"},
	{"sslrootcert", "sslrootcert"},
	{"ApplicationName", "application_name"},
	{"connectTimeout", "connect_timeout"},
	{"options", "options"},
	{"gssEncMode", "gssencmode"},
};

static ferr *bad_url(const char *url, const char *why)
{
	return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "invalid connection-url \"%s\": %s", url, why);
}

static ferr *parse_jdbc_params(const char *url, const char *q, pgc_conninfo *ci)
{
	while (*q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		if (len > 0) {
			if (!eq) return bad_url(url, "a parameter has no '='");
			char *k = pct_decode(q, (size_t)(eq - q));
			char *v = pct_decode(eq + 1, len - (size_t)(eq - q) - 1);
			if (!k || !v) {
				free(k);
				free(v);
				return bad_url(url, "bad percent escape");
			}
			bool known = false;
			for (size_t i = 0; i < sizeof jdbc_params / sizeof jdbc_params[0]; i++)
				if (strcmp(k, jdbc_params[i].jdbc) == 0) {
					pgc_conninfo_set(ci, jdbc_params[i].libpq, v);
					known = true;
				}
			if (!known && strcmp(k, "ssl") == 0) {
				known = true;
				if (strcmp(v, "true") == 0 && !pgc_conninfo_get(ci, "sslmode"))
					pgc_conninfo_set(ci, "sslmode", "require");
			}
			if (!known) log_warn("connection-url parameter \"%s\" is not supported; ignored", k);
			free(k);
			free(v);
		}
		q += len;
		if (*q == '&') q++;
	}
	return NULL;
}

/* host[:port] list of a JDBC URL (between "//" and "/"). */
static ferr *parse_jdbc_hosts(const char *url, const char *s, size_t n, pgc_conninfo *ci)
{
	strbuf hosts = STRBUF_INIT, ports = STRBUF_INIT;
	ferr *err = NULL;
	bool any_port = false;
	size_t i = 0;
	int count = 0;
	while (i <= n && !err) {
		size_t end = i;
		if (end < n && s[end] == '[') {
			while (end < n && s[end] != ']') end++;
			if (end >= n) {
				err = bad_url(url, "unterminated [ in host");
				break;
			}
		}
		while (end < n && s[end] != ',') end++;
		/* one entry: s[i..end) */
		const char *h = s + i;
		size_t hl = end - i, pl = 0;
		const char *port = NULL;
		if (hl > 0 && h[0] == '[') {
			const char *rb = memchr(h, ']', hl);
			const char *after = rb + 1;
			if (after < h + hl) {
				if (*after != ':') {
					err = bad_url(url, "junk after ]");
					break;
				}
				port = after + 1;
				pl = (size_t)(h + hl - port);
			}
			h++;
			hl = (size_t)(rb - h);
		} else {
			const char *colon = memchr(h, ':', hl);
			if (colon) {
				port = colon + 1;
				pl = (size_t)(h + hl - port);
				hl = (size_t)(colon - h);
			}
		}
		for (size_t k = 0; k < pl; k++)
			if (!isdigit((unsigned char)port[k])) {
				err = bad_url(url, "port is not a number");
				break;
			}
		if (err) break;
		if (count++) {
			sb_putc(&hosts, ',');
			sb_putc(&ports, ',');
		}
		if (hl) sb_append(&hosts, h, hl);
		else sb_puts(&hosts, "localhost");
		if (pl) {
			sb_append(&ports, port, pl);
			any_port = true;
		} else {
			sb_puts(&ports, "5432");
		}
		i = end + 1;
	}
	if (!err) {
		pgc_conninfo_set(ci, "host", hosts.data ? hosts.data : "localhost");
		if (any_port) pgc_conninfo_set(ci, "port", ports.data);
	}
	sb_free(&hosts);
	sb_free(&ports);
	return err;
}

static ferr *parse_jdbc(const char *url, const char *rest, pgc_conninfo *ci)
{
	const char *q = strchr(rest, '?');
	size_t mainlen = q ? (size_t)(q - rest) : strlen(rest);
	const char *db;
	size_t dblen;
	if (strncmp(rest, "//", 2) == 0) {
		const char *hs = rest + 2;
		const char *slash = memchr(hs, '/', mainlen - 2);
		size_t hl = slash ? (size_t)(slash - hs) : mainlen - 2;
		TRY(parse_jdbc_hosts(url, hs, hl, ci));
		db = slash ? slash + 1 : rest + mainlen;
		dblen = slash ? (size_t)(rest + mainlen - db) : 0;
	} else {
		pgc_conninfo_set(ci, "host", "localhost");
		db = rest;
		dblen = mainlen;
	}
	if (dblen) {
		char *d = pct_decode(db, dblen);
		if (!d) return bad_url(url, "bad percent escape in database name");
		pgc_conninfo_set(ci, "dbname", d);
		free(d);
	}
	if (q) TRY(parse_jdbc_params(url, q + 1, ci));
	return NULL;
}

ferr *pgc_conninfo_parse(const char *url, const char *user, const char *password,
                         pgc_conninfo *out)
{
	pgc_conninfo ci = {0};
	ferr *err = NULL;
	if (!url || !*url) {
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "property connection-url is missing");
	} else if (strncmp(url, "jdbc:postgresql:", 16) == 0) {
		err = parse_jdbc(url, url + 16, &ci);
	} else if (strncmp(url, "jdbc:", 5) == 0) {
		err = bad_url(url, "only jdbc:postgresql: URLs are supported");
	} else {
		/* postgresql:// URI or key=value string: libpq knows both */
		char *msg = NULL;
		PQconninfoOption *opts = PQconninfoParse(url, &msg);
		if (!opts) {
			char *m = msg ? msg : NULL;
			size_t ml = m ? strlen(m) : 0;
			while (ml && (m[ml - 1] == '\n' || m[ml - 1] == ' ')) m[--ml] = '\0';
			err = bad_url(url, m ? m : "out of memory");
			PQfreemem(msg);
		} else {
			for (PQconninfoOption *o = opts; o->keyword; o++)
				if (o->val) pgc_conninfo_set(&ci, o->keyword, o->val);
			PQconninfoFree(opts);
		}
	}
	if (err) {
		pgc_conninfo_free(&ci);
		return err;
	}
	if (user && *user) pgc_conninfo_set(&ci, "user", user);
	if (password && *password) pgc_conninfo_set(&ci, "password", password);
	if (!pgc_conninfo_get(&ci, "connect_timeout")) pgc_conninfo_set(&ci, "connect_timeout", "10");
	if (!pgc_conninfo_get(&ci, "application_name")) pgc_conninfo_set(&ci, "application_name", "ferry");
	/* Text arrives as UTF-8 whatever the server's encoding (Ferry's strings are UTF-8). */
	pgc_conninfo_set(&ci, "client_encoding", "UTF8");
	*out = ci;
	return NULL;
}
