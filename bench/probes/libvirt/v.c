typedef struct _virDomainDef virDomainDef;
struct _virDomainDef { char *name; char *uuid; int *vcpus; size_t nvcpus; };

virDomainDef *virDomainDefNew(const char *name)
{
    virDomainDef *def = NULL;

    if (VIR_ALLOC(def) < 0)
        return NULL;
    if (VIR_STRDUP(def->name, name) < 0)
        goto error;
    return def;

 error:
    virDomainDefFree(def);
    return NULL;
}

int virDomainDefAddVcpu(virDomainDef *def, int id)
{
    if (VIR_EXPAND_N(def->vcpus, def->nvcpus, 1) < 0)
        return -1;
    def->vcpus[def->nvcpus - 1] = id;
    return 0;
}

int virDomainDefParseName(const char *xml, char **out)
{
    char *name = NULL;
    int ret = 0;

    if (VIR_STRDUP(name, xml) < 0)
        goto cleanup;                   /* expect: failure-swallowed */
    if (!*name) {
        ret = -1;
        goto cleanup;
    }
    *out = name;
    name = NULL;
 cleanup:
    VIR_FREE(name);
    return ret;
}

int virDomainDefCopyUUID(virDomainDef *def, const char *uuid)
{
    char *tmp = NULL;
    char *other = NULL;

    if (VIR_STRDUP(tmp, uuid) < 0)
        return -1;
    if (VIR_STRDUP(other, uuid) < 0)
        return -1;                      /* expect: leak-on-error-path */
    def->uuid = tmp;
    VIR_FREE(other);
    return 0;
}

int virDomainDefUnchecked(virDomainDef *def)
{
    int *arr;
    VIR_ALLOC_N(arr, 4);
    arr[0] = 1;                         /* expect: unchecked-alloc */
    def->vcpus = arr;
    return 0;
}
