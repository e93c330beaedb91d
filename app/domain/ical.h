/*
 * ical: writes the training plan as an iCalendar feed (RFC 5545), one
 * all-day VEVENT per workout, for calendar apps to subscribe to.
 *
 * Output follows the RFC's wire rules: CRLF line endings, content lines
 * folded to at most ICAL_LINE_MAX octets without splitting a UTF-8
 * sequence (continuation lines start with one space), TEXT values with
 * backslash, semicolon, comma and newlines escaped, control characters
 * dropped and invalid UTF-8 replaced by U+FFFD.  Pure: the caller passes
 * the DTSTAMP time, nothing here reads the clock.
 *
 *	ical_begin(&b, "Cadence: Marathon plan");
 *	for each workout: ical_event(&b, &ev, now);
 *	ical_end(&b);
 */
#ifndef CADENCE_ICAL_H
#define CADENCE_ICAL_H

#include <stdint.h>

#include "core/buf.h"
#include "domain/date.h"

#define ICAL_PRODID		"-//Cadence//Training Plan//EN"
#define ICAL_UID_DOMAIN		"cadence"
#define ICAL_LINE_MAX		75		/* octets, without the CRLF */
#define ICAL_URL_MAX		2048
/* SEQUENCE counts seconds since this instant (2020-01-01T00:00:00Z),
 * which grows with every edit and fits the RFC's 32-bit INTEGER. */
#define ICAL_SEQUENCE_EPOCH	1577836800

struct ical_event {
	const char	*id;		/* workout UUID; UID is <id>@cadence */
	date_t		 date;		/* the all-day event's date */
	const char	*summary;	/* "Tempo 8 km" */
	const char	*description;	/* NULL or "": none */
	const char	*pace;		/* NULL or "": none; "Pace: <pace>" */
	const char	*url;		/* NULL: none; http(s) only */
	int64_t		 updated;	/* epoch seconds; <= 0: unknown */
};

void	 ical_begin(buf_t *, const char *calname);
void	 ical_event(buf_t *, const struct ical_event *, int64_t dtstamp);
void	 ical_end(buf_t *);

/* Appends s as an escaped TEXT value (not folded). */
void	 ical_escape_text(buf_t *, const char *s, size_t len);
/* Appends one content line folded, with its CRLF(s). */
void	 ical_fold(buf_t *, const char *line, size_t len);
/* Writes epoch as 20240131T235959Z and a NUL (17 bytes). */
void	 ical_format_utc(int64_t epoch, char out[17]);
/* "Tempo 8 km", "Long run 21.1 km"; just the label when distance <= 0. */
void	 ical_summary(buf_t *, const char *label, int64_t distance_m);

#endif
