/*
 * test_s3_live.c — the S3 client over real HTTP.
 *
 * Two groups. "offline" tests always run: they talk to sockets this
 * program opens itself on 127.0.0.1 (a refused port, a server that never
 * answers, a scripted fake S3 that misbehaves) and check retries, timeouts
 * and hostile answers. "live" tests need a real S3 server and are skipped
 * unless S3_TEST_ENDPOINT, S3_TEST_KEY, S3_TEST_SECRET and S3_TEST_BUCKET
 * are set (tests/suites/s3.sh starts moto_server in signature-checking mode
 * and sets them). With S3_TEST_DEAD=1 only the dead-server test runs: the
 * suite kills the server first and expects connection errors, fast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/props.h"
#include "storage/fs.h"
#include "storage/s3/s3_internal.h"

/* Like assert_null for an ferr, but shows the error when there is one. */
#define OK(expr)                                                                                   \
	do {                                                                                       \
		ferr *ok_e_ = (expr);                                                              \
		if (ok_e_)                                                                         \
			print_message("unexpected error: %s %s (%s)\n", ok_e_->sqlstate,           \
			              ok_e_->message, ok_e_->detail ? ok_e_->detail : "");         \
		assert_null(ok_e_);                                                                \
	} while (0)

static const char *env_endpoint, *env_key, *env_secret, *env_bucket;

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fill_pattern(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

static void expect_err(ferr *e, const char *sqlstate, const char *needle)
{
	assert_non_null(e);
	print_message("  -> %s %s%s%s\n", e->sqlstate, e->message, e->hint ? " HINT: " : "",
	              e->hint ? e->hint : "");
	assert_string_equal(e->sqlstate, sqlstate);
	if (needle) assert_non_null(strstr(e->message, needle));
	ferr_free(e);
}

/* An fs (and its own S3 client) on the given endpoint; extra is "k=v\n..." or NULL. */
static fs *make_fs(const char *endpoint, const char *key, const char *secret, const char *extra)
{
	props *p = props_create();
	assert_null(props_set(p, "fs.native-s3.enabled", "true"));
	assert_null(props_set(p, "s3.endpoint", endpoint));
	assert_null(props_set(p, "s3.region", "us-east-1"));
	assert_null(props_set(p, "s3.path-style-access", "true"));
	if (key) {
		assert_null(props_set(p, "s3.aws-access-key", key));
		assert_null(props_set(p, "s3.aws-secret-key", secret));
	}
	if (extra) assert_null(props_load_string(p, extra, "test"));
	fs *f = NULL;
	ferr *e = fs_create(p, &f);
	if (e) print_message("fs_create: %s\n", e->message);
	assert_null(e);
	props_destroy(p);
	return f;
}

static s3_client *make_client(const char *endpoint, const char *key, const char *secret,
                              const char *extra)
{
	props *p = props_create();
	assert_null(props_set(p, "s3.endpoint", endpoint));
	assert_null(props_set(p, "s3.path-style-access", "true"));
	if (key) {
		assert_null(props_set(p, "s3.aws-access-key", key));
		assert_null(props_set(p, "s3.aws-secret-key", secret));
	}
	if (extra) assert_null(props_load_string(p, extra, "test"));
	s3_config cfg;
	OK(s3_config_from_props(p, &cfg));
	cfg.retry_base_ms = 20; /* keep retry tests quick */
	s3_client *c;
	OK(s3_client_create(&cfg, &c));
	s3_config_free(&cfg);
	props_destroy(p);
	return c;
}

/* ============================================================ offline */

/* A loopback port that nothing listens on. */
static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t l = sizeof(a);
	getsockname(s, (struct sockaddr *)&a, &l);
	close(s);
	return ntohs(a.sin_port);
}

static int listen_socket(int *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 16), 0);
	socklen_t l = sizeof(a);
	getsockname(s, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return s;
}

static void test_refused_connection(void **state)
{
	char ep[64];
	snprintf(ep, sizeof(ep), "http://127.0.0.1:%d", closed_port());
	s3_client *c = make_client(ep, "AK", "SK", "s3.max-error-retries=2\n");
	s3_object_info info;
	int64_t t0 = mono_ms();
	ferr *e = s3_head(c, "bkt", "some/key", &info);
	int64_t dt = mono_ms() - t0;
	assert_non_null(e);
	assert_non_null(e->detail);
	assert_non_null(strstr(e->detail, "3 attempts"));
	expect_err(e, SQLSTATE_SQLCLIENT_UNABLE_TO_ESTABLISH, "s3://bkt/some/key");
	s3_stats st;
	s3_client_stats(c, &st);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.retries, 2);
	assert_true(dt < 3000);
	s3_client_destroy(c);
}

/* A server that accepts (through the kernel's backlog) and never answers. */
static void test_stalled_server_read_timeout(void **state)
{
	int port;
	int ls = listen_socket(&port);
	char ep[64];
	snprintf(ep, sizeof(ep), "http://127.0.0.1:%d", port);
	s3_client *c =
	    make_client(ep, "AK", "SK", "s3.max-error-retries=1\ns3.socket-read-timeout=1s\n");
	uint8_t buf[16];
	int64_t t0 = mono_ms();
	ferr *e = s3_get_range(c, "bkt", "k", 0, sizeof(buf), buf);
	int64_t dt = mono_ms() - t0;
	expect_err(e, SQLSTATE_CONNECTION_FAILURE, "s3://bkt/k");
	print_message("  gave up after %lld ms\n", (long long)dt);
	assert_true(dt >= 1500 && dt < 8000);
	s3_client_destroy(c);
	close(ls);
}

