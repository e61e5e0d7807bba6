/*
 * settings.c — table of the PostgreSQL settings clients send or read, each
 * with default, kind and validation (see settings.h).
 * Must never accept a value PostgreSQL would reject for a setting clients
 * parse (DateStyle, client_encoding...): drivers trust what they read back.
 */
#include "gateway/settings.h"
#include "gateway/version.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "exec/types.h"

typedef enum setting_kind {
	SK_STRING,
	SK_BOOL,
	SK_INT,
	SK_MS,
	SK_ENUM,
	SK_ENCODING,
	SK_DATESTYLE, /* "Postgres, MDY": parsed against the current value (exec/types.h) */
	SK_TIMEZONE,  /* zoneinfo name, hours east or POSIX zone (tz_session_canonical) */
} setting_kind;

#define SF_REPORT 1   /* GUC_REPORT: ParameterStatus on change */
#define SF_READONLY 2 /* PGC_INTERNAL: SHOW only */

typedef struct setting_def {
	const char *name;
	const char *dflt;
	setting_kind kind;
	int flags;
	const char *const *choices; /* SK_ENUM, NULL-terminated */
	int64_t min, max;           /* SK_INT */
	const char *description;
} setting_def;

static const char *const intervalstyles[] = {"postgres", "postgres_verbose", "sql_standard",
                                             "iso_8601", NULL};
static const char *const bytea_outputs[] = {"hex", "escape", NULL};
static const char *const msg_levels[] = {"debug5", "debug4", "debug3", "debug2", "debug1", "log",
                                         "notice", "warning", "error", NULL};
static const char *const isolations[] = {"read uncommitted", "read committed", "repeatable read",
                                         "serializable", NULL};

static const setting_def defs[] = {
	{"application_name", "", SK_STRING, SF_REPORT, NULL, 0, 0, "Sets the application name."},
	{"bytea_output", "hex", SK_ENUM, 0, bytea_outputs, 0, 0, "Sets the output format for bytea."},
	{"client_encoding", "UTF8", SK_ENCODING, SF_REPORT, NULL, 0, 0,
	 "Sets the client's character set encoding."},
	{"client_min_messages", "notice", SK_ENUM, 0, msg_levels, 0, 0,
	 "Sets the message levels that are sent to the client."},
	{"DateStyle", "ISO, MDY", SK_DATESTYLE, SF_REPORT, NULL, 0, 0,
	 "Sets the display format for date and time values."},
	{"default_transaction_isolation", "read committed", SK_ENUM, 0, isolations, 0, 0,
	 "Sets the transaction isolation level of each new transaction."},
	{"default_transaction_read_only", "off", SK_BOOL, SF_REPORT, NULL, 0, 0,
	 "Sets the default read-only status of new transactions."},
	{"extra_float_digits", "1", SK_INT, 0, NULL, -15, 3,
	 "Sets the number of digits displayed for floating-point values."},
	{"in_hot_standby", "off", SK_BOOL, SF_REPORT | SF_READONLY, NULL, 0, 0,
	 "Shows whether hot standby is currently active."},
	{"integer_datetimes", "on", SK_BOOL, SF_REPORT | SF_READONLY, NULL, 0, 0,
	 "Shows whether datetimes are integer based."},
	{"IntervalStyle", "postgres", SK_ENUM, SF_REPORT, intervalstyles, 0, 0,
	 "Sets the display format for interval values."},
	{"is_superuser", "off", SK_BOOL, SF_REPORT | SF_READONLY, NULL, 0, 0,
	 "Shows whether the current user is a superuser."},
	{"lc_collate", "C", SK_STRING, SF_READONLY, NULL, 0, 0, "Shows the collation order locale."},
	{"lc_ctype", "C", SK_STRING, SF_READONLY, NULL, 0, 0,
	 "Shows the character classification and case conversion locale."},
	{"lc_messages", "C", SK_STRING, 0, NULL, 0, 0, "Sets the language in which messages are displayed."},
	{"lc_monetary", "C", SK_STRING, 0, NULL, 0, 0, "Sets the locale for formatting monetary amounts."},
	{"lc_numeric", "C", SK_STRING, 0, NULL, 0, 0, "Sets the locale for formatting numbers."},
	{"lc_time", "C", SK_STRING, 0, NULL, 0, 0, "Sets the locale for formatting date and time values."},
	{"max_identifier_length", "63", SK_INT, SF_READONLY, NULL, 63, 63,
	 "Shows the maximum identifier length."},
	{"search_path", "\"$user\", public", SK_STRING, 0, NULL, 0, 0,
	 "Sets the schema search order for names that are not schema-qualified."},
	{"server_encoding", "UTF8", SK_STRING, SF_REPORT | SF_READONLY, NULL, 0, 0,
	 "Shows the server (database) character set encoding."},
	{"server_version", FERRY_PG_VERSION " (Ferry " FERRY_VERSION ")", SK_STRING, SF_REPORT | SF_READONLY, NULL, 0, 0,
	 "Shows the server version."},
	{"server_version_num", "150000", SK_INT, SF_READONLY, NULL, 150000, 150000,
	 "Shows the server version as an integer."},
	{"session_authorization", "", SK_STRING, SF_REPORT | SF_READONLY, NULL, 0, 0,
	 "Sets the session user name."},
	{"standard_conforming_strings", "on", SK_BOOL, SF_REPORT, NULL, 0, 0,
	 "Causes '...' strings to treat backslashes literally."},
	{"statement_timeout", "0", SK_MS, 0, NULL, 0, INT32_MAX,
	 "Sets the maximum allowed duration of any statement (milliseconds, 0 = none)."},
	{"TimeZone", "UTC", SK_TIMEZONE, SF_REPORT, NULL, 0, 0,
	 "Sets the time zone for displaying and interpreting time stamps."},
	{"transaction_isolation", "read committed", SK_ENUM, 0, isolations, 0, 0,
	 "Sets the current transaction's isolation level."},
	{"transaction_read_only", "off", SK_BOOL, 0, NULL, 0, 0,
	 "Sets the current transaction's read-only status."},
};

