// IL agreement corpus: type parameters and Nullable<T>.
using System;
using System.Collections.Generic;

static class GenericsAndNullable
{
    static object BoxT<T>(T value) => value;
    static object BoxClassT<T>(T value) where T : class => value; // il-only: reference-type-parameter
    static IComparable BoxStructT<T>(T value) where T : struct, IComparable => value;
    static bool NullCheck<T>(T value) => value == null; // il-only: jit-folds-type-parameter
#if CS8
    static bool IsNullPattern<T>(T value) => value is null; // il-only: jit-folds-type-parameter
#endif
    static int Reinterpret<T>(T value) => (int)(object)value; // il-only: jit-folds-type-parameter
    static string Constrained<T>(T value) where T : IFormattable => value.ToString(null, null);
    static bool ComparerEquals<T>(T a, T b) => EqualityComparer<T>.Default.Equals(a, b);
    static object BoxNullable(int? value) => value;
    static object NullNullable() => (int?)null;
    static bool NullableHasValue(int? value) => value != null;
    static IComparable NullableToInterface(int? value) => value;
    static Type NullableGetType(int? value) => value.GetType();
    static int NullableHash(int? value) => value.GetHashCode();
}
