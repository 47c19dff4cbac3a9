#include <stdlib.h>
#include "bufs.h"

void *zz_alloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        fatal_oom("zz_alloc");
    return p;
}

/* A wrapper of an allocator this run only sees declared: it dies on failure. */
void *grab_or_die(size_t n)
{
    void *p = arena_grab(n);
    if (!p)
        fatal_oom("grab_or_die");
    return p;
}

/* An annotated definition (no separate declaration). */
__attribute__((malloc)) char *defined_alloc(size_t n)
{
    return malloc(n);
}

void *pool_fetch(size_t n)
{
    void *p = backend_take(n, 0);
    if (!p)
        fatal_oom("pool_fetch");
    return p;
}
