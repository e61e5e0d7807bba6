/*
 * text.h — line-oriented text files shared by the CSV, TEXTFILE and JSON
 * formats: a bounded line reader over a positional input (plain, gzip or
 * zstd, split at line boundaries), Hive's LazySimpleSerDe field syntax,
 * UTF-8 validation and base64. Knows nothing about S3, tables or SQL types;
 * never trusts the bytes it reads (every line is bounded, every error names
 * the file).
 */
#ifndef FERRY_FORMATS_TEXT_H
#define FERRY_FORMATS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strbuf.h"

/* A file to read: size and positional reads (storage/fs.h's fs_read_at_cb fits). */
typedef struct text_input {
	const char *name; /* for error messages */
	uint64_t size;
	void *ctx;
	ferr *(*read_at)(void *ctx, uint64_t offset, size_t len, void *buf);
} text_input;

typedef enum text_codec { TEXT_CODEC_NONE, TEXT_CODEC_GZIP, TEXT_CODEC_ZSTD } text_codec;

/* By file name, as Hive's codec factory does: ".gz" gzip, ".zst" zstd, else none. */
text_codec text_codec_for_path(const char *path);

/* Default and hard bound on one line (record) in bytes. */
#define TEXT_DEFAULT_MAX_LINE (16u << 20)

typedef struct text_reader_options {
	uint64_t start, end;   /* split byte range [start, end) of an uncompressed file; end 0 = size */
	size_t max_line;       /* 0: TEXT_DEFAULT_MAX_LINE */
	int skip_header;       /* lines dropped at the start of the file (start must be 0) */
	int skip_footer;       /* lines dropped at the end of the file (whole file only) */
} text_reader_options;

typedef struct text_reader text_reader;

/*
 * A reader of the lines of a split. A split owns the lines that start
 * inside it: one that begins at start > 0 first skips the rest of the line
 * holding byte start - 1; lines are read past end until the one started
 * before end is complete. Compressed files are read whole (start must be
 * 0). Lines end at "\n"; a "\r" before it is dropped.
 */
ferr *text_reader_open(const text_input *in, text_codec codec, const text_reader_options *opt,
                       text_reader **out);
/*
 * The next line (without its terminator), valid until the next call;
 * *line = NULL at the end of the split. A line longer than max_line is
 * 54000 naming the file and line number.
 */
ferr *text_reader_next(text_reader *r, const char **line, size_t *len);
/*
 * The next line even beyond the split's end (a CSV record continuing on
 * further lines); *line = NULL at the end of the file.
 */
ferr *text_reader_next_continued(text_reader *r, const char **line, size_t *len);
/* 1-based number of the last line returned, counted from the split's start. */
int64_t text_reader_line(const text_reader *r);
const char *text_reader_name(const text_reader *r);
uint64_t text_reader_bytes_read(const text_reader *r);
void text_reader_close(text_reader *r);

/* ---- Hive's LazySimpleSerDe (serde.c) ---- */

typedef struct text_serde {
	char sep;           /* field.delim, default \001 */
	int escape;         /* escape.delim, -1 = none */
	const char *null_format; /* serialization.null.format, default "\N" */
} text_serde;

typedef struct text_field {
	const char *p;
	size_t len;
	bool escaped; /* holds the escape character: unescape before use */
} text_field;

/*
 * Fields of a line into fields[0..max): the count found (may exceed max;
 * fields beyond max are not stored, as Hive ignores extra fields).
 */
int text_split_fields(const text_serde *s, const char *line, size_t len, text_field *fields, int max);
/* Whether a raw field is the null format. */
bool text_field_is_null(const text_serde *s, const text_field *f);
/* A field's value with escapes resolved (Hive: \n, \r, else the character). */
void text_unescape(const text_serde *s, const text_field *f, strbuf *out);
/* Append a value escaped for the serde (separator, escape, CR and LF). */
void text_escape(const text_serde *s, const char *p, size_t len, strbuf *out);

/* ---- helpers (util.c) ---- */

/* Well-formed UTF-8 without NUL (PostgreSQL text cannot hold NUL). */
bool text_utf8_valid(const char *p, size_t len);
/* Offset of the first invalid byte (len when valid). */
size_t text_utf8_invalid_at(const char *p, size_t len);
void text_base64_encode(const uint8_t *p, size_t len, strbuf *out);
/* false when s is not base64 (padding optional, whitespace not allowed). */
bool text_base64_decode(const char *s, size_t len, strbuf *out);

#endif
