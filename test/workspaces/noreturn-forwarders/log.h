#ifndef LOG_H
#define LOG_H
/* Declared here, defined in log.c; the macros forward to it (openssh's fatal_f → sshfatal). */
void report_fatal(const char *file, int line, const char *fmt, ...) __attribute__((noreturn));
#define fatal_f(...) report_fatal(__FILE__, __LINE__, __VA_ARGS__)
#define fatal_at report_fatal
#endif
