/*
 * log: one line per event on stderr, with time, pid and level, so that
 * journald (or the terminal of `make run`) shows who said what.  Never log
 * secrets: tokens, passwords, cookies and query strings stay out.
 */
#ifndef CADENCE_LOG_H
#define CADENCE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void	log_set_level(enum log_level);
void	log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)

#endif
