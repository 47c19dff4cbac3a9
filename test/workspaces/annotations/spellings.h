#ifndef SPELLINGS_H
#define SPELLINGS_H
#include <stddef.h>

/* The macro and C23 spellings projects use for the same attributes. */
typedef void *gpointer;
typedef size_t gsize;

void *lib_zalloc(size_t n) __malloc __must_check;
gpointer my_gmalloc(gsize n) G_GNUC_MALLOC G_GNUC_ALLOC_SIZE(1);
__wur void *wur_first(size_t n) __attribute_malloc__;
[[gnu::malloc, gnu::returns_nonnull]] void *c23_never_null(size_t n);
void *iberty_xmalloc(size_t n) ATTRIBUTE_MALLOC ATTRIBUTE_RETURNS_NONNULL;

#endif
