/*
 * hive_text.c — the hive connector's text formats: CSV (OpenCSVSerde),
 * TEXTFILE (LazySimpleSerDe) and JSON (JsonSerDe). Table properties and
 * their metastore names, the page source (lines of a split into batches,
 * values parsed from text as Hive does) and the file writer. The syntax
 * itself lives in formats/text, formats/csv and formats/json.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/hive/hive_internal.h"
#include "formats/csv/csv.h"
#include "formats/json/json.h"
#include "formats/parquet/parquet.h"
#include "formats/text/text.h"

#define HIVE_TEXT_FLUSH_BYTES (1u << 20)

/* Metastore names (Hive's serde constants, Trino's HiveMetadata). */
#define CSV_SEPARATOR_KEY "separatorChar"
#define CSV_QUOTE_KEY "quoteChar"
#define CSV_ESCAPE_KEY "escapeChar"
#define FIELD_DELIM_KEY "field.delim"
#define SERIALIZATION_FORMAT_KEY "serialization.format"
#define ESCAPE_DELIM_KEY "escape.delim"
#define NULL_FORMAT_KEY "serialization.null.format"
#define SKIP_HEADER_KEY "skip.header.line.count"
#define SKIP_FOOTER_KEY "skip.footer.line.count"

/* Table properties, bits of the "seen" mask. */
enum {
	P_CSV_SEPARATOR = 1,
	P_CSV_QUOTE = 2,
	P_CSV_ESCAPE = 4,
	P_TEXT_SEPARATOR = 8,
	P_TEXT_ESCAPE = 16,
	P_NULL_FORMAT = 32,
	P_SKIP_HEADER = 64,
	P_SKIP_FOOTER = 128,
};

static const struct {
	const char *name;
	unsigned bit;
	unsigned formats; /* bits (1 << hive_format) the property applies to */
} text_props[] = {
	{"csv_separator", P_CSV_SEPARATOR, 1u << HIVE_FMT_CSV},
	{"csv_quote", P_CSV_QUOTE, 1u << HIVE_FMT_CSV},
	{"csv_escape", P_CSV_ESCAPE, 1u << HIVE_FMT_CSV},
	{"textfile_field_separator", P_TEXT_SEPARATOR, 1u << HIVE_FMT_TEXTFILE},
	{"textfile_field_separator_escape", P_TEXT_ESCAPE, 1u << HIVE_FMT_TEXTFILE},
	{"null_format", P_NULL_FORMAT, 1u << HIVE_FMT_TEXTFILE},
	{"skip_header_line_count", P_SKIP_HEADER, (1u << HIVE_FMT_CSV) | (1u << HIVE_FMT_TEXTFILE)},
	{"skip_footer_line_count", P_SKIP_FOOTER, (1u << HIVE_FMT_CSV) | (1u << HIVE_FMT_TEXTFILE)},
};

hive_format hive_format_of(const char *name)
{
	if (strcasecmp(name, "PARQUET") == 0) return HIVE_FMT_PARQUET;
	if (strcasecmp(name, "CSV") == 0) return HIVE_FMT_CSV;
	if (strcasecmp(name, "TEXTFILE") == 0) return HIVE_FMT_TEXTFILE;
	if (strcasecmp(name, "JSON") == 0) return HIVE_FMT_JSON;
	return HIVE_FMT_OTHER;
}

void hive_text_opts_default(hive_text_opts *o)
{
	*o = (hive_text_opts){.csv_sep = ',', .csv_quote = '"', .csv_escape = '\\', .field_sep = '\001',
	                      .field_escape = -1, .null_format = "\\N"};
}

/* ---- properties ---- */

static ferr *one_char(const char *what, const char *v, char *out)
{
	if (strlen(v) != 1)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "%s must be a single character string, but was: '%s'",
		                what, v);
	*out = v[0];
	return NULL;
}

static ferr *line_count(const char *what, const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > 10000)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "Invalid value for %s property: %s", what, v);
	*out = (int)n;
	return NULL;
}

