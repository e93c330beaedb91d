/*
 * garmin-sandbox: a local stand-in for the Garmin Connect Developer
 * Program's contract, for tests and `make run`.  See docs/garmin-sandbox.md.
 *
 *   garmin-sandbox [--listen 127.0.0.1:PORT] [--client-id ID]
 *       [--client-secret SECRET] [--public-url URL] [--callback-url URL]
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/util.h"
#include "garmin_sandbox/gm.h"

#define DEFAULT_LISTEN		"127.0.0.1:8091"
#define DEFAULT_CLIENT_ID	"garmin-sandbox-client"
#define DEFAULT_SECRET		"garmin-sandbox-secret"
#define POLL_MS			500

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	stopping = sig;
}

static void
route(void *ctx, struct sb_request *req, struct sb_response *res)
{
	struct gm_app *app = ctx;

	if (!gm_oauth_route(app, req, res) && !gm_wellness_route(app, req, res) &&
	    !gm_training_route(app, req, res) && !gm_control_route(app, req, res))
		gm_error(res, 404, "Not found");
	fprintf(stderr, "garmin-sandbox: %s %s -> %d\n", req->method, req->path,
	    res->status);
}

static void
usage(void)
{
	fprintf(stderr, "usage: garmin-sandbox [--listen 127.0.0.1:PORT] [--client-id ID]\n"
	    "    [--client-secret SECRET] [--public-url URL] [--callback-url URL]\n");
	exit(2);
}

/* An option's value: the argument, else the environment, else the default. */
static const char *
opt(int argc, char **argv, const char *name, const char *env, const char *def)
{
	const char *v = getenv(env);
	int i;

	for (i = 1; i < argc - 1; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return v != NULL && *v != '\0' ? v : def;
}

static void
check_args(int argc, char **argv)
{
	static const char *const known[] = { "--listen", "--client-id",
	    "--client-secret", "--public-url", "--callback-url" };
	size_t k;
	int i;

	for (i = 1; i < argc; i += 2) {
		for (k = 0; k < NELEM(known); k++)
			if (strcmp(argv[i], known[k]) == 0)
				break;
		if (k == NELEM(known) || i + 1 >= argc)
			usage();
	}
}

/* --callback-url: every notification type to the one URL. */
static int
set_callback(struct gm_app *app, const char *url)
{
	if (url == NULL)
		return 0;
	if (strlen(url) >= GM_URL_MAX || (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)) {
		fprintf(stderr, "garmin-sandbox: bad --callback-url %s\n", url);
		return -1;
	}
	snprintf(app->cfg.activities_url, GM_URL_MAX, "%s", url);
	snprintf(app->cfg.activity_details_url, GM_URL_MAX, "%s", url);
	snprintf(app->cfg.deregistrations_url, GM_URL_MAX, "%s", url);
	snprintf(app->cfg.permissions_url, GM_URL_MAX, "%s", url);
	return 0;
}

static void
serve(struct gm_app *app, int lfd)
{
	struct pollfd pfd = { lfd, POLLIN, 0 };

	while (!stopping)
		if (poll(&pfd, 1, POLL_MS) > 0 && (pfd.revents & POLLIN))
			sb_http_serve_one(lfd, route, app);
}

int
main(int argc, char **argv)
{
	struct gm_app *app;
	struct sigaction sa;
	const char *pub;
	int lfd, port;

	check_args(argc, argv);
	if (sodium_init() < 0)
		return 1;
	/* Big arrays: on the heap. */
	app = xcalloc(1, sizeof(*app));
	snprintf(app->client_id, sizeof(app->client_id), "%s",
	    opt(argc, argv, "--client-id", "GARMIN_SANDBOX_CLIENT_ID", DEFAULT_CLIENT_ID));
	snprintf(app->client_secret, sizeof(app->client_secret), "%s",
	    opt(argc, argv, "--client-secret", "GARMIN_SANDBOX_CLIENT_SECRET", DEFAULT_SECRET));
	gm_reset(app);
	if (set_callback(app, opt(argc, argv, "--callback-url",
	    "GARMIN_SANDBOX_CALLBACK_URL", NULL)) != 0)
		return 1;
	lfd = sb_http_listen(opt(argc, argv, "--listen", "GARMIN_SANDBOX_LISTEN",
	    DEFAULT_LISTEN), &port);
	if (lfd < 0)
		return 1;
	pub = opt(argc, argv, "--public-url", "GARMIN_SANDBOX_PUBLIC_URL", NULL);
	if (pub != NULL)
		snprintf(app->base_url, sizeof(app->base_url), "%s", pub);
	else
		snprintf(app->base_url, sizeof(app->base_url), "http://127.0.0.1:%d", port);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must wake up */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	app->wh = sb_webhook_start();
	printf("garmin-sandbox listening on http://127.0.0.1:%d\n", port);
	fflush(stdout);
	serve(app, lfd);
	fprintf(stderr, "garmin-sandbox: signal %d, exiting\n", (int)stopping);
	close(lfd);
	sb_webhook_stop(app->wh);
	gm_reset(app);
	free(app);
	curl_global_cleanup();
	return 0;
}