/* ---------------------------------------------- scripted fake S3 server */

typedef struct fake_resp {
	const char *head; /* status line + headers, without the final blank line */
	const char *body; /* may be NULL */
	size_t body_len;  /* bytes of body actually sent */
	bool keep;        /* keep the connection open for the next request */
} fake_resp;

typedef struct fake_server {
	int ls, port;
	const fake_resp *script;
	int n, next;
	char last_request[4096];
	pthread_t th;
} fake_server;

static void *fake_main(void *arg)
{
	fake_server *s = arg;
	int c = -1;
	while (s->next < s->n) {
		if (c < 0) c = accept(s->ls, NULL, NULL);
		if (c < 0) break;
		/* Read the request head, then any body (by Content-Length). */
		char req[65536];
		size_t got = 0;
		char *end = NULL;
		while (!end && got < sizeof(req) - 1) {
			ssize_t r = read(c, req + got, sizeof(req) - 1 - got);
			if (r <= 0) break;
			got += (size_t)r;
			req[got] = '\0';
			end = strstr(req, "\r\n\r\n");
		}
		if (end) {
			size_t head = (size_t)(end + 4 - req);
			const char *cl = strcasestr(req, "\ncontent-length:");
			size_t want = cl && cl < end ? (size_t)strtoul(cl + 16, NULL, 10) : 0;
			while (got - head < want) {
				char sink[65536];
				ssize_t r = read(c, sink, sizeof(sink));
				if (r <= 0) break;
				got += (size_t)r;
			}
			snprintf(s->last_request, sizeof(s->last_request), "%.*s", (int)head, req);
		}
		const fake_resp *r = &s->script[s->next++];
		char hdr[1024];
		/* Content-Length is the body's unless the script states one (to lie). */
		bool has_len = strcasestr(r->head, "Content-Length") ||
		               strcasestr(r->head, "Transfer-Encoding");
		const char *conn = r->keep ? "" : "Connection: close\r\n";
		int hn = has_len ? snprintf(hdr, sizeof(hdr), "%s\r\n%s\r\n", r->head, conn)
		                 : snprintf(hdr, sizeof(hdr), "%s\r\nContent-Length: %zu\r\n%s\r\n",
		                            r->head, r->body_len, conn);
		ssize_t wr = write(c, hdr, (size_t)hn);
		if (r->body && r->body_len && wr > 0) wr = write(c, r->body, r->body_len);
		(void)wr;
		if (!r->keep) {
			shutdown(c, SHUT_WR);
			usleep(10000);
			close(c);
			c = -1;
		}
	}
	if (c >= 0) close(c);
	return NULL;
}

static void fake_start(fake_server *s, const fake_resp *script, int n)
{
	memset(s, 0, sizeof(*s));
	s->ls = listen_socket(&s->port);
	s->script = script;
	s->n = n;
	pthread_create(&s->th, NULL, fake_main, s);
}

static s3_client *fake_client(fake_server *s, const char *extra)
{
	char ep[64];
	snprintf(ep, sizeof(ep), "http://127.0.0.1:%d", s->port);
	return make_client(ep, "AKIDEXAMPLE", "secret", extra);
}

static void fake_stop(fake_server *s)
{
	shutdown(s->ls, SHUT_RDWR);
	close(s->ls);
	pthread_join(s->th, NULL);
}

static const char TEN[] = "0123456789";

static ferr *count_cb(void *ctx, const s3_list_entry *e)
{
	(*(int *)ctx)++;
	return NULL;
}

