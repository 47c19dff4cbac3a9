#include <stdio.h>
#include <stdlib.h>

/* A test program's own `fatal`: static, so it means nothing to the other files of the run. */
static void fatal(const char *why)
{
    fprintf(stderr, "%s\n", why);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        fatal("usage: check-tool file");
    return argv[1][0] == '-';
}

#include "check-report.h"
