#include <xen/xmalloc.h>

struct vcpu_info { int id; unsigned long *bitmap; };

static struct vcpu_info *alloc_vinfo(unsigned int nr)
{
    struct vcpu_info *v = xzalloc(struct vcpu_info);

    v->id = nr;                             /* expect: unchecked-alloc */
    v->bitmap = xzalloc_array(unsigned long, BITS_TO_LONGS(nr));
    if ( !v->bitmap )
    {
        xfree(v);
        return NULL;
    }
    return v;
}

static int setup_vinfo(struct domain *d, unsigned int nr)
{
    struct vcpu_info *v = xmalloc(struct vcpu_info);
    unsigned long *map;

    if ( !v )
        return -ENOMEM;
    map = xmalloc_array(unsigned long, nr);
    if ( !map )
        return -ENOMEM;                     /* expect: leak-on-error-path */
    v->bitmap = map;
    d->vinfo = v;
    return 0;
}

int libxl__foo(libxl__gc *gc, const char *name, char **out)
{
    char *p = libxl__strdup(gc, name);
    if (!p)
        return ERROR_NOMEM;
    *out = libxl__sprintf(gc, "%s/x", p);
    if (!*out)                              /* expect: dead-oom-check */
        return ERROR_NOMEM;
    return 0;
}
