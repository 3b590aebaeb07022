/* backorder_stage.h: oms-backorder's engine, one stage on the record stream (stage.h). */
#ifndef OMS_BACKORDER_STAGE_H
#define OMS_BACKORDER_STAGE_H

#include "cli.h"

/* What a run of oms-backorder is given: the reference files (NULL: none). */
struct bo_config {
	const struct oms_opts *common;
	const char *locations, *previous, *rules, *shortfall, *supply;
};

/*
 * Load the references, then match each backordered unit of the orders of
 * paths[0..npaths) to the earliest supply; write each order followed by
 * its backorder records and notices, and the shortfall. The exit status.
 */
int bo_stage_run(const struct bo_config *c, char **paths, int npaths);

#endif
