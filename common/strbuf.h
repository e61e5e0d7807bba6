/*
 * strbuf.h — growable byte buffer (malloc'd), used for building text and
 * protocol messages. Always NUL-terminated for convenience.
 */
#ifndef FERRY_STRBUF_H
#define FERRY_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
	char *data;
	size_t len;
	size_t cap;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
void sb_reserve(strbuf *sb, size_t extra);
void sb_append(strbuf *sb, const void *p, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);
/* Network byte order integers. */
void sb_put_u8(strbuf *sb, uint8_t v);
void sb_put_u16(strbuf *sb, uint16_t v);
void sb_put_u32(strbuf *sb, uint32_t v);
void sb_put_u64(strbuf *sb, uint64_t v);
/* Detach the buffer; caller frees. */
char *sb_steal(strbuf *sb);

#endif
