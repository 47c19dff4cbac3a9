#include <libxml/tree.h>

static int
addProp(xmlNodePtr node, const xmlChar *name, const xmlChar *value)
{
    xmlChar *copy = xmlStrdup(value);
    if (copy == NULL)
        return(-1);
    if (xmlNewProp(node, name, copy) == NULL)
        return(-1);                     /* expect: leak-on-error-path */
    xmlFree(copy);
    return(0);
}

static xmlChar *
getContent(xmlNodePtr node)
{
    xmlChar *content = xmlNodeGetContent(node);
    int len = xmlStrlen(content);
    if (len > 10)
        content[10] = 0;                /* expect: unchecked-alloc */
    return(content);
}

static int
growBuf(xmlChar **buf, int *size)
{
    xmlChar *tmp;
    int newSize = *size * 2;

    tmp = (xmlChar *) xmlRealloc(*buf, newSize);
    if (tmp == NULL) {
        xmlFree(*buf);
        *buf = NULL;
        return(-1);
    }
    *buf = tmp;
    *size = newSize;
    return(0);
}

static xmlDocPtr
newDoc(void)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root;

    if (doc == NULL)
        return(NULL);
    root = xmlNewDocNode(doc, NULL, BAD_CAST "root", NULL);
    if (root == NULL)
        return(NULL);                   /* expect: leak-on-error-path */
    xmlDocSetRootElement(doc, root);
    return(doc);
}
