/*
 * main.c — the ferry binary: coordinator (default), worker, and tools
 * (--version, check-config). Reads the configuration, loads catalogs,
 * starts the executor pool, the HTTP API and the pgwire server, then waits
 * for SIGINT/SIGTERM and shuts down in reverse order.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/log.h"
#include "connectors/catalogs.h"
#include "exec/query.h"
#include "gateway/config.h"
#include "gateway/http.h"
#include "gateway/node.h"
#include "gateway/query_manager.h"
#include "gateway/server.h"
#include "gateway/version.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: ferry [coordinator] [--etc-dir DIR] [-D key=value ...]\n"
	        "       ferry check-config [--etc-dir DIR] [-D key=value ...]\n"
	        "       ferry --version\n"
	        "\n"
	        "  --etc-dir DIR    configuration directory: DIR/config.properties and\n"
	        "                   DIR/catalog/NAME.properties (default: etc)\n"
	        "  -D key=value     override a property of config.properties\n");
}

static void report(ferr *e)
{
	fprintf(stderr, "ferry: %s\n", e->message);
	if (e->detail) fprintf(stderr, "DETAIL: %s\n", e->detail);
	if (e->hint) fprintf(stderr, "HINT: %s\n", e->hint);
	ferr_free(e);
}

static log_level parse_level(const char *s)
{
	if (!strcasecmp(s, "DEBUG")) return LOG_DEBUG;
	if (!strcasecmp(s, "WARN")) return LOG_WARN;
	if (!strcasecmp(s, "ERROR")) return LOG_ERROR;
	return LOG_INFO;
}

int main(int argc, char **argv)
{
	const char *etc_dir = "etc";
	const char *command = "coordinator";
	char **overrides = calloc((size_t)argc + 1, sizeof(char *));
	int noverrides = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("ferry %s (PostgreSQL protocol %s)\n", FERRY_VERSION, FERRY_PG_VERSION);
			free(overrides);
			return 0;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(overrides);
			return 0;
		} else if (!strcmp(a, "--etc-dir") && i + 1 < argc) {
			etc_dir = argv[++i];
		} else if (!strncmp(a, "--etc-dir=", 10)) {
			etc_dir = a + 10;
		} else if (!strcmp(a, "-D") && i + 1 < argc) {
			overrides[noverrides++] = argv[++i];
		} else if (!strncmp(a, "-D", 2) && a[2]) {
			overrides[noverrides++] = (char *)a + 2;
		} else if (!strcmp(a, "coordinator") || !strcmp(a, "check-config")) {
			command = a;
		} else {
			fprintf(stderr, "ferry: unknown argument \"%s\"\n", a);
			usage(stderr);
			free(overrides);
			return 2;
		}
	}

	ferry_config cfg;
	ferr *e = config_load(etc_dir, noverrides, overrides, &cfg);
	if (e) {
		report(e);
		free(overrides);
		return 1;
	}
	log_set_level(parse_level(cfg.log_level));
	conn_register_builtin();
	char catdir[4096];
	snprintf(catdir, sizeof catdir, "%s/catalog", etc_dir);
	if ((e = catalogs_load_dir(catdir))) {
		report(e);
		free(overrides);
		return 1;
	}
	if (!strcmp(command, "check-config")) {
		printf("configuration in %s is valid\n", etc_dir);
		for (int i = 0; i < props_count(cfg.props); i++)
			printf("  %s=%s\n", props_key_at(cfg.props, i), props_value_at(cfg.props, i));
		catalogs_shutdown();
		config_free(&cfg);
		free(overrides);
		return 0;
	}

	/* Signals are taken synchronously by this thread only; every thread
	 * started below inherits the blocked mask. */
	signal(SIGPIPE, SIG_IGN);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	node_init(&cfg, FERRY_VERSION);
	qm_init();
	if ((e = exec_pool_start(cfg.worker_threads)) || (e = http_start(&cfg, FERRY_VERSION))) {
		report(e);
		return 1;
	}
	server_config scfg;
	server_config_default(&scfg);
	scfg.host = cfg.pgwire_host;
	scfg.port = cfg.pgwire_port;
	scfg.max_connections = cfg.max_connections;
	scfg.max_memory_per_node = cfg.query_max_memory_per_node;
	scfg.spill_enabled = cfg.spill_enabled;
	scfg.spill_path = cfg.spill_path;
	scfg.max_spill_per_node = cfg.max_spill_per_node;
	scfg.query_max_spill_per_node = cfg.query_max_spill_per_node;
	scfg.version = FERRY_PG_VERSION " (Ferry " FERRY_VERSION ")";
	if ((e = server_start(&scfg))) {
		report(e);
		http_stop();
		exec_pool_stop();
		return 1;
	}
	log_info("ferry %s listening: pgwire %s:%d, http %s:%d, %d executor threads, etc %s",
	         FERRY_VERSION, cfg.pgwire_host, server_port(), cfg.http_host, http_port(),
	         cfg.worker_threads, etc_dir);

	int sig = 0;
	sigwait(&set, &sig);
	log_info("received signal %d, shutting down", sig);
	server_stop();
	http_stop();
	exec_pool_stop();
	catalogs_shutdown();
	config_free(&cfg);
	free(overrides);
	log_info("stopped");
	return 0;
}
