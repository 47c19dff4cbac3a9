#include <glib.h>
#include "git2.h"

typedef struct { gchar *name; GHashTable *tbl; } Reg;

gboolean reg_add (Reg *r, const gchar *key, GError **error)
{
  g_autofree gchar *k = g_strdup (key);
  gchar *v = g_strdup_printf ("%s=1", key);

  if (!validate (k, error))
    return FALSE;                          /* expect: leak-on-error-path */
  g_hash_table_insert (r->tbl, g_steal_pointer (&k), v);
  return TRUE;
}

int git_thing_dup(git_thing **out, const git_thing *src)
{
	git_thing *t = NULL;
	int error = -1;

	t = git__calloc(1, sizeof(*t));
	GIT_ERROR_CHECK_ALLOC(t);

	if ((t->path = git__strdup(src->path)) == NULL)
		goto done;
	if ((error = git_buf_sets(&t->buf, src->buf.ptr)) < 0)
		goto done;

	*out = t;
	t = NULL;
	error = 0;
done:
	git_thing_free(t);
	return error;
}

int git_thing_load(git_thing *t)
{
	char *data = NULL;
	int error;

	if ((error = git_futils_readbuffer(&data, t->path)) < 0)
		return error;
	if (!data[0])
		return GIT_ENOTFOUND;
	t->data = data;
	return 0;
}
