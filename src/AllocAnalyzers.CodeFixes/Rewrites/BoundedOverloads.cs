using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>How a call given a whole array can be given only its first elements instead.</summary>
internal enum BoundedOverload
{
    None,
    /// <summary><c>(array, …)</c> → <c>(array, 0, size, …)</c>: an overload takes an offset and a count right after the array.</summary>
    BoundsAfterArray,
    /// <summary><c>Array.Fill(array, value)</c> → <c>Array.Fill(array, value, 0, size)</c>: <c>System.Array</c> appends them.</summary>
    BoundsAppended,
    /// <summary><c>(array, …)</c> → <c>(array.AsSpan(0, size), …)</c>: an overload takes a span in the array's place.</summary>
    Span,
}

/// <summary>Which overload of a method bounds an array argument, shared by the fixes that replace a whole array by its requested length.</summary>
internal static class BoundedOverloads
{
    /// <summary>
    /// The bounded form of a call of <paramref name="original"/> (the definition, not a reduced extension) whose
    /// parameter at <paramref name="ordinal"/> receives the whole array. <paramref name="allArgumentsGiven"/>: the
    /// call passes every parameter, so bounds can be appended.
    /// </summary>
    public static BoundedOverload Find(IMethodSymbol original, int ordinal, bool allArgumentsGiven, bool canUseSpans, KnownSymbols known)
    {
        var candidates = GetOverloads(original).ToList();
        var parameters = original.Parameters;

        if (candidates.Any(c => MatchesWithInsertedBounds(c.Parameters, parameters, ordinal)))
        {
            return BoundedOverload.BoundsAfterArray;
        }

        if (original.ContainingType.SpecialType == SpecialType.System_Array &&
            allArgumentsGiven &&
            candidates.Any(c => c.Parameters.Length == parameters.Length + 2 &&
                                ParametersMatch(c.Parameters, 0, parameters, 0, parameters.Length) &&
                                IsInt(c.Parameters[parameters.Length]) && IsInt(c.Parameters[parameters.Length + 1])))
        {
            return BoundedOverload.BoundsAppended;
        }

        if (canUseSpans && candidates.Any(c => c.Parameters.Length == parameters.Length &&
                                               ParametersMatch(c.Parameters, 0, parameters, 0, ordinal) &&
                                               known.GetViewKind(c.Parameters[ordinal].Type) == ArrayViewKind.Span &&
                                               ParametersMatch(c.Parameters, ordinal + 1, parameters, ordinal + 1, parameters.Length - ordinal - 1)))
        {
            return BoundedOverload.Span;
        }

        return BoundedOverload.None;
    }

    public static bool IsCountName(string name) =>
        name.IndexOf("count", StringComparison.OrdinalIgnoreCase) >= 0 ||
        name.IndexOf("length", StringComparison.OrdinalIgnoreCase) >= 0 ||
        name.IndexOf("size", StringComparison.OrdinalIgnoreCase) >= 0;

    public static bool IsIndexName(string name) =>
        name.IndexOf("index", StringComparison.OrdinalIgnoreCase) >= 0 ||
        name.IndexOf("offset", StringComparison.OrdinalIgnoreCase) >= 0 ||
        name.IndexOf("start", StringComparison.OrdinalIgnoreCase) >= 0;

    private static IEnumerable<IMethodSymbol> GetOverloads(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name))
            {
                if (member is IMethodSymbol candidate && candidate.IsStatic == method.IsStatic &&
                    candidate.MethodKind == method.MethodKind && candidate.DeclaredAccessibility == Accessibility.Public)
                {
                    yield return candidate.OriginalDefinition;
                }
            }

            if (method.MethodKind == MethodKind.Constructor)
            {
                yield break;
            }
        }
    }

    private static bool MatchesWithInsertedBounds(ImmutableArray<IParameterSymbol> candidate, ImmutableArray<IParameterSymbol> original, int ordinal) =>
        candidate.Length == original.Length + 2 &&
        ParametersMatch(candidate, 0, original, 0, ordinal + 1) &&
        IsInt(candidate[ordinal + 1]) && IsCountOrIndex(candidate[ordinal + 1]) &&
        IsInt(candidate[ordinal + 2]) && IsCountName(candidate[ordinal + 2].Name) &&
        ParametersMatch(candidate, ordinal + 3, original, ordinal + 1, original.Length - ordinal - 1);

    private static bool ParametersMatch(ImmutableArray<IParameterSymbol> left, int leftStart, ImmutableArray<IParameterSymbol> right, int rightStart, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var a = left[leftStart + i];
            var b = right[rightStart + i];
            if (a.RefKind != b.RefKind || !SameType(a.Type, b.Type))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameType(ITypeSymbol a, ITypeSymbol b) =>
        SymbolEqualityComparer.Default.Equals(a, b) ||
        a is ITypeParameterSymbol ta && b is ITypeParameterSymbol tb && ta.Ordinal == tb.Ordinal && ta.TypeParameterKind == tb.TypeParameterKind ||
        a is IArrayTypeSymbol aa && b is IArrayTypeSymbol ab && aa.Rank == ab.Rank && SameType(aa.ElementType, ab.ElementType);

    private static bool IsInt(IParameterSymbol parameter) => parameter.Type.SpecialType == SpecialType.System_Int32 && parameter.RefKind == RefKind.None;

    private static bool IsCountOrIndex(IParameterSymbol parameter) => IsIndexName(parameter.Name) || IsCountName(parameter.Name);
}
