/*
 * config.c — S3 client configuration from Trino's s3.* catalog properties,
 * and where a request goes: the Host header and encoded path of a
 * bucket/key under path-style or virtual-host addressing.
 * Never logs or echoes the secret key.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "storage/s3/s3_internal.h"

static ferr *parse_endpoint(const char *ep, s3_config *out)
{
	const char *p = ep;
	if (strncmp(p, "http://", 7) == 0) {
		out->scheme = xstrdup("http");
		p += 7;
	} else if (strncmp(p, "https://", 8) == 0) {
		out->scheme = xstrdup("https");
		p += 8;
	} else if (strstr(p, "://")) {
		return ferr_new(
		    SQLSTATE_CONFIG_FILE_ERROR,
		    "invalid s3.endpoint \"%s\": only http:// and https:// are supported", ep);
	} else {
		out->scheme = xstrdup("https");
	}
	size_t alen = strcspn(p, "/?#");
	const char *rest = p + alen;
	if (*rest && strcmp(rest, "/") != 0)
		return ferr_new(
		    SQLSTATE_CONFIG_FILE_ERROR,
		    "invalid s3.endpoint \"%s\": a path, query or fragment is not supported", ep);
	if (alen == 0)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "invalid s3.endpoint \"%s\": no host",
		                ep);
	if (memchr(p, '@', alen))
		return ferr_new(
		    SQLSTATE_CONFIG_FILE_ERROR,
		    "invalid s3.endpoint \"%s\": credentials in the URL are not supported; use "
		    "s3.aws-access-key and s3.aws-secret-key",
		    ep);
	const char *hend; /* end of the host part */
	if (p[0] == '[') {
		const char *close = memchr(p, ']', alen);
		if (!close)
			return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
			                "invalid s3.endpoint \"%s\": unclosed [", ep);
		hend = close + 1;
	} else {
		const char *colon = memchr(p, ':', alen);
		hend = colon ? colon : p + alen;
	}
	if (hend == p)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "invalid s3.endpoint \"%s\": no host",
		                ep);
	for (const char *q = p; q < hend; q++) {
		unsigned char ch = (unsigned char)*q;
		if (!(isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '[' ||
		      ch == ']' || ch == ':'))
			return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
			                "invalid s3.endpoint \"%s\": bad host name", ep);
	}
	out->host = xmalloc((size_t)(hend - p) + 1);
	memcpy(out->host, p, (size_t)(hend - p));
	out->host[hend - p] = '\0';
	out->port = 0;
	if (hend < p + alen) {
		if (*hend != ':' || hend + 1 == p + alen)
			return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
			                "invalid s3.endpoint \"%s\": bad port", ep);
		long port = 0;
		for (const char *q = hend + 1; q < p + alen; q++) {
			if (!isdigit((unsigned char)*q) || port > 65535)
				return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
				                "invalid s3.endpoint \"%s\": bad port", ep);
			port = port * 10 + (*q - '0');
		}
		if (port < 1 || port > 65535)
			return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
			                "invalid s3.endpoint \"%s\": bad port", ep);
		/* The Host header omits a scheme's default port, as HTTP clients send it. */
		bool dflt = (port == 80 && strcmp(out->scheme, "http") == 0) ||
		            (port == 443 && strcmp(out->scheme, "https") == 0);
		out->port = dflt ? 0 : (int)port;
	}
	return NULL;
}

static ferr *get_int_range(const props *p, const char *key, int64_t def, int64_t lo, int64_t hi,
                           int64_t *out)
{
	TRY(props_get_int(p, key, def, out));
	if (*out < lo || *out > hi)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "invalid %s: %lld (must be between %lld and %lld)", key,
		                (long long)*out, (long long)lo, (long long)hi);
	return NULL;
}