#define NDEFS ((int)(sizeof defs / sizeof defs[0]))

struct settings {
	char *values[NDEFS]; /* malloc'd; lives as long as the session */
};

settings *settings_create(void)
{
	settings *s = xcalloc(1, sizeof *s);
	for (int i = 0; i < NDEFS; i++) s->values[i] = xstrdup(defs[i].dflt);
	return s;
}

settings *settings_clone(const settings *src)
{
	settings *s = xcalloc(1, sizeof *s);
	for (int i = 0; i < NDEFS; i++) s->values[i] = xstrdup(src->values[i]);
	return s;
}

void settings_assign(settings *dst, const settings *src)
{
	for (int i = 0; i < NDEFS; i++) {
		if (strcmp(dst->values[i], src->values[i]) == 0) continue;
		free(dst->values[i]);
		dst->values[i] = xstrdup(src->values[i]);
	}
}

void settings_destroy(settings *s)
{
	if (!s) return;
	for (int i = 0; i < NDEFS; i++) free(s->values[i]);
	free(s);
}

int settings_count(void) { return NDEFS; }
const char *settings_name(int i) { return defs[i].name; }
const char *settings_description(int i) { return defs[i].description; }
const char *settings_value_at(const settings *s, int i) { return s->values[i]; }
int settings_is_reported(int i) { return (defs[i].flags & SF_REPORT) != 0; }

/* Units of time settings, as PostgreSQL's GUC code accepts and prints them. */
static const struct {
	const char *unit;
	double ms;
} time_units[] = {{"d", 86400000.0}, {"h", 3600000.0}, {"min", 60000.0}, {"s", 1000.0},
                  {"ms", 1.0}, {"us", 0.001}};

bool settings_parse_ms(const char *value, int64_t *out)
{
	char *end;
	double v = strtod(value, &end);
	if (end == value) return false;
	while (*end == ' ') end++;
	double mul = 1.0; /* no unit: milliseconds */
	if (*end) {
		size_t k;
		for (k = 0; k < sizeof time_units / sizeof time_units[0]; k++)
			if (strcmp(end, time_units[k].unit) == 0) break;
		if (k == sizeof time_units / sizeof time_units[0]) return false;
		mul = time_units[k].ms;
	}
	double ms = v * mul;
	if (!(ms >= 0 && ms <= (double)INT32_MAX)) return false;
	*out = (int64_t)(ms + 0.5);
	return true;
}

void settings_format_ms(int64_t ms, char *buf, size_t bufsz)
{
	/* The largest unit that divides the value evenly, as SHOW prints it. */
	for (size_t k = 0; k < 4 && ms != 0; k++) {
		int64_t u = (int64_t)time_units[k].ms;
		if (ms % u == 0) {
			snprintf(buf, bufsz, "%lld%s", (long long)(ms / u), time_units[k].unit);
			return;
		}
	}
	snprintf(buf, bufsz, ms == 0 ? "0" : "%lldms", (long long)ms);
}

static int find(const char *name)
{
	for (int i = 0; i < NDEFS; i++)
		if (strcasecmp(defs[i].name, name) == 0) return i;
	return -1;
}

