/*
 * password: Argon2id hashing through libsodium's crypto_pwhash_str.
 *
 * Parameters are libsodium's INTERACTIVE level (t=2, m=64 MiB, p=1),
 * above OWASP's minimum for Argon2id (t=2, m=19 MiB).  Hashes record
 * their own parameters, so raising them later re-hashes at sign-in
 * (password_needs_rehash).
 */
#ifndef CADENCE_PASSWORD_H
#define CADENCE_PASSWORD_H

#include <stdbool.h>
#include <sodium.h>

#define PASSWORD_MIN		8	/* characters (bytes) */
#define PASSWORD_MAX		1024	/* bytes; longer is refused unhashed */
#define PASSWORD_HASH_MAX	crypto_pwhash_STRBYTES

/* 0, or -1 when out of memory (the hash needs 64 MiB). */
int	password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
bool	password_verify(const char *hash, const char *pw);
bool	password_needs_rehash(const char *hash);
/*
 * Spends the same time as a real verification against a fixed dummy hash,
 * so an unknown email costs what a wrong password costs.
 */
void	password_burn(const char *pw);

#endif
