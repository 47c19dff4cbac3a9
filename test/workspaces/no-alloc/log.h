#ifndef LOG_H
#define LOG_H
#include <stddef.h>

void log_event(const char *what);
void log_raw(const char *what);
void *xmalloc(size_t n);
void on_quit(int sig);

typedef void (*handler_fn)(int);
int push_handler(int sig, handler_fn fn);
void push_common(handler_fn fn);
void for_each_name(void (*visit)(const char *));
#endif
