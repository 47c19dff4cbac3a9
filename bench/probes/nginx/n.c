#include <ngx_config.h>
#include <ngx_core.h>

typedef struct { ngx_str_t name; ngx_array_t *items; u_char *buf; } ngx_foo_conf_t;

static void *
ngx_foo_create_conf(ngx_conf_t *cf)
{
    ngx_foo_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_foo_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    conf->items = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
    if (conf->items == NULL) {
        return NULL;
    }

    return conf;
}

static ngx_int_t
ngx_foo_push(ngx_foo_conf_t *conf, ngx_str_t *v)
{
    ngx_str_t  *s;

    s = ngx_array_push(conf->items);
    s->len = v->len;                    /* expect: unchecked-alloc */
    s->data = v->data;
    return NGX_OK;
}

static ngx_int_t
ngx_foo_read(ngx_foo_conf_t *conf, ngx_log_t *log, size_t n)
{
    u_char  *p;

    p = ngx_alloc(n, log);
    if (p == NULL) {
        return NGX_ERROR;
    }

    if (ngx_foo_fill(p, n) != NGX_OK) {
        return NGX_ERROR;               /* expect: leak-on-error-path */
    }

    conf->buf = p;
    return NGX_OK;
}

static ngx_int_t
ngx_foo_dup(ngx_pool_t *pool, ngx_str_t *dst, ngx_str_t *src)
{
    dst->data = ngx_pnalloc(pool, src->len);
    if (dst->data == NULL) {
        return NGX_OK;                  /* expect: failure-swallowed */
    }
    if (src->len == 0) {
        return NGX_ERROR;
    }
    ngx_memcpy(dst->data, src->data, src->len);
    dst->len = src->len;
    return NGX_OK;
}
