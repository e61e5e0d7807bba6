/*
 * sigv4.c — AWS Signature Version 4 for S3: canonical request, string to
 * sign, signing key, Authorization header. Pure functions over strings
 * (OpenSSL for SHA-256 and HMAC); no I/O, no clock, so the unit tests can
 * replay AWS's and botocore's worked examples byte for byte.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "storage/s3/s3_internal.h"

static const char hexdigits[] = "0123456789abcdef";
static const char HEXDIGITS[] = "0123456789ABCDEF";

static void to_hex(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdigits[p[i] >> 4];
		out[2 * i + 1] = hexdigits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void s3_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	to_hex(md, 32, out);
}

static void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
                        unsigned char out[32])
{
	unsigned int outlen = 32;
	HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &outlen);
}

void s3_amz_date(int64_t unix_seconds, char out[17])
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void s3_uri_encode(strbuf *sb, const char *s, size_t n, bool keep_slash)
{
	sb_reserve(sb, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (keep_slash && c == '/')) {
			sb_putc(sb, (char)c);
		} else {
			char esc[3] = {'%', HEXDIGITS[c >> 4], HEXDIGITS[c & 15]};
			sb_append(sb, esc, 3);
		}
	}
}

typedef struct enc_pair {
	char *name;
	char *value;
} enc_pair;

static int cmp_pair(const void *a, const void *b)
{
	const enc_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

void s3_canonical_query(strbuf *sb, const s3_kv *params, int n)
{
	if (n <= 0) return;
	enc_pair *pairs = xcalloc((size_t)n, sizeof(*pairs));
	for (int i = 0; i < n; i++) {
		strbuf k = STRBUF_INIT, v = STRBUF_INIT;
		s3_uri_encode(&k, params[i].name, strlen(params[i].name), false);
		const char *val = params[i].value ? params[i].value : "";
		s3_uri_encode(&v, val, strlen(val), false);
		sb_reserve(&k, 0); /* an empty name or value still gets a buffer */
		sb_reserve(&v, 0);
		pairs[i].name = sb_steal(&k);
		pairs[i].value = sb_steal(&v);
	}
	qsort(pairs, (size_t)n, sizeof(*pairs), cmp_pair);
	for (int i = 0; i < n; i++) {
		if (i) sb_putc(sb, '&');
		sb_printf(sb, "%s=%s", pairs[i].name, pairs[i].value);
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);
}

typedef struct canon_header {
	char *name;  /* lower case */
	char *value; /* trimmed, inner runs of spaces collapsed */
	int order;   /* position in the request: duplicates keep it */
} canon_header;

static int cmp_header(const void *a, const void *b)
{
	const canon_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->order - y->order;
}

/* Trimall of the SigV4 spec: strip both ends, squeeze inner whitespace runs to one space. */
static char *trimall(const char *v)
{
	strbuf sb = STRBUF_INIT;
	bool space = false;
	for (const char *p = v; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = sb.len > 0;
			continue;
		}
		if (space) sb_putc(&sb, ' ');
		space = false;
		sb_putc(&sb, *p);
	}
	sb_reserve(&sb, 0);
	return sb_steal(&sb);
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
	return d;
}

void s3_sigv4_sign(const s3_sign_req *r, s3_signed *out)
{
	sb_init(&out->canonical_request);
	sb_init(&out->string_to_sign);
	sb_init(&out->authorization);

	int nh = r->nheaders + 3;
	canon_header *hs = xcalloc((size_t)nh, sizeof(*hs));
	int k = 0;
	for (int i = 0; i < r->nheaders; i++, k++) {
		hs[k].name = lower_dup(r->headers[i].name);
		hs[k].value = trimall(r->headers[i].value ? r->headers[i].value : "");
		hs[k].order = k;
	}
	hs[k] = (canon_header){xstrdup("host"), trimall(r->host), k};
	k++;
	hs[k] = (canon_header){xstrdup("x-amz-content-sha256"), xstrdup(r->payload_hash), k};
	k++;
	hs[k] = (canon_header){xstrdup("x-amz-date"), xstrdup(r->amz_date), k};
	k++;
	qsort(hs, (size_t)nh, sizeof(*hs), cmp_header);

	strbuf *cr = &out->canonical_request;
	sb_printf(cr, "%s\n%s\n%s\n", r->method, r->path, r->query ? r->query : "");
	strbuf signed_names = STRBUF_INIT;
	for (int i = 0; i < nh; i++) {
		bool dup = i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0;
		if (dup) {
			/* Repeated header: one line, values joined by commas in request order. */
			sb_printf(cr, ",%s", hs[i].value);
			continue;
		}
		if (i > 0) sb_putc(cr, '\n');
		sb_printf(cr, "%s:%s", hs[i].name, hs[i].value);
		if (signed_names.len) sb_putc(&signed_names, ';');
		sb_puts(&signed_names, hs[i].name);
	}
	sb_printf(cr, "\n\n%s\n%s", signed_names.data, r->payload_hash);

	char date[9];
	memcpy(date, r->amz_date, 8);
	date[8] = '\0';
	char cr_hash[65];
	s3_sha256_hex(cr->data, cr->len, cr_hash);
	sb_printf(&out->string_to_sign, "AWS4-HMAC-SHA256\n%s\n%s/%s/s3/aws4_request\n%s",
	          r->amz_date, date, r->region, cr_hash);

	/* Signing key: HMAC chain over date, region, service, "aws4_request". */
	strbuf secret = STRBUF_INIT;
	sb_printf(&secret, "AWS4%s", r->secret_key);
	unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
	hmac_sha256(secret.data, secret.len, date, 8, k1);
	hmac_sha256(k1, 32, r->region, strlen(r->region), k2);
	hmac_sha256(k2, 32, "s3", 2, k3);
	hmac_sha256(k3, 32, "aws4_request", 12, k4);
	hmac_sha256(k4, 32, out->string_to_sign.data, out->string_to_sign.len, sig);
	to_hex(sig, 32, out->signature);
	OPENSSL_cleanse(secret.data, secret.len);
	OPENSSL_cleanse(k4, sizeof(k4));
	sb_free(&secret);

	sb_printf(
	    &out->authorization,
	    "AWS4-HMAC-SHA256 Credential=%s/%s/%s/s3/aws4_request, SignedHeaders=%s, Signature=%s",
	    r->access_key, date, r->region, signed_names.data, out->signature);
	sb_free(&signed_names);
	for (int i = 0; i < nh; i++) {
		free(hs[i].name);
		free(hs[i].value);
	}
	free(hs);
}

void s3_signed_free(s3_signed *s)
{
	sb_free(&s->canonical_request);
	sb_free(&s->string_to_sign);
	sb_free(&s->authorization);
}
