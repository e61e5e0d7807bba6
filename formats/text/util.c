/*
 * util.c — byte-level helpers of the text formats: UTF-8 validation
 * (what PostgreSQL's text accepts: no NUL, no surrogates, no overlong
 * forms) and base64, which Hive uses for binary values in text.
 */
#include <string.h>

#include "formats/text/text.h"

size_t text_utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		int extra;
		unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
		if (c >= 0xc2 && c <= 0xdf) extra = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			extra = 2;
			if (c == 0xe0) lo = 0xa0;      /* overlong */
			else if (c == 0xed) hi = 0x9f; /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			extra = 3;
			if (c == 0xf0) lo = 0x90;
			else if (c == 0xf4) hi = 0x8f; /* beyond U+10FFFF */
		} else
			return i;
		if (len - i <= (size_t)extra) return i;
		if (p[i + 1] < lo || p[i + 1] > hi) return i;
		for (int k = 2; k <= extra; k++)
			if ((p[i + (size_t)k] & 0xc0) != 0x80) return i;
		i += (size_t)extra + 1;
	}
	return len;
}

bool text_utf8_valid(const char *p, size_t len) { return text_utf8_invalid_at(p, len) == len; }

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void text_base64_encode(const uint8_t *p, size_t len, strbuf *out)
{
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len) v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len) v |= p[i + 2];
		char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], i + 1 < len ? b64[(v >> 6) & 63] : '=',
		             i + 2 < len ? b64[v & 63] : '='};
		sb_append(out, q, 4);
	}
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

bool text_base64_decode(const char *s, size_t len, strbuf *out)
{
	while (len && s[len - 1] == '=') len--;
	if (len % 4 == 1) return false;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value(s[i]);
		if (v < 0) return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sb_putc(out, (char)((acc >> bits) & 0xff));
		}
	}
	return true;
}
