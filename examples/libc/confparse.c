/*
 * confparse.c - a small "key = value" configuration reader.
 *
 * Lines are read through a growable line buffer (so long lines work),
 * '#' starts a comment, and the entries are kept in a flat table with an
 * optional open-addressing index for large files.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_LEN	1024
#define INDEX_ALIGN	64	/* one cache line */

struct linebuf {
	char *data;
	size_t len;
	size_t cap;
};

struct config_entry {
	char *key;
	char *value;
};

struct config {
	struct config_entry **entries;
	size_t count;
	size_t alloc;
	struct config_entry **index;	/* NULL until config_build_index() */
	size_t index_size;		/* a power of two */
};

struct mapped_file {
	void *data;
	size_t size;
};

/* ------------------------------------------------------------------ */
/* Line buffer                                                         */

int linebuf_init(struct linebuf *lb, size_t cap)
{
	char *data;

	if (cap == 0)
		cap = 64;
	data = malloc(cap);
	if (data == NULL)
		return -1;
	data[0] = '\0';
	lb->data = data;
	lb->len = 0;
	lb->cap = cap;
	return 0;
}

static int linebuf_reserve(struct linebuf *lb, size_t need)
{
	size_t cap = lb->cap ? lb->cap : 64;
	char *data;

	if (need <= lb->cap)
		return 0;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			errno = ENOMEM;
			return -1;
		}
		cap *= 2;
	}
	data = realloc(lb->data, cap);
	if (data == NULL)
		return -1;
	lb->data = data;
	lb->cap = cap;
	return 0;
}

int linebuf_append(struct linebuf *lb, const char *s, size_t n)
{
	if (linebuf_reserve(lb, lb->len + n + 1) < 0)
		return -1;
	memcpy(lb->data + lb->len, s, n);
	lb->len += n;
	lb->data[lb->len] = '\0';
	return 0;
}

void linebuf_reset(struct linebuf *lb)
{
	lb->len = 0;
	if (lb->data != NULL)
		lb->data[0] = '\0';
}

void linebuf_free(struct linebuf *lb)
{
	free(lb->data);
	lb->data = NULL;
	lb->len = lb->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Entries                                                             */

static size_t hash_key(const char *s)
{
	size_t h = 2166136261u;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static struct config_entry *config_entry_new(const char *key, const char *value)
{
	struct config_entry *e;
	char *k, *v;

	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	k = strdup(key);
	v = strdup(value);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		free(e);
		return NULL;
	}
	e->key = k;
	e->value = v;
	return e;
}

static void config_entry_free(struct config_entry *e)
{
	if (e == NULL)
		return;
	free(e->key);
	free(e->value);
	free(e);
}

struct config *config_new(void)
{
	struct config *cfg = malloc(sizeof(*cfg));

	memset(cfg, 0, sizeof(*cfg));
	return cfg;
}

void config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->count; i++)
		config_entry_free(cfg->entries[i]);
	free(cfg->entries);
	free(cfg->index);
	free(cfg);
}

static struct config_entry *config_find(const struct config *cfg, const char *key)
{
	size_t i, mask;

	if (cfg->index != NULL) {
		mask = cfg->index_size - 1;
		for (i = hash_key(key) & mask; cfg->index[i] != NULL; i = (i + 1) & mask)
			if (strcmp(cfg->index[i]->key, key) == 0)
				return cfg->index[i];
		return NULL;
	}
	for (i = 0; i < cfg->count; i++)
		if (strcmp(cfg->entries[i]->key, key) == 0)
			return cfg->entries[i];
	return NULL;
}

const char *config_get(const struct config *cfg, const char *key)
{
	const struct config_entry *e = config_find(cfg, key);

	return e != NULL ? e->value : NULL;
}

static int config_add(struct config *cfg, struct config_entry *e)
{
	if (cfg->count == cfg->alloc) {
		size_t n = cfg->alloc ? cfg->alloc * 2 : 16;

		cfg->entries = realloc(cfg->entries, n * sizeof(*cfg->entries));
		if (cfg->entries == NULL)
			return -1;
		cfg->alloc = n;
	}
	cfg->entries[cfg->count++] = e;

	/* The index no longer covers every entry. */
	free(cfg->index);
	cfg->index = NULL;
	cfg->index_size = 0;
	return 0;
}

