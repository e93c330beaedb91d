#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

static enum log_level min_level = LOG_INFO;

void
log_set_level(enum log_level l)
{
	min_level = l;
}

/*
 * Control characters from client input (a decoded path with CR/LF) must
 * not forge log lines: they are written as \xHH.  Returns bytes written.
 */
static int
escape_controls(const char *in, char *out, size_t room)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *in != '\0' && n + 4 < room; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x20 || c == 0x7f) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		} else
			out[n++] = (char)c;
	}
	return (int)n;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	char		 line[2048], msg[1024], stamp[32];
	struct timeval	 tv;
	struct tm	 tm;
	va_list		 ap;
	int		 n;

	if (level < min_level)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ [%d] %s: ", stamp,
	    (long)(tv.tv_usec / 1000), (int)getpid(), names[level]);
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	n += escape_controls(msg, line + n, sizeof(line) - (size_t)n - 1);
	line[n++] = '\n';
	/* One write(2) per line so lines from many workers never interleave. */
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
