#include <linux/slab.h>
#include <linux/skbuff.h>

static int a_devm(struct device *dev)
{
	struct foo *f = devm_kzalloc(dev, sizeof(*f), GFP_KERNEL);
	f->dev = dev;				/* expect: unchecked-alloc */
	return 0;
}

static int a_isornull(void)
{
	void *p = kmalloc(32, GFP_KERNEL);
	if (IS_ERR_OR_NULL(p))
		return -ENOMEM;
	kfree(p);
	return 0;
}

static struct sk_buff *a_skb(const void *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_ATOMIC);
	skb_put_data(skb, data, len);		/* expect: unchecked-alloc */
	return skb;
}

static int a_dma(struct device *dev, size_t size)
{
	dma_addr_t handle;
	void *cpu = dma_alloc_coherent(dev, size, &handle, GFP_KERNEL);
	memset(cpu, 0, size);			/* expect: unchecked-alloc */
	dma_free_coherent(dev, size, cpu, handle);
	return 0;
}

static int a_krealloc(struct foo *f, size_t n)
{
	f->buf = krealloc(f->buf, n, GFP_KERNEL);	/* expect: realloc-leak */
	if (!f->buf)
		return -ENOMEM;
	return 0;
}

static int a_pages(unsigned int order)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, order);
	memset((void *)addr, 0, PAGE_SIZE << order);	/* expect: unchecked-alloc */
	free_pages(addr, order);
	return 0;
}

static int a_ret(struct foo *f)
{
	int ret = 0;
	void *p;

	if (!f)
		return -EINVAL;
	p = kmalloc(64, GFP_KERNEL);
	if (!p)
		goto out;			/* expect: failure-swallowed */
	f->buf = p;
out:
	return ret;
}

static int a_ladder(struct foo *f)
{
	int ret;

	f->a = kzalloc(16, GFP_KERNEL);
	if (!f->a)
		return -ENOMEM;
	f->b = kzalloc(16, GFP_KERNEL);
	if (!f->b) {
		ret = -ENOMEM;
		goto free_a;
	}
	f->c = vmalloc(4096);
	if (!f->c) {
		ret = -ENOMEM;
		goto free_b;
	}
	return 0;
free_b:
	kfree(f->b);
free_a:
	kfree(f->a);
	return ret;
}

static int a_ladder_bad(struct foo *f)
{
	int ret;

	f->a = kzalloc(16, GFP_KERNEL);
	if (!f->a)
		return -ENOMEM;
	f->b = kzalloc(16, GFP_KERNEL);
	if (!f->b) {
		ret = -ENOMEM;
		goto free_a;
	}
	f->c = vmalloc(4096);
	if (!f->c) {
		ret = -ENOMEM;
		goto free_a;			/* expect: leak-on-error-path */
	}
	return 0;
free_b:
	kfree(f->b);
free_a:
	kfree(f->a);
	return ret;
}