static void test_fake_retries_then_succeeds(void **state)
{
	static const char slow[] =
	    "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>";
	static const char ie[] = "<Error><Code>InternalError</Code><Message>oops</Message></Error>";
	fake_resp script[] = {
	    {"HTTP/1.1 500 Internal Server Error", ie, sizeof(ie) - 1},
	    {"HTTP/1.1 503 Slow Down", slow, sizeof(slow) - 1},
	    /* Content-Length promises 10 bytes, only 4 arrive: a broken connection. */
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nContent-Length: "
	     "10",
	     TEN, 4},
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nContent-Length: "
	     "10",
	     TEN, 10},
	};
	fake_server s;
	fake_start(&s, script, 4);
	s3_client *c = fake_client(&s, "s3.max-error-retries=3\n");
	char buf[10];
	ferr *e = s3_get_range(c, "bkt", "dir/f.parquet", 100, 10, buf);
	if (e) print_message("%s\n", e->message);
	assert_null(e);
	assert_memory_equal(buf, TEN, 10);
	s3_stats st;
	s3_client_stats(c, &st);
	assert_int_equal(st.requests, 4);
	assert_int_equal(st.retries, 3);
	/* What went on the wire: the range, the date, a SigV4 Authorization for our key. */
	assert_non_null(strstr(s.last_request, "GET /bkt/dir/f.parquet HTTP/1.1\r\n"));
	assert_non_null(strstr(s.last_request, "Range: bytes=100-109\r\n"));
	assert_non_null(
	    strstr(s.last_request, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
	assert_non_null(
	    strstr(s.last_request,
	           "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature="));
	s3_client_destroy(c);
	fake_stop(&s);
}

/* Sequential requests of one client travel over one kept-alive connection. */
static void test_fake_connection_reuse(void **state)
{
	fake_resp script[] = {
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/1000", TEN, 10, true},
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 10-19/1000", TEN, 10, true},
	    {"HTTP/1.1 200 OK\r\nETag: \"e\"\r\nLast-Modified: Fri, 24 May 2013 00:00:00 "
	     "GMT\r\nContent-Length: 1000",
	     NULL, 0, true},
	    {"HTTP/1.1 204 No Content", NULL, 0, true},
	};
	fake_server s;
	fake_start(&s, script, 4);
	s3_client *c = fake_client(&s, NULL);
	char buf[10];
	OK(s3_get_range(c, "bkt", "k", 0, 10, buf));
	OK(s3_get_range(c, "bkt", "k", 10, 10, buf));
	s3_object_info info;
	OK(s3_head(c, "bkt", "k", &info));
	assert_int_equal(info.size, 1000);
	assert_int_equal(info.mtime_ms, 1369353600000LL);
	assert_string_equal(info.etag, "\"e\"");
	OK(s3_delete(c, "bkt", "k"));
	s3_stats st;
	s3_client_stats(c, &st);
	assert_int_equal(st.requests, 4);
	assert_int_equal(st.connections, 1);
	s3_client_destroy(c);
	fake_stop(&s);
}

static void test_fake_gives_up_after_retries(void **state)
{
	fake_resp script[] = {
	    {"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0", NULL, 0},
	    {"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0", NULL, 0},
	};
	fake_server s;
	fake_start(&s, script, 2);
	s3_client *c = fake_client(&s, "s3.max-error-retries=1\n");
	ferr *e = s3_put(c, "bkt", "k", "abc", 3);
	assert_non_null(e);
	assert_non_null(strstr(e->detail, "2 attempts"));
	expect_err(e, SQLSTATE_IO_ERROR, "HTTP 503");
	s3_client_destroy(c);
	fake_stop(&s);
}

static void test_fake_hostile_answers(void **state)
{
	static char whole[1000];
	fill_pattern((uint8_t *)whole, sizeof(whole), 7);
	static const char garbage[] = "<<<not xml>>>";
	static const char no_token[] =
	    "<ListBucketResult><IsTruncated>true</IsTruncated>"
	    "<Contents><Key>a</Key><Size>1</Size></Contents></ListBucketResult>";
	static const char same_token[] =
	    "<ListBucketResult><IsTruncated>true</IsTruncated>"
	    "<NextContinuationToken>t</NextContinuationToken></ListBucketResult>";
	fake_resp script[] = {
	    /* 1: Range ignored: the whole object comes back with 200. */
	    {"HTTP/1.1 200 OK\r\nContent-Length: 1000", whole, 1000},
	    /* 2: more bytes than asked for in a 206. */
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/1000\r\nContent-Length: 20",
	     whole, 20},
	    /* 3: a 206 for another range than requested. */
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-14/1000\r\nContent-Length: 10",
	     whole, 10},
	    /* 4: list: not XML. */
	    {"HTTP/1.1 200 OK", garbage, sizeof(garbage) - 1},
	    /* 5: list: truncated without a token. */
	    {"HTTP/1.1 200 OK", no_token, sizeof(no_token) - 1},
	    /* 6,7: list: the same token twice. */
	    {"HTTP/1.1 200 OK", same_token, sizeof(same_token) - 1},
	    {"HTTP/1.1 200 OK", same_token, sizeof(same_token) - 1},
	    /* 8: 404 with a body that is not XML. */
	    {"HTTP/1.1 404 Not Found", garbage, sizeof(garbage) - 1},
	    /* 9: HEAD 403 (no body). */
	    {"HTTP/1.1 403 Forbidden\r\nContent-Length: 0", NULL, 0},
	    /* 10: HEAD without Content-Length. */
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", NULL, 0},
	    /* 11: 206 whose body ends early, no retries left. */
	    {"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/1000\r\nContent-Length: 10",
	     TEN, 3},
	    /* 12: tail read answered with the whole object (200): the last bytes are picked. */
	    {"HTTP/1.1 200 OK\r\nContent-Length: 1000", whole, 1000},
	    /* 13: multipart create without an UploadId. */
	    {"HTTP/1.1 200 OK", garbage, sizeof(garbage) - 1},
	};
	int n = (int)(sizeof(script) / sizeof(script[0]));
	fake_server s;
	fake_start(&s, script, n);
	s3_client *c = fake_client(&s, "s3.max-error-retries=0\n");
	char buf[64];
	int count = 0;

	OK(s3_get_range(c, "bkt", "k", 500, 20, buf)); /* 1 */
	assert_memory_equal(buf, whole + 500, 20);
	expect_err(s3_get_range(c, "bkt", "k", 0, 10, buf), SQLSTATE_IO_ERROR,
	           "more data than requested"); /* 2 */
	expect_err(s3_get_range(c, "bkt", "k", 0, 10, buf), SQLSTATE_IO_ERROR,
	           "different range"); /* 3 */
	expect_err(s3_list(c, "bkt", "p/", 0, count_cb, &count), SQLSTATE_IO_ERROR,
	           "malformed ListObjectsV2"); /* 4 */
	expect_err(s3_list(c, "bkt", "p/", 0, count_cb, &count), SQLSTATE_IO_ERROR,
	           "continuation token"); /* 5 */
	expect_err(s3_list(c, "bkt", "p/", 0, count_cb, &count), SQLSTATE_IO_ERROR,
	           "continuation token"); /* 6, 7 */
	expect_err(s3_get_range(c, "bkt", "missing", 0, 10, buf), SQLSTATE_UNDEFINED_FILE,
	           "s3://bkt/missing"); /* 8 */
	s3_object_info info;
	expect_err(s3_head(c, "bkt", "k", &info), SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
	           "access denied");                                                    /* 9 */
	expect_err(s3_head(c, "bkt", "k", &info), SQLSTATE_IO_ERROR, "Content-Length"); /* 10 */
	expect_err(s3_get_range(c, "bkt", "k", 0, 10, buf), SQLSTATE_CONNECTION_FAILURE,
	           "s3://bkt/k"); /* 11 */
	size_t got;
	uint64_t size;
	OK(s3_get_tail(c, "bkt", "k", 8, buf, &got, &size)); /* 12 */
	assert_int_equal(got, 8);
	assert_int_equal(size, 1000);
	assert_memory_equal(buf, whole + 992, 8);
	char *id;
	expect_err(s3_multipart_create(c, "bkt", "k", &id), SQLSTATE_IO_ERROR,
	           "upload id"); /* 13 */
	assert_null(id);
	s3_client_destroy(c);
	fake_stop(&s);
}

