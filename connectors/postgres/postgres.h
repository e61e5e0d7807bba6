/*
 * postgres.h — the built-in "postgresql" connector: tables of a remote
 * PostgreSQL database read over libpq (binary COPY), with filter and limit
 * pushdown. It never writes to the remote database.
 */
#ifndef FERRY_POSTGRES_H
#define FERRY_POSTGRES_H

#include "connectors/spi.h"

extern const conn_factory postgresql_connector_factory;

#endif
