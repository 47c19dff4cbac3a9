#ifndef PROJECT_H
#define PROJECT_H
#include <stddef.h>

/* Plain declarations: what these do is in lib/project.cfg (cppcheck's library format). */
struct blob { size_t len; char data[]; };
struct chan;
struct registry;

struct blob *blob_make(size_t n);
struct blob *blob_make_or_die(size_t n);
struct blob *blob_grow(struct blob *b, size_t n);
int blob_make_into(size_t n, struct blob **out);
void blob_retire(struct blob *b);
void blob_retire_from(struct registry *r, struct blob *b);
void blob_file_under(struct registry *r, struct blob *b);
struct chan *chan_open(const char *name);
void chan_shut(struct chan *c);
void halt_now(const char *why);
void halt_later(const char *why);

/* Annotated as returning NULL on failure, but the configuration says it aborts: the configuration wins. */
void *strict_alloc(size_t n) __attribute__((malloc));
void strict_retire(void *p);

#endif
