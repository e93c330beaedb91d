/*
 * view: turns a page's data into HTML through templates/ and puts it in the
 * response.  Adds what every page shows (site, signed-in runner, CSRF
 * token, flash message, sandbox banner) so handlers pass only their own
 * data.  The compiled templates are loaded by the master before fork (and
 * again on SIGHUP) and are read-only in workers.
 */
#ifndef CADENCE_VIEW_H
#define CADENCE_VIEW_H

#include <jansson.h>

#include "web/http.h"

/* Loads and strictly checks every template of dir; keeps the old set on error. */
int	view_init(const char *dir, char *err, size_t errlen);
void	view_free(void);

/*
 * Renders template tpl with data (reference stolen) into res with status.
 * A render failure becomes the 500 page.  Returns 0, or -1 if even that
 * failed (the response then holds a plain-text 500).
 */
int	view_page(struct request *, struct response *, int status,
	    const char *tpl, json_t *data);
/*
 * Markup Cadence's own code built (an SVG chart of view/svg.h, every text
 * in it escaped), for a page: view_page_markup() renders tpl like
 * view_page(), then puts each html where the template has the slot
 *	<div class="svg-slot" data-slot="NAME"></div>
 * (VIEW_SLOT("NAME")).  Templates cannot output raw text, and data is
 * escaped, so no data can make a slot: only the template's own text can.
 * A slot the page has no markup for stays empty; a markup without its
 * slot is dropped (and logged).
 */
#define VIEW_SLOT(name)	"<div class=\"svg-slot\" data-slot=\"" name "\"></div>"
struct view_markup {
	const char	*slot;		/* NAME: [a-z0-9-] */
	const char	*html;		/* NULL: leave the slot empty */
};
int	view_page_markup(struct request *, struct response *, int status,
	    const char *tpl, json_t *data, const struct view_markup *,
	    size_t n);

/* The error page for status with a message a person understands. */
void	view_error(struct request *, struct response *, int status,
	    const char *message);
/* Sets a one-time message shown on the next page (see view.c's table). */
void	view_flash(struct request *, struct response *, const char *key);

#endif
