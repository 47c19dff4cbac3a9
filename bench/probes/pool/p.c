#include <stdlib.h>
struct req { char *buf; };
int handle(void *pool, struct req *r, int x)
{
	char *tmp = apr_palloc(pool, 64);
	if (!tmp)
		return -1;
	if (x)
		return -1;
	r->buf = tmp;
	return 0;
}
