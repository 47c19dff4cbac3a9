#include <stdlib.h>
#include <string.h>

struct vec { int *items; size_t n, cap; };

int vec_push(struct vec *v, int x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		int *items = reallocarray(v->items, cap, sizeof(*items));
		if (!items)
			return -1;
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = x;
	return 0;
}

int vec_push_bad(struct vec *v, int x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = reallocarray(v->items, v->cap, sizeof(int));	/* expect: realloc-leak */
		if (!v->items)
			return -1;
	}
	v->items[v->n++] = x;
	return 0;
}

char *cat2(const char *a, const char *b)
{
	size_t la = strlen(a);
	char *r = malloc(la + strlen(b) + 1);
	memcpy(r, a, la);			/* expect: unchecked-alloc */
	strcpy(r + la, b);
	return r;
}

int twice(char **a, char **b)
{
	*a = strdup("x");
	*b = strdup("y");
	if (!*a || !*b) {
		free(*a);
		free(*b);
		return -1;
	}
	return 0;
}

int check_after_use(size_t n)
{
	int *p = calloc(n, sizeof(int));
	p[0] = 1;				/* expect: use-before-check */
	if (p == NULL)
		return -1;
	free(p);
	return 0;
}

int suppressed(size_t n)
{
	char *p = malloc(n);
	p[0] = 0; /* failpath-ignore unchecked-alloc */
	free(p);
	return 0;
}
