/* rules.h: rules.json, one section per tool; each tool checks the keys of its own. */
#ifndef OMS_RULES_H
#define OMS_RULES_H

#include <jansson.h>
#include <stdbool.h>

#include "util.h"

/*
 * Load a rules file: a JSON object whose keys are tool sections (import,
 * allocate, split, backorder, returns, report), each an object. NULL with
 * a message in err otherwise.
 */
json_t *rules_load(const char *path, struct buf *err);

/*
 * The section of rules (NULL: no rules file) called name, or NULL, after
 * checking that each of its keys is among allowed (NULL terminated): false
 * with a message in err naming an unknown key.
 */
bool rules_section(json_t *rules, const char *name, const char *const *allowed,
    json_t **section, struct buf *err);

/* A tool's reader of its section (NULL when there is none) into ctx; false with err. */
typedef bool (*rules_reader)(json_t *section, void *ctx, struct buf *err);

/*
 * Load the rules file at path (NULL: none, and the tool's defaults), check
 * the keys of its section name against allowed, and hand the section to
 * read. False with a message in err, which names the file when it is to
 * blame.
 */
bool rules_read_section(const char *path, const char *name, const char *const *allowed,
    rules_reader read, void *ctx, struct buf *err);

#endif
