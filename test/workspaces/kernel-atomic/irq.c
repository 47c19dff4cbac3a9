/* Interrupt handlers: request_irq's handler runs in hard interrupt context and must not sleep; the thread function
   of request_threaded_irq may. */
#include <linux/interrupt.h>
#include <linux/slab.h>
#include "foo.h"

static irqreturn_t foo_irq(int irq, void *data)
{
	struct foo_dev *d = data;

	if (foo_fill(d))   // expect: blocking-alloc-in-atomic
		return IRQ_NONE;
	return IRQ_HANDLED;
}

static irqreturn_t foo_quick_irq(int irq, void *data)
{
	struct foo_dev *d = data;

	if (foo_fill_atomic(d))
		return IRQ_NONE;
	return IRQ_WAKE_THREAD;
}

static irqreturn_t foo_irq_thread(int irq, void *data)
{
	struct foo_dev *d = data;

	if (foo_fill(d))
		return IRQ_NONE;
	return IRQ_HANDLED;
}

int foo_setup_irq(struct foo_dev *d)
{
	int ret;

	ret = request_irq(d->irq, foo_irq, 0, "foo", d);
	if (ret)
		return ret;
	return request_threaded_irq(d->irq + 1, foo_quick_irq, foo_irq_thread, IRQF_ONESHOT, "foo-thread", d);
}
