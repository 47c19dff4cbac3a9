/* A die-wrapper: xmalloc never returns NULL, but it still allocates. */
#include <stdlib.h>
#include <unistd.h>
#include "log.h"

static void die_oom(void) __attribute__((noreturn));

static void die_oom(void)
{
    log_raw("out of memory\n");
    _exit(128);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n);

    if (!p)
        die_oom();
    return p;
}
