#include <sodium.h>
#include <string.h>

#include "core/secret.h"

#define MASTER_BYTES	crypto_kdf_KEYBYTES
#define SUBKEY_BYTES	crypto_generichash_KEYBYTES
#define KDF_CONTEXT	"cadence_"	/* crypto_kdf_CONTEXTBYTES: 8 */

static bool
subkey(const struct config *cfg, enum secret_purpose p,
    unsigned char out[SUBKEY_BYTES])
{
	unsigned char	master[MASTER_BYTES];
	size_t		n = 0;
	bool		ok;

	if (strlen(cfg->secret_key) != 2 * MASTER_BYTES ||
	    sodium_hex2bin(master, sizeof(master), cfg->secret_key,
	    2 * MASTER_BYTES, NULL, &n, NULL) != 0 || n != MASTER_BYTES)
		return false;
	ok = crypto_kdf_derive_from_key(out, SUBKEY_BYTES, (uint64_t)p,
	    KDF_CONTEXT, master) == 0;
	sodium_memzero(master, sizeof(master));
	return ok;
}

bool
secret_mac_hex(const struct config *cfg, enum secret_purpose p,
    const char *msg, char out[SECRET_MAC_HEX])
{
	unsigned char	key[SUBKEY_BYTES], mac[32];

	if (cfg == NULL || !subkey(cfg, p, key))
		return false;
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)msg,
	    strlen(msg), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(out, SECRET_MAC_HEX, mac, sizeof(mac));
	return true;
}
