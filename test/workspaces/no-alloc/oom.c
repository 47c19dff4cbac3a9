/* Functions that run when memory is short: marked no-alloc, or matched by the "*_reclaim" glob of .failpath.json. */
#include <stdlib.h>
#include <string.h>
#include "log.h"

struct cache {
    char *names[64];
    int used;
};

static void note_failure(size_t wanted)
{
    static size_t last;

    last = wanted;
}

/* failpath: no-alloc */
void oom_notify(size_t wanted)
{
    note_failure(wanted);
    log_event("out of memory");   /* expect: alloc-in-no-alloc-context */
    log_raw("still here\n");
}

void emergency_flush(struct cache *c)
{   /* failpath: no-alloc */
    char **spare = xmalloc(sizeof(*spare) * 4);   // expect: alloc-in-no-alloc-context

    spare[0] = c->names[0];
    c->names[0] = NULL;
    free(spare);
}

/* Not marked: allocating is fine here. */
void cache_add(struct cache *c, const char *name)
{
    char *copy = strdup(name);

    if (!copy)
        return;
    c->names[c->used++] = copy;
}

void cache_reclaim(struct cache *c)
{
    while (c->used > 0)
        free(c->names[--c->used]);
    log_event("cache reclaimed");   // expect: alloc-in-no-alloc-context
}

void buffers_reclaim(struct cache *c)
{
    c->used = 0;
    log_raw("buffers reclaimed\n");
}
