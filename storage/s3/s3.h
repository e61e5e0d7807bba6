/*
 * s3.h — Ferry's S3 client: libcurl for HTTP, OpenSSL for SigV4, libxml2 for
 * the few XML bodies S3 answers with.
 *
 * One s3_client per configured file system; every function is safe to call
 * from several threads at once. Connections are pooled per client and
 * reused. Transient failures (5xx, throttling, broken connections) are
 * retried with exponential backoff; what finally fails comes back as an
 * ferr naming the s3:// location. Nothing the server sends sizes an
 * allocation beyond what the caller asked for.
 */
#ifndef FERRY_S3_H
#define FERRY_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/props.h"

/* Defaults of Trino's native S3 file system (S3FileSystemConfig). */
#define S3_DEFAULT_MAX_CONNECTIONS 500
#define S3_DEFAULT_MAX_ERROR_RETRIES 10
#define S3_DEFAULT_PART_SIZE (16 * 1024 * 1024)
#define S3_MIN_PART_SIZE (5 * 1024 * 1024)
#define S3_MAX_PART_SIZE (256 * 1024 * 1024)
/* Trino leaves these to the AWS SDK, whose HTTP client uses 2 s and 30 s. */
#define S3_DEFAULT_CONNECT_TIMEOUT_MS 2000
#define S3_DEFAULT_READ_TIMEOUT_MS 30000

typedef struct s3_config {
	char *scheme;     /* "http" or "https" */
	char *host;       /* endpoint host name, IP or [IPv6] */
	int port;         /* 0 when the endpoint names none */
	char *region;     /* never NULL after s3_config_from_props */
	bool path_style;  /* s3.path-style-access */
	char *access_key; /* NULL: anonymous requests (no signature) */
	char *secret_key;
	int max_connections;
	int max_error_retries;
	int64_t connect_timeout_ms;
	int64_t read_timeout_ms; /* no byte received for this long fails the attempt */
	int64_t part_size;       /* s3.streaming.part-size */
	bool tcp_keepalive;
	int retry_base_ms; /* first backoff step (100 ms; tests lower it) */
} s3_config;

/*
 * Read the s3.* properties (Trino's names, see storage/README.md). An
 * invalid value is an error naming the property; fs.native-s3.enabled is
 * checked by the caller (storage/fs.c), not here.
 */
ferr *s3_config_from_props(const props *p, s3_config *out);
void s3_config_free(s3_config *c);

typedef struct s3_client s3_client;

/* Takes a copy of cfg. */
ferr *s3_client_create(const s3_config *cfg, s3_client **out);
void s3_client_destroy(s3_client *c);
const s3_config *s3_client_config(const s3_client *c);

typedef struct s3_object_info {
	uint64_t size;
	int64_t mtime_ms; /* Last-Modified, ms since the Unix epoch; 0 if unknown */
	char etag[80];    /* as sent, quotes included; "" if unknown */
} s3_object_info;

/* HEAD: size and metadata. A missing object is SQLSTATE 58P01. */
ferr *s3_head(s3_client *c, const char *bucket, const char *key, s3_object_info *out);

/*
 * Ranged GET of exactly len bytes at offset into buf (len == 0 sends
 * nothing). Fewer bytes than asked (object shorter) is an error.
 */
ferr *s3_get_range(s3_client *c, const char *bucket, const char *key, uint64_t offset, size_t len,
                   void *buf);

/*
 * The last min(len, object size) bytes ("Range: bytes=-len"), without a
 * HEAD first: *got receives how many, *object_size the whole size. This is
 * how a Parquet footer is read in one request.
 */
ferr *s3_get_tail(s3_client *c, const char *bucket, const char *key, size_t len, void *buf,
                  size_t *got, uint64_t *object_size);

/* One range of a vectored read; err is set per range (caller frees). */
typedef struct s3_range {
	uint64_t offset;
	size_t len;
	void *buf;
	ferr *err;
} s3_range;

/*
 * Read all ranges of one object concurrently (curl multi, up to
 * max_connections handles, at most 16 per call). Returns the first range's
 * error (a copy) if any failed; every range's own err is set too.
 */
ferr *s3_get_ranges(s3_client *c, const char *bucket, const char *key, s3_range *ranges, int n);

/* ListObjectsV2 entry, valid during the callback only. */
typedef struct s3_list_entry {
	const char *key;
	uint64_t size;
	int64_t mtime_ms;
	const char *etag;
} s3_list_entry;

typedef ferr *(*s3_list_cb)(void *ctx, const s3_list_entry *e);

/*
 * Every key starting with prefix, in S3's order (UTF-8 binary), following
 * continuation tokens. max_keys is the page size (0: the server's, 1000).
 * An error returned by cb stops the listing and is returned.
 */
ferr *s3_list(s3_client *c, const char *bucket, const char *prefix, int max_keys, s3_list_cb cb,
              void *ctx);

/* PUT of a whole object from memory. */
ferr *s3_put(s3_client *c, const char *bucket, const char *key, const void *data, size_t len);

/* DELETE; deleting a key that does not exist succeeds (S3 semantics). */
ferr *s3_delete(s3_client *c, const char *bucket, const char *key);

/*
 * Server-side copy of src_key to dst_key in one bucket (CopyObject, up to
 * 5 GB); dst_key becomes visible complete or not at all.
 */
ferr *s3_copy_object(s3_client *c, const char *bucket, const char *src_key, const char *dst_key);

/* Multipart upload. upload ids and etags are malloc'd; the caller frees. */
typedef struct s3_part {
	int number; /* 1..10000 */
	char *etag;
} s3_part;

ferr *s3_multipart_create(s3_client *c, const char *bucket, const char *key, char **upload_id);
ferr *s3_multipart_upload_part(s3_client *c, const char *bucket, const char *key,
                               const char *upload_id, int part_number, const void *data, size_t len,
                               char **etag);
ferr *s3_multipart_complete(s3_client *c, const char *bucket, const char *key,
                            const char *upload_id, const s3_part *parts, int nparts);
ferr *s3_multipart_abort(s3_client *c, const char *bucket, const char *key, const char *upload_id);

#endif
