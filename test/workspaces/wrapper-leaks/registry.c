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
