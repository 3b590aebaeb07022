/* jpool.h: jansson's small blocks from free lists, for the many values a record is made of. */
#ifndef OMS_JPOOL_H
#define OMS_JPOOL_H

/*
 * Have jansson take its blocks from here: call once, before any jansson
 * value is made (cli_init does). Not for threads. Under AddressSanitizer
 * it does nothing, so that leaks and overruns of jansson values are still
 * caught there.
 */
void jpool_install(void);

#endif
