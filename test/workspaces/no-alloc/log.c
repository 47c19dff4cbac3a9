/* Logging: log_event formats into a heap buffer (two calls down to malloc); log_raw only writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"

static char *format_msg(const char *what)
{
    size_t n = strlen(what) + 16;
    char *buf = malloc(n);

    if (!buf)
        return NULL;
    snprintf(buf, n, "[event] %s\n", what);
    return buf;
}

void log_event(const char *what)
{
    char *msg = format_msg(what);

    if (!msg)
        return;
    write(2, msg, strlen(msg));
    free(msg);
}

void log_raw(const char *what)
{
    write(2, what, strlen(what));
}
