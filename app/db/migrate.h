/*
 * migrate: applies sql/NNN_name.sql files in order, each in its own
 * transaction, and records each (with a checksum) in schema_migrations, so
 * running it twice changes nothing and an edited, already applied file is
 * refused rather than silently ignored.
 */
#ifndef CADENCE_MIGRATE_H
#define CADENCE_MIGRATE_H

struct db;

#define MIGRATE_MAX_FILES	999
#define MIGRATE_MAX_SIZE	(4 * 1024 * 1024)

/* Returns the number of migrations applied now, or -1 (logged). */
int	migrate_run(struct db *, const char *dir);

#endif
