#include <glib.h>

typedef struct { gchar *name; GPtrArray *items; } Thing;

gboolean thing_set_name(Thing *t, const gchar *name)
{
	gchar *n = g_strdup(name);
	if (n == NULL)
		return FALSE;
	g_free(t->name);
	t->name = n;
	return TRUE;
}

gchar *thing_try(gsize n)
{
	gchar *buf = g_try_malloc(n);
	buf[0] = '\0';				/* expect: unchecked-alloc */
	return buf;
}

gboolean thing_save(Thing *t, const gchar *dir, GError **error)
{
	gchar *path = g_strdup_printf("%s/%s", dir, t->name);
	if (!g_file_set_contents(path, "x", 1, error))
		return FALSE;			/* expect: leak-on-error-path */
	g_free(path);
	return TRUE;
}

gboolean thing_save_auto(Thing *t, const gchar *dir, GError **error)
{
	g_autofree gchar *path = g_strdup_printf("%s/%s", dir, t->name);
	if (!g_file_set_contents(path, "x", 1, error))
		return FALSE;
	return TRUE;
}

Thing *thing_new(void)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new();
	Thing *t = g_new0(Thing, 1);
	t->items = g_steal_pointer(&items);
	return t;
}

gboolean thing_try_new(Thing **out)
{
	Thing *t = g_try_new0(Thing, 1);
	g_return_val_if_fail(t != NULL, FALSE);
	*out = t;
	return TRUE;
}
