#include <linux/slab.h>
#include <linux/cleanup.h>

static int scoped(struct device *dev, size_t n)
{
	u8 *buf __free(kfree) = kmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (do_io(dev, buf, n))
		return -EIO;
	return 0;
}

static int scoped_noinit(struct device *dev, size_t n)
{
	void *p;
	p = kvmalloc(n, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (do_io(dev, p, n)) {
		kvfree(p);
		return -EIO;
	}
	kvfree(p);
	return 0;
}

static int wrong_free(size_t n)
{
	void *p = kvmalloc(n, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (n > 10)
		return -EINVAL;			/* expect: leak-on-error-path */
	kvfree(p);
	return 0;
}
