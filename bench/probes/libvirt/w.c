int virFooNew(virFoo **out, const char *name)
{
    VIR_AUTOFREE(char *) tmp = NULL;
    virFoo *foo = NULL;

    if (VIR_STRDUP(tmp, name) < 0)
        return -1;
    if (VIR_ALLOC(foo) < 0)
        return -1;
    if (virFooValidate(tmp) < 0) {
        VIR_FREE(foo);
        return -1;
    }
    foo->name = tmp;
    tmp = NULL;
    *out = foo;
    return 0;
}

int virFooBad(virFoo **out)
{
    virFoo *foo;
    if (!VIR_ALLOC(foo))              /* inverted: true on success */
        return -1;                       /* expect: leak-on-error-path */
    *out = foo;
    return 0;                         /* expect: failure-swallowed */
}
