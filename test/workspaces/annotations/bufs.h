#ifndef BUFS_H
#define BUFS_H
#include <stddef.h>

/* What these functions do to memory is declared here, in attributes; the .c files that call them have only this
 * header. The expected findings are marked inline in the .c files (test/workspaces.test.ts). */

struct buf { size_t len; char *data; };
struct pool;

/* GCC: an allocator; returns NULL on failure, released by free. */
void *arena_grab(size_t n) __attribute__((malloc));

/* GCC 11: an allocator whose results buf_retire releases (its argument 1). */
void buf_retire(struct buf *b);
struct buf *buf_create(size_t n) __attribute__((malloc(buf_retire, 1))) __attribute__((warn_unused_result));

/* An allocator that never returns NULL: it aborts on OOM. */
__attribute__((malloc, returns_nonnull)) char *name_dup(const char *s);

/* Not an allocator, and never NULL. */
const char *tag_lookup(int id) __attribute__((returns_nonnull));

/* Declared here, called in use.c. */
void fatal_oom(const char *what) __attribute__((__noreturn__));

/* Declared malloc, but its definition (impl.c) dies on failure: the body decides how it fails. */
__attribute__((malloc)) void *zz_alloc(size_t n);

/* Declared malloc, but its definition (impl.c) allocates with something this run cannot read: how it fails is
 * unknown, so it is not taken to return NULL. */
__attribute__((malloc)) void *pool_fetch(size_t n);

/* Clang's ownership attributes. */
void *slab_get(struct pool *p) __attribute__((ownership_returns(malloc)));
void slab_recycle(struct pool *p, void *obj) __attribute__((ownership_takes(malloc, 2)));
void registry_note(struct pool *p, void *obj) __attribute__((ownership_holds(malloc, 2)));

#endif
