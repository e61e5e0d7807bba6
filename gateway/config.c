/*
 * config.c — typed view of config.properties (see config.h). Unknown keys
 * are kept (connectors and later modules read them) but a malformed value
 * of a known key stops the start with a message naming the key.
 */
#include "gateway/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ferr *get_port(const props *p, const char *key, int def, int *out)
{
	int64_t v;
	TRY(props_get_int(p, key, def, &v));
	if (v < 0 || v > 65535)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "property \"%s\": port %lld out of range",
		                key, (long long)v);
	*out = (int)v;
	return NULL;
}

ferr *config_load(const char *etc_dir, int noverrides, char **overrides, ferry_config *out)
{
	memset(out, 0, sizeof *out);
	out->etc_dir = etc_dir;
	out->props = props_create();
	char path[4096];
	snprintf(path, sizeof path, "%s/config.properties", etc_dir);
	struct stat st;
	if (stat(path, &st) == 0) TRY(props_load_file(out->props, path));
	for (int i = 0; i < noverrides; i++) {
		char *eq = strchr(overrides[i], '=');
		if (!eq || eq == overrides[i])
			return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
			                "-D %s: expected key=value", overrides[i]);
		*eq = '\0';
		ferr *e = props_set(out->props, overrides[i], eq + 1);
		*eq = '=';
		if (e) return e;
	}
	const props *p = out->props;
	TRY(props_get_bool(p, "coordinator", true, &out->coordinator));
	TRY(props_get_bool(p, "node-scheduler.include-coordinator", true, &out->include_coordinator));
	out->node_id = props_get_default(p, "node.id", "ferry-1");
	out->environment = props_get_default(p, "node.environment", "ferry");
	out->pgwire_host = props_get_default(p, "pgwire.host", "127.0.0.1");
	TRY(get_port(p, "pgwire.port", 5433, &out->pgwire_port));
	int64_t v;
	TRY(props_get_int(p, "pgwire.max-connections", 100, &v));
	if (v < 1 || v > 100000)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "pgwire.max-connections must be 1..100000");
	out->max_connections = (int)v;
	out->http_host = props_get_default(p, "http-server.http.host", "127.0.0.1");
	TRY(get_port(p, "http-server.http.port", 8080, &out->http_port));
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	TRY(props_get_int(p, "task.max-worker-threads", cores > 0 ? cores : 2, &v));
	if (v < 1 || v > 1024)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "task.max-worker-threads must be 1..1024");
	out->worker_threads = (int)v;
	TRY(props_get_bytes(p, "query.max-memory-per-node", (int64_t)2 << 30,
	                    &out->query_max_memory_per_node));
	TRY(props_get_bool(p, "spill-enabled", false, &out->spill_enabled));
	out->spill_path = props_get_default(p, "spiller-spill-path", "/tmp/ferry-spill");
	if (!out->spill_path[0])
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "spiller-spill-path must not be empty");
	TRY(props_get_bytes(p, "max-spill-per-node", (int64_t)100 << 30, &out->max_spill_per_node));
	TRY(props_get_bytes(p, "query-max-spill-per-node", (int64_t)100 << 30,
	                    &out->query_max_spill_per_node));
	out->log_level = props_get_default(p, "log.level", "INFO");
	if (strcasecmp(out->log_level, "DEBUG") && strcasecmp(out->log_level, "INFO") &&
	    strcasecmp(out->log_level, "WARN") && strcasecmp(out->log_level, "ERROR"))
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "log.level \"%s\": use DEBUG, INFO, WARN or ERROR", out->log_level);
	return NULL;
}

void config_free(ferry_config *c)
{
	props_destroy(c->props);
	c->props = NULL;
}
