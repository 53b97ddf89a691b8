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
/// The collection types ALLOC010 and ALLOC011 ask about, each looked up once per compilation when a member of a type
/// with its name is first asked about (<see cref="LazySymbol"/>), and which capacity members each has in this
/// compilation: <c>TrimExcess()</c>, <c>EnsureCapacity(int)</c>, <c>Capacity</c> and <c>Comparer</c> came at different
/// times (netstandard2.0 and .NET Framework have no <c>Dictionary.TrimExcess</c>; <c>HashSet.Capacity</c> is .NET 9),
/// so they are read from the reference assemblies, never assumed from a framework name.
/// </summary>
internal sealed class CollectionSymbols
{
    private readonly Compilation _compilation;
    private readonly object?[] _types = new object?[(int)CollectionKind.ConcurrentDictionary + 1];

    public CollectionSymbols(Compilation compilation)
    {
        _compilation = compilation;
    }

    /// <summary>The kind of a collection type or of a type derived from one, with the framework type it is (or derives from).</summary>
    public CollectionKind KindOf(ITypeSymbol? type, out INamedTypeSymbol? framework)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (ExactKindOf(current) is var kind && kind != CollectionKind.None)
            {
                framework = current;
                return kind;
            }
        }

        framework = null;
        return CollectionKind.None;
    }

    /// <summary>The kind of <paramref name="type"/> itself (a constructed collection type), not of its base types.</summary>
    public CollectionKind ExactKindOf(INamedTypeSymbol type)
    {
        if (type.SpecialType != SpecialType.None || !type.IsGenericType)
        {
            return CollectionKind.None;
        }

        // The name and arity first, so that only a type named like a collection is looked up and compared.
        var definition = type.OriginalDefinition;
        var (kind, metadataName) = (definition.Name, definition.Arity) switch
        {
            ("Dictionary", 2) => (CollectionKind.Dictionary, "System.Collections.Generic.Dictionary`2"),
            ("HashSet", 1) => (CollectionKind.HashSet, "System.Collections.Generic.HashSet`1"),
            ("List", 1) => (CollectionKind.List, "System.Collections.Generic.List`1"),
            ("Queue", 1) => (CollectionKind.Queue, "System.Collections.Generic.Queue`1"),
            ("Stack", 1) => (CollectionKind.Stack, "System.Collections.Generic.Stack`1"),
            ("SortedList", 2) => (CollectionKind.SortedList, "System.Collections.Generic.SortedList`2"),
            ("ConcurrentDictionary", 2) => (CollectionKind.ConcurrentDictionary, "System.Collections.Concurrent.ConcurrentDictionary`2"),
            _ => (CollectionKind.None, null),
        };
        return metadataName is not null &&
               SymbolEqualityComparer.Default.Equals(definition, LazySymbol.Resolve(_compilation, ref _types[(int)kind], metadataName))
            ? kind
            : CollectionKind.None;
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
