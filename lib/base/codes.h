/* codes.h: the ISO 3166-1 country and ISO 4217 currency codes oms accepts. */
#ifndef OMS_CODES_H
#define OMS_CODES_H

#include <stdbool.h>

/* True when code is an assigned ISO 3166-1 alpha-2 country code ("US", "GB"). */
bool country_known(const char *code);

/* True when code is an active ISO 4217 currency code ("USD", "JPY"). */
bool currency_known(const char *code);

#endif
