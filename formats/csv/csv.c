/*
 * csv.c — OpenCSV's record syntax (what Hive's OpenCSVSerde and Trino's
 * CSV format use): the escape character makes a following quote or escape
 * literal (elsewhere it is kept), a doubled quote inside quotes is one
 * quote, a quote elsewhere opens or closes quoting. Lines are joined with
 * "\n" while a quote is open.
 */
#include <stdlib.h>

#include "common/arena.h"
#include "common/sqlstate.h"
#include "formats/csv/csv.h"

void csv_record_free(csv_record *rec)
{
	sb_free(&rec->buf);
	free(rec->off);
	free(rec->len);
	*rec = (csv_record){0};
}

static void end_field(csv_record *rec, size_t start)
{
	if (rec->n == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 16;
		rec->off = xrealloc(rec->off, sizeof *rec->off * (size_t)rec->cap);
		rec->len = xrealloc(rec->len, sizeof *rec->len * (size_t)rec->cap);
	}
	rec->off[rec->n] = start;
	rec->len[rec->n] = rec->buf.len - start;
	rec->n++;
}

ferr *csv_parse_record(const csv_options *o, text_reader *r, const char *line, size_t len, size_t max_bytes,
                       csv_record *rec)
{
	sb_reset(&rec->buf);
	rec->n = 0;
	bool quoted = false;
	size_t start = 0;
	int64_t first_line = text_reader_line(r);
	for (;;) {
		for (size_t i = 0; i < len; i++) {
			char c = line[i];
			bool next_special = i + 1 < len && (line[i + 1] == o->quote || line[i + 1] == o->escape);
			if (c == o->escape && o->escape != o->quote && next_special) {
				sb_putc(&rec->buf, line[++i]);
			} else if (c == o->quote) {
				if (quoted && i + 1 < len && line[i + 1] == o->quote) sb_putc(&rec->buf, line[++i]);
				else quoted = !quoted;
			} else if (c == o->sep && !quoted) {
				end_field(rec, start);
				start = rec->buf.len;
			} else {
				sb_putc(&rec->buf, c);
			}
		}
		if (!quoted) break;
		if (rec->buf.len > max_bytes)
			return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
			                "CSV file '%s': the record at line %lld is longer than %zu bytes", text_reader_name(r),
			                (long long)first_line, max_bytes);
		TRY(text_reader_next_continued(r, &line, &len));
		if (!line)
			return ferr_new(SQLSTATE_BAD_COPY_FILE_FORMAT,
			                "CSV file '%s': unterminated quoted field in the record at line %lld",
			                text_reader_name(r), (long long)first_line);
		sb_putc(&rec->buf, '\n');
	}
	end_field(rec, start);
	return NULL;
}

void csv_write_field(const csv_options *o, const char *p, size_t len, strbuf *out)
{
	sb_putc(out, o->quote);
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != o->quote && p[i] != o->escape) continue;
		sb_append(out, p + from, i - from);
		sb_putc(out, o->escape);
		sb_putc(out, p[i]);
		from = i + 1;
	}
	sb_append(out, p + from, len - from);
	sb_putc(out, o->quote);
}
