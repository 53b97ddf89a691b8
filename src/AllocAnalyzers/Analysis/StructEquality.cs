using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>
/// Questions about a struct's equality: whether <c>EqualityComparer&lt;T&gt;.Default</c> boxes it (it has no
/// <c>IEquatable&lt;T&gt;</c> or no <c>GetHashCode</c> override), and which collections hash their keys with it.
/// </summary>
internal static class StructEquality
{
    /// <summary>Dictionary, HashSet and ConcurrentDictionary: collections that hash their first type argument with the default comparer.</summary>
    public static bool IsHashedCollection(INamedTypeSymbol type, CollectionSymbols collections) =>
        collections.ExactKindOf(type) is CollectionKind.Dictionary or CollectionKind.HashSet or CollectionKind.ConcurrentDictionary;

    /// <summary>Whether the default comparer boxes a key of this type: a struct lacking IEquatable&lt;T&gt; or a GetHashCode override, or an enum on .NET Framework.</summary>
    public static bool BoxesAsKey(ITypeSymbol key, BoxingSymbols symbols)
    {
        if (key.TypeKind == TypeKind.Enum)
        {
            return symbols.IsNetFramework;
        }

        if (key.TypeKind != TypeKind.Struct || key.IsRefLikeType || key is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
        {
            return false;
        }

        return !ImplementsIEquatable(key, symbols) || !OverridesObjectMethod(key, nameof(GetHashCode));
    }

    /// <summary>
    /// Whether the type implements <c>IEquatable</c> of itself. Asked of its definition, so that names of tuple
    /// elements (<c>(int Hour, int Bucket)</c> against <c>ValueTuple&lt;T1, T2&gt;</c>'s <c>IEquatable</c>) and the
    /// type arguments of a generic struct do not make its own interface look like another type's.
    /// </summary>
    public static bool ImplementsIEquatable(ITypeSymbol type, BoxingSymbols symbols)
    {
        var definition = type.OriginalDefinition;
        foreach (var @interface in definition.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, symbols.IEquatable) &&
                SymbolEqualityComparer.Default.Equals(@interface.TypeArguments[0], definition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the type itself overrides Equals(object), GetHashCode() or ToString().</summary>
    public static bool OverridesObjectMethod(ITypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol { IsOverride: true, IsStatic: false } method &&
                method.Parameters.Length == (name == nameof(Equals) ? 1 : 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a collection was created with an IEqualityComparer argument.</summary>
    public static bool TakesComparer(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type is INamedTypeSymbol { Name: "IEqualityComparer", IsGenericType: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The struct returned by the public instance <c>GetEnumerator()</c> of <paramref name="type"/>, if it has one.</summary>
    public static ITypeSymbol? StructEnumerator(ITypeSymbol type)
    {
        foreach (var member in type.GetMembers("GetEnumerator"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public, ReturnType: { TypeKind: TypeKind.Struct, IsRefLikeType: false } enumerator })
            {
                return enumerator;
            }
        }

        return null;
    }
}
