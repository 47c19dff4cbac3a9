/* The project's own way to install handlers: push_handler gives its parameter to signal(), push_common passes its
   parameter on. What is installed through them is a signal handler too; for_each_name's callback is not. */
#include <signal.h>
#include "log.h"

static handler_fn saved[32];

int push_handler(int sig, handler_fn fn)
{
    saved[sig] = signal(sig, fn);
    return saved[sig] == SIG_ERR ? -1 : 0;
}

void push_common(handler_fn fn)
{
    push_handler(SIGINT, fn);
    push_handler(SIGTERM, fn);
}

void for_each_name(void (*visit)(const char *))
{
    visit("first");
    visit("second");
}
