#include <string.h>
#include "project.h"

int unchecked(size_t n)
{
    struct blob *b = blob_make(n);
    b->len = n;                     // expect: unchecked-alloc
    blob_retire(b);
    return 0;
}

int released(size_t n)
{
    struct blob *b = blob_make(n);
    if (!b)
        return -1;
    b->len = n;
    blob_retire(b);
    return 0;
}

int leaked(size_t n)
{
    struct blob *b = blob_make(n);
    if (!b)
        return -1;
    b->len = n;
    return 0;                       // expect: leak
}

int never_fails(size_t n)
{
    struct blob *b = blob_make_or_die(n);
    if (!b)                         // expect: dead-oom-check
        return -1;
    blob_retire(b);
    return 0;
}

int grown(struct blob *b, size_t n)
{
    b = blob_grow(b, n);            // expect: realloc-leak
    if (!b)
        return -1;
    blob_retire(b);
    return 0;
}

int out_argument(struct registry *r, size_t n)
{
    struct blob *b;
    if (blob_make_into(n, &b) < 0)
        return -1;
    b->len = n;
    blob_retire_from(r, b);
    return 0;
}

int out_argument_leaked(size_t n)
{
    struct blob *b;
    if (blob_make_into(n, &b) < 0)
        return -1;
    b->len = n;
    return 0;                       // expect: leak
}

int used(struct registry *r, size_t n)
{
    struct blob *b = blob_make(n);
    if (!b)
        return -1;
    blob_file_under(r, b);
    return 0;
}

int channel(const char *name)
{
    struct chan *c = chan_open(name);
    if (!c)
        return -1;
    if (strlen(name) > 8)
        return -1;                  // expect: leak-on-error-path
    chan_shut(c);
    return 0;
}

int halts(size_t n)
{
    struct blob *b = blob_make(n);
    if (!b)
        halt_later("out of memory");
    b->len = n;
    blob_retire(b);
    return 0;
}

int configuration_wins(size_t n)
{
    char *p = strict_alloc(n);
    if (!p)                         // expect: dead-oom-check
        return -1;
    p[0] = 0;
    strict_retire(p);
    return 0;
}
