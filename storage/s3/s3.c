/*
 * s3.c — the S3 operations Ferry uses (HEAD, ranged and vectored GET,
 * ListObjectsV2, PUT, DELETE, multipart upload) on top of http.c.
 *
 * Each operation checks that the answer is the one asked for (the range,
 * the length, an upload id) and turns any mismatch into an ferr naming the
 * s3:// location; nothing here trusts a length the server sends.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/s3/s3_internal.h"

#define S3_LIST_BODY_MAX (32 * 1024 * 1024)
#define S3_SMALL_BODY_MAX (1024 * 1024)

/* "s3://bucket/key" into buf (truncated with "..." when very long: messages only). */
static const char *loc(char *buf, size_t n, const char *bucket, const char *key)
{
	int w = snprintf(buf, n, "s3://%s/%s", bucket, key ? key : "");
	if (w >= (int)n && n > 4) memcpy(buf + n - 4, "...", 4);
	return buf;
}

#define LOCBUF 1200

ferr *s3_head(s3_client *c, const char *bucket, const char *key, s3_object_info *out)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	memset(out, 0, sizeof(*out));
	s3_http h = {.method = "HEAD", .bucket = bucket, .key = key};
	ferr *e = s3_http_exec(c, &h, where);
	if (!e && !h.has_content_length)
		e = ferr_new(SQLSTATE_IO_ERROR, "S3 HEAD of %s returned no Content-Length", where);
	if (!e) {
		out->size = h.content_length;
		out->mtime_ms = h.last_modified_ms;
		snprintf(out->etag, sizeof(out->etag), "%s", h.etag);
	}
	s3_http_done(&h);
	return e;
}

/* Checks a finished ranged GET of [offset, offset+len) that came back 2xx. */
static ferr *check_range(const s3_http *h, const char *where, uint64_t offset, size_t len)
{
	if (h->status == 206) {
		if (!h->has_content_range || h->range_first != offset)
			return ferr_new(
			    SQLSTATE_IO_ERROR,
			    "S3 GET of %s returned a different range than requested (bytes %" PRIu64
			    "-%" PRIu64 ")",
			    where, offset, offset + len - 1);
	}
	if (h->got < len) {
		if (h->has_content_range && h->range_total != UINT64_MAX &&
		    h->range_total < offset + len)
			return ferr_new(SQLSTATE_IO_ERROR,
			                "cannot read %zu bytes at offset %" PRIu64
			                " of %s: the object is %" PRIu64 " bytes",
			                len, offset, where, h->range_total);
		return ferr_new(SQLSTATE_IO_ERROR,
		                "S3 GET of %s was truncated: %zu of %zu bytes at offset %" PRIu64,
		                where, h->got, len, offset);
	}
	return NULL;
}

static void range_header(char *buf, size_t n, uint64_t offset, size_t len)
{
	snprintf(buf, n, "bytes=%" PRIu64 "-%" PRIu64, offset, offset + len - 1);
}

ferr *s3_get_range(s3_client *c, const char *bucket, const char *key, uint64_t offset, size_t len,
                   void *buf)
{
	if (len == 0) return NULL;
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	if (offset > UINT64_MAX - len)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "invalid range at %" PRIu64 " of %s", offset, where);
	char rh[64];
	range_header(rh, sizeof(rh), offset, len);
	s3_kv hdr = {"Range", rh};
	s3_http h = {.method = "GET",
	             .bucket = bucket,
	             .key = key,
	             .headers = &hdr,
	             .nheaders = 1,
	             .buf = buf,
	             .buf_len = len,
	             .buf_skip = offset};
	ferr *e = s3_http_exec(c, &h, where);
	if (!e) e = check_range(&h, where, offset, len);
	s3_http_done(&h);
	return e;
}

