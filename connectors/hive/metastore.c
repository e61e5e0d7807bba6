/*
 * metastore.c — Trino's file metastore: one directory per schema under
 * hive.metastore.catalog.dir with a .trinoSchema JSON file
 * (DatabaseMetadata), one directory per table under it with its own
 * .trinoSchema (TableMetadata: columns with Hive types, partition columns,
 * storage format, table type, external location, parameters), and one per
 * written partition ("k=v/.trinoSchema", PartitionMetadata). Also Hive
 * type names and partition directory escaping. Everything read here is
 * untrusted: a corrupt document is an error naming its file, never a crash.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/hive/hive_internal.h"

#define HIVE_MAX_METADATA_BYTES (16 << 20)

ferr *hive_check_name(const char *what, const char *name)
{
	if (!name || !*name || name[0] == '.' || name[0] == '_' || strchr(name, '/') ||
	    strchr(name, '\\'))
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid %s name \"%s\" for the hive connector",
		                what, name ? name : "");
	return NULL;
}

char *hive_schema_dir(const hive_catalog *c, const char *schema, arena *a)
{
	return arena_sprintf(a, "%s/%s", c->dir, schema);
}

char *hive_table_dir(const hive_catalog *c, const char *schema, const char *table, arena *a)
{
	return arena_sprintf(a, "%s/%s/%s", c->dir, schema, table);
}

ferr *hive_read_json(hive_catalog *c, const char *location, json_t **out)
{
	*out = NULL;
	fs_file *f;
	ferr *e = fs_open(c->fs, location, &f);
	if (e) {
		if (strcmp(e->sqlstate, SQLSTATE_UNDEFINED_FILE) == 0) {
			ferr_free(e);
			return NULL;
		}
		return e;
	}
	uint64_t size = fs_file_size(f);
	if (size > HIVE_MAX_METADATA_BYTES) {
		fs_close(f);
		return ferr_new(SQLSTATE_DATA_CORRUPTED, "hive metastore file '%s' is too large (%llu bytes)",
		                location, (unsigned long long)size);
	}
	char *buf = xmalloc(size + 1);
	e = size ? fs_read_at(f, 0, size, buf) : NULL;
	fs_close(f);
	if (e) {
		free(buf);
		return e;
	}
	json_error_t je;
	json_t *doc = json_loadb(buf, size, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!doc)
		return ferr_new(SQLSTATE_DATA_CORRUPTED, "hive metastore file '%s': invalid JSON at line %d: %s",
		                location, je.line, je.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return ferr_new(SQLSTATE_DATA_CORRUPTED, "hive metastore file '%s': not a JSON object", location);
	}
	*out = doc;
	return NULL;
}

ferr *hive_write_json(hive_catalog *c, const char *location, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) return ferr_new(SQLSTATE_INTERNAL_ERROR, "hive metastore: cannot encode '%s'", location);
	ferr *e = fs_put(c->fs, location, text, strlen(text));
	free(text);
	return e;
}

ferr *hive_ms_schema_exists(hive_catalog *c, const char *schema, bool *exists)
{
	*exists = false;
	if (hive_check_name("schema", schema)) return NULL; /* such a schema cannot exist */
	arena *a = arena_create(NULL, "hive schema");
	json_t *doc;
	ferr *e = hive_read_json(c, arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, hive_schema_dir(c, schema, a)), &doc);
	arena_destroy(a);
	TRY(e);
	*exists = doc != NULL;
	json_decref(doc);
	return NULL;
}

ferr *hive_ms_require_schema(hive_catalog *c, const char *schema)
{
	bool exists;
	TRY(hive_ms_schema_exists(c, schema, &exists));
	if (!exists)
		return ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "catalog '%s': schema \"%s\" does not exist", c->base.name,
		                schema);
	return NULL;
}

typedef struct list_ctx {
	size_t prefix_len;
	arena *a;
	int n, cap;
	const char **names;
} list_ctx;

