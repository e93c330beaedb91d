/*
 * spool: see spool.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "strava/spool.h"

#define SPOOL_SUFFIX	".json"

/* fsync()s a directory so a rename or unlink in it is durable. */
static int
sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* mkdir -p with SPOOL_DIR_MODE; a directory made here is synced too. */
static int
make_dir(const char *dir)
{
	char	 path[PATH_MAX], *p;
	size_t	 n = strlen(dir);

	if (n == 0 || n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, SPOOL_DIR_MODE) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, SPOOL_DIR_MODE) != 0)
		return errno == EEXIST ? 0 : -1;
	if ((p = strrchr(path, '/')) != NULL && p != path) {
		*p = '\0';
		(void)sync_dir(path);
	}
	return 0;
}

static void
new_id(spool_id_t id)
{
	struct timespec	ts;
	unsigned	rnd = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (unsigned)ts.tv_nsec ^ (unsigned)getpid() << 16;
	snprintf(id, SPOOL_ID_MAX, "%016lld-%d-%08x",
	    (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000,
	    (int)getpid(), rnd);
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
spool_write(const char *dir, const char *body, size_t len, spool_id_t id)
{
	char	 tmp[PATH_MAX], dst[PATH_MAX];
	int	 fd, saved;

	new_id(id);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, id) >=
	    (int)sizeof(tmp) || snprintf(dst, sizeof(dst), "%s/%s%s", dir,
	    id, SPOOL_SUFFIX) >= (int)sizeof(dst)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if (make_dir(dir) == -1)
		goto fail;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	if (write_all(fd, body, len) == -1 || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp, dst) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	if (sync_dir(dir) == -1)
		goto fail;	/* renamed, but not known to be durable */
	return 0;
fail:
	saved = errno;
	log_error("spool: cannot store an event in %s: %s", dir,
	    strerror(saved));
	errno = saved;
	return -1;
}

static int
cmp_ids(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* A ".ID.tmp" left by a writer that crashed before its rename. */
static void
drop_if_stale(const char *dir, const char *name)
{
	char		path[PATH_MAX];
	struct stat	st;
	size_t		n = strlen(name);

	if (n < 5 || strcmp(name + n - 4, ".tmp") != 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) == 0 && time(NULL) - st.st_mtime > SPOOL_STALE_TMP)
		unlink(path);
}

/* Index of the newest (largest) id in ids[0..n). */
static size_t
newest(spool_id_t *ids, size_t n)
{
	size_t i, m = 0;

	for (i = 1; i < n; i++)
		if (strcmp(ids[i], ids[m]) > 0)
			m = i;
	return m;
}

int
spool_list(const char *dir, spool_id_t *ids, size_t max)
{
	DIR		*d;
	struct dirent	*e;
	spool_id_t	 id;
	size_t		 n = 0, len, slen = strlen(SPOOL_SUFFIX), top = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	/*
	 * Every name is read, not just the first max, so that the oldest are
	 * found (readdir() order is arbitrary): once ids is full, an older
	 * name replaces the newest kept.
	 */
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			drop_if_stale(dir, e->d_name);
			continue;
		}
		len = strlen(e->d_name);
		if (len <= slen || len - slen >= SPOOL_ID_MAX ||
		    strcmp(e->d_name + len - slen, SPOOL_SUFFIX) != 0)
			continue;
		memcpy(id, e->d_name, len - slen);
		id[len - slen] = '\0';
		if (n < max) {
			memcpy(ids[n++], id, sizeof(id));
			continue;
		}
		if (max == 0)
			continue;
		if (strcmp(id, ids[top = newest(ids, n)]) < 0)
			memcpy(ids[top], id, sizeof(id));
	}
	closedir(d);
	qsort(ids, n, sizeof(*ids), cmp_ids);
	return (int)n;
}

int
spool_read(const char *dir, const char *id, buf_t *out)
{
	char	 path[PATH_MAX], chunk[4096];
	int	 fd;
	ssize_t	 n;

	buf_reset(out);
	snprintf(path, sizeof(path), "%s/%s%s", dir, id, SPOOL_SUFFIX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len + (size_t)n > SPOOL_MAX_FILE) {
			close(fd);
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int
spool_remove(const char *dir, const char *id)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s%s", dir, id, SPOOL_SUFFIX);
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	return sync_dir(dir);
}

int
spool_quarantine(const char *dir, const char *id)
{
	char src[PATH_MAX], dst[PATH_MAX];

	snprintf(src, sizeof(src), "%s/%s%s", dir, id, SPOOL_SUFFIX);
	snprintf(dst, sizeof(dst), "%s/%s.bad", dir, id);
	if (rename(src, dst) == -1 && errno != ENOENT)
		return -1;
	log_error("spool: %s cannot be stored: set aside as %s", id, dst);
	return sync_dir(dir);
}
