/*
 * dispatch: everything between "a request arrived" and "a response is
 * ready", independent of FastCGI: routing, 404/405, the database check
 * (503), body parsing (400/413), the session, sign-in and CSRF gates
 * (403), the access check (404, db/access.h), the handler, and turning
 * a failure into a clean error page.
 */
#ifndef CADENCE_DISPATCH_H
#define CADENCE_DISPATCH_H

#include "web/http.h"

struct route;

/*
 * Checks a route's invariants (state-changing routes check CSRF; a
 * route with an id says what it names for the access layer); -1 with a
 * message if broken.
 */
int	dispatch_check_route(const struct route *, char *err, size_t errlen);
/* The same for every route of the table. */
int	dispatch_check_routes(char *err, size_t errlen);
void	dispatch(struct request *, struct response *);

#endif
