typedef struct _virNetwork virNetwork;
struct _virNetwork { char *name; char *bridge; char **ips; size_t nips; };

static int
virNetworkParseIPs(virNetwork *net, char **list, size_t n)
{
    size_t i;

    if (VIR_ALLOC_N(net->ips, n) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        if (VIR_STRDUP(net->ips[i], list[i]) < 0)
            return -1;
        net->nips++;
    }
    return 0;
}

static virNetwork *
virNetworkNew(const char *name, const char *bridge)
{
    virNetwork *net;

    if (VIR_ALLOC(net) < 0)
        return NULL;
    if (VIR_STRDUP(net->name, name) < 0)
        goto error;
    if (VIR_STRDUP(net->bridge, bridge) < 0)
        goto error;
    return net;

 error:
    VIR_FREE(net->name);
    VIR_FREE(net);
    return NULL;
}

static int
virNetworkFormat(virNetwork *net, char **out)
{
    char *str = NULL;
    int ret = -1;

    if (virAsprintf(&str, "<network name='%s'/>", net->name) < 0)
        goto cleanup;
    *out = str;
    str = NULL;
    ret = 0;
 cleanup:
    VIR_FREE(str);
    return ret;
}

static int
virNetworkRename(virNetwork *net, const char *name)
{
    char *tmp;

    if (VIR_STRDUP(tmp, name) < 0)
        return -1;
    VIR_FREE(net->name);
    net->name = tmp;
    return 0;
}
