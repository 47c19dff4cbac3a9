#include <libxml/tree.h>
static xmlDocPtr newDoc(void)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root;

    if (doc == NULL)
        return(NULL);
    root = xmlNewDocNode(doc, NULL, BAD_CAST "root", NULL);
    if (root == NULL) {
        xmlFreeDoc(doc);
        return(NULL);
    }
    xmlDocSetRootElement(doc, root);
    return(doc);
}
static void addKid(xmlNodePtr parent)
{
    xmlNodePtr kid = xmlNewNode(NULL, BAD_CAST "kid");
    if (kid == NULL)
        return;
    xmlAddChild(parent, kid);
}
