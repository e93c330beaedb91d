/*
 * secret: what CADENCE_SECRET_KEY is used for besides encrypting Strava
 * tokens (strava/tokens.c): one subkey per purpose, derived with
 * libsodium's KDF, so a value made for one purpose never verifies for
 * another.  Every host of one installation needs the same key.
 */
#ifndef CADENCE_SECRET_H
#define CADENCE_SECRET_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/config.h"

#define SECRET_MAC_HEX	65	/* 256 bits as hex, with the NUL */

enum secret_purpose {
	SECRET_ICS_FEED = 1,	/* the calendar feed's address */
	SECRET_UNSUBSCRIBE = 2,	/* one-click unsubscribe links (mail) */
	SECRET_EXPORT = 3,	/* "download my data" links */
	SECRET_MAIL_SEAL = 4,	/* one-time links inside queued mail */
	SECRET_GARMIN_PKCE = 5,	/* a Garmin connection's PKCE verifier */
};

/*
 * The keyed BLAKE2b-256 of msg under purpose's subkey, as 64 hex digits.
 * False when no valid key is configured.
 */
bool	secret_mac_hex(const struct config *, enum secret_purpose,
	    const char *msg, char out[SECRET_MAC_HEX]);

/*
 * Seals msg (authenticated encryption, XSalsa20-Poly1305 under purpose's
 * subkey, a random nonce) as base64 text into the arena; NULL when no
 * valid key is configured.  What a queued job must hold but the database
 * must not be able to read (a one-time link in a mail not sent yet).
 */
char	*secret_seal(const struct config *, enum secret_purpose, arena_t *,
	    const char *msg);
/* The text sealed by secret_seal, or NULL when forged or not ours. */
char	*secret_open(const struct config *, enum secret_purpose, arena_t *,
	    const char *sealed);

#endif
