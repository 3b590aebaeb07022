/* src_woo.c: placeholder until the woocommerce reader lands; it recognises nothing. */
#include "adapter.h"

static bool
sniff(const char *head, size_t n)
{
	(void)head;
	(void)n;
	return false;
}

static struct source *
open_woo(struct source *opened, const struct import_opts *o, struct buf *err)
{
	(void)o;
	buf_adds(err, "the woocommerce reader is not built yet");
	source_close_file(opened);
	return NULL;
}

const struct adapter adapter_woocommerce = {"woocommerce", "woocommerce", sniff, open_woo};