/* ============================================================== live */

static bool live(void)
{
	if (env_endpoint) return true;
	print_message("S3_TEST_ENDPOINT not set: skipped (tests/suites/s3.sh runs this against "
	              "moto_server)\n");
	return false;
}

static fs *live_fs(const char *extra)
{
	return make_fs(env_endpoint, env_key, env_secret, extra);
}

static char *live_loc(const char *key)
{
	size_t n = strlen(env_bucket) + strlen(key) + 8;
	char *s = malloc(n);
	snprintf(s, n, "s3://%s/%s", env_bucket, key);
	return s;
}

static void test_live_put_head_get(void **state)
{
	if (!live()) skip();
	fs *f = live_fs(NULL);
	uint8_t data[1000], buf[1000];
	fill_pattern(data, sizeof(data), 1);
	char *loc = live_loc("basic/object.bin");
	OK(fs_put(f, loc, data, sizeof(data)));
	fs_file_info info;
	OK(fs_stat(f, loc, &info));
	assert_int_equal(info.size, 1000);
	assert_true(info.mtime_ms > 0);

	fs_file *file;
	OK(fs_open(f, loc, &file));
	assert_int_equal(fs_file_size(file), 1000);
	assert_string_equal(fs_file_location(file), loc);
	OK(fs_read_at(file, 0, 10, buf));
	assert_memory_equal(buf, data, 10);
	OK(fs_read_at(file, 990, 10, buf)); /* last bytes */
	assert_memory_equal(buf, data + 990, 10);
	OK(fs_read_at(file, 500, 1, buf)); /* one byte */
	assert_memory_equal(buf, data + 500, 1);
	OK(fs_read_at(file, 0, 1000, buf)); /* everything */
	assert_memory_equal(buf, data, 1000);
	OK(fs_read_at(file, 1000, 0, buf)); /* nothing: no request */
	expect_err(fs_read_at(file, 995, 10, buf), SQLSTATE_IO_ERROR, loc); /* past the end */
	expect_err(fs_read_at(file, 1000, 1, buf), SQLSTATE_IO_ERROR,
	           loc); /* starts at the end: 416 */
	fs_close(file);

	/* Suffix reads: shorter, equal and longer than the object. */
	size_t got;
	uint8_t tail[2000];
	OK(fs_open_tail(f, loc, 8, tail, &got, &file));
	assert_int_equal(got, 8);
	assert_int_equal(fs_file_size(file), 1000);
	assert_memory_equal(tail, data + 992, 8);
	fs_close(file);
	OK(fs_open_tail(f, loc, 2000, tail, &got, &file));
	assert_int_equal(got, 1000);
	assert_memory_equal(tail, data, 1000);
	fs_close(file);

	/* An empty object: stat, tail and reads of nothing. */
	char *empty = live_loc("basic/empty");
	OK(fs_put(f, empty, "", 0));
	OK(fs_stat(f, empty, &info));
	assert_int_equal(info.size, 0);
	OK(fs_open_tail(f, empty, 8, tail, &got, &file));
	assert_int_equal(got, 0);
	assert_int_equal(fs_file_size(file), 0);
	fs_close(file);
	free(empty);
	free(loc);
	fs_destroy(f);
}

