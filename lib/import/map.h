/* map.h: column maps that turn any CSV export into order records (oms-import --map). */
#ifndef OMS_MAP_H
#define OMS_MAP_H

#include <stdbool.h>

#include "reader.h"
#include "util.h"

struct map;

/*
 * Load a map file (JSON, see oms-import(1)); NULL with a message in err
 * when it cannot be read or names an unknown key, field or time zone.
 */
struct map *map_load(const char *path, struct buf *err);

/*
 * Open a CSV file read through map m (not owned), or an NDJSON file (first
 * non-blank byte '{') as canonical records; NULL with err.
 */
struct source *map_open(const struct map *m, const char *path, struct buf *err);

/* Release a map; NULL is fine. */
void map_free(struct map *m);

#endif
