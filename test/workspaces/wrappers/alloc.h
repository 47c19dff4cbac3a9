#ifndef ALLOC_H
#define ALLOC_H
#include <stddef.h>

void *zalloc(size_t n);        /* NULL on failure */
void *zalloc_node(size_t n);   /* a wrapper of zalloc: NULL on failure */
void *xalloc(size_t n);        /* dies on failure */
char *xstrdup2(const char *s); /* a wrapper of xalloc: dies on failure */
char *fmt_buffer(size_t n);    /* a static buffer on failure: not a wrapper */
void *cached(size_t n);        /* keeps what it allocates: not a fresh allocation */
void *hmalloc(size_t n);      /* calls an OOM handler that aborts: dies on failure */
#endif
