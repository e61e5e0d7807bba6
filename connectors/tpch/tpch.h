/*
 * tpch.h — the built-in "tpch" connector: TPC-H tables generated on the fly.
 * It never reads or writes files; all data is a pure function of
 * (schema scale, table, row index).
 */
#ifndef FERRY_TPCH_H
#define FERRY_TPCH_H

#include "connectors/spi.h"

extern const conn_factory tpch_connector_factory;

#endif
