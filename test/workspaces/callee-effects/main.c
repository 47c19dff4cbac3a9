#include <stdlib.h>
#include <string.h>
#include "effects.h"

/* Callers of functions defined in the other files; the expected findings are marked inline
   (test/workspaces.test.ts). */

void chain_bad(void)
{
    char *data = malloc(20);
    relay_unchecked(data);                        // expect: unchecked-alloc
}

void chain_good(void)
{
    char *data = malloc(20);
    relay_checked(data);
}

void through_pointer(void)
{
    void (*sink)(char *) = fill_unchecked;
    char *data = malloc(20);
    sink(data);                                   // expect: unchecked-alloc
}

int borrowed_slot(void)
{
    char *name = strdup("borrowed");
    if (!name)
        return -1;
    peek_name(&name);
    return 0;                                     // expect: leak
}

int destroyed(void)
{
    struct widget *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->size = 1;
    widget_done(w);
    return 0;
}

int member_cleared(void)
{
    struct widget w = { 0 };
    w.name = strdup("member");
    if (!w.name)
        return -1;
    widget_print(&w);
    widget_clear(&w);
    return 0;
}

int member_printed_only(void)
{
    struct widget w = { 0 };
    w.name = strdup("member");
    if (!w.name)
        return -1;
    widget_print(&w);
    return 0;                                     // expect: leak
}

int kept(struct registry *r)
{
    char *name = strdup("kept");
    if (!name)
        return -1;
    if (registry_record(r, name) < 0) {
        free(name);
        return -1;
    }
    return 0;
}

int looked_up_only(struct registry *r)
{
    char *name = strdup("looked up");
    if (!name)
        return -1;
    return registry_lookup(r, name);              // expect: leak
}

size_t global_bad(void)
{
    pending_name = malloc(16);
    return pending_length();                      // expect: unchecked-alloc
}

size_t global_good(void)
{
    pending_name = malloc(16);
    return pending_length_checked();
}
