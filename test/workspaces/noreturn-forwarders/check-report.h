/* Included into check-tool.c (a unity-build header): its static `fatal` is the one called here. */
static char *report_buffer(void)
{
    char *b = malloc(64);
    if (b == NULL)
        fatal("report_buffer");
    b[0] = 0;
    return b;
}
