/* adapter.h: channel export readers for oms-import, found by name or from a file's first bytes. */
#ifndef OMS_ADAPTER_H
#define OMS_ADAPTER_H

#include <stdbool.h>
#include <stdio.h>

#include "reader.h"
#include "util.h"

struct catalog;

/* What oms-import tells an adapter; every field may be unset (NULL or 0). */
struct import_opts {
	const char *tz; /* --tz: zone for wall-clock times without offset */
	const char *preorder_tag; /* Shopify tag that marks pre-order lines */
	const char *currency; /* currency for exports that carry none (Woo) */
	FILE *ack; /* --ack: where the EDI adapter writes 997s */
	const char *ack_name; /* its name for messages */
	const struct catalog *catalog; /* --catalog: case packs for EDI case lines */
	/* The store the input is from (import.stores, --store): part of order ids. */
	const char *store;
};

struct adapter {
	const char *name; /* for --source, and the record's "source" */
	const char *what; /* a few words for the list of known sources */
	/*
	 * Whether head (the first n bytes of the input, BOM removed) looks
	 * like this adapter's format, judged from its header or first segment.
	 */
	bool (*sniff)(const char *head, size_t n);
	/*
	 * Take over an input opened by source_open_file and yield its records
	 * (order, tracking or return_request, with values as text, as a
	 * canonical CSV would give them: oms-import checks and normalises
	 * them). NULL with a message in err when the input cannot be read.
	 */
	struct source *(*open)(
	    struct source *opened, const struct import_opts *o, struct buf *err);
};

/* The adapter called name, or NULL. */
const struct adapter *adapter_find(const char *name);

/* The adapter whose sniff accepts the input's first bytes, or NULL. */
const struct adapter *adapter_detect(struct source *opened);

/*
 * The message for an input no adapter claims (opened as for adapter_detect;
 * path names it): the formats known, --source and --map, and what the
 * input looks like when it is an export oms-import knows it cannot read.
 */
void adapter_refuse(struct source *opened, const char *path, struct buf *err);

/* Append the known source names, comma-separated, to out. */
void adapter_names(struct buf *out);

#endif
