#include <string.h>

#include "core/password.h"

#define OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT	crypto_pwhash_MEMLIMIT_INTERACTIVE

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str(out, pw, strlen(pw), OPSLIMIT, MEMLIMIT);
}

bool
password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, OPSLIMIT, MEMLIMIT) != 0;
}

/*
 * A real hash with the current parameters, of a password nobody uses, fixed
 * in the source so that no request pays for making it.  When the
 * parameters change, make a new one (password_hash of any string).
 */
static const char dummy_hash[PASSWORD_HASH_MAX] = "$argon2id$v=19$m=65536,t=2,p=1$"
    "oiKHVeRx9e7AmWPVUbCTVQ$cj7YYZV8cmPD5Mw1/p/ZO88fJZtgX7yWlWejTJxKX6s";

void
password_burn(const char *pw)
{
	(void)password_verify(dummy_hash, pw);
}