static void test_live_multi_range(void **state)
{
	if (!live()) skip();
	fs *f = live_fs("s3.max-connections=8\n");
	size_t n = 3 * 1024 * 1024 + 17;
	uint8_t *data = malloc(n);
	fill_pattern(data, n, 2);
	char *loc = live_loc("ranges/big.bin");
	OK(fs_put(f, loc, data, n));
	fs_file *file;
	OK(fs_open_sized(f, loc, n, &file));
	enum { NR = 24 };
	fs_range r[NR];
	uint8_t *bufs[NR];
	for (int i = 0; i < NR; i++) {
		size_t len = i == 0 ? 0 : (size_t)(i * 9973 % 200000) + 1;
		uint64_t off = i == NR - 1 ? n - len : (uint64_t)i * 131071 % (n - len);
		bufs[i] = malloc(len ? len : 1);
		r[i] = (fs_range){off, len, bufs[i]};
	}
	int64_t t0 = mono_ms();
	OK(fs_read_ranges(file, r, NR));
	print_message("  %d ranges in %lld ms\n", NR, (long long)(mono_ms() - t0));
	for (int i = 0; i < NR; i++) {
		if (r[i].len) assert_memory_equal(bufs[i], data + r[i].offset, r[i].len);
		free(bufs[i]);
	}
	/* One bad range fails the call, naming the object; the others still arrive. */
	uint8_t a[16], b[16];
	fs_range bad[2] = {{0, 16, a}, {n - 4, 16, b}};
	expect_err(fs_read_ranges(file, bad, 2), SQLSTATE_IO_ERROR, loc);
	assert_memory_equal(a, data, 16);
	fs_close(file);
	free(data);
	free(loc);
	fs_destroy(f);
}

typedef struct keys_acc {
	int n;
	char **locs;
	int cap;
} keys_acc;

static ferr *collect(void *ctx, const fs_entry *e)
{
	keys_acc *k = ctx;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->locs = realloc(k->locs, (size_t)k->cap * sizeof(char *));
	}
	k->locs[k->n++] = strdup(e->location);
	return NULL;
}

static void keys_free(keys_acc *k)
{
	for (int i = 0; i < k->n; i++)
		free(k->locs[i]);
	free(k->locs);
	memset(k, 0, sizeof(*k));
}

typedef struct put_job {
	fs *f;
	int from, to;
	ferr *err;
} put_job;

static void *put_many(void *arg)
{
	put_job *j = arg;
	for (int i = j->from; i < j->to && !j->err; i++) {
		char key[64];
		snprintf(key, sizeof(key), "many-k%05d", i);
		char *loc = live_loc(key);
		j->err = fs_put(j->f, loc, key, strlen(key));
		free(loc);
	}
	return NULL;
}

static ferr *count_s3(void *ctx, const s3_list_entry *e)
{
	(*(int *)ctx)++;
	return NULL;
}

static void test_live_list_pagination(void **state)
{
	if (!live()) skip();
	fs *f = live_fs("s3.max-connections=4\n");
	/* 1010 keys from 4 threads at once: more than one 1000-key page. */
	enum { NKEYS = 1010, NT = 4 };
	put_job jobs[NT];
	pthread_t th[NT];
	for (int t = 0; t < NT; t++) {
		jobs[t] = (put_job){f, t * NKEYS / NT, (t + 1) * NKEYS / NT, NULL};
		pthread_create(&th[t], NULL, put_many, &jobs[t]);
	}
	for (int t = 0; t < NT; t++) {
		pthread_join(th[t], NULL);
		if (jobs[t].err) print_message("%s\n", jobs[t].err->message);
		assert_null(jobs[t].err);
	}
	char *prefix = live_loc("many-");
	keys_acc k = {0};
	OK(fs_list(f, prefix, collect, &k));
	assert_int_equal(k.n, NKEYS);
	for (int i = 0; i < NKEYS; i++) {
		char want[64];
		snprintf(want, sizeof(want), "s3://%s/many-k%05d", env_bucket, i);
		assert_string_equal(k.locs[i], want);
	}
	keys_free(&k);
	/* A narrower prefix that is not a "directory". */
	char *p2 = live_loc("many-k0100");
	OK(fs_list(f, p2, collect, &k));
	assert_int_equal(k.n, 10);
	keys_free(&k);
	/* s3a:// spelling is kept in the listed locations. */
	char p3[256];
	snprintf(p3, sizeof(p3), "s3a://%s/many-k0000", env_bucket);
	OK(fs_list(f, p3, collect, &k));
	assert_int_equal(k.n, 10);
	assert_true(strncmp(k.locs[0], "s3a://", 6) == 0);
	keys_free(&k);
	/* Nothing under a prefix: nothing listed, no error. */
	char *p4 = live_loc("nothing-here-");
	OK(fs_list(f, p4, collect, &k));
	assert_int_equal(k.n, 0);

	/* Small pages through the client directly: 1010 keys / 97 = 11 pages. */
	s3_client *c = make_client(env_endpoint, env_key, env_secret, NULL);
	int count = 0;
	s3_stats before, after;
	s3_client_stats(c, &before);
	OK(s3_list(c, env_bucket, "many-", 97, count_s3, &count));
	s3_client_stats(c, &after);
	assert_int_equal(count, NKEYS);
	assert_int_equal(after.requests - before.requests, 11);
	/* moto closes every connection (Connection: close), so reuse is
	 * test_fake_connection_reuse's. */
	print_message("  %llu requests over %llu connections\n", (unsigned long long)after.requests,
	              (unsigned long long)after.connections);
	assert_true(after.connections <= after.requests);
	s3_client_destroy(c);
	free(prefix);
	free(p2);
	free(p4);
	fs_destroy(f);
}

