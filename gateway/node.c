/*
 * node.c — what the node says about itself: system.runtime.nodes rows.
 * In a single-node deployment the coordinator is the only node; workers
 * join this list when cluster membership lands.
 */
#include "gateway/node.h"

#include <stdio.h>

#include "connectors/system/system.h"
#include "gateway/http.h"

static const ferry_config *config;
static const char *node_version;

static ferr *nodes_rows(arena *a, system_rows *out)
{
	out->nrows = 1;
	out->ncols = 5;
	out->values = arena_alloc(a, sizeof(char *) * 5);
	out->values[0] = config->node_id;
	out->values[1] = arena_sprintf(a, "http://%s:%d", config->http_host, http_port());
	out->values[2] = node_version;
	out->values[3] = config->coordinator ? "true" : "false";
	out->values[4] = "active";
	return NULL;
}

void node_init(const ferry_config *cfg, const char *version)
{
	config = cfg;
	node_version = version;
	system_set_provider("nodes", nodes_rows);
}
