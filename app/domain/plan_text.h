/*
 * plan_text: workout descriptions that read right in either unit.
 *
 * The generator writes each description once, as a template: plain text
 * with tokens where a distance or a pace goes.  Pages, the CSV export and
 * the iCalendar feed render the template in the runner's unit of the
 * moment, so a runner who switches from km to miles reads "5 mi easy at
 * 9:25-10:35/mi" under "Easy 5 mi", never a leftover "8 km ... /km".
 *
 * Tokens (integers only; distances in metres, paces in s/km):
 *   {d:M}            a distance: "8 km", "5 mi"
 *   {p:F:S}          a pace range: "5:51-6:34/km", "9:25-10:35/mi"
 *   {P:S}            one pace: "5:27/km"
 *   {R:N:M:F:S}      N reps of M metres at F..S s/km: "5 x 1 km at
 *                    3:50-4:00/km" when M is the unit, else the rep time
 *                    and the pace: "6 x 800 m in 3:04-3:12 (6:10-6:26/mi)"
 * Anything else, including a malformed token, is copied as it is, so
 * text a runner typed by hand renders unchanged.  Pure: no I/O.
 */
#ifndef CADENCE_PLAN_TEXT_H
#define CADENCE_PLAN_TEXT_H

#include <stddef.h>

#include "domain/units.h"

/*
 * Renders template t in unit u into out (n bytes, always terminated,
 * truncated if too small); returns the length it wanted, like snprintf.
 */
size_t	 plan_text_render(char *out, size_t n, const char *t, enum unit u);
/* "400 m", "1200 m", "1 km", "1 mile": a rep or jog as a track reads it. */
void	 plan_text_rep(char *out, size_t n, int metres);

#endif
