/*
 * dispatch: everything between "a request arrived" and "a response is
 * ready", independent of FastCGI: routing, 404/405, the database check
 * (503), body parsing (400/413), the session, sign-in and CSRF gates
 * (403), the handler, and turning a failure into a clean error page.
 */
#ifndef CADENCE_DISPATCH_H
#define CADENCE_DISPATCH_H

#include "web/http.h"

/* Checks the route table's invariants; -1 with a message if broken. */
int	dispatch_check_routes(char *err, size_t errlen);
void	dispatch(struct request *, struct response *);

#endif
