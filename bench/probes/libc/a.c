#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>

struct rec { int id; char *name; char *data; };
struct ctx { char *buf; size_t len; };

int load_ok(const char *path, const char *s, size_t n)
{
	char *buf = malloc(n);
	char *copy = NULL;
	if (buf == NULL)
		goto fail;
	copy = strdup(s);
	if (!copy)
		goto fail;
	printf("%s %s\n", buf, copy);
	free(copy);
	free(buf);
	return 0;
fail:
	free(buf);
	return -1;
}

int *fill(size_t n)
{
	int *p = calloc(n, sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = (int)i;			/* expect: unchecked-alloc */
	return p;
}

void show(int x)
{
	char *s;
	asprintf(&s, "%d", x);
	puts(s);				/* expect: unchecked-alloc */
	free(s);
}

int map_it(int fd, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (!m)					/* expect: wrong-failure-check */
		return -1;
	munmap(m, len);
	return 0;
}

int grow(struct ctx *c, size_t n)
{
	c->buf = realloc(c->buf, n);		/* expect: realloc-leak */
	if (!c->buf)
		return -1;
	c->len = n;
	return 0;
}

int ctx_init(struct ctx *c)
{
	c->buf = malloc(64);
	if (!c->buf)
		return 0;
	c->len = 64;
	return 0;
}

struct rec *rec_new(int id)
{
	struct rec *r = malloc(sizeof(*r));
	r->id = id;				/* expect: use-before-check */
	if (!r)
		return NULL;
	r->name = NULL;
	return r;
}

int read_file(const char *path, size_t n)
{
	char *buf = malloc(n);
	FILE *f;
	if (!buf)
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;			/* expect: leak-on-error-path */
	fread(buf, 1, n, f);
	fclose(f);
	free(buf);
	return 0;
}

struct rec *rec_dup(const struct rec *src)
{
	struct rec *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->name = strdup(src->name);
	if (!r->name) {
		free(r);
		return NULL;
	}
	r->data = strdup(src->data);
	if (!r->data)
		return NULL;			/* expect: leak-on-error-path */
	return r;
}

char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *out = malloc(la + lb + 1);
	if (out) {
		memcpy(out, a, la);
		memcpy(out + la, b, lb + 1);
	}
	return out;
}

int count_words(const char *s)
{
	char *tmp = strdup(s);
	int n = 0;
	if (!tmp)
		return -1;
	for (char *t = strtok(tmp, " "); t; t = strtok(NULL, " "))
		n++;
	return n;				/* expect: leak */
}
