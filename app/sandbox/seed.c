/*
 * seed: a runner's plausible last eight weeks, in Paris.
 *
 * Four to six runs a week: easy runs Tuesday and Thursday, a workout on
 * Wednesday, maybe Friday and Saturday, a long run on Sunday growing from
 * 14 to 22 km.  A few fixed oddities exercise the importer: a TrailRun, a
 * Ride, a private run, a manual entry and a late run abroad whose UTC
 * date is the next day.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "sandbox/seed.h"
#include "sandbox/tz.h"

#define DAY		86400
#define PARIS_LAT	48.8566
#define PARIS_LNG	2.3522

enum kind { K_REST, K_EASY, K_SHORT, K_WORKOUT, K_LONG, K_TRAIL, K_RIDE,
    K_PRIVATE, K_MANUAL, K_ABROAD };

static uint64_t
rng_next(uint64_t *s)
{
	/* xorshift64*: small, fast, and the same everywhere. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static double
rnd(uint64_t *s, double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng_next(s) >> 11) / (double)(1ULL << 53);
}

/* What the plan has on a day of a week (0 = oldest). */
static enum kind
day_kind(int week, enum weekday wd, uint64_t *rng)
{
	double roll = rnd(rng, 0, 1);

	if (week == 1 && wd == WD_FRI) return K_MANUAL;
	if (week == 2 && wd == WD_SAT) return K_TRAIL;
	if (week == 4 && wd == WD_MON) return K_RIDE;
	if (week == 5 && wd == WD_THU) return K_PRIVATE;
	if (week == 6 && wd == WD_FRI) return K_ABROAD;
	switch (wd) {
	case WD_TUE:
	case WD_THU:	return K_EASY;
	case WD_WED:	return K_WORKOUT;
	case WD_FRI:	return roll < 0.35 ? K_EASY : K_REST;
	case WD_SAT:	return roll < 0.6 ? K_SHORT : K_REST;
	case WD_SUN:	return K_LONG;
	default:	return K_REST;
	}
}

