/* token: see token.h. */
#include <sodium.h>
#include <string.h>

#include "core/token.h"

void
token_new(char out[TOKEN_HEX_LEN])
{
	unsigned char raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, TOKEN_HEX_LEN, raw, sizeof(raw));
}

bool
token_valid(const char *t)
{
	size_t i;

	if (strlen(t) != TOKEN_HEX_LEN - 1)
		return false;
	for (i = 0; i < TOKEN_HEX_LEN - 1; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' &&
		    t[i] <= 'f')))
			return false;
	return true;
}

void
token_hash(const char *token, char out[TOKEN_HEX_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, TOKEN_HEX_LEN, h, sizeof(h));
}
