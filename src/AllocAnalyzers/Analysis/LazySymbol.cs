using System.Threading;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Analysis;

/// <summary>
/// A framework type looked up in its compilation the first time a rule asks for it, not at compilation start. A lookup
/// searches every referenced assembly, and the first one in a compilation waits for the compiler to bind its references:
/// done at compilation start, that wait is charged to the analyzer that asked, and most compilations never need most
/// types. The symbol holders keep one slot per type; a slot that has been looked up holds the symbol, or
/// <see cref="Missing"/> when the compilation has no such type.
/// </summary>
internal static class LazySymbol
{
    /// <summary>Stands for a type the compilation does not have, in a slot that has been looked up.</summary>
    private static readonly object Missing = new();

    /// <summary>
    /// The type in <paramref name="slot"/>, looked up by metadata name the first time. Threads that race to the first
    /// lookup find the same symbol, so either write is right.
    /// </summary>
    public static INamedTypeSymbol? Resolve(Compilation compilation, ref object? slot, string metadataName)
    {
        var value = Volatile.Read(ref slot);
        if (value is null)
        {
            value = compilation.GetTypeByMetadataName(metadataName) ?? Missing;
            Volatile.Write(ref slot, value);
        }

        return value as INamedTypeSymbol;
    }

    /// <summary>The special type in <paramref name="slot"/>, looked up the first time (a compilation always has one, if only as an error type).</summary>
    public static INamedTypeSymbol Resolve(Compilation compilation, ref object? slot, SpecialType specialType)
    {
        var value = Volatile.Read(ref slot);
        if (value is null)
        {
            value = compilation.GetSpecialType(specialType);
            Volatile.Write(ref slot, value);
        }

        return (INamedTypeSymbol)value;
    }
}
