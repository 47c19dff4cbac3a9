// Written for Failpath's examples (MIT, see LICENSE); a made-up device, not kernel code.
/*
 * Foo Systems FX-100 packet engine: platform glue (probe/remove).
 *
 * The device DMAs received packets into one coherent buffer and walks a
 * descriptor ring that the driver keeps in normal memory.  A kernel thread
 * polls the status register, since the FX-100 has no usable interrupt.
 */
#include "stubs.h"	/* stands in for <linux/platform_device.h> and friends */

#define FOO_RING_SIZE		256
#define FOO_RING_MAX		4096
#define FOO_DMA_SIZE		(64 * 1024)
#define FOO_CAL_ENTRIES		64

#define FOO_REG_CTRL		0x00
#define FOO_REG_STATUS		0x04
#define FOO_REG_DMA_LO		0x08
#define FOO_REG_DMA_HI		0x0c
#define FOO_REG_EE_ADDR		0x10
#define FOO_REG_EE_DATA		0x14
#define FOO_REG_EE_STATUS	0x18
#define FOO_REG_CAL(i)		(0x100 + 4 * (i))

#define FOO_CTRL_ENABLE		BIT(0)
#define FOO_CTRL_RESET		BIT(31)
#define FOO_STATUS_RX		BIT(0)
#define FOO_STATUS_TX		BIT(1)
#define FOO_STATUS_ERR		BIT(2)
#define FOO_EE_READY		BIT(0)
#define FOO_EE_CAL_OFFSET	0x40

struct foo_desc {
	u32 addr;
	u32 len;
	u32 flags;
	u32 reserved;
};

struct foo_stats {
	u64 rx_packets;
	u64 tx_packets;
	u64 errors;
};

struct foo_priv {
	struct device *dev;
	void __iomem *regs;
	spinlock_t lock;
	struct foo_stats *stats;
	struct foo_desc *ring;
	unsigned int ring_size;
	void *dma_buf;
	dma_addr_t dma_handle;
	struct task_struct *poll_task;
	char *label;
};

static int foo_poll_thread(void *data)
{
	struct foo_priv *priv = data;
	u32 status;

	while (!kthread_should_stop()) {
		status = readl(priv->regs + FOO_REG_STATUS);
		spin_lock(&priv->lock);
		if (status & FOO_STATUS_RX)
			priv->stats->rx_packets++;
		if (status & FOO_STATUS_TX)
			priv->stats->tx_packets++;
		if (status & FOO_STATUS_ERR)
			priv->stats->errors++;
		spin_unlock(&priv->lock);
		writel(status, priv->regs + FOO_REG_STATUS);	/* write-1-to-clear */
		msleep(10);
	}
	return 0;
}

static int foo_hw_init(struct foo_priv *priv, dma_addr_t dma)
{
	writel(FOO_CTRL_RESET, priv->regs + FOO_REG_CTRL);
	msleep(5);
	if (readl(priv->regs + FOO_REG_CTRL) & FOO_CTRL_RESET)
		return -ETIMEDOUT;
	writel((u32)dma, priv->regs + FOO_REG_DMA_LO);
	writel((u32)(dma >> 32), priv->regs + FOO_REG_DMA_HI);
	return 0;
}

static int foo_read_eeprom(struct foo_priv *priv, unsigned int offset,
			   u32 *buf, unsigned int words)
{
	unsigned int i;

	writel(offset, priv->regs + FOO_REG_EE_ADDR);
	msleep(1);
	if (!(readl(priv->regs + FOO_REG_EE_STATUS) & FOO_EE_READY))
		return -ETIMEDOUT;
	for (i = 0; i < words; i++)
		buf[i] = readl(priv->regs + FOO_REG_EE_DATA);
	return 0;
}

/*
 * Without its calibration table the PHY stays in reset.  The table is
 * small, so let the allocator retry rather than fail the probe.
 */
static int foo_load_calibration(struct foo_priv *priv)
{
	u32 *cal;
	int i, ret;

	cal = kmalloc(FOO_CAL_ENTRIES * sizeof(*cal), GFP_KERNEL | __GFP_NOFAIL);
	if (!cal)
		return -ENOMEM;

	ret = foo_read_eeprom(priv, FOO_EE_CAL_OFFSET, cal, FOO_CAL_ENTRIES);
	if (ret)
		goto out;
	for (i = 0; i < FOO_CAL_ENTRIES; i++)
		writel(cal[i], priv->regs + FOO_REG_CAL(i));
out:
	kfree(cal);
	return ret;
}

