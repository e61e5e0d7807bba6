/*
 * http.h — the node's HTTP API on libevent's evhttp, on its own event
 * loop thread: /v1/info, /v1/status, /v1/catalog. Handlers only read node
 * state; they never run query work.
 */
#ifndef FERRY_HTTP_H
#define FERRY_HTTP_H

#include "gateway/config.h"

ferr *http_start(const ferry_config *cfg, const char *version);
void http_stop(void);
/* The port actually bound (useful with port 0). */
int http_port(void);

#endif
