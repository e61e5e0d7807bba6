/*
 * s3_internal.h — what the files of storage/s3/ share, and what the unit
 * tests reach into: SigV4 signing, request targets (host + encoded path),
 * the HTTP engine and the XML readers. Not for use outside storage/.
 */
#ifndef FERRY_S3_INTERNAL_H
#define FERRY_S3_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "storage/s3/s3.h"

#define S3_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

typedef struct s3_kv {
	const char *name;
	const char *value;
} s3_kv;

/* ---------------------------------------------------------------- sigv4.c */

/*
 * Percent-encode as SigV4 wants: A-Z a-z 0-9 - . _ ~ stay, every other byte
 * becomes %XX (upper-case hex); '/' stays when keep_slash (object keys in
 * paths). S3 paths are encoded once, never twice.
 */
void s3_uri_encode(strbuf *sb, const char *s, size_t n, bool keep_slash);
/* Canonical (and wire) query: names and values encoded, sorted by name, then value. */
void s3_canonical_query(strbuf *sb, const s3_kv *params, int n);
void s3_sha256_hex(const void *data, size_t len, char out[65]);
/* "YYYYMMDDTHHMMSSZ" for t (UTC). */
void s3_amz_date(int64_t unix_seconds, char out[17]);

typedef struct s3_sign_req {
	const char *method;
	const char *path;     /* encoded, as sent */
	const char *query;    /* canonical, as sent ("" for none) */
	const char *host;     /* Host header value, as sent */
	const s3_kv *headers; /* further headers to sign (any case); not
	                         host/x-amz-date/x-amz-content-sha256 */
	int nheaders;
	const char *payload_hash; /* hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
	const char *amz_date;
	const char *region;
	const char *access_key;
	const char *secret_key;
} s3_sign_req;

typedef struct s3_signed {
	strbuf canonical_request;
	strbuf string_to_sign;
	char signature[65];
	strbuf authorization; /* the Authorization header's value */
} s3_signed;

void s3_sigv4_sign(const s3_sign_req *r, s3_signed *out);
void s3_signed_free(s3_signed *s);

/* ------------------------------------------------------------- target.c */

/* True when bucket can be a DNS label set (virtual-host addressing). */
bool s3_bucket_dns_compatible(const char *bucket);
/*
 * Host header value and encoded path of bucket/key under cfg's addressing
 * (path style, or virtual host unless the bucket name cannot be a host).
 * key may be "" (bucket-level requests).
 */
void s3_request_target(const s3_config *cfg, const char *bucket, const char *key, strbuf *host,
                       strbuf *path);

/* --------------------------------------------------------------- http.c */

/* One HTTP exchange with S3, retried as a unit. Zero-initialize, fill the
 * request part, run, read the response part, then s3_http_done. */
typedef struct s3_http {
	/* request */
	const char *method; /* GET HEAD PUT POST DELETE */
	const char *bucket;
	const char *key; /* "" for bucket-level requests */
	const s3_kv *query;
	int nquery;
	const s3_kv *headers; /* extra headers, signed (e.g. Range) */
	int nheaders;
	const void *body;
	size_t body_len;
	const char *content_type; /* for PUT/POST bodies */

	/*
	 * Response sink: a caller buffer (ranged GET) or a bounded strbuf (XML);
	 * neither grows with what the server claims. buf_skip: bytes to drop
	 * first if the server ignores Range and answers 200 with the whole
	 * object; tail: the range is a suffix (the skip comes from the length).
	 */
	void *buf;
	size_t buf_len;
	uint64_t buf_skip;
	bool tail;
	strbuf *body_out;
	size_t body_max;

	/* response, valid after s3_http_exec (of the last attempt) */
	long status;
	size_t got; /* bytes stored into buf */
	bool has_content_range;
	uint64_t range_first, range_last, range_total; /* range_total: UINT64_MAX for "*" */
	bool has_content_length;
	uint64_t content_length;
	char etag[80];
	int64_t last_modified_ms;
	strbuf err_body; /* body of an error response (bounded) */
	int attempts;
	int curl_code;
	bool overflow;   /* the server sent more than the sink takes */
	bool stop_early; /* whole range had arrived in a 200 answer; stopped on purpose */
} s3_http;

/*
 * Run one exchange, retrying transient failures (see storage/README.md).
 * Any transport failure or final HTTP status outside 2xx is an ferr whose
 * message names location.
 */
ferr *s3_http_exec(s3_client *c, s3_http *h, const char *location);
/* Run n exchanges concurrently; errs[i] receives each one's error or NULL. */
void s3_http_exec_many(s3_client *c, s3_http **hs, int n, const char *location, ferr **errs);
void s3_http_done(s3_http *h);

typedef struct s3_stats {
	uint64_t requests;    /* attempts sent */
	uint64_t connections; /* new connections opened */
	uint64_t retries;
} s3_stats;

void s3_client_stats(s3_client *c, s3_stats *out);

/* ---------------------------------------------------------------- xml.c */

typedef struct s3_xml_error {
	char *code;    /* may be NULL */
	char *message; /* may be NULL */
} s3_xml_error;

/* <Error><Code/><Message/></Error>; false when body is not such a document. */
bool s3_xml_parse_error(const char *body, size_t len, s3_xml_error *out);
void s3_xml_error_free(s3_xml_error *e);

/* Text of the first descendant element named name (namespace ignored) of the
 * root named root; malloc'd, NULL when absent or malformed. */
char *s3_xml_find_text(const char *body, size_t len, const char *root, const char *name);

typedef struct s3_list_page {
	bool truncated;
	char *next_token; /* NULL when absent */
	int nentries;
} s3_list_page;

/* Parse a ListBucketResult page, calling cb per <Contents>. Keys are
 * URL-decoded when the page says <EncodingType>url</EncodingType>. */
ferr *s3_xml_parse_list(const char *body, size_t len, const char *location, s3_list_cb cb,
                        void *ctx, s3_list_page *page);

#endif