ferr *hive_text_table_property(const char *k, const char *v, hive_text_opts *o, arena *a, bool *handled,
                               unsigned *seen)
{
	*handled = false;
	unsigned bit = 0;
	for (size_t i = 0; i < sizeof text_props / sizeof *text_props; i++)
		if (strcmp(k, text_props[i].name) == 0) bit = text_props[i].bit;
	if (!bit) return NULL;
	*handled = true;
	*seen |= bit;
	char c = 0;
	switch (bit) {
	case P_CSV_SEPARATOR: return one_char(k, v, &o->csv_sep);
	case P_CSV_QUOTE: return one_char(k, v, &o->csv_quote);
	case P_CSV_ESCAPE: return one_char(k, v, &o->csv_escape);
	case P_TEXT_SEPARATOR: return one_char(k, v, &o->field_sep);
	case P_TEXT_ESCAPE:
		TRY(one_char(k, v, &c));
		o->field_escape = (unsigned char)c;
		return NULL;
	case P_NULL_FORMAT: o->null_format = arena_strdup(a, v); return NULL;
	case P_SKIP_HEADER: return line_count(k, v, &o->skip_header);
	default: return line_count(k, v, &o->skip_footer);
	}
}

ferr *hive_text_check_table(const hive_table *t, unsigned seen)
{
	for (size_t i = 0; i < sizeof text_props / sizeof *text_props; i++)
		if ((seen & text_props[i].bit) && !(text_props[i].formats & (1u << t->fmt)))
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			                "Cannot specify %s table property for storage format: %s", text_props[i].name,
			                t->format);
	if (t->fmt != HIVE_FMT_CSV) return NULL;
	/* as Trino: CSV stores strings only (partition keys may be anything) */
	strbuf bad = STRBUF_INIT;
	for (int i = 0; i < t->ndata; i++) {
		ftype ty = t->base.cols[i].type;
		if (ty.id == TYPE_TEXT || (ty.id == TYPE_VARCHAR && ty.length < 0)) continue;
		sb_printf(&bad, "%s%s ", bad.len ? ", " : "", t->base.cols[i].name);
		ftype_format(ty, &bad);
	}
	if (!bad.len) return NULL;
	ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
	                   "Hive CSV storage format only supports VARCHAR (unbounded). Unsupported columns: %s",
	                   bad.data);
	sb_free(&bad);
	return e;
}

ferr *hive_text_check_insert(const hive_table *t)
{
	if (t->fmt != HIVE_FMT_CSV && t->fmt != HIVE_FMT_TEXTFILE) return NULL;
	if (t->text.skip_header > 1)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "Inserting into Hive table with value of skip.header.line.count property greater than 1 "
		                "is not supported");
	if (t->text.skip_footer > 0)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "Inserting into Hive table with skip.footer.line.count property not supported");
	return NULL;
}

/* ---- the metastore's names ---- */

static ferr *opt_char(json_t *obj, const char *key, const char *loc, char *out)
{
	const char *v = json_string_value(json_object_get(obj, key));
	if (!v) return NULL;
	if (strlen(v) != 1)
		return ferr_new(SQLSTATE_DATA_CORRUPTED, "hive metastore file '%s': %s must be one character, not '%s'", loc,
		                key, v);
	*out = v[0];
	return NULL;
}

static ferr *opt_count(json_t *obj, const char *key, const char *loc, int *out)
{
	const char *v = json_string_value(json_object_get(obj, key));
	if (!v) return NULL;
	ferr *e = line_count(key, v, out);
	return e ? ferr_prefix(e, "hive metastore file '%s'", loc) : NULL;
}

