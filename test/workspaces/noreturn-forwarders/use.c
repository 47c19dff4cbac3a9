#include <stdlib.h>
#include <string.h>
#include "log.h"

void die_cleanly(const char *why);
void require_ptr(const void *p);

char *copy_name(const char *s)
{
    char *b = malloc(strlen(s) + 1);
    if (b == NULL)
        fatal_f("out of memory");
    strcpy(b, s);
    return b;
}

char *copy_tag(const char *s)
{
    char *b = malloc(16);
    if (b == NULL)
        fatal_at(__FILE__, __LINE__, "out of memory");
    b[0] = s[0];
    return b;
}

char *copy_label(const char *s)
{
    char *b = malloc(16);
    if (!b)
        die_cleanly("copy_label");
    b[0] = s[0];
    return b;
}

/* require_ptr returns when b is set, and its caller cannot know that it dies otherwise. */
char *copy_code(const char *s)
{
    char *b = malloc(16);
    require_ptr(b);
    b[0] = s[0];                    // expect: unchecked-alloc
    return b;
}

/* `fatal` here is another file's business (a static function of check-tool.c is not it): it may return. */
void fatal(const char *why);

char *copy_note(const char *s)
{
    char *b = malloc(16);
    if (b == NULL)
        fatal("copy_note");
    b[0] = s[0];                    // expect: unchecked-alloc
    return b;
}
