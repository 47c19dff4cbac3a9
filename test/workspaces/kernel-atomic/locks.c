/* spin_lock_irqsave regions: a sleeping allocation inside is a bug; GFP_ATOMIC inside, GFP_KERNEL after the unlock,
   or in a branch that dropped the lock first, are fine. */
#include <linux/slab.h>
#include "foo.h"

int foo_add(struct foo_dev *d, int value)
{
	struct foo_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	e = kmalloc(sizeof(*e), GFP_KERNEL);   // expect: blocking-alloc-in-atomic
	if (!e) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -ENOMEM;
	}
	e->value = value;
	d->spare = e;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

int foo_add_atomic(struct foo_dev *d, int value)
{
	struct foo_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	e = kmalloc(sizeof(*e), GFP_ATOMIC);
	if (!e) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -ENOMEM;
	}
	e->value = value;
	d->spare = e;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

int foo_count_then_alloc(struct foo_dev *d)
{
	unsigned long flags;
	int n;

	spin_lock_irqsave(&d->lock, flags);
	n = d->count;
	spin_unlock_irqrestore(&d->lock, flags);
	d->buf = kcalloc(n, sizeof(int), GFP_KERNEL);
	return d->buf ? 0 : -ENOMEM;
}

int foo_refill(struct foo_dev *d)
{
	unsigned long flags;
	void *buf;

	spin_lock_irqsave(&d->lock, flags);
	if (d->need_buf) {
		spin_unlock_irqrestore(&d->lock, flags);
		buf = kmalloc(64, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		spin_lock_irqsave(&d->lock, flags);
		d->buf = buf;
		d->need_buf = false;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

void foo_bump(struct foo_dev *d, bool fast)
{
	if (fast) {
		spin_lock(&d->lock);
		d->count++;
		spin_unlock(&d->lock);
	} else {
		d->spare = kzalloc(sizeof(*d->spare), GFP_KERNEL);
	}
}

int foo_prepare_locked(struct foo_dev *d)
{
	int ret;

	spin_lock(&d->lock);
	ret = foo_fill(d);   // expect: blocking-alloc-in-atomic
	spin_unlock(&d->lock);
	return ret;
}

int foo_add_value(struct foo_dev *d, int value)
{
	struct foo_entry *e;

	spin_lock(&d->lock);
	e = foo_entry_new(value, GFP_KERNEL);   // expect: blocking-alloc-in-atomic
	if (!e)
		e = foo_entry_new(value, GFP_ATOMIC);
	if (e)
		list_add(&e->node, &d->list);
	spin_unlock(&d->lock);
	return e ? 0 : -ENOMEM;
}

int foo_try_add(struct foo_dev *d)
{
	if (spin_trylock(&d->lock)) {
		d->spare = kzalloc(sizeof(*d->spare), GFP_NOFS);   // expect: blocking-alloc-in-atomic
		spin_unlock(&d->lock);
		return 0;
	}
	d->spare = kzalloc(sizeof(*d->spare), GFP_NOFS);
	return d->spare ? 0 : -ENOMEM;
}

int foo_lookup(struct foo_dev *d, int value)
{
	struct foo_entry *e;
	int found = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &d->list, node) {
		if (e->value == value)
			found = 1;
	}
	if (!found)
		d->spare = vmalloc(4096);   // expect: blocking-alloc-in-atomic
	rcu_read_unlock();
	return found;
}