ferr *hive_text_opts_read(json_t *doc, const char *loc, hive_text_opts *o, arena *a)
{
	hive_text_opts_default(o);
	json_t *serde = json_object_get(doc, "serdeParameters"), *params = json_object_get(doc, "parameters");
	TRY(opt_char(serde, CSV_SEPARATOR_KEY, loc, &o->csv_sep));
	TRY(opt_char(serde, CSV_QUOTE_KEY, loc, &o->csv_quote));
	TRY(opt_char(serde, CSV_ESCAPE_KEY, loc, &o->csv_escape));
	/* Hive falls back on serialization.format for the field delimiter */
	const char *delim = json_string_value(json_object_get(serde, FIELD_DELIM_KEY));
	if (!delim) delim = json_string_value(json_object_get(serde, SERIALIZATION_FORMAT_KEY));
	if (delim && *delim) {
		char *end;
		long n = strtol(delim, &end, 10); /* Hive also accepts the byte's number ("1") */
		o->field_sep = strlen(delim) > 1 && !*end && n >= 0 && n < 128 ? (char)n : delim[0];
	}
	char esc = 0;
	TRY(opt_char(serde, ESCAPE_DELIM_KEY, loc, &esc));
	if (esc) o->field_escape = (unsigned char)esc;
	const char *nf = json_string_value(json_object_get(serde, NULL_FORMAT_KEY));
	if (nf) o->null_format = arena_strdup(a, nf);
	TRY(opt_count(params, SKIP_HEADER_KEY, loc, &o->skip_header));
	return opt_count(params, SKIP_FOOTER_KEY, loc, &o->skip_footer);
}

void hive_text_opts_write(const hive_table *t, json_t *serde, json_t *params)
{
	const hive_text_opts *o = &t->text;
	char one[2] = {0, 0};
	if (t->fmt == HIVE_FMT_CSV) {
		one[0] = o->csv_sep;
		json_object_set_new(serde, CSV_SEPARATOR_KEY, json_string(one));
		one[0] = o->csv_quote;
		json_object_set_new(serde, CSV_QUOTE_KEY, json_string(one));
		one[0] = o->csv_escape;
		json_object_set_new(serde, CSV_ESCAPE_KEY, json_string(one));
	} else if (t->fmt == HIVE_FMT_TEXTFILE) {
		one[0] = o->field_sep;
		json_object_set_new(serde, FIELD_DELIM_KEY, json_string(one));
		json_object_set_new(serde, SERIALIZATION_FORMAT_KEY, json_string(one));
		if (o->field_escape >= 0) {
			one[0] = (char)o->field_escape;
			json_object_set_new(serde, ESCAPE_DELIM_KEY, json_string(one));
		}
		json_object_set_new(serde, NULL_FORMAT_KEY, json_string(o->null_format));
	}
	if (!params) return;
	if (o->skip_header) json_object_set_new(params, SKIP_HEADER_KEY, json_sprintf("%d", o->skip_header));
	if (o->skip_footer) json_object_set_new(params, SKIP_FOOTER_KEY, json_sprintf("%d", o->skip_footer));
}

bool hive_text_splittable(const hive_table *t, const char *path)
{
	/* a CSV record may span lines, so a split could start inside a quoted field */
	return (t->fmt == HIVE_FMT_TEXTFILE || t->fmt == HIVE_FMT_JSON) && !t->text.skip_header &&
	       !t->text.skip_footer && text_codec_for_path(path) == TEXT_CODEC_NONE;
}

/* ---- reading ---- */

typedef struct text_source {
	conn_page_source base;
	const hive_table *t;
	const char *path;
	fs_file *file;
	text_reader *r;
	int ncols;
	ftype *types;
	int *data_col;   /* per output column: the data column it reads, -1 constant */
	fvalue *consts;
	int *out_of;     /* per data column: the output column reading it, -1 none */
	int nfields;     /* fields needed by position: 1 + the last data column read */
	text_field *fields;
	text_serde serde;
	csv_options csv;
	csv_record rec;
	strbuf tmp;
	/* the batch being filled (JSON member callback) */
	batch *b;
	arena *a;
	int row;
	ferr *err;
	bool done;
} text_source;

static ferr *bad_value(text_source *s, int col, const char *what)
{
	return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "hive table %s.%s: file '%s' line %lld, column %s: %s",
	                s->t->base.schema, s->t->base.table, s->path, (long long)text_reader_line(s->r),
	                s->t->base.cols[col].name, what);
}

/* A value stored after put_null must be visible again: set its validity bit. */
static void mark_valid(vector *v, int row)
{
	if (v->validity) v->validity[row >> 6] |= (uint64_t)1 << (row & 63);
}

/* Truncate to n characters (Hive cuts over-long varchar(n)/char(n) values). */
static size_t char_prefix(const char *p, size_t len, int n)
{
	if (n < 0) return len;
	size_t i = 0;
	for (int k = 0; k < n && i < len; k++) {
		i++;
		while (i < len && ((unsigned char)p[i] & 0xc0) == 0x80) i++;
	}
	return i;
}

