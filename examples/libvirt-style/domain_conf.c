/*
 * domain_conf.c: domain configuration objects (cut down for the example)
 *
 * Written in the classic libvirt style: allocation macros return < 0 on
 * OOM (the error is already reported), functions return 0 / -1 and free
 * their temporaries in a single cleanup: label.
 */

#include "internal.h"
#include "domain_conf.h"


void
virDomainDiskDefFree(virDomainDiskDefPtr def)
{
    if (!def)
        return;

    VIR_FREE(def->src);
    VIR_FREE(def->dst);
    VIR_FREE(def);
}


virDomainDiskDefPtr
virDomainDiskDefNew(const char *src, const char *dst, int bus)
{
    virDomainDiskDefPtr def;

    if (VIR_ALLOC(def) < 0)
        return NULL;

    if (VIR_STRDUP(def->src, src) < 0 ||
        VIR_STRDUP(def->dst, dst) < 0)
        goto error;

    def->bus = bus;
    return def;

 error:
    virDomainDiskDefFree(def);
    return NULL;
}


void
virDomainFSDefFree(virDomainFSDefPtr def)
{
    if (!def)
        return;

    VIR_FREE(def->src);
    VIR_FREE(def->dst);
    VIR_FREE(def);
}


virDomainFSDefPtr
virDomainFSDefNew(const char *src, bool readonly)
{
    virDomainFSDefPtr def;

    if (VIR_ALLOC(def) < 0)
        return NULL;

    if (VIR_STRDUP(def->src, src) < 0)
        goto error;

    def->readonly = readonly;
    return def;

 error:
    virDomainFSDefFree(def);
    return NULL;
}


/* Store @path as the guest mount point, without trailing slashes. */
int
virDomainFSDefSetTarget(virDomainFSDefPtr fs, const char *path)
{
    char *dst = NULL;
    size_t len;

    VIR_STRDUP(dst, path);
    len = strlen(dst);
    while (len > 1 && dst[len - 1] == '/')
        dst[--len] = '\0';

    VIR_FREE(fs->dst);
    fs->dst = dst;
    return 0;
}


virDomainDefPtr
virDomainDefNew(void)
{
    virDomainDefPtr def;

    if (VIR_ALLOC(def) < 0)
        return NULL;

    if (VIR_ALLOC_N(def->vcpus, 1) < 0)
        goto error;

    def->maxvcpus = 1;
    def->vcpus[0].online = true;
    return def;

 error:
    virDomainDefFree(def);
    return NULL;
}


void
virDomainDefFree(virDomainDefPtr def)
{
    size_t i;

    if (!def)
        return;

    for (i = 0; i < def->ndisks; i++)
        virDomainDiskDefFree(def->disks[i]);
    VIR_FREE(def->disks);
    for (i = 0; i < def->nfss; i++)
        virDomainFSDefFree(def->fss[i]);
    VIR_FREE(def->fss);
    VIR_FREE(def->vcpus);
    VIR_FREE(def->title);
    VIR_FREE(def->name);
    VIR_FREE(def);
}


int
virDomainDefAddDisk(virDomainDefPtr def,
                    const char *src,
                    const char *dst,
                    int bus)
{
    virDomainDiskDefPtr disk = NULL;
    size_t i;
    int ret = -1;

    for (i = 0; i < def->ndisks; i++) {
        if (STREQ_NULLABLE(def->disks[i]->dst, dst)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("target '%s' duplicated for disk sources '%s' and '%s'"),
                           NULLSTR(dst), NULLSTR(def->disks[i]->src), NULLSTR(src));
            goto cleanup;
        }
    }

    if (!(disk = virDomainDiskDefNew(src, dst, bus)))
        goto cleanup;

    if (VIR_EXPAND_N(def->disks, def->ndisks, 1) < 0)
        goto cleanup;

    def->disks[def->ndisks - 1] = disk;
    disk = NULL;
    ret = 0;

 cleanup:
    virDomainDiskDefFree(disk);
    return ret;
}


int
virDomainDefSetIdentity(virDomainDefPtr def,
                        const char *name,
                        const char *title,
                        const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *newTitle = NULL;
    char *newName = NULL;
    int ret = -1;

    if (!name || !*name) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       _("domain name must not be empty"));
        goto cleanup;
    }

    if (uuidstr && virUUIDParse(uuidstr, uuid) < 0) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("malformed uuid '%s'"), uuidstr);
        goto cleanup;
    }

    if (VIR_STRDUP(newTitle, title) < 0 ||
        VIR_STRDUP(newName, name) < 0)
        goto cleanup;

    VIR_FREE(def->name);
    def->name = newName;
    newName = NULL;
    VIR_FREE(def->title);
    def->title = newTitle;
    newTitle = NULL;
    if (uuidstr)
        memcpy(def->uuid, uuid, VIR_UUID_BUFLEN);
    ret = 0;

 cleanup:
    VIR_FREE(newName);
    return ret;
}


int
virDomainDefSetVcpusMax(virDomainDefPtr def,
                        unsigned int maxvcpus)
{
    virDomainVcpuDefPtr vcpus = NULL;
    size_t i;
    int ret = 0;

    if (maxvcpus == 0 || maxvcpus > VIR_DOMAIN_VCPUS_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("unsupported number of vCPUs: %u"), maxvcpus);
        ret = -1;
        goto cleanup;
    }

    if (maxvcpus == def->maxvcpus)
        goto cleanup;

    if (VIR_ALLOC_N(vcpus, maxvcpus) < 0)
        goto cleanup;

    /* keep the state of the vCPUs that remain; new ones start offline */
    for (i = 0; i < maxvcpus && i < def->maxvcpus; i++)
        vcpus[i] = def->vcpus[i];

    VIR_FREE(def->vcpus);
    def->vcpus = vcpus;
    vcpus = NULL;
    def->maxvcpus = maxvcpus;

 cleanup:
    VIR_FREE(vcpus);
    return ret;
}
