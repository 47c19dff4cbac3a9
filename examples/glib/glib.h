/*
 * glib.h: a minimal stand-in for the GLib API that thumb-cache.c uses, so
 * the example can be syntax-checked without GLib installed:
 *
 *   gcc -fsyntax-only -std=gnu11 -I examples/glib examples/glib/thumb-cache.c
 *
 * Declarations only (plus small macros for g_new0, g_autoptr and friends,
 * with the same meaning as GLib's); none of this is GLib's implementation.
 */
#ifndef EXAMPLE_GLIB_STUB_H
#define EXAMPLE_GLIB_STUB_H

#include <stddef.h>

typedef char gchar;
typedef int gint;
typedef unsigned int guint;
typedef unsigned char guint8;
typedef long long gint64;
typedef unsigned long long guint64;
typedef size_t gsize;
typedef long gssize;
typedef gint gboolean;
typedef void *gpointer;
typedef const void *gconstpointer;
typedef guint GQuark;

#define FALSE 0
#define TRUE 1
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#define MIN(a, b) (((a) < (b)) ? (a) : (b))

typedef struct {
  GQuark domain;
  gint code;
  gchar *message;
} GError;

/* Aborting allocators. */
gpointer g_malloc (gsize n_bytes);
gpointer g_malloc0_n (gsize n_structs, gsize struct_size);
gpointer g_realloc_n (gpointer mem, gsize n_structs, gsize struct_size);
gchar *g_strdup (const gchar *str);
gchar *g_strdup_printf (const gchar *format, ...) __attribute__((format (printf, 1, 2)));
#define g_new0(struct_type, n_structs) \
  ((struct_type *) g_malloc0_n ((n_structs), sizeof (struct_type)))
#define g_renew(struct_type, mem, n_structs) \
  ((struct_type *) g_realloc_n ((mem), (n_structs), sizeof (struct_type)))

/* Allocators that return NULL on failure. */
gpointer g_try_malloc (gsize n_bytes);
gpointer g_try_realloc (gpointer mem, gsize n_bytes);

void g_free (gpointer mem);

#define g_clear_pointer(pp, destroy) \
  do { if (*(pp) != NULL) { destroy (*(pp)); *(pp) = NULL; } } while (0)

static inline gpointer
g_steal_pointer (gpointer pp)
{
  gpointer *ptr = (gpointer *) pp;
  gpointer ref = *ptr;

  *ptr = NULL;
  return ref;
}

/* Scope-based release. */
static inline void
g_autoptr_cleanup_generic_gfree (void *p)
{
  g_free (*(gpointer *) p);
}
#define g_autofree __attribute__((cleanup (g_autoptr_cleanup_generic_gfree)))
#define g_autoptr(TypeName) \
  __attribute__((cleanup (glib_autoptr_cleanup_##TypeName))) TypeName *
#define G_DEFINE_AUTOPTR_CLEANUP_FUNC(TypeName, func) \
  static inline void glib_autoptr_cleanup_##TypeName (TypeName **_ptr) \
  { if (*_ptr != NULL) (func) (*_ptr); }

/* Precondition checks. */
void g_return_if_fail_warning (const char *domain, const char *func, const char *expr);
#define g_return_val_if_fail(expr, val) \
  do { if (!(expr)) { g_return_if_fail_warning (NULL, __func__, #expr); return (val); } } while (0)
#define g_return_if_fail(expr) \
  do { if (!(expr)) { g_return_if_fail_warning (NULL, __func__, #expr); return; } } while (0)

/* Misc. */
typedef enum { G_CHECKSUM_MD5, G_CHECKSUM_SHA1, G_CHECKSUM_SHA256 } GChecksumType;
gchar *g_compute_checksum_for_string (GChecksumType checksum_type, const gchar *str, gssize length);
gchar *g_format_size (guint64 size);
gint64 g_get_monotonic_time (void);
gboolean g_str_equal (gconstpointer v1, gconstpointer v2);
GQuark g_file_error_quark (void);
#define G_FILE_ERROR g_file_error_quark ()
typedef enum { G_FILE_ERROR_NOENT = 4 } GFileError;
void g_set_error (GError **err, GQuark domain, gint code, const gchar *format, ...)
  __attribute__((format (printf, 4, 5)));
gboolean g_file_set_contents (const gchar *filename, const gchar *contents,
                              gssize length, GError **error);

#endif /* EXAMPLE_GLIB_STUB_H */