/*
 * Store text p as the value of output column o in the current row.
 * strict: an unparsable value is an error (JSON) instead of NULL (Hive's
 * LazySimpleSerDe).
 */
static ferr *put_text(text_source *s, int o, const char *p, size_t len, bool strict)
{
	vector *v = &s->b->cols[o];
	ftype ty = s->types[o];
	int row = s->row, col = s->data_col[o];
	mark_valid(v, row); /* JSON rows start all-null */
	if (hive_is_string(ty.id) || ty.id == TYPE_JSON) {
		size_t bad = text_utf8_invalid_at(p, len);
		if (bad < len)
			return ferr_new(SQLSTATE_CHARACTER_NOT_IN_REPERTOIRE,
			                "hive table %s.%s: file '%s' line %lld, column %s: invalid byte sequence for "
			                "encoding \"UTF8\": 0x%02x",
			                s->t->base.schema, s->t->base.table, s->path, (long long)text_reader_line(s->r),
			                s->t->base.cols[col].name, (unsigned char)p[bad]);
		if (ty.id != TYPE_JSON) len = char_prefix(p, len, ty.length);
		vector_set_string(v, s->a, row, p, (uint32_t)len);
		return NULL;
	}
	if (ty.id == TYPE_BOOL) {
		bool t = len == 4 && strncasecmp(p, "true", 4) == 0, f = len == 5 && strncasecmp(p, "false", 5) == 0;
		if (t || f) {
			*(bool *)vector_at(v, row) = t;
			return NULL;
		}
	} else if (ty.id == TYPE_BYTEA) {
		strbuf raw = STRBUF_INIT;
		if (!text_base64_decode(p, len, &raw)) { /* Hive: not base64, then the bytes themselves */
			sb_reset(&raw);
			sb_append(&raw, p, len);
		}
		vector_set_string(v, s->a, row, raw.data ? raw.data : "", (uint32_t)raw.len);
		sb_free(&raw);
		return NULL;
	} else {
		ferr *e = value_in_text(ty, p, len, s->a, vector_at(v, row));
		if (!e) return NULL;
		if (strict) {
			ferr *w = bad_value(s, col, e->message);
			ferr_free(e);
			return w;
		}
		ferr_free(e);
	}
	if (strict) return bad_value(s, col, "not a valid value of the column's type");
	vector_set_null(v, s->a, row, s->b->capacity);
	return NULL;
}

static void put_null(text_source *s, int o) { vector_set_null(&s->b->cols[o], s->a, s->row, s->b->capacity); }

static ferr *row_textfile(text_source *s, const char *line, size_t len)
{
	int n = text_split_fields(&s->serde, line, len, s->fields, s->nfields);
	for (int o = 0; o < s->ncols; o++) {
		int d = s->data_col[o];
		if (d < 0) continue;
		const text_field *f = &s->fields[d];
		if (d >= n || text_field_is_null(&s->serde, f)) {
			put_null(s, o);
			continue;
		}
		const char *p = f->p;
		size_t flen = f->len;
		if (f->escaped) {
			sb_reset(&s->tmp);
			text_unescape(&s->serde, f, &s->tmp);
			p = s->tmp.data ? s->tmp.data : "";
			flen = s->tmp.len;
		}
		TRY(put_text(s, o, p, flen, false));
	}
	return NULL;
}

static ferr *row_csv(text_source *s, const char *line, size_t len)
{
	TRY(csv_parse_record(&s->csv, s->r, line, len, TEXT_DEFAULT_MAX_LINE, &s->rec));
	for (int o = 0; o < s->ncols; o++) {
		int d = s->data_col[o];
		if (d < 0) continue;
		if (d >= s->rec.n) put_null(s, o);
		else TRY(put_text(s, o, s->rec.buf.data + s->rec.off[d], s->rec.len[d], false));
	}
	return NULL;
}

