// IL agreement corpus: enums, structs behind interfaces, receivers of object/Enum methods.
using System;

[Flags]
enum Access { None = 0, Read = 1, Write = 2 }

struct Handle : IDisposable, IComparable<Handle>
{
    public int Id;
    public void Dispose() { }
    public int CompareTo(Handle other) => Id.CompareTo(other.Id);
}

static class EnumsAndStructs
{
    static Enum ToEnum(Access access) => access;
    static ValueType ToValueType(int value) => value;
    static bool HasFlag(Access access) => access.HasFlag(Access.Read); // il-only: jit-removes-hasflag
    static int EnumCompare(Access a, Access b) => a.CompareTo(b);
    static string EnumFormat(Access a) => a.ToString("G");
    static string EnumToString(Access a) => a.ToString();
    static int EnumHash(Access a) => a.GetHashCode();
    static Type IntGetType(int value) => value.GetType();
    static IDisposable AsDisposable(Handle handle) => handle;
    static int ViaInterface(Handle a, Handle b) => ((IComparable<Handle>)a).CompareTo(b);
    static void DirectCall(Handle handle) => handle.Dispose();
    static void Using(Handle handle) { using (handle) { } }
    static void ConstrainedDispose<T>(T value) where T : IDisposable => value.Dispose();
    static string StructToString(Handle handle) => handle.ToString();
    static bool StructEquals(Handle a, Handle b) => a.Equals(b);
}
