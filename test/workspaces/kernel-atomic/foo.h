#ifndef FOO_H
#define FOO_H
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/interrupt.h>

struct foo_entry {
	struct list_head node;
	int value;
};

struct foo_dev {
	spinlock_t lock;
	struct list_head list;
	int irq;
	int count;
	bool need_buf;
	void *buf;
	struct foo_entry *spare;
};

int foo_fill(struct foo_dev *d);
int foo_fill_atomic(struct foo_dev *d);
struct foo_entry *foo_entry_new(int value, gfp_t gfp);
#endif
