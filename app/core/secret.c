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

char *
secret_seal(const struct config *cfg, enum secret_purpose p, arena_t *a,
    const char *msg)
{
	unsigned char	 key[SUBKEY_BYTES], *box;
	size_t		 len = strlen(msg), boxlen, b64len;
	char		*out;

	if (cfg == NULL || !subkey(cfg, p, key))
		return NULL;
	boxlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	box = arena_alloc(a, boxlen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
	    (const unsigned char *)msg, len, box, key);
	sodium_memzero(key, sizeof(key));
	b64len = sodium_base64_ENCODED_LEN(boxlen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out = arena_alloc(a, b64len);
	return sodium_bin2base64(out, b64len, box, boxlen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

char *
secret_open(const struct config *cfg, enum secret_purpose p, arena_t *a,
    const char *sealed)
{
	unsigned char	 key[SUBKEY_BYTES], *box;
	size_t		 slen = strlen(sealed), boxlen = 0, len;
	char		*out;
	int		 rc;

	box = arena_alloc(a, slen + 1);
	if (sodium_base642bin(box, slen + 1, sealed, slen, NULL, &boxlen, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    boxlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ||
	    cfg == NULL || !subkey(cfg, p, key))
		return NULL;
	len = boxlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	out = arena_alloc(a, len + 1);
	rc = crypto_secretbox_open_easy((unsigned char *)out,
	    box + crypto_secretbox_NONCEBYTES,
	    boxlen - crypto_secretbox_NONCEBYTES, box, key);
	sodium_memzero(key, sizeof(key));
	if (rc != 0)
		return NULL;
	out[len] = '\0';
	return strlen(out) == len ? out : NULL;
}
