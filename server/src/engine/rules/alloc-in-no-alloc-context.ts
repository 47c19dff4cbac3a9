import type { Rule } from './rule';

/** Checked by engine/context/context-findings.ts over the run's call graph (not per allocation site). */
export const allocInNoAllocContext: Rule = {
  id: 'alloc-in-no-alloc-context',
  title: 'Allocation reachable from a function that must not allocate',
  severity: 'warning',
  category: 'other',
  doc: {
    what: 'A function that must not allocate reaches an allocation, directly or through any chain of calls, across files: functions marked `/* failpath: no-alloc */` (on the line before the function or on its first line), functions matched by the `noAlloc` globs of `.failpath.json`, and signal handlers installed with `signal()` or a `struct sigaction` (`sa_handler`/`sa_sigaction`). The finding is at the allocation or at the call that leads to it; the related locations walk the chain down to the allocator. Calls through function pointers are not followed.',
    why: 'An out-of-memory handler, a reclaim or writeback path that allocates can deadlock or recurse exactly when memory is short; `malloc()` is not async-signal-safe, so a signal handler that reaches it can corrupt the heap or deadlock when the signal interrupts another allocation.',
    bad: 'static void on_term(int sig)\n{\n    log_event("terminating");   /* log_event → format_msg → malloc */\n    _exit(1);\n}\n...\nsignal(SIGTERM, on_term);',
    good: 'static volatile sig_atomic_t stop;\n\nstatic void on_term(int sig)\n{\n    stop = 1;   /* the main loop logs and exits */\n}\n...\nsignal(SIGTERM, on_term);',
  },
};
