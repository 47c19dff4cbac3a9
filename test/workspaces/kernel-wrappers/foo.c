#include "foo.h"

/* Returns an error pointer when its allocation fails (kernel style): callers must test IS_ERR, not NULL. */
struct foo *foo_create(int id)
{
	struct foo *f;

	if (id < 0)
		return ERR_PTR(-EINVAL);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->id = id;
	return f;
}

/* Returns NULL when its allocation fails. */
char *foo_name_dup(const char *name)
{
	return kstrdup(name, GFP_KERNEL);
}

void foo_destroy(struct foo *f)
{
	kfree(f->name);
	kfree(f);
}
