/* codes.c: country and currency codes as sorted runs of letters, searched by bisection. */
#include "codes.h"

#include <string.h>

/*
 * ISO 3166-1 alpha-2, as listed in the tz database's iso3166.tab (public
 * domain); "UK" is absent on purpose: the code is GB.
 */
static const char countries[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBS"
    "BTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEE"
    "EGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHM"
    "HNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLC"
    "LILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNA"
    "NCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURW"
    "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTO"
    "TRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/* ISO 4217 currencies, from Debian's iso-codes, less precious metals, funds and test codes. */
static const char currencies[] =
    "AEDAFNALLAMDANGAOAARSAUDAWGAZNBAMBBDBDTBGNBHDBIFBMDBNDBOBBOVBRL"
    "BSDBTNBWPBYNBZDCADCDFCHECHFCHWCLFCLPCNYCOPCOUCRCCUCCUPCVECZKDJF"
    "DKKDOPDZDEGPERNETBEURFJDFKPGBPGELGHSGIPGMDGNFGTQGYDHKDHNLHRKHTG"
    "HUFIDRILSINRIQDIRRISKJMDJODJPYKESKGSKHRKMFKPWKRWKWDKYDKZTLAKLBP"
    "LKRLRDLSLLYDMADMDLMGAMKDMMKMNTMOPMRUMURMVRMWKMXNMXVMYRMZNNADNGN"
    "NIONOKNPRNZDOMRPABPENPGKPHPPKRPLNPYGQARRONRSDRUBRWFSARSBDSCRSDG"
    "SEKSGDSHPSLESLLSOSSRDSSPSTNSVCSYPSZLTHBTJSTMTTNDTOPTRYTTDTWDTZS"
    "UAHUGXUSDUSNUYIUYUUYWUZSVEDVESVNDVUVWSTXAFXCDXOFXPFYERZARZMWZWL";

/* Find a code of width w in a sorted run of such codes. */
static bool
in_run(const char *run, size_t w, const char *code)
{
	size_t lo = 0, hi = strlen(run) / w;

	if (strlen(code) != w)
		return false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(run + mid * w, code, w);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool
country_known(const char *code)
{
	return in_run(countries, 2, code);
}

bool
currency_known(const char *code)
{
	return in_run(currencies, 3, code);
}