int config_set(struct config *cfg, const char *key, const char *value)
{
	struct config_entry *e = config_find(cfg, key);
	char *copy;

	if (e != NULL) {
		copy = strdup(value);
		if (copy == NULL)
			return -1;
		free(e->value);
		e->value = copy;
		return 0;
	}

	e = config_entry_new(key, value);
	if (e == NULL)
		return -1;
	if (config_add(cfg, e) < 0) {
		config_entry_free(e);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

/* Return a malloc'd copy of @line up to its comment, or NULL on OOM. */
static char *strip_comment(const char *line)
{
	size_t n = strcspn(line, "#\n");
	char *out = malloc(n + 1);

	out[n] = '\0';
	if (out == NULL)
		return NULL;
	memcpy(out, line, n);
	return out;
}

static int config_parse_line(struct config *cfg, const char *text, unsigned int lineno)
{
	char *line, *key, *value, *eq;
	int ret = -1;

	line = strip_comment(text);
	if (line == NULL)
		return -1;

	key = trim(line);
	if (*key == '\0') {
		ret = 0;		/* blank or comment-only line */
		goto out;
	}
	eq = strchr(key, '=');
	if (eq == NULL) {
		fprintf(stderr, "line %u: expected 'key = value'\n", lineno);
		goto out;
	}
	*eq = '\0';
	value = trim(eq + 1);
	key = trim(key);
	ret = config_set(cfg, key, value);
out:
	free(line);
	return ret;
}

int config_load(struct config *cfg, FILE *fp)
{
	struct linebuf lb;
	char chunk[256];
	unsigned int lineno = 0;
	int ret = 0;

	if (linebuf_init(&lb, sizeof(chunk)) < 0)
		return -1;
	while (ret == 0 && fgets(chunk, sizeof(chunk), fp) != NULL) {
		size_t n = strlen(chunk);

		if (linebuf_append(&lb, chunk, n) < 0) {
			ret = -1;
			break;
		}
		if (n > 0 && chunk[n - 1] != '\n' && !feof(fp))
			continue;	/* long line: keep reading */
		ret = config_parse_line(cfg, lb.data, ++lineno);
		linebuf_reset(&lb);
	}
	if (ret == 0 && ferror(fp))
		ret = -1;
	linebuf_free(&lb);
	return ret;
}

struct config *config_read_file(const char *path)
{
	struct config *cfg;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	cfg = config_new();
	if (cfg == NULL) {
		fclose(fp);
		return NULL;
	}
	if (config_load(cfg, fp) < 0) {
		config_free(cfg);
		cfg = NULL;
	}
	fclose(fp);
	return cfg;
}

/* The first line of a config file is "# config vN". */
int config_read_version(FILE *fp, unsigned int *version)
{
	char *line = malloc(LINE_MAX_LEN);

	if (line == NULL)
		return -1;
	if (fgets(line, LINE_MAX_LEN, fp) == NULL ||
	    sscanf(line, "# config v%u", version) != 1) {
		free(line);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Output, index, mapping                                              */

int config_write(const struct config *cfg, FILE *fp)
{
	size_t i;

	for (i = 0; i < cfg->count; i++) {
		char *line;

		if (asprintf(&line, "%s = %s\n", cfg->entries[i]->key,
			     cfg->entries[i]->value) < 0)
			return -1;
		if (fputs(line, fp) == EOF) {
			free(line);
			return -1;
		}
		free(line);
	}
	return fflush(fp) == 0 ? 0 : -1;
}

int config_build_index(struct config *cfg)
{
	void *mem;
	size_t size = 16, i, h;

	while (size < cfg->count * 2)
		size *= 2;
	if (posix_memalign(&mem, INDEX_ALIGN, size * sizeof(*cfg->index)) != 0)
		return -1;
	memset(mem, 0, size * sizeof(*cfg->index));

	free(cfg->index);
	cfg->index = mem;
	cfg->index_size = size;
	for (i = 0; i < cfg->count; i++) {
		h = hash_key(cfg->entries[i]->key) & (size - 1);
		while (cfg->index[h] != NULL)
			h = (h + 1) & (size - 1);
		cfg->index[h] = cfg->entries[i];
	}
	return 0;
}

/* Map a whole read-only file (used for large include files). */
int config_map_file(const char *path, struct mapped_file *mf)
{
	struct stat st;
	void *addr;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		return -1;
	}
	addr = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (addr == NULL)
		return -1;
	mf->data = addr;
	mf->size = (size_t)st.st_size;
	return 0;
}

void config_unmap_file(struct mapped_file *mf)
{
	if (mf->data != NULL)
		munmap(mf->data, mf->size);
	mf->data = NULL;
	mf->size = 0;
}
