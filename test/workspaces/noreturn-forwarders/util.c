#include <stdlib.h>
#include "log.h"

void flush_logs(void);

/* Ends in another file's function that never returns: it does not return either. */
void die_cleanly(const char *why)
{
    flush_logs();
    report_fatal(__FILE__, __LINE__, "%s", why);
}

/* Its return is hidden in a macro of this file: it returns when the pointer is set. */
#define RETURN_IF_SET(p) do { if ((p) != NULL) return; } while (0)

void require_ptr(const void *p)
{
    RETURN_IF_SET(p);
    report_fatal(__FILE__, __LINE__, "null pointer");
}
