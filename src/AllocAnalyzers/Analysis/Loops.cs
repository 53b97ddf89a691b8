using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>Questions about loops: which loop runs an operation on every iteration.</summary>
internal static class Loops
{
    /// <summary>
    /// The innermost loop of the same function whose body, condition or increment contains
    /// <paramref name="operation"/>, so that it runs once per iteration. A <c>foreach</c> collection or a
    /// <c>for</c> initializer runs once per loop, so the search continues outwards from there. Lambdas and local
    /// functions end the search: their bodies run when called, not per iteration of the loop around them.
    /// </summary>
    public static ILoopOperation? GetLoopRunningEachIteration(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return null;
                case ILoopOperation loop when RunsEachIteration(loop, child):
                    return loop;
            }
        }

        return null;
    }

    /// <summary>
    /// The <c>Parallel.For</c>, <c>Parallel.ForEach</c> or <c>Parallel.ForEachAsync</c> call whose body lambda directly
    /// contains <paramref name="operation"/> (not through a further lambda or local function): the body runs once per
    /// element, so it counts as a loop body.
    /// </summary>
    public static IInvocationOperation? GetParallelLoopRunningEachIteration(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILocalFunctionOperation:
                    return null;
                case IAnonymousFunctionOperation lambda:
                    var argument = lambda.Parent is IDelegateCreationOperation creation ? creation.Parent : lambda.Parent;
                    while (argument is IConversionOperation)
                    {
                        argument = argument.Parent;
                    }

                    return argument is IArgumentOperation { Parameter.Name: "body", Parent: IInvocationOperation call } && IsParallelLoop(call.TargetMethod)
                        ? call
                        : null;
            }
        }

        return null;
    }

    private static bool IsParallelLoop(IMethodSymbol method) =>
        method.Name is "For" or "ForEach" or "ForEachAsync" &&
        method.ContainingType is { Name: "Parallel", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

    /// <summary>The body of the innermost method, local function or lambda containing <paramref name="operation"/>.</summary>
    public static IOperation? GetFunctionBody(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Body;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Body;
                case IMethodBodyBaseOperation or IConstructorBodyOperation:
                    return current;
            }

            if (current.Parent is null)
            {
                // Top-level statements, accessors and other roots.
                return current;
            }
        }

        return null;
    }

    /// <summary>The keyword that introduces a loop, for messages.</summary>
    public static string Keyword(ILoopOperation loop) => loop.LoopKind switch
    {
        LoopKind.For => "for",
        LoopKind.ForEach => "foreach",
        LoopKind.While when loop is IWhileLoopOperation { ConditionIsTop: false } => "do",
        _ => "while",
    };

    /// <summary>Whether <paramref name="node"/> lies inside a lambda or local function that is itself inside <paramref name="root"/>.</summary>
    public static bool IsInsideNestedFunction(IOperation node, IOperation root)
    {
        for (var current = node.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool RunsEachIteration(ILoopOperation loop, IOperation child)
    {
        if (child == loop.Body)
        {
            return true;
        }

        return loop switch
        {
            IForLoopOperation forLoop => child == forLoop.Condition || ContainsReference(forLoop.AtLoopBottom, child),
            IWhileLoopOperation whileLoop => child == whileLoop.Condition,
            _ => false,
        };
    }

    private static bool ContainsReference(System.Collections.Immutable.ImmutableArray<IOperation> operations, IOperation child)
    {
        foreach (var operation in operations)
        {
            if (operation == child)
            {
                return true;
            }
        }

        return false;
    }
}
