#include <linux/slab.h>
#include <linux/kthread.h>
#include <linux/platform_device.h>

struct foo_priv { void *rx; void *tx; struct task_struct *task; int irq; };

static int foo_alloc_bad_check(struct foo_priv *p)
{
	p->rx = kzalloc(64, GFP_KERNEL);
	if (IS_ERR(p->rx))			/* expect: wrong-failure-check */
		return PTR_ERR(p->rx);
	return 0;
}

static int foo_start(struct foo_priv *p)
{
	p->task = kthread_run(foo_thread, p, "foo");
	if (!p->task)				/* expect: wrong-failure-check */
		return -ENOMEM;
	return 0;
}

static void *foo_nofail(size_t len)
{
	void *buf = kmalloc(len, GFP_KERNEL | __GFP_NOFAIL);
	if (!buf)				/* expect: dead-oom-check */
		return NULL;
	return buf;
}

static int foo_probe(struct platform_device *pdev)
{
	struct foo_priv *priv;
	void *a, *b;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	a = kmalloc(128, GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	b = kmalloc(256, GFP_KERNEL);
	if (!b) {
		ret = -ENOMEM;
		goto err_a;
	}
	ret = foo_register(priv);
	if (ret)
		goto err_a;			/* expect: leak-on-error-path */
	priv->rx = a;
	priv->tx = b;
	platform_set_drvdata(pdev, priv);
	return 0;
err_a:
	kfree(a);
	return ret;
}

static int foo_scoped(int x)
{
	struct foo_priv *f __free(kfree) = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (x)
		return -EINVAL;
	return foo_use(f);
}

static void foo_page(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	memset(page_address(page), 0, PAGE_SIZE);	/* expect: unchecked-alloc */
	__free_page(page);
}

static int foo_pool(mempool_t *pool)
{
	void *e = mempool_alloc(pool, GFP_NOIO);
	if (!e)					/* expect: dead-oom-check */
		return -ENOMEM;
	mempool_free(e, pool);
	return 0;
}

static int foo_swallow(struct foo_priv *p)
{
	p->rx = kmalloc(64, GFP_KERNEL);
	if (!p->rx)
		return 0;
	return 0;
}

static long foo_ioctl_copy(void __user *ubuf, size_t len)
{
	void *kbuf = memdup_user(ubuf, len);
	if (!kbuf)				/* expect: wrong-failure-check */
		return -ENOMEM;
	kfree(kbuf);
	return 0;
}

static int foo_atomic_pool(mempool_t *pool)
{
	void *e = mempool_alloc(pool, GFP_ATOMIC);
	if (!e)
		return -ENOMEM;
	mempool_free(e, pool);
	return 0;
}

static int foo_arr(struct foo_priv *p, int n)
{
	u32 *tbl = kcalloc(n, sizeof(*tbl), GFP_KERNEL);
	int i;
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		tbl[i] = i;
	if (foo_write(p, tbl, n) < 0)
		return -EIO;			/* expect: leak-on-error-path */
	kfree(tbl);
	return 0;
}