static void
fill(struct sb_store *st, struct sb_activity *a, enum kind k, int week,
    int64_t local_midnight, uint64_t *rng)
{
	double	 km, pace, hour;
	int64_t	 local;

	a->lat = PARIS_LAT + rnd(rng, -0.03, 0.03);
	a->lng = PARIS_LNG + rnd(rng, -0.04, 0.04);
	a->workout_type = 0;
	a->has_hr = rnd(rng, 0, 1) < 0.4;
	a->avg_hr = rnd(rng, 138, 150);
	a->elev_gain = rnd(rng, 15, 90);
	hour = rnd(rng, 0, 1) < 0.5 ? rnd(rng, 7.0, 7.75) : rnd(rng, 18.25, 19.5);
	km = rnd(rng, 6, 12);
	pace = rnd(rng, 320, 360);
	switch (k) {
	case K_SHORT:
		km = rnd(rng, 5, 8);
		break;
	case K_WORKOUT:
		km = rnd(rng, 8, 11);
		pace = rnd(rng, 285, 300);
		a->workout_type = 3;
		a->has_hr = true;
		a->avg_hr = rnd(rng, 158, 168);
		snprintf(a->name, sizeof(a->name), "%s", week % 2 ? "Tempo 3x2 km" : "Intervals 6x800 m");
		break;
	case K_LONG:
		km = 14 + week * 8.0 / (SB_SEED_WEEKS - 1) + rnd(rng, 0, 0.3);
		pace = rnd(rng, 340, 355);
		hour = 9.0;
		a->workout_type = 2;
		snprintf(a->name, sizeof(a->name), "Long Run");
		break;
	case K_TRAIL:
		km = 14.2;
		pace = 420;
		a->elev_gain = 420;
		a->lat = 48.79;
		a->lng = 2.11;
		strcpy(a->sport_type, "TrailRun");
		snprintf(a->name, sizeof(a->name), "Trail des Coteaux");
		break;
	case K_RIDE:
		km = 32.5;
		pace = 140;
		a->workout_type = -1;
		a->has_hr = false;
		strcpy(a->sport_type, "Ride");
		snprintf(a->name, sizeof(a->name), "Morning Ride");
		hour = 8.0;
		break;
	case K_PRIVATE:
		a->private_ = true;
		snprintf(a->name, sizeof(a->name), "Private recovery jog");
		break;
	case K_MANUAL:
		km = 8.0;
		pace = 337.5;
		a->manual = true;
		a->has_hr = false;
		a->elev_gain = 0;
		snprintf(a->name, sizeof(a->name), "Treadmill (manual entry)");
		break;
	case K_ABROAD:
		/* 23:30 in Sao Paulo is 02:30 UTC the next day. */
		strcpy(a->tz, "America/Sao_Paulo");
		a->lat = -23.587;
		a->lng = -46.657;
		hour = 23.5;
		km = 7.0;
		snprintf(a->name, sizeof(a->name), "Late run in Ibirapuera");
		break;
	default:
		break;
	}
	if (a->name[0] == '\0')
		snprintf(a->name, sizeof(a->name), "%s Run", hour < 12 ? "Morning" : "Evening");
	a->distance = (double)(long)(km * 1000 + rnd(rng, 0, 150)) + 0.1 * (long)rnd(rng, 0, 9);
	a->moving_time = (int)(a->distance / 1000 * pace);
	a->elapsed_time = a->moving_time + (a->manual ? 0 : (int)rnd(rng, 10, 240));
	a->max_speed = a->distance / a->moving_time * rnd(rng, 1.2, k == K_WORKOUT ? 1.55 : 1.35);
	a->max_hr = a->avg_hr + rnd(rng, 12, 22);
	a->max_hr = (double)(long)a->max_hr;
	a->elev_gain = round(a->elev_gain * 10) / 10;
	a->lat = round(a->lat * 1e6) / 1e6;
	a->lng = round(a->lng * 1e6) / 1e6;
	a->avg_hr = (double)(long)(a->avg_hr * 10) / 10;
	local = local_midnight + (int64_t)(hour * 60) * 60;
	a->start = sb_tz_to_utc(a->tz, local);
	a->created_at = a->start + a->elapsed_time + 600;
	a->upload_id = a->manual ? 0 : st->next_upload_id++;
}

int64_t
sb_seed(struct sb_store *st, uint64_t seed, int64_t now)
{
	struct sb_athlete	*ath = sb_athlete_add(st);
	struct sb_activity	*a;
	uint64_t		 rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	date_t			 today, first, d;
	enum kind		 k;
	int64_t			 id = ath->id;

	snprintf(ath->username, sizeof(ath->username), "sandy_strider");
	snprintf(ath->firstname, sizeof(ath->firstname), "Sandy");
	snprintf(ath->lastname, sizeof(ath->lastname), "Strider");
	snprintf(ath->city, sizeof(ath->city), "Paris");
	snprintf(ath->country, sizeof(ath->country), "France");
	strcpy(ath->sex, "F");
	ath->weight = 58.0;
	ath->created_at = 1615708800;		/* 2021-03-14 */
	today = (date_t)((now + sb_tz_offset(SB_DEFAULT_TZ, now)) / DAY);
	first = today - 7 * SB_SEED_WEEKS;
	for (d = first; d < today; d++) {
		k = day_kind((int)(d - first) / 7, date_weekday(d), &rng);
		if (k == K_REST)
			continue;
		a = sb_activity_add(st, id);
		fill(st, a, k, (int)(d - first) / 7, (int64_t)d * DAY, &rng);
		if (a->start + a->elapsed_time > now)	/* not in the future */
			sb_activity_delete(st, a->id);
	}
	return id;
}

void
sb_seed_fill(struct sb_store *st, int64_t athlete_id, uint64_t *rng, int64_t start)
{
	struct sb_activity	*a = sb_activity_add(st, athlete_id);
	int64_t			 local = start + sb_tz_offset(SB_DEFAULT_TZ, start);
	int64_t			 midnight = local - (local % DAY + DAY) % DAY;

	fill(st, a, K_EASY, 0, midnight, rng);
	/* Keep the caller's instant exactly, so bulk runs are evenly spaced. */
	a->start = start;
	a->created_at = start + a->elapsed_time + 600;
}