static ferr *list_one(void *ctx, const fs_entry *e)
{
	list_ctx *l = ctx;
	const char *rel = e->location + l->prefix_len;
	const char *slash = strchr(rel, '/');
	if (!slash || slash == rel || strcmp(slash + 1, HIVE_SCHEMA_FILE) != 0) return NULL;
	if (l->n == l->cap) {
		int ncap = l->cap ? l->cap * 2 : 16;
		l->names = arena_realloc(l->a, l->names, sizeof *l->names * (size_t)l->cap, sizeof *l->names * (size_t)ncap);
		l->cap = ncap;
	}
	l->names[l->n++] = arena_strndup(l->a, rel, (size_t)(slash - rel));
	return NULL;
}

static int cmp_names(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

ferr *hive_ms_list(hive_catalog *c, const char *prefix, arena *a, int *n, const char ***names)
{
	list_ctx l = {0};
	l.a = a;
	char *p = arena_sprintf(a, "%s/", prefix);
	l.prefix_len = strlen(p);
	TRY(fs_list(c->fs, p, list_one, &l));
	if (l.n > 1) qsort(l.names, (size_t)l.n, sizeof *l.names, cmp_names);
	*n = l.n;
	*names = l.names ? l.names : arena_alloc(a, sizeof(char *));
	return NULL;
}

/* ---- Hive types ---- */

static bool type_args(const char *s, const char *name, int *a1, int *a2)
{
	size_t n = strlen(name);
	if (strncmp(s, name, n) != 0) return false;
	s += n;
	while (*s == ' ') s++;
	if (*s != '(') return false;
	char *end;
	long v1 = strtol(s + 1, &end, 10), v2 = -1;
	while (*end == ' ') end++;
	if (*end == ',') {
		v2 = strtol(end + 1, &end, 10);
		while (*end == ' ') end++;
	}
	if (*end != ')' || end[1] || v1 < 0 || v1 > 65535) return false;
	*a1 = (int)v1;
	*a2 = (int)v2;
	return true;
}

bool hive_type_parse(const char *name, ftype *out)
{
	char buf[128];
	size_t n = 0;
	while (*name == ' ') name++;
	for (; name[n] && n < sizeof buf - 1; n++) buf[n] = (char)tolower((unsigned char)name[n]);
	while (n && buf[n - 1] == ' ') n--;
	buf[n] = 0;
	static const struct {
		const char *name;
		type_id id;
	} simple[] = {
	    {"boolean", TYPE_BOOL},   {"tinyint", TYPE_INT2},   {"smallint", TYPE_INT2},
	    {"int", TYPE_INT4},       {"integer", TYPE_INT4},   {"bigint", TYPE_INT8},
	    {"float", TYPE_FLOAT4},   {"double", TYPE_FLOAT8},  {"double precision", TYPE_FLOAT8},
	    {"string", TYPE_TEXT},    {"date", TYPE_DATE},      {"timestamp", TYPE_TIMESTAMP},
	    {"binary", TYPE_BYTEA},
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
		if (strcmp(buf, simple[i].name) == 0) {
			*out = ftype_make(simple[i].id);
			return true;
		}
	int a1, a2;
	if (strcmp(buf, "decimal") == 0) {
		*out = ftype_numeric(10, 0);
		return true;
	}
	if (type_args(buf, "decimal", &a1, &a2)) {
		if (a2 < 0) a2 = 0;
		if (a1 < 1 || a1 > 38 || a2 > a1) return false;
		*out = ftype_numeric(a1, a2);
		return true;
	}
	if (type_args(buf, "varchar", &a1, &a2) && a2 < 0 && a1 >= 1) {
		*out = ftype_varchar(a1);
		return true;
	}
	if (type_args(buf, "char", &a1, &a2) && a2 < 0 && a1 >= 1) {
		*out = ftype_make(TYPE_BPCHAR);
		out->length = a1;
		return true;
	}
	/* nested types: the Parquet reader renders them as json */
	if (!strncmp(buf, "array<", 6) || !strncmp(buf, "map<", 4) || !strncmp(buf, "struct<", 7) ||
	    !strncmp(buf, "uniontype<", 10)) {
		*out = ftype_make(TYPE_JSON);
		return true;
	}
	return false;
}

ferr *hive_type_name(const char *column, ftype t, arena *a, const char **out)
{
	switch (t.id) {
	case TYPE_BOOL: *out = "boolean"; return NULL;
	case TYPE_INT2: *out = "smallint"; return NULL;
	case TYPE_INT4: *out = "int"; return NULL;
	case TYPE_INT8: *out = "bigint"; return NULL;
	case TYPE_FLOAT4: *out = "float"; return NULL;
	case TYPE_FLOAT8: *out = "double"; return NULL;
	case TYPE_TEXT: *out = "string"; return NULL;
	case TYPE_DATE: *out = "date"; return NULL;
	case TYPE_TIMESTAMP: *out = "timestamp"; return NULL;
	case TYPE_BYTEA: *out = "binary"; return NULL;
	case TYPE_VARCHAR:
		*out = t.length > 0 ? arena_sprintf(a, "varchar(%d)", t.length) : "string";
		return NULL;
	case TYPE_BPCHAR:
		*out = arena_sprintf(a, "char(%d)", t.length > 0 ? t.length : 1);
		return NULL;
	case TYPE_NUMERIC:
		/* unconstrained numeric: the widest decimal Hive has */
		*out = arena_sprintf(a, "decimal(%d,%d)", t.precision > 0 ? t.precision : 38, t.scale);
		return NULL;
	default: {
		strbuf sb = STRBUF_INIT;
		ftype_format(t, &sb);
		ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                   "hive connector: column \"%s\" has type %s, which Hive tables cannot store",
		                   column, sb.data ? sb.data : "?");
		sb_free(&sb);
		return e;
	}
	}
}

/* ---- partition names ---- */

/* Hive's FileUtils.escapePathName set. */
static bool must_escape(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f || strchr("\"#%'*/:=?\\{[]^", ch) != NULL;
}

void hive_escape_path(strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch && must_escape(ch)) sb_printf(out, "%%%02X", ch);
		else sb_putc(out, (char)ch);
	}
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

