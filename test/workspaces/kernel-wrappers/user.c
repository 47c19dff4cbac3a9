#include "foo.h"

/* Callers of foo.c's wrappers; the expected findings are marked inline (test/workspaces.test.ts). */

int foo_wrong_test(void)
{
	struct foo *f = foo_create(1);

	if (!f)                                     // expect: wrong-failure-check
		return -ENOMEM;
	foo_destroy(f);                             // expect: unchecked-alloc
	return 0;
}

int foo_right_test(void)
{
	struct foo *f = foo_create(2);

	if (IS_ERR(f))
		return PTR_ERR(f);
	f->id = 3;
	foo_destroy(f);
	return 0;
}

int foo_untested(void)
{
	struct foo *f = foo_create(4);

	f->id = 5;                                  // expect: unchecked-alloc
	foo_destroy(f);
	return 0;
}

int name_right_test(struct foo *f)
{
	f->name = foo_name_dup("x");
	if (!f->name)
		return -ENOMEM;
	return 0;
}

int name_wrong_test(struct foo *f)
{
	char *name = foo_name_dup("y");

	if (IS_ERR(name))                           // expect: wrong-failure-check
		return PTR_ERR(name);
	f->name = name;
	return 0;
}
