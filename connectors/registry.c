/*
 * registry.c — connector factories known to this binary, by connector.name.
 * Built-in connectors register here at start; nothing is loaded at run time.
 */
#include <pthread.h>
#include <string.h>

#include "connectors/memory/memory.h"
#include "connectors/hive/hive.h"
#include "connectors/postgres/postgres.h"
#include "connectors/spi.h"
#include "connectors/system/system.h"
#include "connectors/tpch/tpch.h"

#define MAX_FACTORIES 32

static const conn_factory *factories[MAX_FACTORIES];
static int nfactories;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void conn_register(const conn_factory *f)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nfactories; i++)
		if (strcmp(factories[i]->name, f->name) == 0) {
			factories[i] = f;
			pthread_mutex_unlock(&lock);
			return;
		}
	if (nfactories < MAX_FACTORIES) factories[nfactories++] = f;
	pthread_mutex_unlock(&lock);
}

const conn_factory *conn_find_factory(const char *name)
{
	const conn_factory *f = NULL;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nfactories; i++)
		if (strcmp(factories[i]->name, name) == 0) f = factories[i];
	pthread_mutex_unlock(&lock);
	return f;
}

void conn_register_builtin(void)
{
	conn_register(&tpch_connector_factory);
	conn_register(&postgresql_connector_factory);
	conn_register(&system_connector_factory);
	conn_register(&memory_connector_factory);
	conn_register(&hive_connector_factory);
}