static int foo_set_label(struct foo_priv *priv, const char *name)
{
	char *label;

	label = kasprintf(GFP_KERNEL, "fx100-%s", name);
	if (!label)
		return -ENOMEM;
	kfree(priv->label);
	priv->label = label;
	return 0;
}

/* Called from the ethtool set_ringparam handler (foo_ethtool.c). */
int foo_ring_resize(struct foo_priv *priv, unsigned int size)
{
	struct foo_desc *ring;

	if (size == 0 || size > FOO_RING_MAX)
		return -EINVAL;

	ring = krealloc(priv->ring, size * sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	if (size > priv->ring_size)
		memset(ring + priv->ring_size, 0,
		       (size - priv->ring_size) * sizeof(*ring));
	priv->ring = ring;
	priv->ring_size = size;
	return 0;
}

static int foo_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct foo_priv *priv;
	struct foo_stats *stats;
	struct foo_desc *ring;
	struct task_struct *task;
	dma_addr_t dma_handle;
	void *dma_buf;
	int ret;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->dev = dev;
	spin_lock_init(&priv->lock);

	priv->regs = devm_ioremap_resource(dev, platform_get_resource(pdev, IORESOURCE_MEM, 0));
	if (IS_ERR(priv->regs))
		return PTR_ERR(priv->regs);

	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (IS_ERR(stats))
		return PTR_ERR(stats);

	ring = kmalloc_array(FOO_RING_SIZE, sizeof(*ring), GFP_KERNEL);
	if (!ring) {
		ret = -ENOMEM;
		goto err_free_stats;
	}

	dma_buf = dma_alloc_coherent(dev, FOO_DMA_SIZE, &dma_handle, GFP_KERNEL);
	if (!dma_buf) {
		ret = -ENOMEM;
		goto err_free_ring;
	}

	ret = foo_hw_init(priv, dma_handle);
	if (ret) {
		dev_err(dev, "reset timed out\n");
		goto err_free_ring;
	}

	memset(ring, 0, FOO_RING_SIZE * sizeof(*ring));
	priv->stats = stats;
	priv->ring = ring;
	priv->ring_size = FOO_RING_SIZE;
	priv->dma_buf = dma_buf;
	priv->dma_handle = dma_handle;

	ret = foo_load_calibration(priv);
	if (ret)
		goto err_free_dma;

	ret = foo_set_label(priv, dev_name(dev));
	if (ret)
		goto err_free_dma;

	task = kthread_run(foo_poll_thread, priv, "%s-poll", priv->label);
	if (!task) {
		ret = -ENOMEM;
		goto err_free_label;
	}
	priv->poll_task = task;

	writel(FOO_CTRL_ENABLE, priv->regs + FOO_REG_CTRL);
	platform_set_drvdata(pdev, priv);
	dev_info(dev, "FX-100 ready, %u descriptors\n", priv->ring_size);
	return 0;

err_free_label:
	kfree(priv->label);
err_free_dma:
	dma_free_coherent(dev, FOO_DMA_SIZE, dma_buf, dma_handle);
err_free_ring:
	kfree(ring);
err_free_stats:
	kfree(stats);
	return ret;
}

static void foo_remove(struct platform_device *pdev)
{
	struct foo_priv *priv = platform_get_drvdata(pdev);

	kthread_stop(priv->poll_task);
	writel(0, priv->regs + FOO_REG_CTRL);
	dma_free_coherent(priv->dev, FOO_DMA_SIZE, priv->dma_buf, priv->dma_handle);
	kfree(priv->ring);
	kfree(priv->stats);
	kfree(priv->label);
}

static const struct of_device_id foo_of_match[] = {
	{ .compatible = "foosys,fx100" },
	{ }
};
MODULE_DEVICE_TABLE(of, foo_of_match);

static struct platform_driver foo_driver = {
	.probe = foo_probe,
	.remove = foo_remove,
	.driver = {
		.name = "fx100",
		.of_match_table = foo_of_match,
	},
};
module_platform_driver(foo_driver);

MODULE_DESCRIPTION("Foo Systems FX-100 packet engine");
MODULE_LICENSE("Dual MIT/GPL");
