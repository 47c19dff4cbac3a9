#include <stdlib.h>
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
int make_one(char **arr, int i)
{
	arr[i] = malloc(16);
	if (!arr[i])
		return -1;
	return 0;
}
int make_fixed(char **arr)
{
	arr[2] = malloc(16);
	if (!arr[2])
		return -1;
	return 0;
}
