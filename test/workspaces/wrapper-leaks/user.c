#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "objects.h"

/* Results of the die-wrappers of alloc.c, held in variables: their leaks are found; what keeps them (a list, an
 * object, the caller, a hook the run cannot see) is not a leak. The expected findings are marked inline. */

static struct list_head entries;
static struct iterator *shared_iterator;

int label_forgotten(const char *s)
{
    char *label = make_label(s);
    return label[0] == 'x';                       // expect: leak
}

int label_released(const char *s)
{
    char *label = make_label(s);
    int x = label[0] == 'x';
    free(label);
    return x;
}

int copy_on_error_path(const char *key)
{
    char *copy = xstrdup(key);
    if (registry_find(copy) < 0)
        return -1;                                // expect: leak-on-error-path
    free(copy);
    return 0;
}

struct entry { int key; struct list_head node; };

void entry_listed(int key)
{
    struct entry *e = xmalloc(sizeof *e);
    e->key = key;
    list_add_tail(&e->node, &entries);            /* kept through its embedded list node */
}

struct iterator *iterator_begin(void)
{
    struct counted_iterator *it = xmalloc(sizeof *it);
    it->count = 0;
    return &it->base;                             /* the caller gets it back through its first member */
}

void iterator_shared(void)
{
    struct iterator *it = xmalloc(sizeof *it);
    it->pos = 0;
    shared_iterator = it;                         /* the project's own object kept in a static: its state */
}

struct object *wrap_text(const char *s)
{
    char *text = xstrdup(s);
    return create_object(1, text);                /* create_object keeps it */
}

int hooked(const char *s)
{
    char *text = xstrdup(s);
    return report_hook(text);                     /* a hook the run cannot see may keep it */
}

struct cell { int value; struct cell *next; };

struct cell *build_list(int n)
{
    struct cell *list = NULL, **tail = &list;
    for (int i = 0; i < n; i++) {
        struct cell *c = xmalloc(sizeof *c);
        c->value = i;
        c->next = NULL;
        *tail = c;                                /* the previous cell is held by the list, not lost */
        tail = &c->next;
    }
    return list;
}

struct tagged;

struct tagged *tag_entry(int key)
{
    struct entry *e = xmalloc(sizeof *e);
    e->key = key;
    return (struct tagged *)((uintptr_t)e | 1);   /* a tagged pointer still carries the block */
}

int grown_forgotten(void)
{
    char *b = NULL;
    b = grow_label(b, 16);
    return b[0];                                  // expect: leak
}

int grown_released(void)
{
    char *b = grow_label(NULL, 16);
    int c = b[0];
    free(b);
    return c;
}

char *resized_in_place(char *buf)
{
    buf = resize(buf, 32);                        // expect: realloc-leak
    buf[0] = 0;                                   // expect: unchecked-alloc
    return buf;
}

struct registered { int key; struct list_head node; };

void entry_registered(struct list_head *registry, int key)
{
    struct registered *e = xmalloc(sizeof *e);
    e->key = key;
    registry_put(registry, e);                    /* kept: registry_put links its embedded node */
}

int key_tested(const char *key)
{
    char *k = key_copy(key);
    if (!k)                                       /* not dead: key_copy(NULL) is NULL */
        return -1;
    free(k);
    return 0;
}

int copy_tested(const char *key)
{
    char *k = xstrdup(key);
    if (!k)                                       // expect: dead-oom-check
        return -1;
    free(k);
    return 0;
}

int split_tested(const char *list)
{
    char *copy, *rest;
    copy = rest = xstrdup(list);
    strsep(&rest, ",");
    int more = rest != NULL;                      /* not dead: strsep moved it */
    free(copy);
    return more;
}

size_t dup_forgotten(const char *s)
{
    char *d = mem_dup(s, strlen(s));
    return strlen(d);                             // expect: leak
}

int buffer_untested(void)
{
    char *b;
    buf_new(&b, 16);
    b[0] = 0;                                     // expect: unchecked-alloc
    free(b);
    return 0;
}

int buffer_forgotten(void)
{
    char *b;
    if (buf_new(&b, 16) < 0)
        return -1;
    b[0] = 0;
    return 0;                                     // expect: leak
}

struct object *wrap_text_held(const char *s)
{
    char *text = xstrdup(s);
    struct object *o = create_object(2, text);    /* create_object, itself an allocator here, keeps it */
    return o;
}
