/* split_stage.h: oms-split's engine, one stage on the record stream (stage.h). */
#ifndef OMS_SPLIT_STAGE_H
#define OMS_SPLIT_STAGE_H

#include "cli.h"
#include "pick.h"

/* What a run of oms-split is given (NULL: not given). */
struct split_config {
	const struct oms_opts *common;
	const char *locations, *manifest_dir, *rules;
	enum manifest_format manifest_format;
};

/*
 * Load the references, then turn the allocated orders of paths[0..npaths)
 * into shipments; write each order followed by its new shipments and
 * notices, and the pick tickets. The exit status.
 */
int split_stage_run(const struct split_config *c, char **paths, int npaths);

#endif
