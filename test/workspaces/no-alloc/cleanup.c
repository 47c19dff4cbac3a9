/* A handler installed through the project's push_common(), and a callback that is no handler. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

static void cleanup_on_signal(int sig)
{
    log_event("interrupted");   // expect: alloc-in-no-alloc-context
    signal(sig, SIG_DFL);
    raise(sig);
}

static void print_name(const char *name)
{
    char *copy = strdup(name);

    if (copy) {
        log_raw(copy);
        free(copy);
    }
}

void start_cleanup(void)
{
    push_common(cleanup_on_signal);
    for_each_name(print_name);
}