/* One JSON member: the columns of that name (case-insensitive) get its value. */
static int json_member(void *ctx, const jsonl_member *m)
{
	text_source *s = ctx;
	const hive_table *t = s->t;
	int d = -1;
	for (int i = 0; i < t->ndata && d < 0; i++) {
		const char *name = t->base.cols[i].name;
		if (strlen(name) == m->key_len && strncasecmp(name, m->key, m->key_len) == 0) d = i;
	}
	if (d < 0) { /* an escaped key: compare its unescaped text */
		if (!memchr(m->key, '\\', m->key_len)) return 0;
		sb_reset(&s->tmp);
		if (!jsonl_unescape(m->key, m->key_len, &s->tmp)) return 0;
		for (int i = 0; i < t->ndata && d < 0; i++)
			if (s->tmp.data && strcasecmp(t->base.cols[i].name, s->tmp.data) == 0) d = i;
	}
	if (d < 0 || s->out_of[d] < 0) return 0;
	int o = s->out_of[d];
	ftype ty = s->types[o];
	bool textual = hive_is_string(ty.id) || ty.id == TYPE_JSON;
	switch (m->kind) {
	case JSONL_NULL: put_null(s, o); return 0;
	case JSONL_STRING:
		sb_reset(&s->tmp);
		if (!jsonl_unescape(m->val, m->val_len, &s->tmp)) {
			s->err = bad_value(s, d, "invalid escape in a JSON string");
			return 1;
		}
		if (ty.id == TYPE_JSON) s->err = put_text(s, o, m->val - 1, m->val_len + 2, true);
		else s->err = put_text(s, o, s->tmp.data ? s->tmp.data : "", s->tmp.len, true);
		break;
	case JSONL_NESTED:
		if (!textual) {
			s->err = bad_value(s, d, "a JSON object or array for a scalar column");
			return 1;
		}
		s->err = put_text(s, o, m->val, m->val_len, true);
		break;
	case JSONL_TRUE:
	case JSONL_FALSE:
		if (!textual && ty.id != TYPE_BOOL) {
			s->err = bad_value(s, d, "a JSON boolean for a column that is not boolean");
			return 1;
		}
		s->err = put_text(s, o, m->val, m->val_len, true);
		break;
	default:
		if (ty.id == TYPE_BOOL) {
			s->err = bad_value(s, d, "a JSON number for a boolean column");
			return 1;
		}
		s->err = put_text(s, o, m->val, m->val_len, true);
		break;
	}
	return s->err ? 1 : 0;
}

static ferr *row_json(text_source *s, const char *line, size_t len)
{
	/* columns not in the object are NULL: start from all-null, values set validity back */
	for (int o = 0; o < s->ncols; o++)
		if (s->data_col[o] >= 0) put_null(s, o);
	int rc;
	size_t at;
	const char *err = jsonl_parse_object(line, len, json_member, s, &rc, &at);
	if (rc) return s->err;
	if (err)
		return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "hive table %s.%s: file '%s' line %lld: %s at byte %zu",
		                s->t->base.schema, s->t->base.table, s->path, (long long)text_reader_line(s->r), err,
		                at + 1);
	return NULL;
}

static ferr *text_next(conn_page_source *src, arena *a, batch **out)
{
	text_source *s = (text_source *)src;
	*out = NULL;
	if (s->done) return NULL;
	s->a = a;
	s->b = batch_create(a, s->ncols, s->types, BATCH_CAPACITY);
	s->b->count = 0;
	hive_format fmt = s->t->fmt;
	while (s->b->count < BATCH_CAPACITY) {
		const char *line;
		size_t len;
		TRY(text_reader_next(s->r, &line, &len));
		if (!line) {
			s->done = true;
			break;
		}
		s->row = s->b->count;
		if (fmt == HIVE_FMT_JSON) {
			if (jsonl_blank(line, len)) continue;
			TRY(row_json(s, line, len));
		} else if (fmt == HIVE_FMT_CSV) {
			TRY(row_csv(s, line, len));
		} else {
			TRY(row_textfile(s, line, len));
		}
		s->b->count++;
	}
	for (int o = 0; o < s->ncols; o++)
		if (s->data_col[o] < 0) hive_const_vector(&s->b->cols[o], a, s->types[o], &s->consts[o]);
	if (s->b->count == 0 && s->done) return NULL;
	*out = s->b;
	return NULL;
}