ferr *s3_get_tail(s3_client *c, const char *bucket, const char *key, size_t len, void *buf,
                  size_t *got, uint64_t *object_size)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	*got = 0;
	*object_size = 0;
	if (len == 0) {
		s3_object_info info;
		TRY(s3_head(c, bucket, key, &info));
		*object_size = info.size;
		return NULL;
	}
	char rh[64];
	snprintf(rh, sizeof(rh), "bytes=-%zu", len);
	s3_kv hdr = {"Range", rh};
	s3_http h = {.method = "GET",
	             .bucket = bucket,
	             .key = key,
	             .headers = &hdr,
	             .nheaders = 1,
	             .buf = buf,
	             .buf_len = len,
	             .tail = true};
	ferr *e = s3_http_exec(c, &h, where);
	if (e && h.status == 416) {
		/* S3 refuses a suffix range on an empty object: that is an empty tail, not an
		 * error. */
		s3_object_info info;
		ferr *he = s3_head(c, bucket, key, &info);
		if (!he && info.size == 0) {
			ferr_free(e);
			e = NULL;
		} else {
			ferr_free(he);
		}
		s3_http_done(&h);
		return e;
	}
	if (!e) {
		uint64_t size;
		if (h.status == 206 && h.has_content_range && h.range_total != UINT64_MAX)
			size = h.range_total;
		else if (h.status == 200 && h.has_content_length)
			size = h.content_length;
		else
			size = UINT64_MAX;
		uint64_t want = size < len ? size : len;
		if (size == UINT64_MAX)
			e = ferr_new(SQLSTATE_IO_ERROR,
			             "S3 GET of %s did not say how large the object is", where);
		else if (h.got != want || (h.status == 206 && (h.range_last + 1 != size ||
		                                               h.range_first != size - want)))
			e = ferr_new(
			    SQLSTATE_IO_ERROR,
			    "S3 GET of %s returned %zu bytes for the last %zu of a %" PRIu64
			    "-byte object",
			    where, h.got, len, size);
		else {
			*got = h.got;
			*object_size = size;
		}
	}
	s3_http_done(&h);
	return e;
}

ferr *s3_get_ranges(s3_client *c, const char *bucket, const char *key, s3_range *ranges, int n)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	if (n <= 0) return NULL;
	s3_http *hs = xcalloc((size_t)n, sizeof(*hs));
	s3_http **hp = xcalloc((size_t)n, sizeof(*hp));
	ferr **errs = xcalloc((size_t)n, sizeof(*errs));
	char(*rh)[64] = xcalloc((size_t)n, sizeof(*rh));
	s3_kv *hdr = xcalloc((size_t)n, sizeof(*hdr));
	int m = 0; /* exchanges actually sent (empty ranges need none) */
	int *map = xcalloc((size_t)n, sizeof(*map));
	for (int i = 0; i < n; i++) {
		ranges[i].err = NULL;
		if (ranges[i].len == 0) continue;
		if (ranges[i].offset > UINT64_MAX - ranges[i].len) {
			ranges[i].err =
			    ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			             "invalid range at %" PRIu64 " of %s", ranges[i].offset, where);
			continue;
		}
		range_header(rh[m], sizeof(rh[m]), ranges[i].offset, ranges[i].len);
		hdr[m] = (s3_kv){"Range", rh[m]};
		hs[m] = (s3_http){.method = "GET",
		                  .bucket = bucket,
		                  .key = key,
		                  .headers = &hdr[m],
		                  .nheaders = 1,
		                  .buf = ranges[i].buf,
		                  .buf_len = ranges[i].len,
		                  .buf_skip = ranges[i].offset};
		hp[m] = &hs[m];
		map[m] = i;
		m++;
	}
	s3_http_exec_many(c, hp, m, where, errs);
	for (int j = 0; j < m; j++) {
		s3_range *r = &ranges[map[j]];
		r->err = errs[j] ? errs[j] : check_range(&hs[j], where, r->offset, r->len);
		s3_http_done(&hs[j]);
	}
	ferr *first = NULL;
	for (int i = 0; i < n && !first; i++)
		if (ranges[i].err) first = ferr_copy(ranges[i].err);
	free(hs);
	free(hp);
	free(errs);
	free(rh);
	free(hdr);
	free(map);
	return first;
}

