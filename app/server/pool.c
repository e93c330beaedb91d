#include <errno.h>
#include <fcgiapp.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "view/shared_cache.h"
#include "view/view.h"
#include "server/dispatch.h"
#include "server/pool.h"
#include "server/respawn.h"
#include "server/routes.h"
#include "web/router.h"
#include "server/worker.h"

#define POOL_BACKLOG		1024
#define STUCK_GRACE		5	/* seconds past the deadline */

child_main_fn pool_job_main;

struct child {
	pid_t		 pid;
	enum child_kind	 kind;
	int		 slot;
	unsigned	 generation;
	bool		 retiring;
	double		 started;	/* monotonic seconds */
};

struct pool {
	struct config		*cfg;
	struct scoreboard	*sb;
	int			 listen_fd;
	struct child		 children[SCOREBOARD_SLOTS];
	unsigned		 generation;
	bool			 stopping;
	double			 stop_started;
	double			 last_term;
	struct respawn		 respawn[CHILD__MAX];	/* per kind */
};

static const char *const kind_names[CHILD__MAX] = { "web", "job" };

/* ---- the socket ------------------------------------------------------ */

/* True if a live server already answers on path. */
static bool
socket_in_use(const char *path)
{
	struct sockaddr_un	 sa;
	int			 fd, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return false;
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return false;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return rc == 0;
}

/* Binds the socket readable by its owner and, if set, the socket group. */
static int
open_socket(const struct config *cfg)
{
	struct group	*gr = NULL;
	mode_t		 old;
	int		 fd;

	if (socket_in_use(cfg->socket_path)) {
		log_error("%s is in use: is Cadence already running?",
		    cfg->socket_path);
		return -1;
	}
	if (cfg->socket_group[0] != '\0' &&
	    (gr = getgrnam(cfg->socket_group)) == NULL) {
		log_error("CADENCE_SOCKET_GROUP: no group %s", cfg->socket_group);
		return -1;
	}
	unlink(cfg->socket_path);
	old = umask(0117);	/* never a moment with looser permissions */
	fd = FCGX_OpenSocket(cfg->socket_path, POOL_BACKLOG);
	umask(old);
	if (fd < 0) {
		log_error("cannot listen on %s: %s", cfg->socket_path,
		    strerror(errno));
		return -1;
	}
	if (gr != NULL && chown(cfg->socket_path, (uid_t)-1, gr->gr_gid) != 0) {
		log_error("chown %s: %s", cfg->socket_path, strerror(errno));
		close(fd);
		return -1;
	}
	chmod(cfg->socket_path, 0660);
	return fd;
}

/* ---- children -------------------------------------------------------- */

static int
desired(const struct pool *p, enum child_kind k)
{
	if (k == CHILD_WEB)
		return p->cfg->workers;
	return pool_job_main != NULL ? p->cfg->job_workers : 0;
}

static int
free_slot(const struct pool *p)
{
	int i;

	for (i = 0; i < SCOREBOARD_SLOTS; i++)
		if (p->children[i].pid == 0)
			return i;
	return -1;
}

