#include <glib.h>

gchar *label_dup (const gchar *label);
gchar *label_for_index (guint index);

typedef struct { gchar *label; } Item;

gboolean
item_set_label (Item *item, const gchar *label)
{
  gchar *copy = label_dup (label);

  if (copy == NULL)
    return FALSE;
  g_free (item->label);
  item->label = copy;
  return TRUE;
}

gboolean
item_set_index (Item *item, guint index)
{
  gchar *label = label_for_index (index);

  if (label == NULL)                        // expect: dead-oom-check
    return FALSE;
  g_free (item->label);
  item->label = label;
  return TRUE;
}