static void text_close(conn_page_source *src)
{
	text_source *s = (text_source *)src;
	text_reader_close(s->r);
	s->r = NULL;
	if (s->file) fs_close(s->file);
	s->file = NULL;
	csv_record_free(&s->rec);
	sb_free(&s->tmp);
	free(s->fields);
	s->fields = NULL;
}

static int64_t text_bytes_read(conn_page_source *src)
{
	text_source *s = (text_source *)src;
	return s->r ? (int64_t)text_reader_bytes_read(s->r) : 0;
}

static const conn_page_source_ops text_source_ops = {text_next, text_close, text_bytes_read};

ferr *hive_text_open_source(hive_catalog *c, const hive_table *t, const hive_split *sp, int ncols, const int *cols,
                            arena *a, conn_page_source **out)
{
	*out = NULL;
	text_source *s = arena_zalloc(a, sizeof *s);
	s->base.ops = &text_source_ops;
	s->t = t;
	s->path = sp->path;
	s->ncols = ncols;
	s->types = arena_alloc(a, sizeof *s->types * (size_t)(ncols ? ncols : 1));
	s->data_col = arena_alloc(a, sizeof *s->data_col * (size_t)(ncols ? ncols : 1));
	s->consts = arena_zalloc(a, sizeof *s->consts * (size_t)(ncols ? ncols : 1));
	s->out_of = arena_alloc(a, sizeof *s->out_of * (size_t)(t->ndata ? t->ndata : 1));
	for (int i = 0; i < t->ndata; i++) s->out_of[i] = -1;
	for (int i = 0; i < ncols; i++) {
		int k = cols[i];
		if (k < 0 || k >= t->base.ncols)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "hive table %s.%s: no column %d", t->base.schema,
			                t->base.table, k);
		s->types[i] = t->base.cols[k].type;
		s->data_col[i] = hive_const_column(t, sp, k, &s->consts[i]) ? -1 : k;
		if (k < t->ndata) {
			s->out_of[k] = i;
			if (k + 1 > s->nfields) s->nfields = k + 1;
		}
	}
	s->serde = (text_serde){t->text.field_sep, t->text.field_escape, t->text.null_format};
	s->csv = (csv_options){t->text.csv_sep, t->text.csv_quote, t->text.csv_escape};
	s->fields = xmalloc(sizeof *s->fields * (size_t)(s->nfields ? s->nfields : 1));
	text_reader_options opt = {.start = sp->start, .end = sp->end, .skip_header = t->text.skip_header,
	                           .skip_footer = t->text.skip_footer};
	ferr *e = fs_open_sized(c->fs, sp->path, sp->size, &s->file);
	if (!e) {
		text_input in = {.name = sp->path, .size = sp->size, .ctx = s->file, .read_at = fs_read_at_cb};
		e = text_reader_open(&in, text_codec_for_path(sp->path), &opt, &s->r);
	}
	if (e) {
		text_close(&s->base);
		return e;
	}
	*out = &s->base;
	return NULL;
}

/* ---- writing ---- */

struct hive_text_writer {
	const hive_table *t;
	parquet_output out;
	strbuf buf, val;
	fmt_settings fmt;
	text_serde serde;
	csv_options csv;
};

static ferr *flush(hive_text_writer *w)
{
	if (!w->buf.len) return NULL;
	ferr *e = w->out.write(w->out.ctx, w->buf.data, w->buf.len);
	sb_reset(&w->buf);
	return e;
}

static void writer_free(hive_text_writer *w)
{
	sb_free(&w->buf);
	sb_free(&w->val);
	free(w);
}

static void header_line(hive_text_writer *w)
{
	const hive_table *t = w->t;
	for (int i = 0; i < t->ndata; i++) {
		const char *name = t->base.cols[i].name;
		if (t->fmt == HIVE_FMT_CSV) {
			if (i) sb_putc(&w->buf, w->csv.sep);
			csv_write_field(&w->csv, name, strlen(name), &w->buf);
		} else {
			if (i) sb_putc(&w->buf, w->serde.sep);
			text_escape(&w->serde, name, strlen(name), &w->buf);
		}
	}
	sb_putc(&w->buf, '\n');
}

