/*
 * config.h — the node's configuration: etc/config.properties plus -D
 * overrides, read once at start into typed fields. Property names follow
 * Trino where Trino has one.
 */
#ifndef FERRY_CONFIG_H
#define FERRY_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/props.h"

typedef struct ferry_config {
	props *props;             /* everything, for check-config and connectors */
	const char *etc_dir;
	bool coordinator;         /* coordinator=true */
	bool include_coordinator; /* node-scheduler.include-coordinator */
	const char *node_id;      /* node.id, default: hostname-based */
	const char *environment;  /* node.environment */
	const char *pgwire_host;  /* pgwire.host, default 127.0.0.1 */
	int pgwire_port;          /* pgwire.port, default 5433 */
	int max_connections;      /* pgwire.max-connections, default 100 */
	const char *http_host;    /* http-server.http.host, default 127.0.0.1 */
	int http_port;            /* http-server.http.port, default 8080; 0 disables */
	int worker_threads;       /* task.max-worker-threads, default = cores */
	int64_t query_max_memory_per_node; /* query.max-memory-per-node, default 2GB */
	bool spill_enabled;                /* spill-enabled, default false */
	const char *spill_path;            /* spiller-spill-path, default /tmp/ferry-spill */
	int64_t max_spill_per_node;        /* max-spill-per-node, default 100GB */
	int64_t query_max_spill_per_node;  /* query-max-spill-per-node, default 100GB */
	const char *log_level;    /* log.level: DEBUG INFO WARN ERROR */
} ferry_config;

/* Read etc_dir/config.properties (missing file = defaults), apply overrides
 * ("key=value" strings), validate. */
ferr *config_load(const char *etc_dir, int noverrides, char **overrides, ferry_config *out);
void config_free(ferry_config *c);

#endif
