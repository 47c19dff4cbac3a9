#ifndef LOG_H
#define LOG_H
#include <stddef.h>

void log_event(const char *what);
void log_raw(const char *what);
void *xmalloc(size_t n);
void on_quit(int sig);
#endif
