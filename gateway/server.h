/*
 * server.h — the pgwire listener: accepts connections, answers SSL/GSSENC
 * requests, routes CancelRequests to the session that owns the backend key,
 * and runs one session per connection on its own thread.
 *
 * A thread per connection keeps the session code a straight-line protocol
 * loop (PostgreSQL's backend does the same with a process); query work
 * never runs on these threads but on the executor pool, so the count of
 * connection threads bounds only idle memory (pgwire.max-connections).
 */
#ifndef FERRY_GATEWAY_SERVER_H
#define FERRY_GATEWAY_SERVER_H

#include <stdint.h>

#include "common/error.h"

typedef struct server_config {
	const char *host;
	int port;                    /* 0 = any free port (tests) */
	int max_connections;
	int64_t max_memory_per_node; /* per-query memory limit on this node */
	bool spill_enabled;          /* spill-enabled: the default of session spill_enabled */
	const char *spill_path;      /* spiller-spill-path */
	int64_t max_spill_per_node;  /* max-spill-per-node */
	int64_t query_max_spill_per_node; /* query-max-spill-per-node */
	const char *version;         /* server_version as reported */
} server_config;

void server_config_default(server_config *c);
/* Bind and listen, start the accept thread. */
ferr *server_start(const server_config *c);
/* The bound port (after server_start). */
int server_port(void);
/* Stop accepting, cancel running queries, close sessions and wait for them. */
void server_stop(void);

#endif
