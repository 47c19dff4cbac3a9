/*
 * internal.h: minimal stand-ins for the libvirt utility headers that
 * domain_conf.c uses (viralloc.h, virstring.h, virerror.h, viruuid.h),
 * with the classic pre-GLib semantics: the allocation macros return -1
 * (after reporting OOM) or 0, and store the new pointer in their first
 * argument.  Declarations only, so the example can be syntax-checked:
 *
 *   gcc -fsyntax-only -std=gnu11 -I examples/libvirt-style examples/libvirt-style/domain_conf.c
 */
#ifndef EXAMPLE_INTERNAL_H
#define EXAMPLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define _(str) (str)

#define STREQ(a, b) (strcmp(a, b) == 0)
#define NULLSTR(s) ((s) ? (s) : "<null>")

static inline bool
STREQ_NULLABLE(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return STREQ(a, b);
}

#define VIR_UUID_BUFLEN 16

typedef enum {
    VIR_ERR_OK = 0,
    VIR_ERR_INTERNAL_ERROR,
    VIR_ERR_INVALID_ARG,
    VIR_ERR_CONFIG_UNSUPPORTED,
} virErrorNumber;

void virReportErrorHelper(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define virReportError(code, ...) virReportErrorHelper(code, __VA_ARGS__)

int virUUIDParse(const char *uuidstr, unsigned char *uuid);

/* viralloc.h */
int virAlloc(void *ptrptr, size_t size);
int virAllocN(void *ptrptr, size_t size, size_t count);
int virExpandN(void *ptrptr, size_t size, size_t *countptr, size_t add);
void virFree(void *ptrptr);

#define VIR_ALLOC(ptr) virAlloc(&(ptr), sizeof(*(ptr)))
#define VIR_ALLOC_N(ptr, count) virAllocN(&(ptr), sizeof(*(ptr)), (count))
#define VIR_EXPAND_N(ptr, count, add) \
    virExpandN(&(ptr), sizeof(*(ptr)), &(count), (add))
#define VIR_FREE(ptr) virFree(&(ptr))

/* virstring.h: a NULL source gives a NULL copy and returns 0. */
int virStrdup(char **dest, const char *src);
#define VIR_STRDUP(dst, src) virStrdup(&(dst), (src))

#endif /* EXAMPLE_INTERNAL_H */
