/*
 * catalogs.h — the set of catalogs the node knows: loaded from
 * etc/catalog/NAME.properties at start, added and dropped at run time.
 * Lookups hand out a reference that stays valid until released, so a
 * catalog dropped while a query uses it is destroyed when the query ends.
 */
#ifndef FERRY_CATALOGS_H
#define FERRY_CATALOGS_H

#include "connectors/spi.h"

ferr *catalogs_load_dir(const char *dir);
ferr *catalogs_add(const char *name, const props *p);
ferr *catalogs_drop(const char *name);
/* NULL when there is no such catalog. Release with catalogs_release. */
conn_catalog *catalogs_acquire(const char *name);
void catalogs_release(conn_catalog *c);
/* Names, sorted; array and strings in a. */
int catalogs_list(arena *a, const char ***names);
/* The connector.name of a catalog, or NULL. */
const char *catalogs_connector(const char *name, arena *a);
void catalogs_shutdown(void);

#endif
