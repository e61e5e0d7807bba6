/*
 * system.h — the "system" catalog: Ferry's own state as tables
 * (system.metadata.catalogs, system.runtime.nodes, system.runtime.queries).
 * Runtime tables are filled through providers the gateway registers, so
 * this connector never includes gateway headers.
 */
#ifndef FERRY_SYSTEM_H
#define FERRY_SYSTEM_H

#include "connectors/spi.h"

extern const conn_factory system_connector_factory;

/* A table produced on demand: rows of text values, converted by column type. */
typedef struct system_rows {
	int nrows;
	int ncols;
	const char **values; /* nrows * ncols, NULL = SQL NULL; in arena a */
} system_rows;

typedef ferr *(*system_provider)(arena *a, system_rows *out);

/* Register the provider of runtime.<table> (nodes, queries). */
void system_set_provider(const char *table, system_provider fn);

#endif