static ferr *config_load(const props *p, s3_config *out)
{
	const char *region = props_get(p, "s3.region");
	out->region = xstrdup(region && *region ? region : "us-east-1");
	for (const char *q = out->region; *q; q++)
		if (!(isalnum((unsigned char)*q) || *q == '-'))
			return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "invalid s3.region \"%s\"",
			                out->region);

	const char *ep = props_get(p, "s3.endpoint");
	if (ep && *ep) {
		TRY(parse_endpoint(ep, out));
	} else {
		out->scheme = xstrdup("https");
		strbuf h = STRBUF_INIT;
		sb_printf(&h, "s3.%s.amazonaws.com", out->region);
		out->host = sb_steal(&h);
	}

	TRY(props_get_bool(p, "s3.path-style-access", false, &out->path_style));
	const char *ak = props_get(p, "s3.aws-access-key"), *sk = props_get(p, "s3.aws-secret-key");
	if (ak && !*ak) ak = NULL;
	if (sk && !*sk) sk = NULL;
	if ((ak == NULL) != (sk == NULL))
		return ferr_hint(ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "%s is set but %s is not",
		                          ak ? "s3.aws-access-key" : "s3.aws-secret-key",
		                          ak ? "s3.aws-secret-key" : "s3.aws-access-key"),
		                 "Set both for signed requests, or neither for anonymous access.");
	if (ak) {
		out->access_key = xstrdup(ak);
		out->secret_key = xstrdup(sk);
	}

	int64_t v;
	TRY(get_int_range(p, "s3.max-connections", S3_DEFAULT_MAX_CONNECTIONS, 1, 100000, &v));
	out->max_connections = (int)v;
	TRY(get_int_range(p, "s3.max-error-retries", S3_DEFAULT_MAX_ERROR_RETRIES, 0, 100, &v));
	out->max_error_retries = (int)v;
	/* Trino's name is s3.socket-connect-timeout; s3.connect-timeout is accepted too. */
	const char *ct_key = props_get(p, "s3.socket-connect-timeout") ? "s3.socket-connect-timeout"
	                                                               : "s3.connect-timeout";
	TRY(props_get_duration_ms(p, ct_key, S3_DEFAULT_CONNECT_TIMEOUT_MS,
	                          &out->connect_timeout_ms));
	TRY(props_get_duration_ms(p, "s3.socket-read-timeout", S3_DEFAULT_READ_TIMEOUT_MS,
	                          &out->read_timeout_ms));
	if (out->connect_timeout_ms <= 0 || out->read_timeout_ms <= 0)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "S3 timeouts must be positive");
	TRY(props_get_bytes(p, "s3.streaming.part-size", S3_DEFAULT_PART_SIZE, &out->part_size));
	if (out->part_size < S3_MIN_PART_SIZE || out->part_size > S3_MAX_PART_SIZE)
		return ferr_new(
		    SQLSTATE_CONFIG_FILE_ERROR,
		    "invalid s3.streaming.part-size: %lld bytes (must be between 5MB and 256MB)",
		    (long long)out->part_size);
	TRY(props_get_bool(p, "s3.tcp-keep-alive", false, &out->tcp_keepalive));
	out->retry_base_ms = 100;
	return NULL;
}

ferr *s3_config_from_props(const props *p, s3_config *out)
{
	memset(out, 0, sizeof(*out));
	ferr *e = config_load(p, out);
	if (e) s3_config_free(out);
	return e;
}

void s3_config_free(s3_config *c)
{
	free(c->scheme);
	free(c->host);
	free(c->region);
	free(c->access_key);
	if (c->secret_key) {
		memset(c->secret_key, 0, strlen(c->secret_key));
		free(c->secret_key);
	}
	memset(c, 0, sizeof(*c));
}

bool s3_bucket_dns_compatible(const char *b)
{
	size_t n = strlen(b);
	if (n < 3 || n > 63) return false;
	if (!isalnum((unsigned char)b[0]) || !isalnum((unsigned char)b[n - 1])) return false;
	bool all_digits_dots = true;
	for (size_t i = 0; i < n; i++) {
		char c = b[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
		if (c == '.' && (b[i + 1] == '.' || b[i + 1] == '-' || (i > 0 && b[i - 1] == '-')))
			return false;
		if (!(isdigit((unsigned char)c) || c == '.')) all_digits_dots = false;
	}
	return !all_digits_dots; /* "192.168.0.1" looks like an IP address */
}

static bool host_is_ip(const char *h)
{
	if (h[0] == '[') return true;
	for (const char *p = h; *p; p++)
		if (!(isdigit((unsigned char)*p) || *p == '.')) return false;
	return true;
}

void s3_request_target(const s3_config *cfg, const char *bucket, const char *key, strbuf *host,
                       strbuf *path)
{
	/*
	 * Virtual-host addressing needs the bucket to be a valid host label, a
	 * host name endpoint (not an IP), and, over TLS, no dots (a wildcard
	 * certificate covers one label only). Otherwise path style, as the AWS
	 * SDKs fall back.
	 */
	bool vhost = !cfg->path_style && s3_bucket_dns_compatible(bucket) &&
	             !host_is_ip(cfg->host) &&
	             !(strchr(bucket, '.') && strcmp(cfg->scheme, "https") == 0);
	if (vhost) sb_printf(host, "%s.", bucket);
	sb_puts(host, cfg->host);
	if (cfg->port) sb_printf(host, ":%d", cfg->port);
	sb_putc(path, '/');
	if (!vhost) {
		s3_uri_encode(path, bucket, strlen(bucket), false);
		if (*key) sb_putc(path, '/');
	}
	s3_uri_encode(path, key, strlen(key), true);
}
