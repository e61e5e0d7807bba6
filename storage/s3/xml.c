/*
 * xml.c — reading the XML bodies S3 answers with (errors, ListObjectsV2
 * pages, multipart results) through libxml2's tree API.
 *
 * Bodies come from the network: the parser never touches the network or
 * external entities (XML_PARSE_NONET, no DTD loading, no entity
 * substitution), never prints (NOERROR/NOWARNING), and anything malformed
 * is an ferr, never a crash. Element names are matched by local name so the
 * S3 namespace (present or not) does not matter.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/arena.h"
#include "storage/s3/s3_internal.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

static xmlDocPtr parse(const char *body, size_t len)
{
	pthread_once(&xml_once, xml_init);
	if (!body || len == 0 || len > INT32_MAX) return NULL;
	xmlDocPtr doc = xmlReadMemory(body, (int)len, "s3-response.xml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                                  XML_PARSE_NOCDATA);
	/*
	 * S3 never sends a DOCTYPE. Refusing any keeps entity definitions (and
	 * "billion laughs" expansion when text is read) out of reach.
	 */
	if (doc && (doc->intSubset || doc->extSubset)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(xmlNode *parent, const char *name)
{
	for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
		if (named(n, name)) return n;
	return NULL;
}

/* malloc'd text content of an element (NULL when n is NULL). */
static char *text_of(xmlNode *n)
{
	if (!n) return NULL;
	xmlChar *t = xmlNodeGetContent(n);
	if (!t) return xstrdup("");
	char *s = xstrdup((const char *)t);
	xmlFree(t);
	return s;
}

static xmlNode *find_desc(xmlNode *n, const char *name, int depth)
{
	if (depth > 8) return NULL;
	for (; n; n = n->next) {
		if (named(n, name)) return n;
		xmlNode *d = find_desc(n->children, name, depth + 1);
		if (d) return d;
	}
	return NULL;
}

bool s3_xml_parse_error(const char *body, size_t len, s3_xml_error *out)
{
	memset(out, 0, sizeof(*out));
	xmlDocPtr doc = parse(body, len);
	if (!doc) return false;
	xmlNode *root = xmlDocGetRootElement(doc);
	bool ok = root && named(root, "Error");
	if (ok) {
		out->code = text_of(child(root, "Code"));
		out->message = text_of(child(root, "Message"));
	}
	xmlFreeDoc(doc);
	return ok;
}

void s3_xml_error_free(s3_xml_error *e)
{
	free(e->code);
	free(e->message);
	memset(e, 0, sizeof(*e));
}

char *s3_xml_find_text(const char *body, size_t len, const char *root_name, const char *name)
{
	xmlDocPtr doc = parse(body, len);
	if (!doc) return NULL;
	xmlNode *root = xmlDocGetRootElement(doc);
	char *s = NULL;
	if (root && named(root, root_name)) s = text_of(find_desc(root->children, name, 0));
	xmlFreeDoc(doc);
	return s;
}

/* Percent-decoding of keys sent with encoding-type=url; false on a bad escape. */
static bool url_decode(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		int v = 0;
		for (int i = 1; i <= 2; i++) {
			char c = r[i];
			int d = c >= '0' && c <= '9'   ? c - '0'
			        : c >= 'a' && c <= 'f' ? c - 'a' + 10
			        : c >= 'A' && c <= 'F' ? c - 'A' + 10
			                               : -1;
			if (d < 0) return false;
			v = v * 16 + d;
		}
		if (v == 0) return false;
		*w++ = (char)v;
		r += 2;
	}
	*w = '\0';
	return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s) return false;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9') return false;
		if (v > (UINT64_MAX - 9) / 10) return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return true;
}

/* ISO 8601 "2013-05-24T00:00:00.000Z" to ms since the epoch; 0 when unparseable. */
static int64_t parse_iso8601_ms(const char *s)
{
	if (!s) return 0;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p) return 0;
	int64_t ms = 0;
	if (*p == '.') {
		int digits = 0;
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (digits < 3) ms = ms * 10 + (*p - '0'), digits++;
		while (digits++ < 3)
			ms *= 10;
	}
	return (int64_t)timegm(&tm) * 1000 + ms;
}

ferr *s3_xml_parse_list(const char *body, size_t len, const char *location, s3_list_cb cb,
                        void *ctx, s3_list_page *page)
{
	memset(page, 0, sizeof(*page));
	xmlDocPtr doc = parse(body, len);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || !named(root, "ListBucketResult")) {
		if (doc) xmlFreeDoc(doc);
		return ferr_new(
		    SQLSTATE_IO_ERROR,
		    "malformed ListObjectsV2 response for %s: not a ListBucketResult document",
		    location);
	}
	ferr *err = NULL;
	char *enc = text_of(child(root, "EncodingType"));
	bool url = enc && strcmp(enc, "url") == 0;
	free(enc);
	char *trunc = text_of(child(root, "IsTruncated"));
	page->truncated = trunc && strcmp(trunc, "true") == 0;
	free(trunc);
	page->next_token = text_of(child(root, "NextContinuationToken"));

	for (xmlNode *n = root->children; n && !err; n = n->next) {
		if (!named(n, "Contents")) continue;
		char *key = text_of(child(n, "Key"));
		char *size = text_of(child(n, "Size"));
		char *lm = text_of(child(n, "LastModified"));
		char *etag = text_of(child(n, "ETag"));
		s3_list_entry e = {0};
		if (!key || !*key || (url && !url_decode(key))) {
			err = ferr_new(
			    SQLSTATE_IO_ERROR,
			    "malformed ListObjectsV2 response for %s: bad or missing <Key>",
			    location);
		} else if (!parse_u64(size, &e.size)) {
			err = ferr_new(
			    SQLSTATE_IO_ERROR,
			    "malformed ListObjectsV2 response for %s: bad <Size> of key \"%s\"",
			    location, key);
		} else {
			e.key = key;
			e.mtime_ms = parse_iso8601_ms(lm);
			e.etag = etag ? etag : "";
			page->nentries++;
			err = cb(ctx, &e);
		}
		free(key);
		free(size);
		free(lm);
		free(etag);
	}
	xmlFreeDoc(doc);
	if (err) {
		free(page->next_token);
		page->next_token = NULL;
	}
	return err;
}
