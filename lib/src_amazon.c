/* src_amazon.c: placeholder until the amazon reader lands; it recognises nothing. */
#include "adapter.h"

static bool
sniff(const char *head, size_t n)
{
	(void)head;
	(void)n;
	return false;
}

static struct source *
open_amazon(struct source *opened, const struct import_opts *o, struct buf *err)
{
	(void)o;
	buf_adds(err, "the amazon reader is not built yet");
	source_close_file(opened);
	return NULL;
}

const struct adapter adapter_amazon = {"amazon", "amazon", sniff, open_amazon};
