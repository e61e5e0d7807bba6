/*
 * memory.h — the built-in "memory" connector: tables, views and schemas kept
 * in this process for scratch work (Trino's memory connector). Data lives as
 * long as the catalog; nothing is written to disk.
 */
#ifndef FERRY_MEMORY_H
#define FERRY_MEMORY_H

#include "connectors/spi.h"

extern const conn_factory memory_connector_factory;

#endif
