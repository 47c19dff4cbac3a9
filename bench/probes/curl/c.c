#include "curl_setup.h"

struct conn { char *user; char *host; struct curl_slist *headers; };

static CURLcode set_user(struct conn *c, const char *user)
{
  c->user = strdup(user);
  if(!c->user)
    return CURLE_OUT_OF_MEMORY;
  return CURLE_OK;
}

static CURLcode build_url(struct conn *c, char **out)
{
  char *url = aprintf("https://%s/", c->host);
  if(!url)
    return CURLE_OUT_OF_MEMORY;
  if(strlen(url) > 2048)
    return CURLE_URL_MALFORMAT;       /* expect: leak-on-error-path */
  *out = url;
  return CURLE_OK;
}

static CURLcode add_header(struct conn *c, const char *h)
{
  c->headers = curl_slist_append(c->headers, h);   /* expect: realloc-leak */
  if(!c->headers)
    return CURLE_OUT_OF_MEMORY;
  return CURLE_OK;
}

static CURLcode add_header_ok(struct conn *c, const char *h)
{
  struct curl_slist *n = curl_slist_append(c->headers, h);
  if(!n)
    return CURLE_OUT_OF_MEMORY;
  c->headers = n;
  return CURLE_OK;
}

static CURLcode escape_it(CURL *curl, const char *s, char **out)
{
  char *e = curl_easy_escape(curl, s, 0);
  if(!e)
    return CURLE_OK;
  *out = e;
  return CURLE_OK;
}

static CURLcode dup_host(struct conn *c, const char *host)
{
  char *h = strdup(host);
  Curl_safefree(c->host);
  c->host = h;
  return h ? CURLE_OK : CURLE_OUT_OF_MEMORY;
}
