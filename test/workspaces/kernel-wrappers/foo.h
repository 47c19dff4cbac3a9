#ifndef FOO_H
#define FOO_H
#include <linux/err.h>
#include <linux/slab.h>

struct foo { int id; char *name; };

struct foo *foo_create(int id);
char *foo_name_dup(const char *name);
void foo_destroy(struct foo *f);

#endif
