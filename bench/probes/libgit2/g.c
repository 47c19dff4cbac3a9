#include "common.h"

typedef struct { char *path; char *name; size_t len; } git_foo;

int git_foo_new(git_foo **out, const char *path)
{
	git_foo *foo;

	foo = git__calloc(1, sizeof(git_foo));
	GIT_ERROR_CHECK_ALLOC(foo);

	foo->path = git__strdup(path);
	GIT_ERROR_CHECK_ALLOC(foo->path);	/* expect: leak-on-error-path */

	*out = foo;
	return 0;
}

int git_foo_name(git_foo *foo, const char *name)
{
	char *n = git__strdup(name);
	size_t len = strlen(n);			/* expect: unchecked-alloc */

	git__free(foo->name);
	foo->name = n;
	foo->len = len;
	return 0;
}

int git_foo_load(git_foo *foo)
{
	char *buf = git__malloc(foo->len + 1);
	int error;

	GIT_ERROR_CHECK_ALLOC(buf);

	if ((error = git_futils_readbuffer_fd(buf, foo->path, foo->len)) < 0)
		goto done;

	foo->name = buf;
	buf = NULL;

done:
	git__free(buf);
	return error;
}

int git_foo_open(git_repository **out, const char *path)
{
	git_repository *repo;
	int error;

	if ((error = git_repository_open(&repo, path)) < 0)
		return error;

	if ((error = git_foo_check(repo)) < 0)
		return error;			/* expect: leak-on-error-path */

	*out = repo;
	return 0;
}
