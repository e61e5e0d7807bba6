/*
 * http.c — the S3 client's HTTP engine: a pool of curl easy handles sharing
 * one connection cache, signing of every attempt, retries with backoff,
 * concurrent exchanges through a curl multi handle, and the mapping of
 * failures to SQLSTATEs.
 *
 * Thread-safe: the pool and the share are locked; an exchange's handles
 * belong to the calling thread while it runs. Response bodies only ever go
 * into the caller's buffer or a bounded strbuf: a server cannot make us
 * allocate by announcing a large Content-Length.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "common/log.h"
#include "storage/s3/s3_internal.h"

#define S3_ERR_BODY_MAX (64 * 1024)
#define S3_MAX_PARALLEL 16
#define S3_MAX_BACKOFF_MS 20000
#define S3_THROTTLE_BASE_MS 500

struct s3_client {
	s3_config cfg;
	char *endpoint; /* scheme://host[:port], for messages */
	CURLSH *share;
	pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];
	pthread_mutex_t mu; /* guards idle, nidle, live */
	pthread_cond_t cv;
	CURL **idle;
	int nidle;
	int live; /* handles that exist: idle + in use */
	atomic_uint_fast64_t n_requests, n_connects, n_retries;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *e, curl_lock_data d, curl_lock_access a, void *u)
{
	s3_client *c = u;
	pthread_mutex_lock(&c->share_mu[d]);
}

static void share_unlock(CURL *e, curl_lock_data d, void *u)
{
	s3_client *c = u;
	pthread_mutex_unlock(&c->share_mu[d]);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

ferr *s3_client_create(const s3_config *cfg, s3_client **out)
{
	pthread_once(&curl_once, curl_init_once);
	s3_client *c = xcalloc(1, sizeof(*c));
	c->cfg = *cfg;
	c->cfg.scheme = dup_or_null(cfg->scheme);
	c->cfg.host = dup_or_null(cfg->host);
	c->cfg.region = dup_or_null(cfg->region ? cfg->region : "us-east-1");
	c->cfg.access_key = dup_or_null(cfg->access_key);
	c->cfg.secret_key = dup_or_null(cfg->secret_key);
	if (c->cfg.max_connections < 1) c->cfg.max_connections = 1;
	if (c->cfg.retry_base_ms <= 0) c->cfg.retry_base_ms = 100;
	strbuf ep = STRBUF_INIT;
	sb_printf(&ep, "%s://%s", c->cfg.scheme, c->cfg.host);
	if (c->cfg.port) sb_printf(&ep, ":%d", c->cfg.port);
	c->endpoint = sb_steal(&ep);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&c->share_mu[i], NULL);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->idle = xcalloc((size_t)c->cfg.max_connections, sizeof(CURL *));
	c->share = curl_share_init();
	if (!c->share) {
		s3_client_destroy(c);
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "could not create a curl share handle");
	}
	curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(c->share, CURLSHOPT_USERDATA, c);
	/* Connections, DNS answers and TLS sessions are reused by every handle of this client. */
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	*out = c;
	return NULL;
}

/* All exchanges must have finished: handles still in use are not waited for. */
void s3_client_destroy(s3_client *c)
{
	if (!c) return;
	for (int i = 0; i < c->nidle; i++)
		curl_easy_cleanup(c->idle[i]);
	if (c->share) curl_share_cleanup(c->share);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&c->share_mu[i]);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c->idle);
	free(c->endpoint);
	s3_config_free(&c->cfg);
	free(c);
}

const s3_config *s3_client_config(const s3_client *c)
{
	return &c->cfg;
}

void s3_client_stats(s3_client *c, s3_stats *out)
{
	out->requests = atomic_load(&c->n_requests);
	out->connections = atomic_load(&c->n_connects);
	out->retries = atomic_load(&c->n_retries);
}

