/*
 * http.c — the HTTP API (see http.h). JSON bodies are built with jansson.
 * The event loop runs on a dedicated thread; http_stop breaks it and joins.
 */
#include "gateway/http.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "connectors/catalogs.h"

static struct event_base *base;
static struct evhttp *http;
static pthread_t thread;
static bool running;
static int bound_port;
static const ferry_config *config;
static const char *node_version;
static time_t started_at;

static void send_json(struct evhttp_request *req, int code, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	struct evbuffer *buf = evbuffer_new();
	evbuffer_add(buf, text, strlen(text));
	free(text);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	                  "application/json");
	evhttp_send_reply(req, code, code == 200 ? "OK" : "Error", buf);
	evbuffer_free(buf);
}

static void handle_info(struct evhttp_request *req, void *arg)
{
	json_t *o = json_pack("{s:{s:s},s:s,s:b,s:b,s:I}", "nodeVersion", "version", node_version,
	                      "environment", config->environment, "coordinator",
	                      config->coordinator, "starting", 0, "uptimeSeconds",
	                      (json_int_t)(time(NULL) - started_at));
	send_json(req, 200, o);
}

static void handle_status(struct evhttp_request *req, void *arg)
{
	json_t *o = json_pack("{s:s,s:s,s:s}", "nodeId", config->node_id, "nodeVersion",
	                      node_version, "state", "ACTIVE");
	send_json(req, 200, o);
}

static void handle_catalog(struct evhttp_request *req, void *arg)
{
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		send_json(req, 405, json_pack("{s:s}", "error", "method not allowed"));
		return;
	}
	arena *a = arena_create(NULL, "http");
	const char **names;
	int n = catalogs_list(a, &names);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const char *cn = catalogs_connector(names[i], a);
		json_array_append_new(arr, json_pack("{s:s,s:s}", "catalogName", names[i],
		                                     "connectorName", cn ? cn : ""));
	}
	arena_destroy(a);
	send_json(req, 200, arr);
}

static void handle_other(struct evhttp_request *req, void *arg)
{
	send_json(req, 404, json_pack("{s:s}", "error", "not found"));
}

static void *loop_main(void *arg)
{
	event_base_dispatch(base);
	return NULL;
}

ferr *http_start(const ferry_config *cfg, const char *version)
{
	config = cfg;
	node_version = version;
	started_at = time(NULL);
	if (cfg->http_port == 0 && !props_get(cfg->props, "http-server.http.port")) return NULL;
	evthread_use_pthreads();
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_cb(http, "/v1/info", handle_info, NULL);
	evhttp_set_cb(http, "/v1/status", handle_status, NULL);
	evhttp_set_cb(http, "/v1/catalog", handle_catalog, NULL);
	evhttp_set_gencb(http, handle_other, NULL);
	struct evhttp_bound_socket *sock =
		evhttp_bind_socket_with_handle(http, cfg->http_host, (ev_uint16_t)cfg->http_port);
	if (!sock) {
		evhttp_free(http);
		event_base_free(base);
		http = NULL;
		base = NULL;
		return ferr_new(SQLSTATE_SYSTEM_ERROR, "could not listen for HTTP on %s:%d",
		                cfg->http_host, cfg->http_port);
	}
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	evutil_socket_t fd = evhttp_bound_socket_get_fd(sock);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET) bound_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else bound_port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	if (pthread_create(&thread, NULL, loop_main, NULL) != 0)
		return ferr_new(SQLSTATE_SYSTEM_ERROR, "could not start the HTTP thread");
	running = true;
	return NULL;
}

int http_port(void) { return bound_port; }

void http_stop(void)
{
	if (!running) return;
	event_base_loopbreak(base);
	pthread_join(thread, NULL);
	evhttp_free(http);
	event_base_free(base);
	running = false;
}