ferr *s3_list(s3_client *c, const char *bucket, const char *prefix, int max_keys, s3_list_cb cb,
              void *ctx)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, prefix);
	char *token = NULL;
	char mk[16];
	snprintf(mk, sizeof(mk), "%d", max_keys);
	strbuf body = STRBUF_INIT;
	ferr *e = NULL;
	for (;;) {
		s3_kv q[5];
		int nq = 0;
		q[nq++] = (s3_kv){"list-type", "2"};
		q[nq++] = (s3_kv){"encoding-type", "url"};
		if (prefix && *prefix) q[nq++] = (s3_kv){"prefix", prefix};
		if (max_keys > 0) q[nq++] = (s3_kv){"max-keys", mk};
		if (token) q[nq++] = (s3_kv){"continuation-token", token};
		s3_http h = {.method = "GET",
		             .bucket = bucket,
		             .key = "",
		             .query = q,
		             .nquery = nq,
		             .body_out = &body,
		             .body_max = S3_LIST_BODY_MAX};
		e = s3_http_exec(c, &h, where);
		s3_http_done(&h);
		if (e) break;
		s3_list_page page;
		e = s3_xml_parse_list(body.data, body.len, where, cb, ctx, &page);
		if (e) break;
		if (!page.truncated) {
			free(page.next_token);
			break;
		}
		/* A truncated page must move us forward, or the listing would never end. */
		if (!page.next_token || !*page.next_token ||
		    (token && strcmp(token, page.next_token) == 0)) {
			free(page.next_token);
			e = ferr_new(SQLSTATE_IO_ERROR,
			             "malformed ListObjectsV2 response for %s: truncated page "
			             "without a new continuation token",
			             where);
			break;
		}
		free(token);
		token = page.next_token;
	}
	free(token);
	sb_free(&body);
	return e;
}

ferr *s3_put(s3_client *c, const char *bucket, const char *key, const void *data, size_t len)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	s3_http h = {.method = "PUT",
	             .bucket = bucket,
	             .key = key,
	             .body = data,
	             .body_len = len,
	             .content_type = "application/octet-stream"};
	ferr *e = s3_http_exec(c, &h, where);
	s3_http_done(&h);
	return e;
}

ferr *s3_delete(s3_client *c, const char *bucket, const char *key)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	s3_http h = {.method = "DELETE", .bucket = bucket, .key = key};
	ferr *e = s3_http_exec(c, &h, where);
	/* A missing key is already deleted; a missing bucket is an error. */
	if (e && h.status == 404) {
		s3_xml_error xe;
		bool no_bucket = s3_xml_parse_error(h.err_body.data, h.err_body.len, &xe) &&
		                 xe.code && strcmp(xe.code, "NoSuchBucket") == 0;
		s3_xml_error_free(&xe);
		if (!no_bucket) {
			ferr_free(e);
			e = NULL;
		}
	}
	s3_http_done(&h);
	return e;
}

/*
 * CopyObject: a server-side copy (objects up to 5 GB). The source is sent
 * as "/bucket/key" with the key percent-encoded once, "/" kept, in the
 * signed x-amz-copy-source header. S3 may answer 200 and fail in the body,
 * so the answer must be a CopyObjectResult.
 */
ferr *s3_copy_object(s3_client *c, const char *bucket, const char *src_key, const char *dst_key)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, dst_key);
	strbuf src = STRBUF_INIT, body = STRBUF_INIT;
	sb_putc(&src, '/');
	s3_uri_encode(&src, bucket, strlen(bucket), false);
	sb_putc(&src, '/');
	s3_uri_encode(&src, src_key, strlen(src_key), true);
	s3_kv hdr = {"x-amz-copy-source", src.data};
	s3_http h = {.method = "PUT",
	             .bucket = bucket,
	             .key = dst_key,
	             .headers = &hdr,
	             .nheaders = 1,
	             .body_out = &body,
	             .body_max = S3_SMALL_BODY_MAX};
	ferr *e = s3_http_exec(c, &h, where);
	if (!e) {
		s3_xml_error xe;
		char *etag = NULL;
		if (s3_xml_parse_error(body.data, body.len, &xe)) {
			e = ferr_new(SQLSTATE_IO_ERROR, "S3 could not copy s3://%s/%s to %s: %s%s%s", bucket,
			             src_key, where, xe.code ? xe.code : "error", xe.message ? ": " : "",
			             xe.message ? xe.message : "");
			s3_xml_error_free(&xe);
		} else if (!(etag = s3_xml_find_text(body.data, body.len, "CopyObjectResult", "ETag"))) {
			e = ferr_new(SQLSTATE_IO_ERROR,
			             "S3 answered the copy of s3://%s/%s to %s without a CopyObjectResult",
			             bucket, src_key, where);
		}
		free(etag);
	}
	s3_http_done(&h);
	sb_free(&src);
	sb_free(&body);
	return e;
}

