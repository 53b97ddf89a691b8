// IL agreement corpus: dynamic. Compiled only where Microsoft.CSharp is referenced.
#if NETCORE
static class Dynamic
{
    static dynamic ToDynamic(int value) => value;
    static dynamic CallWithValue(dynamic target, int value) => target.Add(value);
    static int FromDynamic(dynamic value) => (int)value;
}
#endif
