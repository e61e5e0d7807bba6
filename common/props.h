/*
 * props.h — Java-style .properties files (Trino's config format).
 *
 * key=value or key: value lines, # and ! comments, backslash line
 * continuation and escapes; ${ENV:NAME} in values is replaced from the
 * environment when the file is read (an unset variable is an error).
 */
#ifndef FERRY_PROPS_H
#define FERRY_PROPS_H

#include <stdbool.h>
#include <strings.h>
#include <stdint.h>

#include "common/error.h"

typedef struct props props;

props *props_create(void);
void props_destroy(props *p);
ferr *props_load_file(props *p, const char *path);
ferr *props_load_string(props *p, const char *text, const char *source_name);
/* Set (replacing), with ${ENV:...} expansion. */
ferr *props_set(props *p, const char *key, const char *value);
const char *props_get(const props *p, const char *key); /* NULL if unset */
const char *props_get_default(const props *p, const char *key, const char *def);
ferr *props_get_int(const props *p, const char *key, int64_t def, int64_t *out);
ferr *props_get_bool(const props *p, const char *key, bool def, bool *out);
/* Sizes like 512MB, 1GB; durations like 10s, 500ms, 2m. */
ferr *props_get_bytes(const props *p, const char *key, int64_t def, int64_t *out);
ferr *props_get_duration_ms(const props *p, const char *key, int64_t def, int64_t *out);
int props_count(const props *p);
const char *props_key_at(const props *p, int i);
const char *props_value_at(const props *p, int i);
props *props_copy(const props *p);

#endif
