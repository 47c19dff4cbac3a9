/* Functions defined in one file of this workspace and called from another. */
#include <stddef.h>

struct widget { char *name; int size; };
struct registry;

void fill_unchecked(char *buf);
void fill_checked(char *buf);
void relay_unchecked(char *buf);
void relay_checked(char *buf);
void peek_name(char **slot);
void recycle(void *p);
void widget_done(struct widget *w);
void widget_print(const struct widget *w);
void widget_clear(struct widget *w);
int registry_record(struct registry *r, char *name);
int registry_lookup(struct registry *r, const char *name);

extern char *pending_name;
size_t pending_length(void);
size_t pending_length_checked(void);
