/* allocate_stage.h: oms-allocate's engine, one stage on the record stream (stage.h). */
#ifndef OMS_ALLOCATE_STAGE_H
#define OMS_ALLOCATE_STAGE_H

#include <stdbool.h>

#include "cli.h"

/* What a run of oms-allocate is given (NULL: not given). */
struct alloc_config {
	const struct oms_opts *common;
	const char *catalog, *inventory, *inventory_out, *locations, *packs, *rules;
	bool explain, reallocate;
};

/*
 * Load the references, then reserve stock for the open orders of
 * paths[0..npaths) in rank order; write every order with its allocation,
 * the other records as they came, and what is left. The exit status.
 */
int alloc_stage_run(const struct alloc_config *c, char **paths, int npaths);

#endif