char *hive_unescape_path(const char *s, size_t len, arena *a)
{
	char *out = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int h, l;
		/* as Hive: a '%' not followed by two hex digits stays as it is */
		if (s[i] == '%' && i + 2 < len && (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0 && h * 16 + l != 0) {
			out[n++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = 0;
	return out;
}

/* ---- data files ---- */

typedef struct files_ctx {
	size_t prefix_len;
	hive_file_cb cb;
	void *ctx;
} files_ctx;

static ferr *files_one(void *ctx, const fs_entry *e)
{
	files_ctx *f = ctx;
	const char *rel = e->location + f->prefix_len;
	/* hidden files and directories (".staging", "_SUCCESS", temp files) are not data */
	for (const char *seg = rel; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
		if (*seg == '.' || *seg == '_') return NULL;
	return f->cb(f->ctx, e->location, e->size, rel);
}

ferr *hive_list_data_files(hive_catalog *c, const char *location, hive_file_cb cb, void *ctx)
{
	size_t n = strlen(location);
	char *prefix = xmalloc(n + 2);
	memcpy(prefix, location, n);
	prefix[n] = '/';
	prefix[n + 1] = 0;
	files_ctx f = {n + 1, cb, ctx};
	ferr *e = fs_list(c->fs, prefix, files_one, &f);
	free(prefix);
	return e;
}

/* ---- tables ---- */

hive_table *hive_table_new(arena *a, const char *schema, const char *table, int ndata, int npart,
                           const conn_column *cols, const char **hive_types, const char *location,
                           bool external, const char *format)
{
	hive_table *t = arena_zalloc(a, sizeof *t);
	int n = ndata + npart;
	t->base.schema = arena_strdup(a, schema);
	t->base.table = arena_strdup(a, table);
	t->base.ncols = n + HIVE_HIDDEN_COLUMNS;
	t->base.cols = arena_zalloc(a, sizeof *t->base.cols * (size_t)t->base.ncols);
	t->hive_types = arena_alloc(a, sizeof *t->hive_types * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		conn_column *cc = &t->base.cols[i];
		*cc = cols[i];
		cc->name = arena_strdup(a, cols[i].name);
		cc->comment = cols[i].comment ? arena_strdup(a, cols[i].comment) : NULL;
		cc->nullable = true;
		cc->hidden = false;
		t->hive_types[i] = arena_strdup(a, hive_types[i]);
	}
	t->base.cols[n] = (conn_column){.name = "$path", .type = ftype_varchar(-1), .nullable = false, .hidden = true};
	t->base.cols[n + 1] = (conn_column){.name = "$file_size", .type = ftype_make(TYPE_INT8), .hidden = true};
	size_t len = strlen(location);
	while (len > 1 && location[len - 1] == '/') len--;
	t->location = arena_strndup(a, location, len);
	t->external = external;
	t->format = arena_strdup(a, format);
	t->fmt = hive_format_of(format);
	hive_text_opts_default(&t->text);
	t->ndata = ndata;
	t->npart = npart;
	t->num_rows = -1;
	return t;
}

static ferr *corrupt(const char *loc, const char *what)
{
	return ferr_new(SQLSTATE_DATA_CORRUPTED, "hive metastore file '%s': %s", loc, what);
}

/* Columns of a dataColumns/partitionColumns array into cols/types from index *n on. */
static ferr *read_columns(json_t *arr, bool partition, const char *loc, arena *a, conn_column *cols,
                          const char **types, int *n)
{
	if (!json_is_array(arr))
		return corrupt(loc, partition ? "partitionColumns is not an array" : "dataColumns is not an array");
	size_t i;
	json_t *col;
	json_array_foreach(arr, i, col)
	{
		const char *name = json_string_value(json_object_get(col, "name"));
		const char *type = json_string_value(json_object_get(col, "type"));
		if (!name || !type || !*name) return corrupt(loc, "a column lacks its name or type");
		ftype t;
		if (!hive_type_parse(type, &t)) {
			if (!partition) continue; /* as Trino: columns of unknown types are not shown */
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			                "hive metastore file '%s': partition column \"%s\" has unsupported type %s", loc,
			                name, type);
		}
		for (int j = 0; j < *n; j++)
			if (strcasecmp(cols[j].name, name) == 0) return corrupt(loc, "duplicate column name");
		const char *comment = json_string_value(json_object_get(col, "comment"));
		cols[*n] = (conn_column){.name = arena_strdup(a, name), .type = t, .nullable = true,
		                         .comment = comment ? arena_strdup(a, comment) : NULL};
		types[(*n)++] = arena_strdup(a, type);
	}
	return NULL;
}

/* PARQUET, or what the original storage format's input format names. */
static const char *table_format(json_t *doc, arena *a)
{
	const char *f = json_string_value(json_object_get(doc, "storageFormat"));
	if (f) return arena_strdup(a, f);
	json_t *orig = json_object_get(doc, "originalStorageFormat");
	const char *input = json_string_value(json_object_get(orig, "inputFormat"));
	if (input && strstr(input, "parquet")) return "PARQUET";
	const char *serde = json_string_value(json_object_get(orig, "serDe"));
	if (serde && strstr(serde, "OpenCSVSerde")) return "CSV";
	if (serde && strstr(serde, "JsonSerDe")) return "JSON";
	if (serde && strstr(serde, "LazySimpleSerDe") && input && strstr(input, "TextInputFormat")) return "TEXTFILE";
	return input ? arena_strdup(a, input) : "UNKNOWN";
}

ferr *hive_ms_get_table(hive_catalog *c, const char *schema, const char *table, arena *a, hive_table **out)
{
	*out = NULL;
	if (hive_check_name("schema", schema) || hive_check_name("table", table)) return NULL;
	const char *dir = hive_table_dir(c, schema, table, a);
	const char *loc = arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, dir);
	json_t *doc;
	TRY(hive_read_json(c, loc, &doc));
	if (!doc) return NULL;
	ferr *e = NULL;
	const char *type = json_string_value(json_object_get(doc, "tableType"));
	json_t *data = json_object_get(doc, "dataColumns"), *part = json_object_get(doc, "partitionColumns");
	json_t *params = json_object_get(doc, "parameters");
	if (!type) {
		e = corrupt(loc, "tableType is missing");
		goto done;
	}
	if (strcmp(type, "VIRTUAL_VIEW") == 0 || strcmp(type, "MATERIALIZED_VIEW") == 0) {
		e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "hive table %s.%s is a view, which Ferry cannot read yet",
		             schema, table);
		goto done;
	}
	bool external = strcmp(type, "EXTERNAL_TABLE") == 0;
	if (!external && strcmp(type, "MANAGED_TABLE") != 0) {
		e = corrupt(loc, "tableType is neither MANAGED_TABLE nor EXTERNAL_TABLE");
		goto done;
	}
	size_t max = json_array_size(data) + json_array_size(part);
	conn_column *cols = arena_zalloc(a, sizeof *cols * (max ? max : 1));
	const char **types = arena_alloc(a, sizeof *types * (max ? max : 1));
	int ndata = 0, n = 0;
	if ((e = read_columns(data, false, loc, a, cols, types, &n))) goto done;
	ndata = n;
	if (part && !json_is_null(part) && (e = read_columns(part, true, loc, a, cols, types, &n))) goto done;
	const char *location = json_string_value(json_object_get(doc, "externalLocation"));
	if (external && !location) {
		e = corrupt(loc, "an EXTERNAL_TABLE needs externalLocation");
		goto done;
	}
	if (!location) location = json_string_value(json_object_get(params, "location"));
	if (!location) location = dir;
	hive_table *t = hive_table_new(a, schema, table, ndata, n - ndata, cols, types, location, external,
	                               table_format(doc, a));
	if ((e = hive_text_opts_read(doc, loc, &t->text, a))) goto done;
	const char *rows = json_string_value(json_object_get(params, "numRows"));
	if (rows) {
		char *end;
		double v = strtod(rows, &end);
		if (*end == 0 && v >= 0) t->num_rows = v;
	}
	/* column statistics count for the planner only with the row count they describe */
	json_t *cs = json_object_get(doc, "columnStatistics");
	if (t->num_rows >= 0 && json_is_object(cs) && json_object_size(cs) > 0) {
		t->col_stats = arena_alloc(a, sizeof *t->col_stats * (size_t)t->base.ncols);
		for (int i = 0; i < t->base.ncols; i++)
			hive_col_stats_from_json(i < t->ndata ? json_object_get(cs, t->base.cols[i].name) : NULL,
			                         t->base.cols[i].type, t->num_rows, a, &t->col_stats[i]);
	}
	*out = t;
done:
	json_decref(doc);
	return e;
}

static json_t *columns_json(const hive_table *t, int from, int to)
{
	json_t *arr = json_array();
	for (int i = from; i < to; i++) {
		json_t *col = json_pack("{s:s,s:s}", "name", t->base.cols[i].name, "type", t->hive_types[i]);
		if (t->base.cols[i].comment) json_object_set_new(col, "comment", json_string(t->base.cols[i].comment));
		json_object_set_new(col, "properties", json_object());
		json_array_append_new(arr, col);
	}
	return arr;
}

json_t *hive_ms_table_json(const hive_table *t, const char *default_location)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "writerVersion", json_string(HIVE_WRITER_VERSION));
	json_object_set_new(doc, "owner", json_string("ferry"));
	json_object_set_new(doc, "tableType", json_string(t->external ? "EXTERNAL_TABLE" : "MANAGED_TABLE"));
	json_object_set_new(doc, "dataColumns", columns_json(t, 0, t->ndata));
	json_object_set_new(doc, "partitionColumns", columns_json(t, t->ndata, t->ndata + t->npart));
	json_t *params = json_object();
	if (!t->external && strcmp(t->location, default_location) != 0)
		json_object_set_new(params, "location", json_string(t->location));
	if (t->num_rows >= 0) json_object_set_new(params, "numRows", json_sprintf("%.0f", t->num_rows));
	if (t->stats_src) hive_sketches_record(params, NULL, t, t->stats_src, false, -1);
	json_t *serde = json_object();
	hive_text_opts_write(t, serde, params);
	json_object_set_new(doc, "parameters", params);
	json_object_set_new(doc, "storageFormat", json_string(t->format));
	json_object_set_new(doc, "serdeParameters", serde);
	if (t->external) json_object_set_new(doc, "externalLocation", json_string(t->location));
	json_object_set_new(doc, "columnStatistics", t->stats_json ? json_deep_copy(t->stats_json) : json_object());
	return doc;
}

json_t *hive_ms_partition_json(const hive_table *t, const char *location)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "columns", columns_json(t, 0, t->ndata));
	json_t *serde = json_object();
	hive_text_opts_write(t, serde, NULL);
	json_object_set_new(doc, "parameters", json_object());
	json_object_set_new(doc, "storageFormat", json_string(t->format));
	json_object_set_new(doc, "serdeParameters", serde);
	if (t->external) json_object_set_new(doc, "externalLocation", json_string(location));
	json_object_set_new(doc, "columnStatistics", json_object());
	return doc;
}