static void test_live_multipart(void **state)
{
	if (!live()) skip();
	fs *f = live_fs("s3.streaming.part-size=5MB\n");
	size_t n = 12 * 1024 * 1024 + 123;
	uint8_t *data = malloc(n);
	fill_pattern(data, n, 3);
	char *loc = live_loc("mpu/big.bin");
	fs_writer *w;
	OK(fs_writer_open(f, loc, &w));
	/* Odd chunk sizes so that parts fill across write calls. */
	for (size_t off = 0; off < n;) {
		size_t len = n - off < 777777 ? n - off : 777777;
		OK(fs_writer_write(w, data + off, len));
		off += len;
	}
	fs_file_info info;
	expect_err(fs_stat(f, loc, &info), SQLSTATE_UNDEFINED_FILE,
	           loc); /* invisible before commit */
	OK(fs_writer_commit(w));
	OK(fs_stat(f, loc, &info));
	assert_int_equal(info.size, n);
	fs_file *file;
	OK(fs_open(f, loc, &file));
	uint8_t *back = malloc(n);
	/* Reads across part boundaries (5 MiB, 10 MiB) and the whole thing. */
	size_t mib5 = 5 * 1024 * 1024;
	OK(fs_read_at(file, mib5 - 100, 200, back));
	assert_memory_equal(back, data + mib5 - 100, 200);
	OK(fs_read_at(file, 2 * mib5 - 1, 2, back));
	assert_memory_equal(back, data + 2 * mib5 - 1, 2);
	OK(fs_read_at(file, 0, n, back));
	assert_memory_equal(back, data, n);
	fs_close(file);

	/* A small file through the writer is a single PUT. */
	char *small = live_loc("mpu/small.txt");
	OK(fs_writer_open(f, small, &w));
	OK(fs_writer_write(w, "hello", 5));
	OK(fs_writer_commit(w));
	OK(fs_stat(f, small, &info));
	assert_int_equal(info.size, 5);

	/* An aborted writer leaves nothing behind. */
	char *gone = live_loc("mpu/aborted.bin");
	OK(fs_writer_open(f, gone, &w));
	OK(fs_writer_write(w, data, mib5 + 1)); /* one part uploaded */
	fs_writer_abort(w);
	expect_err(fs_stat(f, gone, &info), SQLSTATE_UNDEFINED_FILE, NULL);

	/* The raw multipart calls: an aborted upload cannot be completed. */
	s3_client *c = make_client(env_endpoint, env_key, env_secret, "s3.max-error-retries=0\n");
	char *id, *etag;
	OK(s3_multipart_create(c, env_bucket, "mpu/raw", &id));
	OK(s3_multipart_upload_part(c, env_bucket, "mpu/raw", id, 1, data, mib5, &etag));
	assert_true(etag[0] == '"');
	OK(s3_multipart_abort(c, env_bucket, "mpu/raw", id));
	/* S3 answers 404 NoSuchUpload (58P01); moto 5.2 fails with a 500 (58030). Either way: an
	 * error. */
	s3_part part = {1, etag};
	ferr *e = s3_multipart_complete(c, env_bucket, "mpu/raw", id, &part, 1);
	assert_non_null(e);
	assert_true(strcmp(e->sqlstate, SQLSTATE_UNDEFINED_FILE) == 0 ||
	            strcmp(e->sqlstate, SQLSTATE_IO_ERROR) == 0);
	expect_err(e, e->sqlstate, "mpu/raw");
	free(id);
	free(etag);
	s3_client_destroy(c);
	free(back);
	free(data);
	free(loc);
	free(small);
	free(gone);
	fs_destroy(f);
}

/*
 * Two-phase writes: after prepare every byte is in S3 but nothing is at the
 * final key (a small file waits under a hidden staging key, a large one as
 * an open multipart upload); commit publishes in one call and leaves no
 * staging object; abort after prepare leaves nothing at all.
 */
