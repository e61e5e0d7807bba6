/*
 * query_manager.h — every statement the node runs, queued, running or
 * finished, with Trino-style ids (20261122_231500_00001_ferry). Feeds
 * system.runtime.queries; finished entries are kept up to a bound.
 */
#ifndef FERRY_QUERY_MANAGER_H
#define FERRY_QUERY_MANAGER_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef enum qm_state { QM_QUEUED, QM_RUNNING, QM_FINISHED, QM_FAILED } qm_state;

/* Register a statement; returns its id (static storage in the manager). */
int64_t qm_begin(const char *user, const char *source, const char *sql);
void qm_set_state(int64_t id, qm_state st);
/* Mark done: err NULL = FINISHED, else FAILED with the error's code. */
void qm_finish(int64_t id, const ferr *err);
/* Query id text for an id, written into buf. */
void qm_format_id(int64_t id, char *buf, size_t len);
void qm_init(void);

#endif
