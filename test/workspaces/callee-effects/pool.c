#include <stdlib.h>
#include <string.h>
#include "effects.h"

void recycle(void *p)
{
    free(p);
}

/* A container that keeps what it is given, and a lookup that only reads it. */
struct entry { char *name; struct entry *next; };
struct registry { struct entry *head; };

int registry_record(struct registry *r, char *name)
{
    struct entry *e = malloc(sizeof *e);
    if (!e)
        return -1;
    e->name = name;
    e->next = r->head;
    r->head = e;
    return 0;
}

int registry_lookup(struct registry *r, const char *name)
{
    for (struct entry *e = r->head; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return 1;
    return 0;
}

/* Data handed over through a global (Juliet's flow 68). */
char *pending_name;

size_t pending_length(void)
{
    return strlen(pending_name);
}

size_t pending_length_checked(void)
{
    return pending_name ? strlen(pending_name) : 0;
}
