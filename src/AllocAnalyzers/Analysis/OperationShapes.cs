using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>Small questions about the shape of an operation, asked by rules and fixes alike.</summary>
internal static class OperationShapes
{
    /// <summary>The operand under any implicit conversions.</summary>
    public static IOperation StripImplicitConversions(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The awaited call of <c>await x</c> or <c>await x.ConfigureAwait(…)</c>; anything else as it is.</summary>
    public static IOperation UnwrapAwait(IOperation operation) => operation is IAwaitOperation awaited
        ? awaited.Operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } inner } ? inner : awaited.Operation
        : operation;

    /// <summary>A constant integer zero.</summary>
    public static bool IsZero(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: 0 or 0L };
}
