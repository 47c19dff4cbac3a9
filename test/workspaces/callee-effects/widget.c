#include <stdio.h>
#include <stdlib.h>
#include "effects.h"

/* A destructor that releases through a helper of another file (pool.c), a member destructor, and a reader. */

void widget_done(struct widget *w)
{
    if (!w)
        return;
    free(w->name);
    recycle(w);
}

void widget_clear(struct widget *w)
{
    free(w->name);
    w->name = NULL;
}

void widget_print(const struct widget *w)
{
    printf("%s (%d)\n", w->name, w->size);
}
