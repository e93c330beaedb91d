/*
 * secret: what CADENCE_SECRET_KEY is used for besides encrypting Strava
 * tokens (strava/tokens.c): one subkey per purpose, derived with
 * libsodium's KDF, so a value made for one purpose never verifies for
 * another.  Every host of one installation needs the same key.
 */
#ifndef CADENCE_SECRET_H
#define CADENCE_SECRET_H

#include <stdbool.h>

#include "core/config.h"

#define SECRET_MAC_HEX	65	/* 256 bits as hex, with the NUL */

enum secret_purpose {
	SECRET_ICS_FEED = 1,	/* the calendar feed's address */
};

/*
 * The keyed BLAKE2b-256 of msg under purpose's subkey, as 64 hex digits.
 * False when no valid key is configured.
 */
bool	secret_mac_hex(const struct config *, enum secret_purpose,
	    const char *msg, char out[SECRET_MAC_HEX]);

#endif
