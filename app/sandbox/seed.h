/*
 * seed: the deterministic sandbox athlete and ~8 weeks of training.
 */
#ifndef SANDBOX_SEED_H
#define SANDBOX_SEED_H

#include <stdint.h>

#include "sandbox/store.h"

#define SB_SEED_WEEKS		8
#define SB_DEFAULT_SEED		42

/* Adds "Sandy Strider" (id 9001 in a cleared store) and her runs up to now;
 * the same seed and day give the same data.  Returns the athlete id. */
int64_t	 sb_seed(struct sb_store *, uint64_t seed, int64_t now);

/* Adds one plausible run ending before now (bulk imports), without webhooks. */
void	 sb_seed_fill(struct sb_store *, int64_t athlete_id, uint64_t *rng, int64_t start);

#endif
