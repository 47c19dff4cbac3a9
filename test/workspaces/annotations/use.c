#include <stdlib.h>
#include "bufs.h"
#include "spellings.h"

char *defined_alloc(size_t n);
void *grab_or_die(size_t n);

int unchecked(size_t n)
{
    char *p = arena_grab(n);
    p[0] = 0;                       // expect: unchecked-alloc
    free(p);
    return 0;
}

int checked(size_t n)
{
    char *p = arena_grab(n);
    if (!p)
        return -1;
    p[0] = 0;
    free(p);
    return 0;
}

int never_null(const char *s)
{
    char *d = name_dup(s);
    if (!d)                         // expect: dead-oom-check
        return -1;
    d[0] = 'x';
    free(d);
    return 0;
}

int body_decides(size_t n)
{
    char *q = zz_alloc(n);
    if (!q)                         // expect: dead-oom-check
        return -1;
    q[0] = 0;
    free(q);
    return 0;
}

int wrapper_of_declared(size_t n)
{
    char *q = grab_or_die(n);
    if (q == NULL)                  // expect: dead-oom-check
        return -1;
    free(q);
    return 0;
}

int leaked(size_t n)
{
    struct buf *b = buf_create(n);
    if (!b)
        return -1;
    b->len = n;
    return 0;                       // expect: leak
}

int retired(size_t n)
{
    struct buf *b = buf_create(n);
    if (!b)
        return -1;
    b->len = n;
    buf_retire(b);
    return 0;
}

/* tag_lookup never returns NULL: the test below never takes its error branch, which would leak p. */
int tagged(int id, size_t n)
{
    const char *t;
    char *p = malloc(n);
    if (!p)
        return -1;
    t = tag_lookup(id);
    if (!t)
        return -1;
    p[0] = t[0];
    free(p);
    return 0;
}

/* fatal_oom is declared noreturn in bufs.h. */
int dies_on_failure(size_t n)
{
    char *p = malloc(n);
    if (!p)
        fatal_oom("dies_on_failure");
    p[0] = 0;
    free(p);
    return 0;
}

int slab_unchecked(struct pool *pl)
{
    int *o = slab_get(pl);
    *o = 1;                         // expect: unchecked-alloc
    slab_recycle(pl, o);
    return 0;
}

int slab_leaked(struct pool *pl)
{
    int *o = slab_get(pl);
    if (!o)
        return -1;
    *o = 1;
    return 0;                       // expect: leak
}

int slab_held(struct pool *pl)
{
    int *o = slab_get(pl);
    if (!o)
        return -1;
    registry_note(pl, o);
    return 0;
}

int definition_annotated(size_t n)
{
    char *p = defined_alloc(n);
    p[0] = 0;                       // expect: unchecked-alloc
    free(p);
    return 0;
}

int spellings(size_t n)
{
    char *a = lib_zalloc(n);
    char *b = my_gmalloc(n);
    char *c = wur_first(n);
    a[0] = 0;                       // expect: unchecked-alloc
    b[0] = 0;                       // expect: unchecked-alloc
    c[0] = 0;                       // expect: unchecked-alloc
    free(a);
    free(b);
    free(c);
    return 0;
}

int spellings_never_null(size_t n)
{
    char *d = c23_never_null(n);
    if (!d)                         // expect: dead-oom-check
        return -1;
    free(d);
    return 0;
}

int spellings_never_null_too(size_t n)
{
    char *e = iberty_xmalloc(n);
    e[0] = 0;
    if (!e)                         // expect: dead-oom-check
        return -1;
    free(e);
    return 0;
}

/* pool_fetch is declared malloc, but its body (impl.c) calls an allocator nobody can read: nothing is claimed. */
int body_unknown(size_t n)
{
    char *r = pool_fetch(n);
    r[0] = 0;
    return 0;
}
