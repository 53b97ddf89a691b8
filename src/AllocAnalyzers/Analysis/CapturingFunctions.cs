using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>Where the closure of a capturing function is allocated, relative to the loop that creates the delegate.</summary>
internal enum ClosureAllocation
{
    /// <summary>Only <c>this</c> is captured: the compiler makes the lambda an instance method, and only the delegate is allocated.</summary>
    None,
    /// <summary>A captured variable is declared in the loop body (or is the <c>foreach</c> variable): a new closure every iteration.</summary>
    PerIteration,
    /// <summary>Every captured variable is declared outside the loop: one closure, a new delegate every iteration.</summary>
    OutsideLoop,
}

/// <summary>The loop iteration that runs a delegate creation: an <see cref="ILoopOperation"/>, or the body lambda of <c>Parallel.For</c>/<c>ForEach</c>.</summary>
internal readonly struct LoopIteration
{
    public LoopIteration(ILoopOperation? loop, IAnonymousFunctionOperation? parallelBody)
    {
        Loop = loop;
        ParallelBody = parallelBody;
    }

    public ILoopOperation? Loop { get; }
    public IAnonymousFunctionOperation? ParallelBody { get; }
    public bool IsLoop => Loop is not null || ParallelBody is not null;

    /// <summary>Whether <paramref name="variable"/> is the variable of this loop: a <c>for</c>/<c>foreach</c> variable or a parameter of a parallel body.</summary>
    public bool IsLoopVariable(ISymbol variable)
    {
        if (ParallelBody is not null)
        {
            return variable is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, ParallelBody.Symbol);
        }

        if (Loop is not (IForLoopOperation or IForEachLoopOperation))
        {
            return false;
        }

        foreach (var local in Loop.Locals)
        {
            if (SymbolEqualityComparer.Default.Equals(local, variable))
            {
                return true;
            }
        }

        return Loop is IForEachLoopOperation forEach && forEach.LoopControlVariable is IVariableDeclaratorOperation declarator &&
               SymbolEqualityComparer.Default.Equals(declarator.Symbol, variable);
    }

    /// <summary>Whether each iteration gets a fresh instance of <paramref name="variable"/>, and so a fresh closure.</summary>
    public bool IsFreshEachIteration(ISymbol variable, CancellationToken cancellationToken)
    {
        if (ParallelBody is not null)
        {
            return Captures.IsDeclaredInside(variable, ParallelBody.Symbol);
        }

        return Loop is not null && variable is ILocalSymbol && Captures.ClosureScope(variable, cancellationToken) is { } scope &&
               Loop.Body.Syntax.Span.Contains(scope.Span);
    }
}

/// <summary>Which delegate creations make a closure, and how the closure rules name and place them.</summary>
internal static class CapturingFunctions
{
    /// <summary>
    /// The function a delegate creation converts, when it can capture: a non-static lambda or anonymous method, or a
    /// non-static local function used as a method group. Null for method groups of methods and static functions.
    /// </summary>
    public static IOperation? GetFunction(IDelegateCreationOperation creation, CancellationToken cancellationToken)
    {
        switch (creation.Target)
        {
            case IAnonymousFunctionOperation lambda:
                return lambda.Symbol.IsStatic ? null : lambda;
            case IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction, IsStatic: false } method }:
                var model = creation.SemanticModel;
                foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
                {
                    if (model is not null && reference.SyntaxTree == model.SyntaxTree &&
                        model.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is ILocalFunctionOperation declaration)
                    {
                        return declaration;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// How a message names a method group conversion that allocates a delegate each time it runs: an instance method
    /// (bound to its receiver), or a static method before C# 11 (from C# 11 the compiler caches it). Null for anything
    /// else, local functions included (their captures are judged like a lambda's).
    /// </summary>
    public static string? DescribeAllocatingMethodGroup(IDelegateCreationOperation creation)
    {
        if (creation.Target is not IMethodReferenceOperation { Method: { MethodKind: not MethodKind.LocalFunction } method } reference ||
            creation.Syntax is ObjectCreationExpressionSyntax)
        {
            return null;
        }

        if (method.IsStatic || method.IsExtensionMethod && method.ReducedFrom is null)
        {
            return creation.Syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp11 }
                ? $"Static method group '{method.Name}' (cached only from C# 11 on)"
                : null;
        }

        return reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
            ? $"Method group '{method.Name}' bound to 'this'"
            : $"Method group '{method.Name}' bound to its receiver";
    }

    /// <summary>The loop iteration running <paramref name="operation"/>, if any.</summary>
    public static LoopIteration GetIteration(IOperation operation)
    {
        if (Loops.GetLoopRunningEachIteration(operation) is { } loop)
        {
            return new LoopIteration(loop, null);
        }

        if (Loops.GetParallelLoopRunningEachIteration(operation) is { } call)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Name == "body" && Unwrap(argument.Value) is IAnonymousFunctionOperation body)
                {
                    return new LoopIteration(null, body);
                }
            }
        }

        return default;
    }

    private static IOperation Unwrap(IOperation value)
    {
        while (value is IConversionOperation or IDelegateCreationOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
        }

        return value;
    }

    /// <summary>Where the closure of <paramref name="captures"/> is allocated relative to <paramref name="iteration"/>.</summary>
    public static ClosureAllocation ClassifyClosure(CaptureSet captures, LoopIteration iteration, CancellationToken cancellationToken)
    {
        if (captures.Variables.IsEmpty)
        {
            return ClosureAllocation.None;
        }

        if (iteration.IsLoop)
        {
            foreach (var variable in captures.Variables)
            {
                if (iteration.IsFreshEachIteration(variable, cancellationToken))
                {
                    return ClosureAllocation.PerIteration;
                }
            }
        }

        return ClosureAllocation.OutsideLoop;
    }

    /// <summary>The lambda, or the method group, that a diagnostic underlines.</summary>
    public static SyntaxNode ReportedSyntax(IDelegateCreationOperation creation) =>
        creation.Target is IAnonymousFunctionOperation lambda ? lambda.Syntax : creation.Syntax;

    /// <summary>How a message names the function: "Lambda", "Anonymous method", "Local function 'Name'".</summary>
    public static string Kind(IDelegateCreationOperation creation) => creation.Target switch
    {
        IAnonymousFunctionOperation { Syntax: AnonymousMethodExpressionSyntax } => "Anonymous method",
        IAnonymousFunctionOperation => "Lambda",
        IMethodReferenceOperation reference => $"Local function '{reference.Method.Name}'",
        _ => "Function",
    };

    /// <summary>Whether the code is compiled as C# 9 or later, where lambdas can be <c>static</c>.</summary>
    public static bool SupportsStaticLambdas(SyntaxTree tree) =>
        tree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp9 };
}
