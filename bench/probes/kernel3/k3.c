#include <linux/slab.h>
#include <linux/err.h>

static struct clk *get_clk(struct device *dev)
{
	struct clk *c = clk_get(dev, "core");
	if (IS_ERR_OR_NULL(c))
		return NULL;
	return c;
}

static int use_filp(const char *path)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	filp_close(f, NULL);
	return 0;
}

static int use_filp_bad(const char *path)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	if (!f)					/* expect: wrong-failure-check */
		return -ENOENT;
	filp_close(f, NULL);
	return 0;
}

static void *alloc_warn(size_t n)
{
	void *p = kmalloc(n, GFP_KERNEL);
	if (WARN_ON(!p))
		return NULL;
	return p;
}

static int alloc_bug(size_t n, void **out)
{
	void *p = kmalloc(n, GFP_KERNEL);
	BUG_ON(!p);
	*out = p;
	return 0;
}

static int alloc_ptr_err(struct device *dev, void __iomem **out)
{
	void __iomem *base = devm_ioremap_resource(dev, NULL);
	if (IS_ERR(base))
		return PTR_ERR(base);
	*out = base;
	return 0;
}

static int alloc_ptr_err_zero(struct device *dev, struct task_struct **out)
{
	struct task_struct *t = kthread_create(worker_fn, dev, "w");
	int ret = PTR_ERR_OR_ZERO(t);
	if (ret)
		return ret;
	*out = t;
	return 0;
}

static int vm_leak(size_t n, struct foo *f)
{
	void *a = vzalloc(n);
	if (!a)
		return -ENOMEM;
	if (n > 4096) {
		pr_err("too big\n");
		return -EINVAL;			/* expect: leak-on-error-path */
	}
	f->area = a;
	return 0;
}
