/*
 * strava-sandbox: a local stand-in for Strava's OAuth 2, REST v3 and
 * webhook contract, for tests and `make run`.  See docs/strava-sandbox.md.
 *
 *   strava-sandbox [--listen 127.0.0.1:PORT] [--client-id ID]
 *       [--client-secret SECRET] [--state FILE] [--public-url URL] [--seed N]
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/util.h"
#include "sandbox/app.h"
#include "sandbox/seed.h"

#define DEFAULT_LISTEN		"127.0.0.1:8090"
#define DEFAULT_CLIENT_ID	1000
#define DEFAULT_SECRET		"sandbox-secret"
#define POLL_MS			500

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	stopping = sig;
}

int64_t
sb_now(void)
{
	return (int64_t)time(NULL);
}

void
sb_app_changed(struct sb_app *app)
{
	sb_store_save(&app->store);
}

void
sb_app_reset(struct sb_app *app)
{
	sb_store_clear(&app->store, true);
	sb_seed(&app->store, app->seed, sb_now());
	sb_webhook_log_clear(app->wh);
	sb_app_changed(app);
}

static void
route(void *ctx, struct sb_request *req, struct sb_response *res)
{
	struct sb_app *app = ctx;

	if (!sb_oauth_route(app, req, res) && !sb_api_route(app, req, res) &&
	    !sb_pages_route(app, req, res) && !sb_control_route(app, req, res))
		sb_error(res, 404, "Record Not Found", "resource", "path", "invalid");
	fprintf(stderr, "strava-sandbox: %s %s -> %d\n", req->method, req->path, res->status);
}

static void
usage(void)
{
	fprintf(stderr, "usage: strava-sandbox [--listen 127.0.0.1:PORT] [--client-id ID]\n"
	    "    [--client-secret SECRET] [--state FILE] [--public-url URL] [--seed N]\n");
	exit(2);
}

/* An option's value: the argument, else the environment, else the default. */
static const char *
opt(int argc, char **argv, const char *name, const char *env, const char *def)
{
	const char	*v = getenv(env);
	int		 i;

	for (i = 1; i < argc - 1; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return v != NULL && *v != '\0' ? v : def;
}

static void
check_args(int argc, char **argv)
{
	static const char *const known[] = { "--listen", "--client-id",
	    "--client-secret", "--state", "--public-url", "--seed" };
	size_t	 k;
	int	 i;

	for (i = 1; i < argc; i += 2) {
		for (k = 0; k < NELEM(known); k++)
			if (strcmp(argv[i], known[k]) == 0)
				break;
		if (k == NELEM(known) || i + 1 >= argc)
			usage();
	}
}

int
main(int argc, char **argv)
{
	struct sb_app		 app;
	struct sigaction	 sa;
	struct pollfd		 pfd;
	const char		*state, *public_url;
	int64_t			 client_id, seed;
	int			 lfd, port, loaded = 1;

	check_args(argc, argv);
	if (!parse_int64(opt(argc, argv, "--client-id", "STRAVA_SANDBOX_CLIENT_ID", "1000"),
	    1, INT64_MAX, &client_id) ||
	    !parse_int64(opt(argc, argv, "--seed", "STRAVA_SANDBOX_SEED", "42"),
	    0, INT64_MAX, &seed))
		usage();
	memset(&app, 0, sizeof(app));
	app.seed = (uint64_t)seed;
	sb_store_init(&app.store, client_id,
	    opt(argc, argv, "--client-secret", "STRAVA_SANDBOX_CLIENT_SECRET", DEFAULT_SECRET));
	state = opt(argc, argv, "--state", "STRAVA_SANDBOX_STATE", NULL);
	if (state != NULL && (loaded = sb_store_load(&app.store, state)) < 0)
		return 1;
	if (loaded == 1) {			/* fresh start: seed and save */
		sb_seed(&app.store, app.seed, sb_now());
		sb_app_changed(&app);
	}
	lfd = sb_http_listen(opt(argc, argv, "--listen", "STRAVA_SANDBOX_LISTEN",
	    DEFAULT_LISTEN), &port);
	if (lfd < 0)
		return 1;
	public_url = opt(argc, argv, "--public-url", "STRAVA_SANDBOX_PUBLIC_URL", NULL);
	if (public_url != NULL)
		snprintf(app.base_url, sizeof(app.base_url), "%s", public_url);
	else
		snprintf(app.base_url, sizeof(app.base_url), "http://127.0.0.1:%d", port);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must wake up */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	app.wh = sb_webhook_start();

	printf("strava-sandbox listening on http://127.0.0.1:%d\n", port);
	fflush(stdout);
	pfd.fd = lfd;
	pfd.events = POLLIN;
	while (!stopping) {
		if (poll(&pfd, 1, POLL_MS) > 0 && (pfd.revents & POLLIN))
			sb_http_serve_one(lfd, route, &app);
	}
	fprintf(stderr, "strava-sandbox: signal %d, exiting\n", (int)stopping);
	close(lfd);
	sb_webhook_stop(app.wh);
	sb_store_free(&app.store);
	curl_global_cleanup();
	return 0;
}
