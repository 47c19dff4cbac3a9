import type { Rule } from './rule';

/** Checked by engine/context/context-findings.ts (atomic sections: engine/context/atomic-regions.ts). */
export const blockingAllocInAtomic: Rule = {
  id: 'blocking-alloc-in-atomic',
  title: 'Allocation that may sleep in atomic context (kernel)',
  severity: 'warning',
  category: 'other',
  doc: {
    what: 'Kernel code: an allocation that may sleep — a gfp mask with direct reclaim (`GFP_KERNEL`, `GFP_NOFS`, `GFP_NOIO`, `GFP_USER`, `GFP_HIGHUSER`…), or `vmalloc()` and kin — made while a spinlock or rwlock is held (until its unlock on that path), inside `rcu_read_lock()`, with preemption, interrupts or bottom halves disabled, or in an interrupt handler registered with `request_irq()` (the primary handler of `request_threaded_irq()`), a timer callback or a tasklet. Also through calls, across files: a function called there that allocates with `GFP_KERNEL`, or that allocates with a mask the call passes as `GFP_KERNEL`. `GFP_ATOMIC` and `GFP_NOWAIT` do not sleep; a mask held in a variable is not judged.',
    why: 'Sleeping in atomic context is a kernel bug: "BUG: sleeping function called from invalid context", a deadlock when the sleeping task waits for the lock holder, or a scheduling-while-atomic crash. It stays hidden until memory is short enough for the allocator to reclaim, which is exactly when it is hardest to debug.',
    bad: 'spin_lock_irqsave(&dev->lock, flags);\nentry = kmalloc(sizeof(*entry), GFP_KERNEL);\nlist_add(&entry->node, &dev->list);\nspin_unlock_irqrestore(&dev->lock, flags);',
    good: 'entry = kmalloc(sizeof(*entry), GFP_KERNEL);   /* before taking the lock */\nif (!entry)\n    return -ENOMEM;\nspin_lock_irqsave(&dev->lock, flags);\nlist_add(&entry->node, &dev->list);\nspin_unlock_irqrestore(&dev->lock, flags);',
  },
};