ferr *hive_text_writer_open(const hive_table *t, const parquet_output *out, hive_text_writer **wout)
{
	hive_text_writer *w = xcalloc(1, sizeof *w);
	w->t = t;
	w->out = *out;
	fmt_settings_default(&w->fmt);
	w->serde = (text_serde){t->text.field_sep, t->text.field_escape, t->text.null_format};
	w->csv = (csv_options){t->text.csv_sep, t->text.csv_quote, t->text.csv_escape};
	if (t->text.skip_header == 1) header_line(w);
	*wout = w;
	return NULL;
}

/* A value as Hive writes it in text: booleans true/false, binary in base64, else PostgreSQL's text. */
static void value_text(hive_text_writer *w, ftype ty, const void *p, strbuf *out)
{
	if (ty.id == TYPE_BOOL) {
		sb_puts(out, *(const bool *)p ? "true" : "false");
	} else if (ty.id == TYPE_BYTEA) {
		const fstring *fs = p;
		text_base64_encode((const uint8_t *)fs->ptr, fs->len, out);
	} else {
		value_out_text(ty, p, &w->fmt, out);
	}
}

static bool json_number(ftype ty, const strbuf *v)
{
	if (ty.id == TYPE_INT2 || ty.id == TYPE_INT4 || ty.id == TYPE_INT8 || ty.id == TYPE_NUMERIC) return true;
	if (ty.id != TYPE_FLOAT4 && ty.id != TYPE_FLOAT8) return false;
	return v->len && (v->data[0] == '-' || (v->data[0] >= '0' && v->data[0] <= '9')) &&
	       !strchr(v->data, 'I') && !strchr(v->data, 'N');
}

static void write_row(hive_text_writer *w, const batch *b, int row)
{
	const hive_table *t = w->t;
	if (t->fmt == HIVE_FMT_JSON) sb_putc(&w->buf, '{');
	for (int i = 0; i < t->ndata; i++) {
		const vector *v = &b->cols[i];
		ftype ty = v->type;
		bool null = vector_is_null(v, row);
		sb_reset(&w->val);
		if (!null) value_text(w, ty, vector_at(v, row), &w->val);
		sb_putc(&w->val, 0);
		w->val.len--;
		switch (t->fmt) {
		case HIVE_FMT_JSON:
			if (i) sb_putc(&w->buf, ',');
			jsonl_write_string(t->base.cols[i].name, strlen(t->base.cols[i].name), &w->buf);
			sb_putc(&w->buf, ':');
			if (null) sb_puts(&w->buf, "null");
			else if (ty.id == TYPE_BOOL || ty.id == TYPE_JSON || ty.id == TYPE_JSONB || json_number(ty, &w->val))
				sb_append(&w->buf, w->val.data, w->val.len);
			else jsonl_write_string(w->val.data, w->val.len, &w->buf);
			break;
		case HIVE_FMT_CSV:
			if (i) sb_putc(&w->buf, w->csv.sep);
			if (!null) csv_write_field(&w->csv, w->val.data, w->val.len, &w->buf);
			break;
		default:
			if (i) sb_putc(&w->buf, w->serde.sep);
			if (null) sb_puts(&w->buf, w->serde.null_format);
			else text_escape(&w->serde, w->val.data, w->val.len, &w->buf);
			break;
		}
	}
	if (t->fmt == HIVE_FMT_JSON) sb_putc(&w->buf, '}');
	sb_putc(&w->buf, '\n');
}

ferr *hive_text_writer_write_batch(hive_text_writer *w, const batch *b)
{
	for (int i = 0; i < b->count; i++) {
		write_row(w, b, batch_row(b, i));
		if (w->buf.len >= HIVE_TEXT_FLUSH_BYTES) TRY(flush(w));
	}
	return NULL;
}

ferr *hive_text_writer_close(hive_text_writer *w)
{
	ferr *e = flush(w);
	if (e) w->out.abort(w->out.ctx);
	else e = w->out.commit(w->out.ctx);
	writer_free(w);
	return e;
}

void hive_text_writer_abort(hive_text_writer *w)
{
	w->out.abort(w->out.ctx);
	writer_free(w);
}
