/*
 * pages: the handlers of the route table (web/routes.c), one file per
 * area.  Each takes the validated request and fills the response; none
 * writes to the client or frees request memory.
 */
#ifndef CADENCE_PAGES_H
#define CADENCE_PAGES_H

#include "web/http.h"

/* health.c */
int	page_livez(struct request *, struct response *);
int	page_readyz(struct request *, struct response *);

/* home.c */
int	page_home(struct request *, struct response *);

#endif
