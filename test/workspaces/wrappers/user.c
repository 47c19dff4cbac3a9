#include <stdlib.h>
#include <string.h>
#include "alloc.h"

/* Uses of wrappers defined in alloc.c and node.c; the expected findings are marked inline (test/workspaces.test.ts). */

struct node { int key; struct node *next; };

int untested(int key)
{
    struct node *n = zalloc_node(sizeof *n);
    n->key = key;                             // expect: unchecked-alloc
    free(n);
    return 0;
}

int tested(int key)
{
    struct node *n = zalloc_node(sizeof *n);
    if (!n)
        return -1;
    n->key = key;
    free(n);
    return 0;
}

int leaks(int key)
{
    struct node *n = zalloc(sizeof *n);
    if (!n)
        return -1;
    n->key = key;
    return 0;                                 // expect: leak
}

int die_tested(const char *s)
{
    char *d = xstrdup2(s);
    if (!d)                                   // expect: dead-oom-check
        return -1;
    free(d);
    return 0;
}

int die_untested(const char *s)
{
    char *d = xstrdup2(s);
    d[0] = 'x';                               /* a die-wrapper: no test needed */
    free(d);
    return 0;
}

int static_buffer(void)
{
    char *b = fmt_buffer(32);
    b[0] = 0;                                 /* not a wrapper: a static buffer on failure */
    return 0;
}

int cached_use(void)
{
    char *c = cached(8);
    c[0] = 0;                                 /* not a wrapper: it keeps what it returns */
    return 0;
}

int handler_tested(void)
{
    char *h = hmalloc(8);
    if (h == NULL)                            // expect: dead-oom-check
        return -1;
    free(h);
    return 0;
}

/* Laid out wide: more than 400 characters between the call and its test, but few of them not blank (how far a test
   is looked for does not depend on the layout). */
int die_tested_wide(const char *s)
{
    char *d = xstrdup2(s);
    int n = 0;
                                                                                                        n++;
                                                                                                        n++;
                                                                                                        n++;
                                                                                                        n++;
                                                                                                        n++;
    if (!d)                                   // expect: dead-oom-check
        return -1;
    free(d);
    return n;
}
