#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>

struct node { struct node *next; int v; char name[16]; };

struct node *push(struct node *head, int v)
{
	struct node *n = malloc(sizeof(*n));
	n->next = head;				/* expect: unchecked-alloc */
	n->v = v;
	return n;
}

char *dup_upper(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; *p; p++)		/* expect: unchecked-alloc */
		*p = (char)toupper(*p);
	return d;
}

int map_neg(int fd, size_t len, void **out)
{
	void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == NULL)				/* expect: wrong-failure-check */
		return -1;
	*out = m;
	return 0;
}

int map_ok(int fd, size_t len, void **out)
{
	void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -1;
	*out = m;
	return 0;
}

int pm(size_t n, void **out)
{
	void *p;
	if (posix_memalign(&p, 64, n))
		return -1;
	*out = p;
	return 0;
}

int pm_bad(size_t n, void **out)
{
	void *p = NULL;
	posix_memalign(&p, 64, n);
	memset(p, 0, n);			/* expect: unchecked-alloc */
	*out = p;
	return 0;
}

int pm_wrong(size_t n, void **out)
{
	void *p;
	if (posix_memalign(&p, 64, n) < 0)	/* expect: wrong-failure-check */
		return -1;
	*out = p;
	return 0;
}

char *ap(int x)
{
	char *s;
	if (asprintf(&s, "%d", x) == -1)
		return NULL;
	return s;
}

char *ap_wrong(int x)
{
	char *s = NULL;
	asprintf(&s, "%d", x);
	if (!s)					/* expect: wrong-failure-check */
		return NULL;
	return s;
}

void fill(struct node *n, const char *name)
{
	char *copy = strdup(name);
	if (copy)
		strncpy(n->name, copy, sizeof(n->name) - 1);
	free(copy);
}

int read_all(FILE *f, char **out)
{
	char *buf = malloc(4096);
	size_t got;
	if (!buf)
		return -1;
	got = fread(buf, 1, 4096, f);
	if (ferror(f)) {
		free(buf);
		return -1;
	}
	buf[got < 4096 ? got : 4095] = 0;
	*out = buf;
	return 0;
}
