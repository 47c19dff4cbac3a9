#include <stdlib.h>
#include <string.h>
#include "effects.h"

/* The end of a sink chain (main.c → relay.c → sink.c), Juliet style: one sink trusts its argument, one tests it. */

void fill_unchecked(char *buf)
{
    strcpy(buf, "initialised");
    free(buf);
}

void fill_checked(char *buf)
{
    if (buf == NULL)
        return;
    strcpy(buf, "initialised");
    free(buf);
}

/* Reads through the caller's pointer: it neither frees nor keeps what it points to. */
void peek_name(char **slot)
{
    char *name = *slot;
    if (name)
        (void) strlen(name);
}
