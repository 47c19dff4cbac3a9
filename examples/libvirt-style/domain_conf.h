/*
 * domain_conf.h: domain configuration (cut down for the example)
 */
#ifndef EXAMPLE_DOMAIN_CONF_H
#define EXAMPLE_DOMAIN_CONF_H

#include "internal.h"

#define VIR_DOMAIN_VCPUS_MAX 4096

typedef enum {
    VIR_DOMAIN_DISK_BUS_IDE,
    VIR_DOMAIN_DISK_BUS_SCSI,
    VIR_DOMAIN_DISK_BUS_VIRTIO,
} virDomainDiskBus;

typedef struct _virDomainDiskDef virDomainDiskDef;
typedef virDomainDiskDef *virDomainDiskDefPtr;
struct _virDomainDiskDef {
    char *src;
    char *dst;
    int bus;            /* virDomainDiskBus */
    bool readonly;
};

typedef struct _virDomainFSDef virDomainFSDef;
typedef virDomainFSDef *virDomainFSDefPtr;
struct _virDomainFSDef {
    char *src;
    char *dst;
    bool readonly;
};

typedef struct _virDomainVcpuDef virDomainVcpuDef;
typedef virDomainVcpuDef *virDomainVcpuDefPtr;
struct _virDomainVcpuDef {
    bool online;
    unsigned int order;
};

typedef struct _virDomainDef virDomainDef;
typedef virDomainDef *virDomainDefPtr;
struct _virDomainDef {
    char *name;
    char *title;
    unsigned char uuid[VIR_UUID_BUFLEN];

    virDomainVcpuDefPtr vcpus;
    unsigned int maxvcpus;

    size_t ndisks;
    virDomainDiskDefPtr *disks;

    size_t nfss;
    virDomainFSDefPtr *fss;
};

void virDomainDiskDefFree(virDomainDiskDefPtr def);
virDomainDiskDefPtr virDomainDiskDefNew(const char *src, const char *dst, int bus);
void virDomainFSDefFree(virDomainFSDefPtr def);
virDomainFSDefPtr virDomainFSDefNew(const char *src, bool readonly);
int virDomainFSDefSetTarget(virDomainFSDefPtr fs, const char *path);
virDomainDefPtr virDomainDefNew(void);
void virDomainDefFree(virDomainDefPtr def);
int virDomainDefAddDisk(virDomainDefPtr def, const char *src, const char *dst, int bus);
int virDomainDefSetIdentity(virDomainDefPtr def, const char *name,
                            const char *title, const char *uuidstr);
int virDomainDefSetVcpusMax(virDomainDefPtr def, unsigned int maxvcpus);

#endif /* EXAMPLE_DOMAIN_CONF_H */
