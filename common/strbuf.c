/*
 * strbuf.c — growable byte buffer (see strbuf.h).
 */
#include "common/strbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

void sb_init(strbuf *sb)
{
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

void sb_free(strbuf *sb)
{
	free(sb->data);
	sb_init(sb);
}

void sb_reset(strbuf *sb)
{
	sb->len = 0;
	if (sb->data) sb->data[0] = '\0';
}

void sb_reserve(strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap) return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need) cap *= 2;
	bool fresh = sb->data == NULL;
	sb->data = xrealloc(sb->data, cap);
	sb->cap = cap;
	if (fresh) sb->data[0] = '\0';
}

void sb_append(strbuf *sb, const void *p, size_t n)
{
	sb_reserve(sb, n);
	if (n) memcpy(sb->data + sb->len, p, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s) { sb_append(sb, s, strlen(s)); }

void sb_putc(strbuf *sb, char c)
{
	sb_reserve(sb, 1);
	sb->data[sb->len++] = c;
	sb->data[sb->len] = '\0';
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0) return;
	sb_reserve(sb, (size_t)n);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_put_u8(strbuf *sb, uint8_t v) { sb_append(sb, &v, 1); }

void sb_put_u16(strbuf *sb, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	sb_append(sb, b, 2);
}

void sb_put_u32(strbuf *sb, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	sb_append(sb, b, 4);
}

void sb_put_u64(strbuf *sb, uint64_t v)
{
	sb_put_u32(sb, (uint32_t)(v >> 32));
	sb_put_u32(sb, (uint32_t)v);
}

char *sb_steal(strbuf *sb)
{
	if (!sb->data) sb_reserve(sb, 0);
	char *p = sb->data;
	sb_init(sb);
	return p;
}
