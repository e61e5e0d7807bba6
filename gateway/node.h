/*
 * node.h — this node's identity and the providers of system.runtime.nodes.
 */
#ifndef FERRY_NODE_H
#define FERRY_NODE_H

#include "gateway/config.h"

void node_init(const ferry_config *cfg, const char *version);

#endif
