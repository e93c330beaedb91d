/*
 * settings_hr: the heart rates of the settings page (max and threshold),
 * which hrTSS is scored against (docs/training-load.md).  A card of its
 * own with its own form (POST /settings/heart-rate), so that the
 * settings page only shows it.
 */
#ifndef CADENCE_PAGES_SETTINGS_HR_H
#define CADENCE_PAGES_SETTINGS_HR_H

#include <jansson.h>

#include "web/http.h"

#define HR_MAX_MIN		120	/* bpm: sql/021's bounds */
#define HR_MAX_MAX		230
#define HR_THRESHOLD_MIN	100
#define HR_THRESHOLD_MAX	220

/* The card's data ("heart_rate" of settings): the form's values; NULL on
 * a database error. */
json_t	*settings_hr_json(struct request *);

#endif