/* A handle from the pool; waits while max_connections are in use unless !block. */
static CURL *pool_get(s3_client *c, bool block)
{
	pthread_mutex_lock(&c->mu);
	for (;;) {
		if (c->nidle > 0) {
			CURL *e = c->idle[--c->nidle];
			pthread_mutex_unlock(&c->mu);
			return e;
		}
		if (c->live < c->cfg.max_connections) {
			c->live++;
			pthread_mutex_unlock(&c->mu);
			CURL *e = curl_easy_init();
			if (!e) abort(); /* only out of memory; like xmalloc */
			return e;
		}
		if (!block) {
			pthread_mutex_unlock(&c->mu);
			return NULL;
		}
		pthread_cond_wait(&c->cv, &c->mu);
	}
}

static void pool_put(s3_client *c, CURL *e)
{
	pthread_mutex_lock(&c->mu);
	c->idle[c->nidle++] = e;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	if (ms <= 0) return;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0) {
	}
}

/* ------------------------------------------------------------ transfers */

typedef enum { XF_PENDING, XF_RUNNING, XF_DONE } xfer_state;

typedef struct xfer {
	s3_http *h;
	int index;
	xfer_state state;
	CURL *e;
	int slot;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	char payload_hash[65];
	uint64_t skip_left;
	bool skip_known;
	int64_t ready_ms;
	bool throttled;
} xfer;

static bool ieq_prefix(const char *line, size_t n, const char *name, const char **value,
                       size_t *vlen)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':') return false;
	const char *v = line + k + 1, *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*value = v;
	*vlen = (size_t)(end - v);
	return true;
}

/* Decimal digits of [p, p+n) into *out; false on anything else or overflow. */
static bool digits_u64(const char *p, size_t n, uint64_t *out)
{
	if (n == 0 || n > 19) return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

/* Content-Range: "bytes FIRST-LAST/TOTAL"; TOTAL may be a star, and FIRST-LAST a star on 416. */
static void parse_content_range(s3_http *h, const char *v, size_t n)
{
	h->has_content_range = false;
	if (n < 6 || strncasecmp(v, "bytes ", 6) != 0) return;
	const char *p = v + 6, *end = v + n;
	const char *slash = memchr(p, '/', (size_t)(end - p));
	if (!slash) return;
	uint64_t total = UINT64_MAX;
	if (!(slash + 2 == end && slash[1] == '*') &&
	    !digits_u64(slash + 1, (size_t)(end - slash - 1), &total))
		return;
	h->range_total = total;
	if (slash - p == 1 && *p == '*') {
		h->range_first = h->range_last = 0;
		h->has_content_range = true; /* unsatisfiable: only the total is known */
		return;
	}
	const char *dash = memchr(p, '-', (size_t)(slash - p));
	if (!dash || !digits_u64(p, (size_t)(dash - p), &h->range_first) ||
	    !digits_u64(dash + 1, (size_t)(slash - dash - 1), &h->range_last) ||
	    h->range_last < h->range_first)
		return;
	h->has_content_range = true;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ud)
{
	xfer *x = ud;
	s3_http *h = x->h;
	size_t n = size * nmemb;
	const char *v;
	size_t vlen;
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue, say): forget the previous one's headers. */
		h->has_content_range = h->has_content_length = false;
		h->etag[0] = '\0';
		h->last_modified_ms = 0;
	} else if (ieq_prefix(line, n, "content-range", &v, &vlen)) {
		parse_content_range(h, v, vlen);
	} else if (ieq_prefix(line, n, "content-length", &v, &vlen)) {
		h->has_content_length = digits_u64(v, vlen, &h->content_length);
	} else if (ieq_prefix(line, n, "etag", &v, &vlen)) {
		if (vlen < sizeof(h->etag)) {
			memcpy(h->etag, v, vlen);
			h->etag[vlen] = '\0';
		}
	} else if (ieq_prefix(line, n, "last-modified", &v, &vlen)) {
		char tmp[64];
		if (vlen < sizeof(tmp)) {
			memcpy(tmp, v, vlen);
			tmp[vlen] = '\0';
			time_t t = curl_getdate(tmp, NULL);
			h->last_modified_ms = t > 0 ? (int64_t)t * 1000 : 0;
		}
	}
	return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	xfer *x = ud;
	s3_http *h = x->h;
	size_t n = size * nmemb;
	if (h->status == 0) curl_easy_getinfo(x->e, CURLINFO_RESPONSE_CODE, &h->status);
	if (h->status < 200 || h->status >= 300) {
		size_t room =
		    h->err_body.len < S3_ERR_BODY_MAX ? S3_ERR_BODY_MAX - h->err_body.len : 0;
		sb_append(&h->err_body, p, n < room ? n : room);
		return n;
	}
	if (h->buf) {
		size_t off = 0;
		if (h->status == 200) {
			/* The server ignored Range and sends the whole object: skip to ours. */
			if (!x->skip_known) {
				x->skip_known = true;
				if (h->tail) {
					if (!h->has_content_length) {
						h->overflow = true;
						return 0;
					}
					x->skip_left = h->content_length > h->buf_len
					                   ? h->content_length - h->buf_len
					                   : 0;
				} else {
					x->skip_left = h->buf_skip;
				}
			}
			off = x->skip_left < n ? (size_t)x->skip_left : n;
			x->skip_left -= off;
		}
		size_t room = h->buf_len - h->got;
		size_t take = n - off < room ? n - off : room;
		memcpy((char *)h->buf + h->got, p + off, take);
		h->got += take;
		if (off + take < n) {
			if (h->status == 200 && h->got == h->buf_len) {
				h->stop_early = true;
			} else {
				h->overflow = true;
			}
			return 0; /* CURLE_WRITE_ERROR ends the transfer */
		}
		return n;
	}
	if (h->body_out) {
		if (h->body_out->len + n > h->body_max) {
			h->overflow = true;
			return 0;
		}
		sb_append(h->body_out, p, n);
	}
	return n;
}

