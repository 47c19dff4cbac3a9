#include <stdlib.h>
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
