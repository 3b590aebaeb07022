/* src_edi850.c: placeholder until the edi850 reader lands; it recognises nothing. */
#include "adapter.h"

static bool
sniff(const char *head, size_t n)
{
	(void)head;
	(void)n;
	return false;
}

static struct source *
open_edi850(struct source *opened, const struct import_opts *o, struct buf *err)
{
	(void)o;
	buf_adds(err, "the edi850 reader is not built yet");
	source_close_file(opened);
	return NULL;
}

const struct adapter adapter_edi850 = {"edi850", "edi850", sniff, open_edi850};