static ferr *unknown(const char *name)
{
	return ferr_new(SQLSTATE_UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"", name);
}

static ferr *bad_value(const setting_def *d, const char *value)
{
	return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"",
	                d->name, value);
}

/*
 * Returns the canonical spelling PostgreSQL would show, or NULL if invalid
 * (with *detail set when PostgreSQL gives one). current is the setting's
 * value now: DateStyle keeps the part a new value does not name.
 */
static const char *normalise(const setting_def *d, const char *value, const char *current, char *buf,
                             size_t bufsz, const char **detail)
{
	*detail = NULL;
	switch (d->kind) {
	case SK_DATESTYLE: {
		int style = DATESTYLE_ISO, order = DATEORDER_MDY;
		const char *ignored;
		if (current) fmt_datestyle_parse(current, &style, &order, &ignored);
		if (!fmt_datestyle_parse(value, &style, &order, detail)) return NULL;
		fmt_datestyle_show(style, order, buf, bufsz);
		return buf;
	}
	case SK_TIMEZONE:
		return tz_session_canonical(value, buf, bufsz) ? buf : NULL;
	case SK_STRING:
		return value;
	case SK_BOOL: {
		static const char *const on[] = {"on", "true", "yes", "1", "t", "y", NULL};
		static const char *const off[] = {"off", "false", "no", "0", "f", "n", NULL};
		for (int i = 0; on[i]; i++)
			if (strcasecmp(value, on[i]) == 0) return "on";
		for (int i = 0; off[i]; i++)
			if (strcasecmp(value, off[i]) == 0) return "off";
		return NULL;
	}
	case SK_INT: {
		char *end;
		long long v = strtoll(value, &end, 10);
		if (end == value || *end || v < d->min || v > d->max) return NULL;
		snprintf(buf, bufsz, "%lld", v);
		return buf;
	}
	case SK_MS: {
		int64_t ms;
		if (!settings_parse_ms(value, &ms) || ms < d->min || ms > d->max) return NULL;
		settings_format_ms(ms, buf, bufsz);
		return buf;
	}
	case SK_ENUM:
		for (int i = 0; d->choices[i]; i++)
			if (strcasecmp(value, d->choices[i]) == 0) return d->choices[i];
		return NULL;
	case SK_ENCODING:
		/* Ferry speaks UTF8 only; accept the spellings clients use for it. */
		if (strcasecmp(value, "UTF8") == 0 || strcasecmp(value, "UTF-8") == 0 ||
		    strcasecmp(value, "UNICODE") == 0 || strcasecmp(value, "utf_8") == 0)
			return "UTF8";
		return NULL;
	}
	return NULL;
}

ferr *settings_set(settings *s, const char *name, const char *value, int *reported)
{
	*reported = 0;
	int i = find(name);
	if (i < 0) return unknown(name);
	const setting_def *d = &defs[i];
	if (d->flags & SF_READONLY)
		return ferr_new("55P02", "parameter \"%s\" cannot be changed", d->name);
	char buf[160];
	const char *detail;
	const char *v = normalise(d, value, s->values[i], buf, sizeof buf, &detail);
	if (!v) {
		ferr *e = bad_value(d, value);
		return detail ? ferr_detail(e, "%s", detail) : e;
	}
	/* Copy before freeing: value may be the current value itself. */
	char *copy = xstrdup(v);
	free(s->values[i]);
	s->values[i] = copy;
	*reported = (d->flags & SF_REPORT) != 0;
	return NULL;
}

ferr *settings_reset(settings *s, const char *name, int *reported)
{
	*reported = 0;
	int i = find(name);
	if (i < 0) return unknown(name);
	if (defs[i].flags & SF_READONLY)
		return ferr_new("55P02", "parameter \"%s\" cannot be changed", defs[i].name);
	free(s->values[i]);
	s->values[i] = xstrdup(defs[i].dflt);
	*reported = (defs[i].flags & SF_REPORT) != 0;
	return NULL;
}

void settings_set_internal(settings *s, const char *name, const char *value)
{
	int i = find(name);
	if (i < 0) return;
	char *copy = xstrdup(value);
	free(s->values[i]);
	s->values[i] = copy;
}

int settings_index(const char *name) { return find(name); }
int settings_is_readonly(int i) { return (defs[i].flags & SF_READONLY) != 0; }

ferr *settings_get(const settings *s, const char *name, const char **value)
{
	int i = find(name);
	if (i < 0) return unknown(name);
	*value = s->values[i];
	return NULL;
}
