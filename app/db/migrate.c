#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"

/* Serialises concurrent `cadence migrate` runs (several hosts deploying). */
#define MIGRATE_LOCK_KEY	"7261636564616e63"

static const struct db_stmt q_applied = DB_STMT("migrate_applied",
    "SELECT checksum FROM schema_migrations WHERE version = $1");
enum { MA_CHECKSUM, MA__MAX };
static const struct db_stmt q_record = DB_STMT("migrate_record",
    "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)");

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted NNN_name.sql file names of dir; NULL on error. */
static char **
list_files(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*e;
	regex_t		 re;
	char		**v;

	if ((d = opendir(dir)) == NULL) {
		log_error("migrate: cannot open %s: %s", dir, strerror(errno));
		return NULL;
	}
	regcomp(&re, "^[0-9]{3}_[a-z0-9_]+\\.sql$", REG_EXTENDED | REG_NOSUB);
	v = xcalloc(MIGRATE_MAX_FILES + 1, sizeof(*v));
	*n = 0;
	while ((e = readdir(d)) != NULL && *n < MIGRATE_MAX_FILES)
		if (regexec(&re, e->d_name, 0, NULL, 0) == 0)
			v[(*n)++] = xstrdup(e->d_name);
	regfree(&re);
	closedir(d);
	qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*s;

	if (f == NULL)
		return NULL;
	s = xmalloc(MIGRATE_MAX_SIZE + 1);
	*len = fread(s, 1, MIGRATE_MAX_SIZE + 1, f);
	fclose(f);
	if (*len > MIGRATE_MAX_SIZE) {
		free(s);
		return NULL;
	}
	s[*len] = '\0';
	return s;
}

static void
checksum(const char *s, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* 1 applied now, 0 already applied, -1 error. */
static int
apply_one(struct db *db, const char *dir, const char *file)
{
	char		 path[4096], hex[65], version[4];
	char		*sql;
	size_t		 len;
	PGresult	*r;
	const char	*p[2];
	int		 rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((sql = read_file(path, &len)) == NULL) {
		log_error("migrate: cannot read %s", path);
		return -1;
	}
	checksum(sql, len, hex);
	memcpy(version, file, 3);
	version[3] = '\0';
	p[0] = version;
	p[1] = hex;
	if ((r = db_exec(db, &q_applied, 1, p)) == NULL)
		goto out;
	if (PQntuples(r) == 1) {
		rc = 0;
		if (strcmp(db_val(r, 0, MA_CHECKSUM), hex) != 0) {
			log_error("migrate: %s was changed after it was applied;"
			    " add a new migration instead", file);
			rc = -1;
		}
		PQclear(r);
		goto out;
	}
	PQclear(r);
	if (db_begin(db) == -1)
		goto out;
	if (db_simple(db, sql) == -1 || db_run(db, &q_record, 2, p) != 1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		log_error("migrate: %s failed; nothing of it was applied", file);
		goto out;
	}
	log_info("migrate: applied %s", file);
	rc = 1;
out:
	free(sql);
	return rc;
}

int
migrate_run(struct db *db, const char *dir)
{
	char	**files;
	size_t	  n = 0, i;
	int	  applied = 0, rc;

	if (sodium_init() < 0 || !db_ready(db))
		return -1;
	if ((files = list_files(dir, &n)) == NULL)
		return -1;
	if (db_simple(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version TEXT PRIMARY KEY, checksum TEXT NOT NULL, "
	    "applied_at TIMESTAMP NOT NULL DEFAULT NOW())") == -1 ||
	    db_simple(db, "SELECT pg_advisory_lock(x'" MIGRATE_LOCK_KEY
	    "'::bigint)") == -1)
		applied = -1;
	for (i = 0; applied >= 0 && i < n; i++) {
		if ((rc = apply_one(db, dir, files[i])) < 0)
			applied = -1;
		else
			applied += rc;
	}
	(void)db_simple(db, "SELECT pg_advisory_unlock_all()");
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return applied;
}
