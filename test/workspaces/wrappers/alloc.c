#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "alloc.h"

void *zalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        return NULL;
    memset(p, 0, n);
    return p;
}

static char fallback[64];

char *fmt_buffer(size_t n)
{
    char *b = malloc(n);
    if (!b)
        return fallback;
    return b;
}

static void *last;

void *cached(size_t n)
{
    void *p = malloc(n);
    if (!p)
        return NULL;
    last = p;
    return p;
}

void *xalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

/* Redis' zmalloc: the failure calls an OOM handler, a function pointer whose default aborts. */
static void default_oom(size_t n)
{
    fprintf(stderr, "out of memory allocating %zu bytes\n", n);
    abort();
}

static void (*oom_handler)(size_t) = default_oom;

void *hmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        oom_handler(n);
    return p;
}