static void
child_signals_default(void)
{
	sigset_t		 none;
	struct sigaction	 sa;
	int			 sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD,
				    SIGQUIT };
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < NELEM(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * Children leave with _exit (the master's atexit handlers are not
 * theirs); in a sanitizer build, check for leaks first, which exit()
 * would have done.
 */
__attribute__((noreturn)) static void
child_exit(int status)
{
#if defined(__SANITIZE_ADDRESS__)
	__lsan_do_leak_check();
#endif
	_exit(status);
}

static void
spawn(struct pool *p, enum child_kind kind)
{
	int		 slot = free_slot(p);
	pid_t		 pid;
	struct slot	*s;

	if (slot < 0) {
		log_error("pool: no free slot for a %s worker", kind_names[kind]);
		return;
	}
	s = &p->sb->slots[slot];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->generation = p->generation;
	if ((pid = fork()) < 0) {
		log_error("pool: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		child_main_fn fn = kind == CHILD_WEB ? worker_main : pool_job_main;

		child_signals_default();
		child_exit(fn(p->cfg, p->sb, slot, p->listen_fd));
	}
	s->pid = pid;
	p->children[slot] = (struct child){ pid, kind, slot, p->generation,
	    false, monotonic_now() };
}

/* Adds a dead slot's counters to the retired totals, so they never drop. */
static void
retire_metrics(struct scoreboard *sb, struct slot *s)
{
	size_t i, k;

	sb->retired_db[0] += s->db_replica;
	sb->retired_db[1] += s->db_primary;
	sb->retired_db[2] += s->db_fallbacks;
	for (i = 0; i < METRIC_ROUTES; i++) {
		for (k = 0; k < 6; k++)
			sb->retired[i].status[k] += s->metrics[i].status[k];
		for (k = 0; k < METRIC_BUCKETS; k++)
			sb->retired[i].buckets[k] += s->metrics[i].buckets[k];
		sb->retired[i].sum_ms += s->metrics[i].sum_ms;
	}
	memset(s, 0, sizeof(*s));
}

static void
note_death(struct pool *p, const struct child *c, bool ready, double now)
{
	struct respawn *r = &p->respawn[c->kind];

	p->sb->worker_deaths++;
	if (respawn_note_death(r, ready, now))
		log_error("pool: %s workers crash while starting; next respawn "
		    "in %.0f s (%d kept running)", kind_names[c->kind],
		    r->backoff, respawn_floor(desired(p, c->kind)));
}

static void
reap(struct pool *p)
{
	struct child	*c;
	struct slot	*s;
	pid_t		 pid;
	int		 status, i;
	bool		 abnormal, ready;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < SCOREBOARD_SLOTS; i++)
			if (p->children[i].pid == pid)
				break;
		if (i == SCOREBOARD_SLOTS)
			continue;
		c = &p->children[i];
		s = &p->sb->slots[c->slot];
		ready = s->ready != 0;
		abnormal = WIFSIGNALED(status) ||
		    (WIFEXITED(status) && WEXITSTATUS(status) != 0);
		if (abnormal && !p->stopping) {
			if (WIFSIGNALED(status))
				log_error("%s worker %d died (signal %d)%s%s",
				    kind_names[c->kind], pid, WTERMSIG(status),
				    s->busy ? " while serving route " : "",
				    s->busy ? s->route : "");
			else
				log_error("%s worker %d exited with status %d%s%s",
				    kind_names[c->kind], pid, WEXITSTATUS(status),
				    s->busy ? " while serving route " : "",
				    s->busy ? s->route : "");
			note_death(p, c, ready, monotonic_now());
		}
		retire_metrics(p->sb, s);
		memset(c, 0, sizeof(*c));
	}
}

static int
count_live(const struct pool *p, enum child_kind kind)
{
	int i, n = 0;

	for (i = 0; i < SCOREBOARD_SLOTS; i++)
		if (p->children[i].pid != 0 && p->children[i].kind == kind &&
		    !p->children[i].retiring)
			n++;
	return n;
}

static bool
any_retiring(const struct pool *p)
{
	int i;

	for (i = 0; i < SCOREBOARD_SLOTS; i++)
		if (p->children[i].pid != 0 && p->children[i].retiring)
			return true;
	return false;
}

static void
retire(struct child *c)
{
	c->retiring = true;
	kill(c->pid, SIGTERM);
}

/*
 * After SIGHUP, one old child at a time is retired; the fill step below
 * starts its replacement in the same tick, so capacity never drops.
 */
static void
roll(struct pool *p)
{
	int i;

	if (any_retiring(p))
		return;
	for (i = 0; i < SCOREBOARD_SLOTS; i++) {
		struct child *c = &p->children[i];

		if (c->pid != 0 && c->generation != p->generation) {
			retire(c);
			return;
		}
	}
}

static void
fill_and_trim(struct pool *p, double now)
{
	enum child_kind	 k;
	int		 live, want, i, n;

	for (k = 0; k < CHILD__MAX; k++) {
		live = count_live(p, k);
		want = desired(p, k);
		for (n = respawn_count(&p->respawn[k], live, want, now); n > 0;
		    n--, live++)
			spawn(p, k);
		for (i = SCOREBOARD_SLOTS - 1; i >= 0 && live > want; i--) {
			struct child *c = &p->children[i];

			if (c->pid != 0 && c->kind == k && !c->retiring) {
				retire(c);
				live--;
			}
		}
	}
}

