/* thumb-cache.c: an in-memory cache of PNG thumbnails, keyed by URI.
 *
 * Bookkeeping uses the aborting g_malloc() family, as GLib intends.  The
 * image data can be large and comes from files we do not control, so it is
 * allocated with g_try_malloc() and a failure is reported to the caller.
 */

#include <string.h>
#include <glib.h>

#define THUMB_MAX_BYTES (16 * 1024 * 1024)

typedef struct {
  gchar  *uri;
  guint8 *data;
  gsize   len;
  gint64  atime;
} ThumbEntry;

typedef struct {
  gchar       *dir;
  ThumbEntry **entries;
  guint        n_entries;
  guint        max_entries;
  gsize        total_bytes;
  gsize        max_bytes;
} ThumbCache;

static void
thumb_entry_free (ThumbEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->uri);
  g_free (entry->data);
  g_free (entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThumbEntry, thumb_entry_free)

static ThumbEntry *
thumb_entry_new (const gchar  *uri,
                 const guint8 *data,
                 gsize         len)
{
  ThumbEntry *entry;
  guint8 *copy;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (len > 0 && len <= THUMB_MAX_BYTES, NULL);

  copy = g_try_malloc (len);
  if (copy == NULL)
    return NULL;
  memcpy (copy, data, len);

  entry = g_new0 (ThumbEntry, 1);
  entry->uri = g_strdup (uri);
  entry->data = copy;
  entry->len = len;
  entry->atime = g_get_monotonic_time ();
  return entry;
}

/* Append a chunk of a thumbnail that is still being loaded. */
static gboolean
thumb_entry_append (ThumbEntry   *entry,
                    const guint8 *chunk,
                    gsize         n)
{
  if (entry->len + n > THUMB_MAX_BYTES)
    return FALSE;

  entry->data = g_try_realloc (entry->data, entry->len + n);
  if (entry->data == NULL)
    return FALSE;

  memcpy (entry->data + entry->len, chunk, n);
  entry->len += n;
  return TRUE;
}

ThumbCache *
thumb_cache_new (const gchar *dir,
                 guint        max_entries,
                 gsize        max_bytes)
{
  ThumbCache *cache;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (max_entries > 0, NULL);

  cache = g_malloc (sizeof (ThumbCache));
  if (cache == NULL)
    return NULL;

  cache->dir = g_strdup (dir);
  cache->entries = g_new0 (ThumbEntry *, max_entries);
  cache->n_entries = 0;
  cache->max_entries = max_entries;
  cache->total_bytes = 0;
  cache->max_bytes = max_bytes;
  return cache;
}

void
thumb_cache_free (ThumbCache *cache)
{
  guint i;

  if (cache == NULL)
    return;

  for (i = 0; i < cache->n_entries; i++)
    thumb_entry_free (cache->entries[i]);
  g_free (cache->entries);
  g_free (cache->dir);
  g_free (cache);
}

static void
thumb_cache_evict_oldest (ThumbCache *cache)
{
  guint i, oldest = 0;

  g_return_if_fail (cache->n_entries > 0);

  for (i = 1; i < cache->n_entries; i++)
    if (cache->entries[i]->atime < cache->entries[oldest]->atime)
      oldest = i;

  cache->total_bytes -= cache->entries[oldest]->len;
  g_clear_pointer (&cache->entries[oldest], thumb_entry_free);
  cache->entries[oldest] = cache->entries[--cache->n_entries];
  cache->entries[cache->n_entries] = NULL;
}

static ThumbEntry *
thumb_cache_lookup (ThumbCache  *cache,
                    const gchar *uri)
{
  guint i;

  for (i = 0; i < cache->n_entries; i++)
    {
      if (g_str_equal (cache->entries[i]->uri, uri))
        {
          cache->entries[i]->atime = g_get_monotonic_time ();
          return cache->entries[i];
        }
    }
  return NULL;
}

gboolean
thumb_cache_insert (ThumbCache   *cache,
                    const gchar  *uri,
                    const guint8 *data,
                    gsize         len)
{
  g_autoptr(ThumbEntry) entry = NULL;

  g_return_val_if_fail (cache != NULL, FALSE);

  if (len > cache->max_bytes || thumb_cache_lookup (cache, uri) != NULL)
    return FALSE;

  entry = thumb_entry_new (uri, data, len);
  if (entry == NULL)
    return FALSE;

  while (cache->n_entries > 0 &&
         (cache->n_entries == cache->max_entries ||
          cache->total_bytes + len > cache->max_bytes))
    thumb_cache_evict_oldest (cache);

  cache->total_bytes += len;
  cache->entries[cache->n_entries++] = g_steal_pointer (&entry);
  return TRUE;
}

/* Feed more bytes of a thumbnail that is being loaded progressively. */
gboolean
thumb_cache_append (ThumbCache   *cache,
                    const gchar  *uri,
                    const guint8 *chunk,
                    gsize         n)
{
  ThumbEntry *entry = thumb_cache_lookup (cache, uri);

  if (entry == NULL || cache->total_bytes + n > cache->max_bytes)
    return FALSE;
  if (!thumb_entry_append (entry, chunk, n))
    return FALSE;

  cache->total_bytes += n;
  return TRUE;
}

/* Return a copy of the cached thumbnail for @uri, or NULL if there is none. */
guint8 *
thumb_cache_dup_data (ThumbCache  *cache,
                      const gchar *uri,
                      gsize       *len)
{
  ThumbEntry *entry = thumb_cache_lookup (cache, uri);
  guint8 *copy;

  if (entry == NULL)
    return NULL;

  copy = g_try_malloc (entry->len);
  memcpy (copy, entry->data, entry->len);
  *len = entry->len;
  return copy;
}

gchar *
thumb_cache_path_for (ThumbCache  *cache,
                      const gchar *uri)
{
  g_autofree gchar *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);

  return g_strdup_printf ("%s/%s.png", cache->dir, md5);
}

gboolean
thumb_cache_save (ThumbCache   *cache,
                  const gchar  *uri,
                  GError      **error)
{
  ThumbEntry *entry = thumb_cache_lookup (cache, uri);
  g_autofree gchar *path = NULL;

  if (entry == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "No thumbnail cached for %s", uri);
      return FALSE;
    }

  path = thumb_cache_path_for (cache, uri);
  return g_file_set_contents (path, (const gchar *) entry->data,
                              (gssize) entry->len, error);
}

gchar *
thumb_cache_describe (ThumbCache *cache)
{
  g_autofree gchar *size = g_format_size (cache->total_bytes);

  return g_strdup_printf ("%u thumbnails (%s) in %s",
                          cache->n_entries, size, cache->dir);
}
