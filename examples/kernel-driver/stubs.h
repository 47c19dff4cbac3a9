/* Written for Failpath's examples (MIT, see LICENSE): stand-ins for the kernel headers foo_probe.c uses. */
/*
 * Minimal stand-ins for the kernel headers foo_probe.c uses, so that the
 * example can be syntax-checked on its own:
 *
 *   gcc -fsyntax-only -std=gnu11 -I examples/kernel-driver examples/kernel-driver/foo_probe.c
 *
 * Only declarations; none of this is the kernel's implementation.
 */
#ifndef FOO_EXAMPLE_STUBS_H
#define FOO_EXAMPLE_STUBS_H

#define NULL ((void *)0)
#define __iomem
#define BIT(n) (1U << (n))

typedef _Bool bool;
#define true 1
#define false 0

typedef __SIZE_TYPE__ size_t;
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long long dma_addr_t;
typedef unsigned int gfp_t;

#define GFP_KERNEL	((gfp_t)0x0cc0u)
#define GFP_ATOMIC	((gfp_t)0x0820u)
#define __GFP_NOFAIL	((gfp_t)0x8000u)

#define ENOMEM		12
#define EINVAL		22
#define ETIMEDOUT	110
#define MAX_ERRNO	4095

void *memset(void *s, int c, size_t n);

/* err.h */
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

/* slab.h, string.h */
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void kfree(const void *p);
char *kasprintf(gfp_t gfp, const char *fmt, ...);

/* device.h, platform_device.h */
struct device {
	const char *init_name;
	void *driver_data;
};

struct resource {
	u64 start;
	u64 end;
	unsigned long flags;
};
#define IORESOURCE_MEM	0x00000200

struct platform_device {
	const char *name;
	struct device dev;
};

struct of_device_id {
	char compatible[128];
	const void *data;
};

struct device_driver {
	const char *name;
	const struct of_device_id *of_match_table;
};

struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	void (*remove)(struct platform_device *pdev);
	struct device_driver driver;
};

const char *dev_name(const struct device *dev);
void dev_info(const struct device *dev, const char *fmt, ...);
void dev_err(const struct device *dev, const char *fmt, ...);
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);
void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res);
struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int num);
int platform_driver_register(struct platform_driver *drv);

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	pdev->dev.driver_data = data;
}

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return pdev->dev.driver_data;
}

/* dma-mapping.h */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle);

/* kthread.h, delay.h */
struct task_struct;
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data,
				const char *namefmt, ...);
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
void msleep(unsigned int msecs);

/* spinlock.h */
typedef struct { volatile unsigned int slock; } spinlock_t;
void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

/* io.h */
u32 readl(const volatile void __iomem *addr);
void writel(u32 value, volatile void __iomem *addr);

/* module.h */
#define MODULE_DEVICE_TABLE(type, name) \
	static const void *const __mod_##type##_device_table __attribute__((used)) = &(name)
#define MODULE_DESCRIPTION(s) \
	static const char __module_description[] __attribute__((used)) = s
#define MODULE_LICENSE(s) \
	static const char __module_license[] __attribute__((used)) = s
#define module_platform_driver(drv) \
	static int __attribute__((used)) drv##_init(void) { return platform_driver_register(&(drv)); }

#endif /* FOO_EXAMPLE_STUBS_H */