/* Backstop: a web worker whose alarm did not fire is killed. */
static void
kill_stuck(struct pool *p, double now)
{
	int i;

	for (i = 0; i < SCOREBOARD_SLOTS; i++) {
		struct child	*c = &p->children[i];
		struct slot	*s = &p->sb->slots[i];

		if (c->pid == 0 || c->kind != CHILD_WEB || !s->busy)
			continue;
		if (now - s->started > p->cfg->request_timeout + STUCK_GRACE) {
			log_error("web worker %d stuck in route %s: killed",
			    c->pid, s->route);
			kill(c->pid, SIGKILL);
			p->sb->worker_kills++;
		}
	}
}

/* ---- signals and the main loop --------------------------------------- */

static void
reload(struct pool *p)
{
	struct config	 fresh;
	char		 err[512];

	if (config_load(&fresh, err, sizeof(err)) == -1)
		log_error("reload: keeping the old configuration: %s", err);
	else if (strcmp(fresh.socket_path, p->cfg->socket_path) != 0)
		log_error("reload: CADENCE_SOCKET cannot change on reload; "
		    "keeping the old configuration");
	else
		*p->cfg = fresh;
	if (view_init(p->cfg->templates_dir, err, sizeof(err)) == -1)
		log_error("reload: keeping the old templates: %s", err);
	p->generation++;
	log_info("reload: replacing workers one by one");
}

static void
begin_stop(struct pool *p, double now)
{
	int i;

	p->stopping = true;
	p->stop_started = now;
	log_info("stopping: letting requests in flight finish");
	for (i = 0; i < SCOREBOARD_SLOTS; i++)
		if (p->children[i].pid != 0)
			kill(p->children[i].pid, SIGTERM);
	p->last_term = now;
}

/* True when every child is gone. */
static bool
continue_stop(struct pool *p, double now)
{
	int	 i, live = 0;
	bool	 force = now - p->stop_started > p->cfg->shutdown_timeout;
	bool	 again = now - p->last_term >= 1.0;

	for (i = 0; i < SCOREBOARD_SLOTS; i++) {
		if (p->children[i].pid == 0)
			continue;
		live++;
		/* Resent: a TERM that landed just before accept() is lost. */
		if (force)
			kill(p->children[i].pid, SIGKILL);
		else if (again)
			kill(p->children[i].pid, SIGTERM);
	}
	if (again)
		p->last_term = now;
	return live == 0;
}

static void
block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigprocmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
supervise(struct pool *p)
{
	sigset_t	 set;
	struct timespec	 tick = { 0, 200 * 1000 * 1000 };
	double		 now;
	int		 sig;

	block_signals(&set);
	for (;;) {
		now = monotonic_now();
		reap(p);
		if (p->stopping) {
			if (continue_stop(p, now))
				return;
		} else {
			roll(p);
			fill_and_trim(p, now);
			kill_stuck(p, now);
		}
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) {
			if (!p->stopping)
				begin_stop(p, monotonic_now());
		} else if (sig == SIGHUP && !p->stopping)
			reload(p);
	}
}

int
pool_run(struct config *cfg)
{
	struct pool	*p = xcalloc(1, sizeof(*p));
	char		 err[512];
	int		 rc = 1;

	p->cfg = cfg;
	for (int k = 0; k < CHILD__MAX; k++)
		respawn_init(&p->respawn[k]);
	if (router_init(routes, nroutes, err, sizeof(err)) == -1 ||
	    dispatch_check_routes(err, sizeof(err)) == -1 ||
	    view_init(cfg->templates_dir, err, sizeof(err)) == -1) {
		log_error("%s", err);
		goto out;
	}
	FCGX_Init();
	if ((p->listen_fd = open_socket(cfg)) < 0)
		goto out;
	/* Before the first fork: every worker inherits the same mapping. */
	if (shared_cache_create(cfg->page_cache_mb) == -1)
		log_warn("page cache: %d MB not mapped (%s); each worker keeps "
		    "its own", cfg->page_cache_mb, strerror(errno));
	p->sb = scoreboard_create();
	log_info("cadence: %d web workers, %d job workers on %s",
	    cfg->workers, desired(p, CHILD_JOB), cfg->socket_path);
	supervise(p);
	unlink(cfg->socket_path);
	close(p->listen_fd);
	log_info("cadence: stopped");
	rc = 0;
out:
	view_free();
	router_free();
	free(p);
	return rc;
}