static void add_header(struct curl_slist **l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_header(struct curl_slist **l, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	struct curl_slist *n = curl_slist_append(*l, sb.data);
	if (!n) abort(); /* out of memory */
	*l = n;
	sb_free(&sb);
}

/* Prepare x's handle for one attempt: reset, target, sign, options. */
static void xfer_setup(s3_client *c, xfer *x)
{
	s3_http *h = x->h;
	h->status = 0;
	h->got = 0;
	h->has_content_range = h->has_content_length = false;
	h->etag[0] = '\0';
	h->last_modified_ms = 0;
	h->overflow = h->stop_early = false;
	h->curl_code = 0;
	sb_reset(&h->err_body);
	if (h->body_out) sb_reset(h->body_out);
	x->skip_known = false;
	x->skip_left = 0;
	x->errbuf[0] = '\0';
	x->throttled = false;

	CURL *e = x->e;
	curl_easy_reset(e);
	strbuf host = STRBUF_INIT, path = STRBUF_INIT, query = STRBUF_INIT, url = STRBUF_INIT;
	s3_request_target(&c->cfg, h->bucket, h->key ? h->key : "", &host, &path);
	s3_canonical_query(&query, h->query, h->nquery);
	sb_printf(&url, "%s://%s%s", c->cfg.scheme, host.data, path.data);
	if (query.len) sb_printf(&url, "?%s", query.data);

	char date[17];
	s3_amz_date((int64_t)time(NULL), date);
	struct curl_slist *l = NULL;
	/* Sent exactly as signed: curl uses our Host header instead of its own. */
	add_header(&l, "Host: %s", host.data);
	add_header(&l, "x-amz-date: %s", date);
	add_header(&l, "x-amz-content-sha256: %s", x->payload_hash);
	for (int i = 0; i < h->nheaders; i++)
		add_header(&l, "%s: %s", h->headers[i].name, h->headers[i].value);
	if (c->cfg.access_key) {
		s3_sign_req r = {.method = h->method,
		                 .path = path.data,
		                 .query = query.len ? query.data : "",
		                 .host = host.data,
		                 .headers = h->headers,
		                 .nheaders = h->nheaders,
		                 .payload_hash = x->payload_hash,
		                 .amz_date = date,
		                 .region = c->cfg.region,
		                 .access_key = c->cfg.access_key,
		                 .secret_key = c->cfg.secret_key};
		s3_signed s;
		s3_sigv4_sign(&r, &s);
		add_header(&l, "Authorization: %s", s.authorization.data);
		s3_signed_free(&s);
	}
	add_header(&l, "Expect:"); /* no 100-continue round trip */
	if (h->body || strcmp(h->method, "PUT") == 0 || strcmp(h->method, "POST") == 0)
		add_header(&l, "Content-Type: %s",
		           h->content_type ? h->content_type : "application/octet-stream");
	x->hdrs = l;

	curl_easy_setopt(e, CURLOPT_URL, url.data);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, l);
	curl_easy_setopt(e, CURLOPT_SHARE, c->share);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L); /* keys may contain "." and ".." segments */
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "ferry");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)c->cfg.connect_timeout_ms);
	/* Socket read timeout: fail when no byte moves for that long. */
	long idle_s = (long)((c->cfg.read_timeout_ms + 999) / 1000);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, idle_s < 1 ? 1L : idle_s);
	if (c->cfg.tcp_keepalive) curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (strcmp(h->method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (strcmp(h->method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(h->method, "PUT") == 0 || strcmp(h->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)h->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->body ? h->body : "");
		if (strcmp(h->method, "PUT") == 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
	} else {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, h->method);
	}
	sb_free(&host);
	sb_free(&path);
	sb_free(&query);
	sb_free(&url);
}

typedef enum { OUT_OK, OUT_RETRY, OUT_FAIL } outcome;

static bool transport_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool is_connect_failure(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	       rc == CURLE_SSL_CONNECT_ERROR;
}

static outcome classify(xfer *x, CURLcode rc)
{
	s3_http *h = x->h;
	if (rc == CURLE_WRITE_ERROR && h->stop_early) rc = CURLE_OK;
	h->curl_code = (int)rc;
	if (rc != CURLE_OK) {
		if (h->overflow) return OUT_FAIL;
		return transport_retryable(rc) ? OUT_RETRY : OUT_FAIL;
	}
	curl_easy_getinfo(x->e, CURLINFO_RESPONSE_CODE, &h->status);
	if (h->status >= 200 && h->status < 300) return OUT_OK;
	if (h->status == 503 || h->status == 429) {
		x->throttled = true; /* SlowDown and friends: back off harder */
		return OUT_RETRY;
	}
	if (h->status == 500 || h->status == 502 || h->status == 504) return OUT_RETRY;
	if (h->status == 400 && h->err_body.len) {
		s3_xml_error xe;
		bool timeout = s3_xml_parse_error(h->err_body.data, h->err_body.len, &xe) &&
		               xe.code && strcmp(xe.code, "RequestTimeout") == 0;
		s3_xml_error_free(&xe);
		if (timeout) return OUT_RETRY;
	}
	return OUT_FAIL;
}

/* Exponential backoff with equal jitter, capped (the AWS SDKs' legacy policy). */
static int64_t backoff_ms(s3_client *c, int attempt, bool throttled)
{
	static _Thread_local uint64_t rng;
	if (!rng) rng = (uint64_t)now_ms() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&rng;
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	int64_t base = throttled ? S3_THROTTLE_BASE_MS : c->cfg.retry_base_ms;
	int shift = attempt - 1 < 16 ? attempt - 1 : 16;
	int64_t d = base << shift;
	if (d > S3_MAX_BACKOFF_MS) d = S3_MAX_BACKOFF_MS;
	return d / 2 + (int64_t)(rng % (uint64_t)(d / 2 + 1));
}

static ferr *http_status_error(s3_client *c, s3_http *h, const char *location)
{
	s3_xml_error xe = {0};
	bool have = h->err_body.len && s3_xml_parse_error(h->err_body.data, h->err_body.len, &xe);
	const char *code = have && xe.code ? xe.code : NULL;
	const char *msg = have && xe.message ? xe.message : NULL;
	ferr *e;
	if (h->status == 404) {
		if (code && strcmp(code, "NoSuchBucket") == 0)
			e = ferr_new(SQLSTATE_UNDEFINED_FILE,
			             "S3 bucket \"%s\" does not exist (%s)", h->bucket, location);
		else if (code && strcmp(code, "NoSuchUpload") == 0)
			e = ferr_new(
			    SQLSTATE_UNDEFINED_FILE,
			    "S3 multipart upload of %s does not exist (aborted or completed)",
			    location);
		else
			e = ferr_new(SQLSTATE_UNDEFINED_FILE, "S3 object %s does not exist",
			             location);
	} else if (h->status == 403 || h->status == 401) {
		e = ferr_new(SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
		             "access denied to %s (HTTP %ld%s%s%s%s)", location, h->status,
		             code ? " " : "", code ? code : "", msg ? ": " : "", msg ? msg : "");
		if (code && strcmp(code, "SignatureDoesNotMatch") == 0)
			ferr_hint(e, "The request signature was rejected: check s3.aws-secret-key "
			             "and s3.region.");
		else if (code && strcmp(code, "InvalidAccessKeyId") == 0)
			ferr_hint(
			    e, "The access key is unknown to the server: check s3.aws-access-key.");
		else if (!c->cfg.access_key)
			ferr_hint(e, "No credentials are configured (anonymous access): set "
			             "s3.aws-access-key and s3.aws-secret-key.");
		else
			ferr_hint(e,
			          "Check the permissions of the access key and the bucket policy.");
	} else if (h->status == 416) {
		e = ferr_new(SQLSTATE_IO_ERROR,
		             "S3 %s of %s failed: requested range is beyond the end of the object",
		             h->method, location);
	} else {
		e = ferr_new(SQLSTATE_IO_ERROR, "S3 %s of %s failed: HTTP %ld%s%s%s%s", h->method,
		             location, h->status, code ? " " : "", code ? code : "",
		             msg ? ": " : "", msg ? msg : "");
	}
	if (h->attempts > 1) ferr_detail(e, "Gave up after %d attempts.", h->attempts);
	s3_xml_error_free(&xe);
	return e;
}

static ferr *final_error(s3_client *c, xfer *x, const char *location)
{
	s3_http *h = x->h;
	CURLcode rc = (CURLcode)h->curl_code;
	if (rc == CURLE_OK) return http_status_error(c, h, location);
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
	ferr *e;
	if (h->overflow)
		e = ferr_new(
		    SQLSTATE_IO_ERROR,
		    "S3 %s of %s failed: the server sent more data than requested (%zu bytes)",
		    h->method, location, h->buf ? h->buf_len : h->body_max);
	else if (is_connect_failure(rc))
		e = ferr_new(SQLSTATE_SQLCLIENT_UNABLE_TO_ESTABLISH,
		             "could not connect to S3 endpoint %s for %s: %s", c->endpoint,
		             location, why);
	else if (transport_retryable(rc))
		e = ferr_new(SQLSTATE_CONNECTION_FAILURE,
		             "connection to S3 endpoint %s failed during %s of %s: %s", c->endpoint,
		             h->method, location, why);
	else
		e = ferr_new(SQLSTATE_IO_ERROR, "S3 %s of %s failed: %s", h->method, location, why);
	if (h->attempts > 1) ferr_detail(e, "Gave up after %d attempts.", h->attempts);
	return e;
}

void s3_http_exec_many(s3_client *c, s3_http **hs, int n, const char *location, ferr **errs)
{
	if (n <= 0) return;
	xfer *xs = xcalloc((size_t)n, sizeof(*xs));
	for (int i = 0; i < n; i++) {
		xs[i].h = hs[i];
		xs[i].index = i;
		xs[i].state = XF_PENDING;
		hs[i]->attempts = 0;
		errs[i] = NULL;
		if (hs[i]->body && hs[i]->body_len)
			s3_sha256_hex(hs[i]->body, hs[i]->body_len, xs[i].payload_hash);
		else
			memcpy(xs[i].payload_hash, S3_EMPTY_SHA256, 65);
	}
	/*
	 * One handle is waited for; more are taken only if free right now, so
	 * two callers each holding some handles can never wait on each other.
	 */
	int want = n < S3_MAX_PARALLEL ? n : S3_MAX_PARALLEL;
	CURL *handles[S3_MAX_PARALLEL];
	bool busy[S3_MAX_PARALLEL] = {false};
	int nh = 0;
	handles[nh++] = pool_get(c, true);
	while (nh < want) {
		CURL *e = pool_get(c, false);
		if (!e) break;
		handles[nh++] = e;
	}
	CURLM *m = curl_multi_init();
	if (!m) abort(); /* out of memory */
	int remaining = n, inflight = 0;
	while (remaining > 0) {
		int64_t now = now_ms();
		int64_t earliest = INT64_MAX;
		int free_slots = 0;
		for (int k = 0; k < nh; k++) {
			if (busy[k]) continue;
			xfer *pick = NULL;
			for (int i = 0; i < n; i++)
				if (xs[i].state == XF_PENDING && xs[i].ready_ms <= now) {
					pick = &xs[i];
					break;
				}
			if (!pick) {
				free_slots++;
				continue;
			}
			pick->e = handles[k];
			pick->slot = k;
			pick->state = XF_RUNNING;
			busy[k] = true;
			xfer_setup(c, pick);
			curl_multi_add_handle(m, pick->e);
			inflight++;
			atomic_fetch_add(&c->n_requests, 1);
		}
		for (int i = 0; i < n; i++)
			if (xs[i].state == XF_PENDING && xs[i].ready_ms < earliest)
				earliest = xs[i].ready_ms;
		if (inflight == 0) {
			sleep_ms(earliest - now); /* everything left is backing off */
			continue;
		}
		int running = 0;
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		int queued;
		while ((msg = curl_multi_info_read(m, &queued))) {
			if (msg->msg != CURLMSG_DONE) continue;
			CURL *e = msg->easy_handle;
			CURLcode rc = msg->data.result;
			xfer *x = NULL;
			curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
			long conns = 0;
			curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &conns);
			atomic_fetch_add(&c->n_connects, (uint64_t)conns);
			outcome o = classify(x, rc);
			curl_multi_remove_handle(m, e);
			curl_slist_free_all(x->hdrs);
			x->hdrs = NULL;
			busy[x->slot] = false;
			inflight--;
			x->h->attempts++;
			if (o == OUT_RETRY && x->h->attempts <= c->cfg.max_error_retries) {
				x->state = XF_PENDING;
				int64_t d = backoff_ms(c, x->h->attempts, x->throttled);
				x->ready_ms = now_ms() + d;
				atomic_fetch_add(&c->n_retries, 1);
				log_debug("s3: retrying %s of %s in %lld ms (attempt %d: HTTP %ld, "
				          "curl %d)",
				          x->h->method, location, (long long)d, x->h->attempts,
				          x->h->status, x->h->curl_code);
			} else {
				x->state = XF_DONE;
				remaining--;
				if (o != OUT_OK) errs[x->index] = final_error(c, x, location);
			}
			free_slots++;
		}
		if (remaining == 0) break;
		/* Wake for socket activity, or when a backed-off transfer may start on a free
		 * handle. */
		int64_t timeout = 1000;
		earliest = INT64_MAX;
		for (int i = 0; i < n; i++)
			if (xs[i].state == XF_PENDING && xs[i].ready_ms < earliest)
				earliest = xs[i].ready_ms;
		if (free_slots > 0 && earliest != INT64_MAX) {
			int64_t d = earliest - now_ms();
			timeout = d < 0 ? 0 : d < timeout ? d : timeout;
		}
		if (inflight > 0 && timeout > 0) curl_multi_poll(m, NULL, 0, (int)timeout, NULL);
	}
	curl_multi_cleanup(m);
	for (int k = 0; k < nh; k++)
		pool_put(c, handles[k]);
	free(xs);
}

ferr *s3_http_exec(s3_client *c, s3_http *h, const char *location)
{
	ferr *e = NULL;
	s3_http_exec_many(c, &h, 1, location, &e);
	return e;
}

void s3_http_done(s3_http *h)
{
	sb_free(&h->err_body);
}