static void test_live_prepared_writes(void **state)
{
	if (!live()) skip();
	fs *f = live_fs("s3.streaming.part-size=5MB\n");
	char *prefix = live_loc("staged"); /* no "/": moto cannot verify an encoded query */
	char *small = live_loc("staged/small.bin");
	fs_writer *w;
	fs_file_info info;
	keys_acc k = {0};
	OK(fs_writer_open(f, small, &w));
	OK(fs_writer_write(w, "staged bytes", 12));
	OK(fs_writer_prepare(w));
	OK(fs_writer_prepare(w)); /* twice is once */
	expect_err(fs_stat(f, small, &info), SQLSTATE_UNDEFINED_FILE, NULL);
	OK(fs_list(f, prefix, collect, &k));
	assert_int_equal(k.n, 1);
	assert_non_null(strstr(k.locs[0], "/staged/.small.bin.ferry-staging-"));
	keys_free(&k);
	OK(fs_writer_commit(w));
	OK(fs_stat(f, small, &info));
	assert_int_equal(info.size, 12);
	OK(fs_list(f, prefix, collect, &k));
	assert_int_equal(k.n, 1);
	assert_string_equal(k.locs[0], small);
	keys_free(&k);

	/* abort after prepare: the staging object goes too */
	char *gone = live_loc("staged/gone.bin");
	OK(fs_writer_open(f, gone, &w));
	OK(fs_writer_write(w, "x", 1));
	OK(fs_writer_prepare(w));
	fs_writer_abort(w);
	OK(fs_list(f, prefix, collect, &k));
	assert_int_equal(k.n, 1);
	keys_free(&k);

	/* a multipart file: prepare uploads the last part, commit completes */
	size_t n = 5 * 1024 * 1024 + 77;
	uint8_t *data = malloc(n);
	fill_pattern(data, n, 5);
	char *big = live_loc("staged/big.bin");
	OK(fs_writer_open(f, big, &w));
	OK(fs_writer_write(w, data, n));
	OK(fs_writer_prepare(w));
	expect_err(fs_stat(f, big, &info), SQLSTATE_UNDEFINED_FILE, NULL);
	OK(fs_list(f, prefix, collect, &k));
	assert_int_equal(k.n, 1);
	keys_free(&k);
	OK(fs_writer_commit(w));
	fs_file *file;
	OK(fs_open(f, big, &file));
	assert_int_equal(fs_file_size(file), n);
	uint8_t *back = malloc(n);
	OK(fs_read_at(file, 0, n, back));
	assert_memory_equal(back, data, n);
	fs_close(file);

	/* CopyObject itself: the copy is whole; a missing source is 58P01 */
	s3_client *c = make_client(env_endpoint, env_key, env_secret, "s3.max-error-retries=0\n");
	OK(s3_copy_object(c, env_bucket, "staged/small.bin", "staged/copy.bin"));
	char buf[16] = {0};
	OK(s3_get_range(c, env_bucket, "staged/copy.bin", 0, 12, buf));
	assert_string_equal(buf, "staged bytes");
	expect_err(s3_copy_object(c, env_bucket, "staged/no-such-key", "staged/copy2.bin"),
	           SQLSTATE_UNDEFINED_FILE, NULL);
	s3_client_destroy(c);
	free(back);
	free(data);
	free(big);
	free(gone);
	free(small);
	free(prefix);
	fs_destroy(f);
}

static void test_live_delete_and_not_found(void **state)
{
	if (!live()) skip();
	fs *f = live_fs(NULL);
	char *loc = live_loc("del/x");
	OK(fs_put(f, loc, "x", 1));
	OK(fs_delete(f, loc));
	fs_file_info info;
	expect_err(fs_stat(f, loc, &info), SQLSTATE_UNDEFINED_FILE, loc);
	OK(fs_delete(f, loc)); /* again: already gone is fine */
	fs_file *file;
	expect_err(fs_open(f, loc, &file), SQLSTATE_UNDEFINED_FILE, "does not exist");
	uint8_t buf[4];
	/* Opened with a known size, the GET itself reports the missing object. */
	OK(fs_open_sized(f, loc, 4, &file));
	expect_err(fs_read_at(file, 0, 4, buf), SQLSTATE_UNDEFINED_FILE, loc);
	fs_close(file);
	expect_err(fs_stat(f, "s3://no-such-bucket-ferry/k", &info), SQLSTATE_UNDEFINED_FILE, NULL);
	expect_err(fs_stat(f, "s3://bkt", &info), SQLSTATE_INVALID_PARAMETER_VALUE,
	           "no object key");
	free(loc);
	fs_destroy(f);
}

/*
 * Keys and prefixes that need percent-encoding. moto 5.2 cannot verify
 * signatures of such requests (it re-encodes the URL differently; boto3's
 * own requests fail the same way), so this runs against a second moto
 * without authentication (S3_TEST_NOAUTH_ENDPOINT); that the signatures of
 * such requests are right is test_s3_sigv4's botocore comparison.
 */
static void test_live_special_keys(void **state)
{
	const char *noauth = getenv("S3_TEST_NOAUTH_ENDPOINT");
	if (!live() || !noauth) skip();
	fs *f = make_fs(noauth, env_key, env_secret, NULL);
	const char *keys[] = {"special/a b+c=d&e", "special/\xc3\xbcn\xc3\xaf\xe2\x82\xac",
	                      "special/~tilde*(1)!'$,;:@", "special/percent%2Fenc",
	                      "special/x=1/y=2/part-0.parquet"};
	int nk = (int)(sizeof(keys) / sizeof(keys[0]));
	for (int i = 0; i < nk; i++) {
		char *loc = live_loc(keys[i]);
		print_message("  %s\n", loc);
		OK(fs_put(f, loc, keys[i], strlen(keys[i])));
		fs_file *file;
		OK(fs_open(f, loc, &file));
		char buf[128] = {0};
		assert_int_equal(fs_file_size(file), strlen(keys[i]));
		OK(fs_read_at(file, 0, strlen(keys[i]), buf));
		assert_string_equal(buf, keys[i]);
		fs_close(file);
		free(loc);
	}
	char *prefix = live_loc("special/");
	keys_acc k = {0};
	OK(fs_list(f, prefix, collect, &k));
	assert_int_equal(k.n, nk);
	for (int i = 0; i < k.n; i++) {
		bool found = false;
		for (int j = 0; j < nk; j++) {
			char *want = live_loc(keys[j]);
			found |= strcmp(want, k.locs[i]) == 0;
			free(want);
		}
		assert_true(found);
	}
	keys_free(&k);
	free(prefix);
	fs_destroy(f);
}

