/*
 * session.h — one client connection after its startup packet: the
 * protocol loop (simple and extended query), transaction status, prepared
 * statements, portals and cursors, settings, and the running query.
 * A session runs on its own thread; only session_cancel and
 * session_shutdown may be called from other threads.
 */
#ifndef FERRY_GATEWAY_SESSION_H
#define FERRY_GATEWAY_SESSION_H

#include <stdint.h>

#include "gateway/server.h"
#include "pgwire/msg.h"

typedef struct session session;

session *session_create(int fd, const server_config *cfg, int32_t pid, int32_t secret);
/* Runs the connection to its end (Terminate, disconnect, FATAL error). */
void session_main(session *s, const pgw_startup *startup);
/* Cancel the running query, if any (CancelRequest). Any thread. */
void session_cancel(session *s);
/* Cancel and unblock the session's socket so that it ends soon. Any thread. */
void session_shutdown(session *s);
void session_destroy(session *s);

/* Identity and state for pg_stat_activity-like views; any thread. */
typedef struct session_info {
	int32_t pid;
	char user[64];
	char database[64];
	char application_name[64];
	char state[32]; /* "idle", "active", "idle in transaction", ... */
	char query[256];
	int64_t backend_start_ms;
	int64_t query_start_ms;
} session_info;
void session_get_info(session *s, session_info *out);

#endif
