/*
 * csv.h — CSV records as Hive's OpenCSVSerde (and so Trino's CSV format)
 * reads and writes them: one separator, one quote and one escape
 * character; quoted fields may hold separators, doubled quotes and line
 * breaks; every field is a string (CSV has no NULL). Reads lines through
 * formats/text's reader; never trusts the file: records are bounded and an
 * unterminated quote is an error naming the file.
 */
#ifndef FERRY_FORMATS_CSV_H
#define FERRY_FORMATS_CSV_H

#include "formats/text/text.h"

typedef struct csv_options {
	char sep;    /* default ',' */
	char quote;  /* default '"' */
	char escape; /* default '\\'; may equal quote */
} csv_options;

/* A parsed record: field i is buf.data[off[i] .. off[i] + len[i]). */
typedef struct csv_record {
	strbuf buf;
	int n, cap;
	size_t *off, *len;
} csv_record;

void csv_record_free(csv_record *rec);

/*
 * Parse the record that starts with line (from r); a quoted field left
 * open at the end of the line continues on the next lines of the file.
 * 22P04 for a quote still open at the end of the file, 54000 for a record
 * longer than max_bytes.
 */
ferr *csv_parse_record(const csv_options *o, text_reader *r, const char *line, size_t len, size_t max_bytes,
                       csv_record *rec);

/* Append one field, quoted (quote and escape characters escaped), as OpenCSV's writer does. */
void csv_write_field(const csv_options *o, const char *p, size_t len, strbuf *out);

#endif
