using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

internal enum ColdPath
{
    None,
    /// <summary>Builds the exception a <c>throw</c> throws, or the arguments of a <c>[DoesNotReturn]</c> method.</summary>
    Thrown,
    /// <summary>In a call the compiler leaves out (a <c>[Conditional]</c> method whose symbol is not defined).</summary>
    Omitted,
}

/// <summary>
/// Code inside a loop or a hot method that still does not run on every iteration or call: what builds the exception a
/// <c>throw</c> throws, or the arguments of a <c>[DoesNotReturn]</c> method (either leaves the loop or the call), and
/// the arguments of a call the compiler leaves out
/// (<c>Debug.Assert</c> and other <c>[Conditional]</c> methods whose symbol the build does not define).
/// </summary>
internal static class ColdPaths
{
    /// <summary>
    /// Whether <paramref name="operation"/> runs only on the way out of its loop or function (it is part of a thrown
    /// exception that no <c>catch</c> inside the innermost loop around it handles), or never (an argument of an omitted call).
    /// </summary>
    public static bool IsCold(IOperation operation) => Classify(operation) != ColdPath.None;

    /// <summary>Which cold path, if any, <paramref name="operation"/> is on.</summary>
    public static ColdPath Classify(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return ColdPath.None;
                case IThrowOperation thrown when child == thrown.Exception:
                    return IsCaughtWithinItsLoop(thrown) ? ColdPath.None : ColdPath.Thrown;
                case IInvocationOperation call when child is IArgumentOperation && DoesNotReturn(call.TargetMethod):
                    // ThrowHelper.ThrowArgumentException(string.Format(…)): a [DoesNotReturn] method throws, like a throw.
                    return IsCaughtWithinItsLoop(call) ? ColdPath.None : ColdPath.Thrown;
                case IInvocationOperation invocation when IsOmitted(invocation):
                    return ColdPath.Omitted;
            }
        }

        return ColdPath.None;
    }

    /// <summary>A method marked <c>[DoesNotReturn]</c> (by name, as the polyfills of older frameworks declare it too).</summary>
    private static bool DoesNotReturn(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "DoesNotReturnAttribute" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>try</c> with a <c>catch</c> around the throw, inside the loop that runs it: the loop may go on after it.</summary>
    private static bool IsCaughtWithinItsLoop(IOperation thrown)
    {
        IOperation child = thrown;
        for (var parent = thrown.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case ITryOperation attempt when child == attempt.Body && !attempt.Catches.IsEmpty:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call to a <c>[Conditional]</c> method (the attribute may sit on the method it overrides) none of whose symbols
    /// the tree defines: the compiler emits neither the call nor the evaluation of its receiver and arguments.
    /// </summary>
    private static bool IsOmitted(IInvocationOperation invocation)
    {
        if (!invocation.TargetMethod.IsConditional)
        {
            return false;
        }

        var tree = invocation.Syntax.SyntaxTree;
        var conditions = 0;
        for (var method = invocation.TargetMethod.OriginalDefinition; method is not null; method = method.OverriddenMethod)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "ConditionalAttribute" } &&
                    attribute.ConstructorArguments.Length == 1 &&
                    attribute.ConstructorArguments[0].Value is string symbol)
                {
                    conditions++;
                    if (IsDefined(tree, symbol, invocation.Syntax.SpanStart))
                    {
                        return false;
                    }
                }
            }
        }

        return conditions > 0;
    }

    /// <summary>
    /// Whether <paramref name="symbol"/> is defined at <paramref name="position"/>: by the build, or by the file's own
    /// <c>#define</c>/<c>#undef</c> (which come before its first token).
    /// </summary>
    private static bool IsDefined(SyntaxTree tree, string symbol, int position)
    {
        var defined = false;
        foreach (var name in tree.Options.PreprocessorSymbolNames)
        {
            if (name == symbol)
            {
                defined = true;
                break;
            }
        }

        var root = tree.GetRoot();
        if (!root.ContainsDirectives)
        {
            return defined;
        }

        foreach (var trivia in root.GetFirstToken(includeZeroWidth: true).LeadingTrivia)
        {
            if (trivia.SpanStart > position)
            {
                break;
            }

            switch (trivia.GetStructure())
            {
                case DefineDirectiveTriviaSyntax { IsActive: true } define when define.Name.ValueText == symbol:
                    defined = true;
                    break;
                case UndefDirectiveTriviaSyntax { IsActive: true } undefine when undefine.Name.ValueText == symbol:
                    defined = false;
                    break;
            }
        }

        return defined;
    }
}
