/* Helpers of the driver: foo_fill may sleep (GFP_KERNEL), foo_fill_atomic does not, foo_entry_new allocates with
   the mask its caller passes. */
#include <linux/slab.h>
#include "foo.h"

int foo_fill(struct foo_dev *d)
{
	d->buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	return d->buf ? 0 : -ENOMEM;
}

int foo_fill_atomic(struct foo_dev *d)
{
	d->buf = kzalloc(PAGE_SIZE, GFP_ATOMIC);
	return d->buf ? 0 : -ENOMEM;
}

struct foo_entry *foo_entry_new(int value, gfp_t gfp)
{
	struct foo_entry *e = kmalloc(sizeof(*e), gfp);

	if (e)
		e->value = value;
	return e;
}
