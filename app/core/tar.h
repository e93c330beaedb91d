/*
 * tar: writes a gzip-compressed POSIX ustar archive (the .tar.gz every
 * system opens), one regular file at a time, with zlib.  Names are
 * limited to ustar's 100 bytes (no prefix field is used), sizes to 8 GiB.
 */
#ifndef CADENCE_TAR_H
#define CADENCE_TAR_H

#include <stddef.h>
#include <time.h>

#define TAR_BLOCK	512
#define TAR_NAME_MAX	99

struct tar;

/* Creates path (mode 0600); NULL with errno on failure. */
struct tar	*tar_create(const char *path);
/* Adds a file named name with len bytes of data; 0 or -1. */
int		 tar_add(struct tar *, const char *name, const void *data,
		    size_t len, time_t mtime);
/* Ends the archive and closes it; 0, or -1 when anything failed. */
int		 tar_close(struct tar *);

#endif