ferr *s3_multipart_create(s3_client *c, const char *bucket, const char *key, char **upload_id)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	*upload_id = NULL;
	strbuf body = STRBUF_INIT;
	s3_kv q = {"uploads", ""};
	s3_http h = {.method = "POST",
	             .bucket = bucket,
	             .key = key,
	             .query = &q,
	             .nquery = 1,
	             .content_type = "application/octet-stream",
	             .body_out = &body,
	             .body_max = S3_SMALL_BODY_MAX};
	ferr *e = s3_http_exec(c, &h, where);
	if (!e) {
		char *id = s3_xml_find_text(body.data, body.len, "InitiateMultipartUploadResult",
		                            "UploadId");
		if (!id || !*id) {
			free(id);
			e = ferr_new(
			    SQLSTATE_IO_ERROR,
			    "S3 did not return an upload id when starting a multipart upload of %s",
			    where);
		} else {
			*upload_id = id;
		}
	}
	s3_http_done(&h);
	sb_free(&body);
	return e;
}

ferr *s3_multipart_upload_part(s3_client *c, const char *bucket, const char *key,
                               const char *upload_id, int part_number, const void *data, size_t len,
                               char **etag)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	*etag = NULL;
	if (part_number < 1 || part_number > 10000)
		return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
		                "multipart upload of %s: part number %d out of range 1..10000",
		                where, part_number);
	char pn[16];
	snprintf(pn, sizeof(pn), "%d", part_number);
	s3_kv q[2] = {{"partNumber", pn}, {"uploadId", upload_id}};
	s3_http h = {.method = "PUT",
	             .bucket = bucket,
	             .key = key,
	             .query = q,
	             .nquery = 2,
	             .body = data,
	             .body_len = len,
	             .content_type = "application/octet-stream"};
	ferr *e = s3_http_exec(c, &h, where);
	if (!e && !h.etag[0])
		e = ferr_new(SQLSTATE_IO_ERROR,
		             "S3 returned no ETag for part %d of the multipart upload of %s",
		             part_number, where);
	if (!e) *etag = xstrdup(h.etag);
	s3_http_done(&h);
	return e;
}

static void xml_escape(strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			sb_puts(sb, "&amp;");
			break;
		case '<':
			sb_puts(sb, "&lt;");
			break;
		case '>':
			sb_puts(sb, "&gt;");
			break;
		case '"':
			sb_puts(sb, "&quot;");
			break;
		case '\'':
			sb_puts(sb, "&apos;");
			break;
		default:
			sb_putc(sb, *s);
		}
	}
}

ferr *s3_multipart_complete(s3_client *c, const char *bucket, const char *key,
                            const char *upload_id, const s3_part *parts, int nparts)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	if (nparts < 1)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "multipart upload of %s has no parts", where);
	strbuf req = STRBUF_INIT, body = STRBUF_INIT;
	sb_puts(&req,
	        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (int i = 0; i < nparts; i++) {
		sb_printf(&req, "<Part><PartNumber>%d</PartNumber><ETag>", parts[i].number);
		xml_escape(&req, parts[i].etag ? parts[i].etag : "");
		sb_puts(&req, "</ETag></Part>");
	}
	sb_puts(&req, "</CompleteMultipartUpload>");
	s3_kv q = {"uploadId", upload_id};
	s3_http h = {.method = "POST",
	             .bucket = bucket,
	             .key = key,
	             .query = &q,
	             .nquery = 1,
	             .body = req.data,
	             .body_len = req.len,
	             .content_type = "application/xml",
	             .body_out = &body,
	             .body_max = S3_SMALL_BODY_MAX};
	ferr *e = s3_http_exec(c, &h, where);
	if (!e) {
		/* S3 may answer 200 and still fail: the error is then in the body. */
		s3_xml_error xe;
		if (s3_xml_parse_error(body.data, body.len, &xe)) {
			e = ferr_new(SQLSTATE_IO_ERROR,
			             "S3 could not complete the multipart upload of %s: %s%s%s",
			             where, xe.code ? xe.code : "error", xe.message ? ": " : "",
			             xe.message ? xe.message : "");
			s3_xml_error_free(&xe);
		}
	}
	s3_http_done(&h);
	sb_free(&req);
	sb_free(&body);
	return e;
}

ferr *s3_multipart_abort(s3_client *c, const char *bucket, const char *key, const char *upload_id)
{
	char lb[LOCBUF];
	const char *where = loc(lb, sizeof(lb), bucket, key);
	s3_kv q = {"uploadId", upload_id};
	s3_http h = {.method = "DELETE", .bucket = bucket, .key = key, .query = &q, .nquery = 1};
	ferr *e = s3_http_exec(c, &h, where);
	s3_http_done(&h);
	return e;
}
