#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "objects.h"

/* Die-wrappers: they never return NULL. */
void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    return p;
}

char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* A source in the style of Juliet's flow 61: it allocates, checks, uses and hands the block back. */
char *make_label(const char *s)
{
    char *label = xmalloc(strlen(s) + 1);
    strcpy(label, s);
    puts(label);
    return label;
}

/* An allocating function that also keeps what it is given. */
struct object *create_object(int type, void *ptr)
{
    struct object *o = xmalloc(sizeof *o);
    o->type = type;
    o->ptr = ptr;
    return o;
}

void object_free(struct object *o)
{
    free(o->ptr);
    free(o);
}

/* Realloc wrappers: the block they resize is their first parameter. */
char *grow_label(char *label, size_t n)
{
    label = realloc(label, n);
    if (!label)
        exit(1);
    return label;
}

void *resize(void *p, size_t n)
{
    p = realloc(p, n);                            // expect: realloc-leak
    return p;
}
