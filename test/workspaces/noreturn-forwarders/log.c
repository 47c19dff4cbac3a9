#include <stdio.h>
#include <stdlib.h>
#include "log.h"

void report_fatal(const char *file, int line, const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: %s\n", file, line, fmt);
    exit(255);
}
