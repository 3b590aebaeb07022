/* import_stage.h: oms-import's engine, one stage on the record stream (stage.h). */
#ifndef OMS_IMPORT_STAGE_H
#define OMS_IMPORT_STAGE_H

#include <stdbool.h>

#include "adapter.h"
#include "cli.h"

/* What a run of oms-import is given (NULL: not given). */
struct import_config {
	const struct oms_opts *common;
	const char *ack_path, *catalog_path, *map_path, *rules_path;
	const struct adapter *source; /* --source, or NULL to detect */
	const char *store; /* --store: the store of inputs import.stores does not name */
	const char *tz;
	bool keep_unknown_sku;
};

/*
 * Load the map, catalog, rules and --ack file, then read paths[0..npaths)
 * (none: standard input), each through its channel's adapter, and write
 * checked records, the last export of each order in its place. The exit
 * status.
 */
int import_stage_run(const struct import_config *c, char **paths, int npaths);

#endif