static void test_live_bad_credentials(void **state)
{
	if (!live()) skip();
	char wrong[256];
	snprintf(wrong, sizeof(wrong), "%sX", env_secret);
	fs *f = make_fs(env_endpoint, env_key, wrong, NULL);
	char *loc = live_loc("basic/object.bin");
	fs_file_info info;
	ferr *e = fs_stat(f, loc, &info);
	assert_non_null(e);
	assert_non_null(e->hint);
	expect_err(e, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, loc);
	uint8_t buf[4];
	fs_file *file;
	OK(fs_open_sized(f, loc, 4, &file));
	e = fs_read_at(file, 0, 4, buf); /* a GET has a body: the server's code reaches the hint */
	assert_non_null(e);
	assert_non_null(e->hint);
	print_message("  hint: %s\n", e->hint);
	assert_non_null(strstr(e->hint, "s3.aws-secret-key"));
	expect_err(e, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, "SignatureDoesNotMatch");
	fs_close(file);
	fs_destroy(f);

	f = make_fs(env_endpoint, "AKIAUNKNOWNKEY000000", env_secret, NULL);
	OK(fs_open_sized(f, loc, 4, &file));
	expect_err(fs_read_at(file, 0, 4, buf), SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
	           "access denied");
	fs_close(file);
	fs_destroy(f);

	f = make_fs(env_endpoint, NULL, NULL, NULL); /* anonymous */
	expect_err(fs_stat(f, loc, &info), SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, loc);
	fs_destroy(f);
	free(loc);
}

typedef struct read_job {
	fs_file *file;
	const uint8_t *data;
	size_t n;
	int seed;
	int bad;
} read_job;

static void *read_many(void *arg)
{
	read_job *j = arg;
	uint8_t buf[4096];
	for (int i = 0; i < 40; i++) {
		size_t len = (size_t)((j->seed * 7919 + i * 104729) % 4096) + 1;
		uint64_t off = (uint64_t)((j->seed * 31 + i * 65537) % (int)(j->n - len));
		ferr *e = fs_read_at(j->file, off, len, buf);
		if (e || memcmp(buf, j->data + off, len) != 0) j->bad++;
		ferr_free(e);
	}
	return NULL;
}

static void test_live_threads_share_one_file(void **state)
{
	if (!live()) skip();
	fs *f = live_fs("s3.max-connections=3\n");
	size_t n = 256 * 1024;
	uint8_t *data = malloc(n);
	fill_pattern(data, n, 4);
	char *loc = live_loc("threads/obj");
	OK(fs_put(f, loc, data, n));
	fs_file *file;
	OK(fs_open(f, loc, &file));
	enum { NT = 8 };
	read_job jobs[NT];
	pthread_t th[NT];
	for (int t = 0; t < NT; t++) {
		jobs[t] = (read_job){file, data, n, t + 1, 0};
		pthread_create(&th[t], NULL, read_many, &jobs[t]);
	}
	for (int t = 0; t < NT; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(jobs[t].bad, 0);
	}
	fs_close(file);
	free(data);
	free(loc);
	fs_destroy(f);
}

/* Run by tests/suites/s3.sh after it killed the server (S3_TEST_DEAD=1). */
static void test_dead_server(void **state)
{
	fs *f = live_fs("s3.max-error-retries=2\ns3.connect-timeout=1s\n");
	char *loc = live_loc("basic/object.bin");
	fs_file_info info;
	int64_t t0 = mono_ms();
	ferr *e = fs_stat(f, loc, &info);
	int64_t dt = mono_ms() - t0;
	assert_non_null(e);
	assert_non_null(e->detail);
	print_message("  %s (%lld ms)\n", e->detail, (long long)dt);
	assert_non_null(strstr(e->detail, "3 attempts"));
	expect_err(e, SQLSTATE_SQLCLIENT_UNABLE_TO_ESTABLISH, "could not connect");
	assert_true(dt < 5000);
	free(loc);
	fs_destroy(f);
}

int main(void)
{
	env_endpoint = getenv("S3_TEST_ENDPOINT");
	env_key = getenv("S3_TEST_KEY");
	env_secret = getenv("S3_TEST_SECRET");
	env_bucket = getenv("S3_TEST_BUCKET");
	if (env_endpoint && (!env_key || !env_secret || !env_bucket)) {
		fprintf(stderr,
		        "S3_TEST_ENDPOINT needs S3_TEST_KEY, S3_TEST_SECRET and S3_TEST_BUCKET\n");
		return 1;
	}
	if (env_endpoint && getenv("S3_TEST_DEAD")) {
		const struct CMUnitTest dead[] = {cmocka_unit_test(test_dead_server)};
		return cmocka_run_group_tests(dead, NULL, NULL);
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refused_connection),
	    cmocka_unit_test(test_stalled_server_read_timeout),
	    cmocka_unit_test(test_fake_retries_then_succeeds),
	    cmocka_unit_test(test_fake_connection_reuse),
	    cmocka_unit_test(test_fake_gives_up_after_retries),
	    cmocka_unit_test(test_fake_hostile_answers),
	    cmocka_unit_test(test_live_put_head_get),
	    cmocka_unit_test(test_live_multi_range),
	    cmocka_unit_test(test_live_list_pagination),
	    cmocka_unit_test(test_live_multipart),
	    cmocka_unit_test(test_live_prepared_writes),
	    cmocka_unit_test(test_live_delete_and_not_found),
	    cmocka_unit_test(test_live_special_keys),
	    cmocka_unit_test(test_live_bad_credentials),
	    cmocka_unit_test(test_live_threads_share_one_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
