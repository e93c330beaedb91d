/*
 * json_text: the JSON text of a Jansson value, malloc()ed (free() it):
 * not json_dumps(), whose text comes from the request's arena in a web
 * worker (server/worker.c) and must not be free()d there.
 */
#ifndef CADENCE_JSON_TEXT_H
#define CADENCE_JSON_TEXT_H

#include <jansson.h>

char	*json_text(const json_t *, size_t flags);

#endif
