#ifndef OBJECTS_H
#define OBJECTS_H
#include <stddef.h>

struct list_head { struct list_head *next, *prev; };
struct object { int type; void *ptr; };
struct iterator { int pos; };
struct counted_iterator { struct iterator base; int count; };

void *xmalloc(size_t n);
char *xstrdup(const char *s);
char *make_label(const char *s);
int buf_new(char **out, size_t n);
char *mem_dup(const char *s, size_t n);
char *key_copy(const char *key);
char *grow_label(char *label, size_t n);
void *resize(void *p, size_t n);
struct object *create_object(int type, void *ptr);
void object_free(struct object *o);
void list_add_tail(struct list_head *entry, struct list_head *head);
int registry_find(const char *key);
struct registered;
void registry_put(struct list_head *registry, struct registered *e);
extern int (*report_hook)(void *data);

#endif
