/*
 * tar: see tar.h.  A ustar header is one 512-byte block of octal text
 * fields with a checksum; the data follows, padded to a block; two zero
 * blocks end the archive.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/tar.h"
#include "core/util.h"

struct tar {
	gzFile	 gz;
	int	 failed;
};

struct tar *
tar_create(const char *path)
{
	struct tar	*t;
	int		 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	if ((t->gz = gzdopen(fd, "wb6")) == NULL) {
		close(fd);
		free(t);
		return NULL;
	}
	return t;
}

static void
put(struct tar *t, const void *p, size_t len)
{
	if (len > 0 && gzwrite(t->gz, p, (unsigned)len) != (int)len)
		t->failed = 1;
}

static void
octal(char *field, size_t width, unsigned long long v)
{
	snprintf(field, width, "%0*llo", (int)width - 1, v);
}

int
tar_add(struct tar *t, const char *name, const void *data, size_t len,
    time_t mtime)
{
	unsigned char	 h[TAR_BLOCK], zero[TAR_BLOCK] = { 0 };
	unsigned	 sum = 0;
	size_t		 i, off;

	if (strlen(name) > TAR_NAME_MAX || len >= (1ULL << 33))
		return -1;
	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));			/* name */
	octal((char *)h + 100, 8, 0644);		/* mode */
	octal((char *)h + 108, 8, 0);			/* uid */
	octal((char *)h + 116, 8, 0);			/* gid */
	octal((char *)h + 124, 12, len);		/* size */
	octal((char *)h + 136, 12, (unsigned long long)mtime);
	memset(h + 148, ' ', 8);			/* checksum, for now */
	h[156] = '0';					/* regular file */
	memcpy(h + 257, "ustar", 6);			/* magic + NUL */
	memcpy(h + 263, "00", 2);			/* version */
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);	/* 6 digits, NUL, space */
	h[155] = ' ';
	put(t, h, sizeof(h));
	/* gzwrite takes unsigned lengths: large files in slices. */
	for (off = 0; off < len; off += 1U << 30)
		put(t, (const char *)data + off,
		    len - off < (1U << 30) ? len - off : 1U << 30);
	if (len % TAR_BLOCK != 0)
		put(t, zero, TAR_BLOCK - len % TAR_BLOCK);
	return t->failed ? -1 : 0;
}

int
tar_close(struct tar *t)
{
	unsigned char	zero[2 * TAR_BLOCK] = { 0 };
	int		rc;

	put(t, zero, sizeof(zero));
	rc = gzclose(t->gz) == Z_OK && !t->failed ? 0 : -1;
	free(t);
	return rc;
}
