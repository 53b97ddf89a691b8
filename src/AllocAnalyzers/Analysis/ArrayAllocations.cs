using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>Which operations allocate a new one-dimensional array, and of what size.</summary>
internal static class ArrayAllocations
{
    /// <summary>
    /// Whether <paramref name="operation"/> is <c>new T[size]</c>, <c>GC.AllocateUninitializedArray&lt;T&gt;(size)</c> or
    /// <c>GC.AllocateArray&lt;T&gt;(size)</c> with a size that is not a compile-time constant.
    /// </summary>
    public static bool IsVariableSizeAllocation(IOperation operation, KnownSymbols known, out IOperation size)
    {
        size = null!;
        switch (operation)
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation
                when !creation.DimensionSizes[0].ConstantValue.HasValue:
                size = creation.DimensionSizes[0];
                return true;
            case IInvocationOperation invocation when IsGCArrayAllocation(invocation.TargetMethod, known) &&
                                                     invocation.Arguments.Length > 0 &&
                                                     !invocation.Arguments[0].Value.ConstantValue.HasValue:
                size = invocation.Arguments[0].Value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="operation"/> is <c>new T[N]</c>, <c>new T[] { … }</c> or <c>new[] { … }</c> of a constant length.</summary>
    public static bool IsConstantSizeAllocation(IOperation operation, out int length)
    {
        length = 0;
        if (operation is IArrayCreationOperation { DimensionSizes.Length: 1 } creation &&
            creation.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int constant })
        {
            length = constant;
            return true;
        }

        return false;
    }

    /// <summary>Either kind of one-dimensional allocation, with its size operation.</summary>
    public static bool IsOneDimensionalAllocation(IOperation operation, KnownSymbols known, out IOperation size)
    {
        if (IsConstantSizeAllocation(operation, out _))
        {
            size = ((IArrayCreationOperation)operation).DimensionSizes[0];
            return true;
        }

        return IsVariableSizeAllocation(operation, known, out size);
    }

    /// <summary>Whether the allocation hands out memory that is not guaranteed to be zeroed.</summary>
    public static bool IsUninitialized(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod.Name: "AllocateUninitializedArray" };

    /// <summary>Whether the allocation asks for a pinned array (pinning cannot be kept by a pooled array).</summary>
    public static bool MayBePinned(IOperation operation)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "pinned" &&
                !(argument.Value.ConstantValue is { HasValue: true, Value: false }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The size in bytes of a primitive or enum element; null for other types.</summary>
    public static int? PrimitiveSize(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            type = underlying;
        }

        return type.SpecialType switch
        {
            SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
            SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
            SpecialType.System_Decimal => 16,
            _ => null,
        };
    }

    public static bool IsGCArrayAllocation(IMethodSymbol method, KnownSymbols known) =>
        method.Name is "AllocateUninitializedArray" or "AllocateArray" &&
        KnownSymbols.IsType(method.ContainingType, known.GC);
}
