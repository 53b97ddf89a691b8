using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Analysis;

/// <summary>The growable framework collections whose storage outlives their contents.</summary>
internal enum CollectionKind
{
    None,
    Dictionary,
    HashSet,
    List,
    Queue,
    Stack,
    SortedList,
    ConcurrentDictionary,
}

/// <summary>
/// The collection types ALLOC010 and ALLOC011 ask about, looked up once per compilation, and which capacity members each
/// has in this compilation: <c>TrimExcess()</c>, <c>EnsureCapacity(int)</c>, <c>Capacity</c> and <c>Comparer</c> came
/// at different times (netstandard2.0 and .NET Framework have no <c>Dictionary.TrimExcess</c>; <c>HashSet.Capacity</c>
/// is .NET 9), so they are read from the reference assemblies, never assumed from a framework name.
/// </summary>
internal sealed class CollectionSymbols
{
    private readonly INamedTypeSymbol?[] _types = new INamedTypeSymbol?[8];

    public CollectionSymbols(Compilation compilation)
    {
        _types[(int)CollectionKind.Dictionary] = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
        _types[(int)CollectionKind.HashSet] = compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1");
        _types[(int)CollectionKind.List] = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        _types[(int)CollectionKind.Queue] = compilation.GetTypeByMetadataName("System.Collections.Generic.Queue`1");
        _types[(int)CollectionKind.Stack] = compilation.GetTypeByMetadataName("System.Collections.Generic.Stack`1");
        _types[(int)CollectionKind.SortedList] = compilation.GetTypeByMetadataName("System.Collections.Generic.SortedList`2");
        _types[(int)CollectionKind.ConcurrentDictionary] = compilation.GetTypeByMetadataName("System.Collections.Concurrent.ConcurrentDictionary`2");
        foreach (var type in _types)
        {
            HasAny |= type is not null;
        }
    }

    /// <summary>Whether any of the collection types exists in the compilation.</summary>
    public bool HasAny { get; }

    /// <summary>The kind of a collection type or of a type derived from one, with the framework type it is (or derives from).</summary>
    public CollectionKind KindOf(ITypeSymbol? type, out INamedTypeSymbol? framework)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current.SpecialType != SpecialType.None || !current.IsGenericType)
            {
                continue;
            }

            var definition = current.OriginalDefinition;
            for (var kind = CollectionKind.Dictionary; kind <= CollectionKind.ConcurrentDictionary; kind++)
            {
                if (SymbolEqualityComparer.Default.Equals(definition, _types[(int)kind]))
                {
                    framework = current;
                    return kind;
                }
            }
        }

        framework = null;
        return CollectionKind.None;
    }

    /// <summary>A public instance method of the collection with the given name and parameter count whose parameters are all <c>int</c>.</summary>
    public static IMethodSymbol? FindIntMethod(INamedTypeSymbol collection, string name, int parameterCount)
    {
        foreach (var member in collection.GetMembers(name))
        {
            if (member is IMethodSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public } method &&
                method.Parameters.Length == parameterCount && AllInt(method))
            {
                return method;
            }
        }

        return null;
    }

    /// <summary><c>TrimExcess()</c>, where the collection has it.</summary>
    public static bool HasTrimExcess(INamedTypeSymbol collection) => FindIntMethod(collection, "TrimExcess", 0) is not null;

    /// <summary><c>EnsureCapacity(int)</c> returning the resulting capacity, where the collection has it.</summary>
    public static bool HasCapacityQuery(INamedTypeSymbol collection) =>
        FindIntMethod(collection, "EnsureCapacity", 1) is { ReturnType.SpecialType: SpecialType.System_Int32 };

    /// <summary>A public readable instance property of the collection.</summary>
    public static IPropertySymbol? FindProperty(INamedTypeSymbol collection, string name)
    {
        foreach (var member in collection.GetMembers(name))
        {
            if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: not null } property)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>A public constructor whose parameter types are, in order, the given ones (compared by original definition, or by special type).</summary>
    public static bool HasConstructor(INamedTypeSymbol collection, params ITypeSymbol?[] parameterTypes)
    {
        foreach (var constructor in collection.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public || constructor.Parameters.Length != parameterTypes.Length)
            {
                continue;
            }

            var matches = true;
            for (var i = 0; i < parameterTypes.Length && matches; i++)
            {
                matches = parameterTypes[i] is { } expected && SymbolEqualityComparer.Default.Equals(constructor.Parameters[i].Type.OriginalDefinition, expected.OriginalDefinition);
            }

            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllInt(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.SpecialType != SpecialType.System_Int32 || parameter.RefKind != RefKind.None)
            {
                return false;
            }
        }

        return true;
    }
}
