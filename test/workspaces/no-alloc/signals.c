/* Signal handlers: malloc is not async-signal-safe. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"

static volatile sig_atomic_t got_hup;
static volatile sig_atomic_t got_alarm;

static void on_term(int sig)
{
    log_event("terminating");   // expect: alloc-in-no-alloc-context
    _exit(1);
}

static void on_hup(int sig)
{
    got_hup = 1;
}

static void on_alarm(int sig)
{
    got_alarm = 1;
}

static void on_usr1(int sig, siginfo_t *info, void *context)
{
    char *who = strdup("usr1");   // expect: alloc-in-no-alloc-context

    if (who) {
        write(2, who, strlen(who));
        free(who);
    }
}

void install_handlers(void)
{
    struct sigaction usr1 = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
    struct sigaction alarm_action;

    signal(SIGTERM, on_term);
    signal(SIGHUP, on_hup);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGQUIT, on_quit);
    sigaction(SIGUSR1, &usr1, NULL);
    memset(&alarm_action, 0, sizeof(alarm_action));
    alarm_action.sa_handler = on_alarm;
    sigaction(SIGALRM, &alarm_action, NULL);
}
