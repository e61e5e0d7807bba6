/*
 * settings.h — the PostgreSQL settings (GUCs) a session shows to clients:
 * defaults, validation, SET/RESET/SHOW, and which ones are reported with
 * ParameterStatus. Values are per session; never shared between threads.
 */
#ifndef FERRY_GATEWAY_SETTINGS_H
#define FERRY_GATEWAY_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef struct settings settings;

settings *settings_create(void);
void settings_destroy(settings *s);
/* Time settings: "5s", "1500", "2min" to milliseconds, and back as SHOW prints them. */
bool settings_parse_ms(const char *value, int64_t *out);
void settings_format_ms(int64_t ms, char *buf, size_t bufsz);
/* A copy (transaction snapshots); settings_assign makes dst equal to src. */
settings *settings_clone(const settings *src);
void settings_assign(settings *dst, const settings *src);

/* Number of known settings; index i names settings_name(i) (for SHOW ALL). */
int settings_count(void);
const char *settings_name(int i);
const char *settings_description(int i);
/* Current value by index. */
const char *settings_value_at(const settings *s, int i);

/*
 * Sets name (case-insensitive) to value after validation and
 * normalisation. 42704 for an unknown name, 22023 for a bad value, 55P02
 * for a read-only one. *reported is set when the client must get a
 * ParameterStatus (GUC_REPORT).
 */
ferr *settings_set(settings *s, const char *name, const char *value, int *reported);
/* Back to the default; same errors and *reported as settings_set. */
ferr *settings_reset(settings *s, const char *name, int *reported);
/* Current value or an error (42704) for an unknown name. */
ferr *settings_get(const settings *s, const char *name, const char **value);
/* Set a value without validation or read-only check (server_version, session_authorization). */
void settings_set_internal(settings *s, const char *name, const char *value);
/* Index of a setting (case-insensitive) or -1. */
int settings_index(const char *name);
int settings_is_readonly(int i);
/* Whether setting i is sent to the client at startup and on change. */
int settings_is_reported(int i);

#endif
