#include <stdlib.h>
#include <string.h>
#include "objects.h"

int (*report_hook)(void *data);

/* Reads the key it is given and keeps nothing. */
int registry_find(const char *key)
{
    return strcmp(key, "known") == 0 ? 0 : -1;
}

/* Keeps the entry it is given through the list node embedded in it. */
void list_add_tail(struct list_head *entry, struct list_head *head)
{
    entry->prev = head->prev;
    entry->next = head;
    head->prev->next = entry;
    head->prev = entry;
}

struct registered { int key; struct list_head node; };

/* Keeps the entry through the list node embedded in it, by way of list_add_tail. */
void registry_put(struct list_head *registry, struct registered *e)
{
    list_add_tail(&e->node, registry);
}

/* Calls alloc.c's die-wrapper, and also gives NULL of its own (no key): a test of its result is not dead. */
char *key_copy(const char *key)
{
    if (!key)
        return NULL;
    return xstrdup(key);
}

/* Gives back alloc.c's memcpy's destination, itself a die-wrapper's result: a die-wrapper too. */
char *mem_dup(const char *s, size_t n)
{
    return memcpy(xmalloc(n + 1), s, n + 1);
}

/* Returns a status and hands the buffer back through its first parameter: 0, or -1 when malloc fails. */
int buf_new(char **out, size_t n)
{
    char *p = malloc(n);
    if (!p)
        return -1;
    *out = p;
    return 0;
}
