#include <glib.h>

gboolean load_thing (const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  if (!g_key_file_load_from_data (kf, contents, len, 0, error))
    return FALSE;
  return TRUE;
}

gchar *
join_paths (const gchar *a, const gchar *b)
{
  gchar *p = g_build_filename (a, b, NULL);
  if (p == NULL)                /* expect: dead-oom-check */
    return NULL;
  return p;
}

gpointer
try_big (gsize n)
{
  gpointer p = g_try_malloc0 (n);
  if (!p)
    g_warning ("oom");
  return p;
}
