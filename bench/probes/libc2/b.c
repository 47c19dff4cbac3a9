#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <assert.h>

static void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(freep)))

int make_all(char **arr, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		arr[i] = malloc(16);
		if (!arr[i])
			goto fail;
	}
	return 0;
fail:
	while (--i >= 0)
		free(arr[i]);
	return -1;
}

void correlated(int x)
{
	char *p = NULL;
	if (x)
		p = malloc(10);
	if (x && !p)
		return;
	puts("work");
	if (x)
		free(p);
}

char *must(size_t n)
{
	char *p = malloc(n);
	if (p == NULL) {
		perror("malloc");
		exit(1);
	}
	return p;
}

int asserted(size_t n)
{
	char *p = malloc(n);
	assert(p);
	p[0] = 0;
	free(p);
	return 0;
}

void zeroed(size_t n)
{
	char *p = malloc(n);
	memset(p, 0, n);			/* expect: unchecked-alloc */
	free(p);
}

int sw(int t)
{
	char *b = malloc(10);
	if (!b)
		return -1;
	switch (t) {
	case 1:
		free(b);
		return 0;
	case 2:
		return -1;			/* expect: leak-on-error-path */
	default:
		break;
	}
	free(b);
	return 0;
}

int scoped(const char *s)
{
	_cleanup_free_ char *p = strdup(s);
	if (!p)
		return -1;
	if (strlen(p) > 10)
		return -1;
	puts(p);
	return 0;
}

int lenfirst(const char *s)
{
	char *p = strdup(s);
	size_t n = strlen(p);			/* expect: use-before-check */
	if (!p)
		return -1;
	free(p);
	return (int)n;
}

char *grow_loop(FILE *f)
{
	size_t cap = 16, len = 0;
	char *buf = malloc(cap);
	int c;
	if (!buf)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		if (len + 1 >= cap) {
			char *tmp = realloc(buf, cap *= 2);
			if (!tmp) {
				free(buf);
				return NULL;
			}
			buf = tmp;
		}
		buf[len++] = (char)c;
	}
	buf[len] = 0;
	return buf;
}

int assign_in_cond(size_t n, char **out)
{
	char *p;
	if ((p = malloc(n)) == NULL)
		return -1;
	*out = p;
	return 0;
}

int ternary(size_t n, char **out)
{
	char *p = n ? malloc(n) : NULL;
	if (n && !p)
		return -1;
	*out = p;
	return 0;
}

int leak_in_loop(const char **names, int n)
{
	for (int i = 0; i < n; i++) {
		char *d = strdup(names[i]);	/* expect: leak */
		if (!d)
			return -1;
		if (d[0] == '#')
			continue;
		puts(d);
		free(d);
	}
	return 0;				/* expect: leak */
}
