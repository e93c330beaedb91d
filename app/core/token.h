/*
 * token: secrets handed out in links (invitation links, pages/
 * invitations.c): 256 random bits as hex, of which only the SHA-256 is
 * stored, so a copy of the database cannot hand one out again.
 */
#ifndef CADENCE_TOKEN_H
#define CADENCE_TOKEN_H

#include <stdbool.h>

#define TOKEN_BYTES	32
#define TOKEN_HEX_LEN	(2 * TOKEN_BYTES + 1)	/* hex digits and the NUL */

/* A new token (needs sodium_init()). */
void	token_new(char out[TOKEN_HEX_LEN]);
/* True for what token_new() makes: 64 lower-case hex digits. */
bool	token_valid(const char *);
/* The SHA-256 of the token's text, as the database keeps it (hex). */
void	token_hash(const char *token, char out[TOKEN_HEX_LEN]);

#endif
