/*
 * hive.h — the built-in "hive" connector: Parquet tables on S3 or a local
 * disk described by Trino's file metastore (hive.metastore=file), with
 * partition pruning, row-group skipping, CREATE/DROP and INSERT.
 */
#ifndef FERRY_HIVE_H
#define FERRY_HIVE_H

#include "connectors/spi.h"

extern const conn_factory hive_connector_factory;

#endif
