using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>What a lambda, anonymous method or local function captures from the code around it.</summary>
internal sealed class CaptureSet
{
    public static readonly CaptureSet None = new(ImmutableArray<ISymbol>.Empty, capturesThis: false);

    public CaptureSet(ImmutableArray<ISymbol> variables, bool capturesThis)
    {
        Variables = variables;
        CapturesThis = capturesThis;
    }

    /// <summary>Captured locals and parameters (<see cref="ILocalSymbol"/> or <see cref="IParameterSymbol"/>), in order of first use.</summary>
    public ImmutableArray<ISymbol> Variables { get; }

    /// <summary>Whether <c>this</c> is used (explicitly or by an instance member): the function then needs the instance.</summary>
    public bool CapturesThis { get; }

    public bool IsEmpty => Variables.IsEmpty && !CapturesThis;
}

/// <summary>
/// Questions about closures: what a function captures, where the compiler allocates the closure object for a captured
/// variable, and whether a captured variable is written inside a function or after a point. Shared by ALLOC020–ALLOC022.
/// </summary>
internal static class Captures
{
    /// <summary>The symbol of a lambda, anonymous method or local function operation; null for anything else.</summary>
    public static IMethodSymbol? FunctionSymbol(IOperation function) => function switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        ILocalFunctionOperation local => local.Symbol,
        _ => null,
    };

    /// <summary>
    /// The locals, parameters and <c>this</c> that <paramref name="function"/> (a lambda, anonymous method or local
    /// function) captures, including what the local functions it uses capture. Constants are not captured. A static
    /// function captures nothing and is answered without a walk.
    /// </summary>
    public static CaptureSet Of(IOperation function, CancellationToken cancellationToken)
    {
        if (FunctionSymbol(function) is not { } symbol || symbol.IsStatic)
        {
            return CaptureSet.None;
        }

        var variables = ImmutableArray.CreateBuilder<ISymbol>();
        var capturesThis = false;
        var visitedLocalFunctions = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        Collect(function, symbol, variables, ref capturesThis, visitedLocalFunctions, cancellationToken);
        return variables.Count == 0 && !capturesThis ? CaptureSet.None : new CaptureSet(variables.ToImmutable(), capturesThis);
    }

    private static void Collect(IOperation function, IMethodSymbol outermost, ImmutableArray<ISymbol>.Builder variables, ref bool capturesThis, HashSet<IMethodSymbol> visitedLocalFunctions, CancellationToken cancellationToken)
    {
        foreach (var operation in function.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case ILocalReferenceOperation { Local: { IsConst: false } local } when !IsDeclaredInside(local, outermost):
                    AddOnce(variables, local);
                    break;
                case IParameterReferenceOperation { Parameter: var parameter } when !IsDeclaredInside(parameter, outermost):
                    AddOnce(variables, parameter);
                    break;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    capturesThis = true;
                    break;
                case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } called }:
                    CollectLocalFunction(called, function, outermost, variables, ref capturesThis, visitedLocalFunctions, cancellationToken);
                    break;
                case IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } referenced }:
                    CollectLocalFunction(referenced, function, outermost, variables, ref capturesThis, visitedLocalFunctions, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>A local function declared outside the function being asked about brings its own captures along.</summary>
    private static void CollectLocalFunction(IMethodSymbol localFunction, IOperation function, IMethodSymbol outermost, ImmutableArray<ISymbol>.Builder variables, ref bool capturesThis, HashSet<IMethodSymbol> visited, CancellationToken cancellationToken)
    {
        localFunction = localFunction.OriginalDefinition;
        if (localFunction.IsStatic || IsDeclaredInside(localFunction, outermost) || !visited.Add(localFunction) ||
            function.SemanticModel is not { } model)
        {
            return;
        }

        foreach (var reference in localFunction.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == model.SyntaxTree && model.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is ILocalFunctionOperation declaration)
            {
                Collect(declaration, outermost, variables, ref capturesThis, visited, cancellationToken);
            }
        }
    }

    private static void AddOnce(ImmutableArray<ISymbol>.Builder variables, ISymbol symbol)
    {
        foreach (var existing in variables)
        {
            if (SymbolEqualityComparer.Default.Equals(existing, symbol))
            {
                return;
            }
        }

        variables.Add(symbol);
    }

    /// <summary>Whether <paramref name="symbol"/> belongs to <paramref name="function"/> or to a function nested in it.</summary>
    public static bool IsDeclaredInside(ISymbol symbol, IMethodSymbol function)
    {
        for (var current = symbol.ContainingSymbol; current is IMethodSymbol method; current = method.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(method, function))
            {
                return true;
            }

            if (method.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The syntax whose entry allocates the closure object holding <paramref name="variable"/>: the block (or
    /// <c>for</c>, <c>foreach</c>, <c>catch</c>, <c>switch</c>, <c>using</c> statement) declaring a local, or the body of
    /// the function declaring a parameter. Null when the declaration is not in source.
    /// </summary>
    public static SyntaxNode? ClosureScope(ISymbol variable, CancellationToken cancellationToken)
    {
        if (variable.DeclaringSyntaxReferences.Length == 0)
        {
            return null;
        }

        var declaration = variable.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (declaration is CommonForEachStatementSyntax iteration)
        {
            // The iteration variable is a fresh variable of each iteration: its closure is allocated with the body.
            return iteration.Statement;
        }

        for (var node = declaration.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case BlockSyntax when variable is ILocalSymbol:
                case ForStatementSyntax when variable is ILocalSymbol:
                case CatchClauseSyntax when variable is ILocalSymbol:
                case SwitchStatementSyntax when variable is ILocalSymbol:
                case UsingStatementSyntax when variable is ILocalSymbol:
                case FixedStatementSyntax when variable is ILocalSymbol:
                    return node;
                case CommonForEachStatementSyntax forEach when variable is ILocalSymbol:
                    // The iteration variable is a fresh variable of each iteration: its closure is allocated with the body.
                    return forEach.Statement;
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.Body;
                case LocalFunctionStatementSyntax localFunction:
                    return (SyntaxNode?)localFunction.Body ?? localFunction.ExpressionBody;
                case BaseMethodDeclarationSyntax method:
                    return (SyntaxNode?)method.Body ?? method.ExpressionBody;
                case AccessorDeclarationSyntax accessor:
                    return (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody;
                case MemberDeclarationSyntax or CompilationUnitSyntax:
                    return node;
            }
        }

        return null;
    }

    /// <summary>Every reference to <paramref name="variable"/> within <paramref name="root"/>, nested functions included.</summary>
    public static IEnumerable<IOperation> References(IOperation root, ISymbol variable)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, variable) ||
                operation is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable))
            {
                yield return operation;
            }
        }
    }

    /// <summary>
    /// Whether a reference writes the variable (or part of it, for a struct): assignment, increment, <c>ref</c>/<c>out</c>
    /// argument, address taken, <c>ref</c> alias, deconstruction target, or a mutating call on a struct.
    /// </summary>
    public static bool IsWrite(IOperation reference)
    {
        var current = reference;
        // A field, property or call on a struct variable acts on the variable itself.
        while (current.Type is { IsValueType: true } && current.Parent is IMemberReferenceOperation member && member.Instance == current)
        {
            current = current.Parent;
        }

        if (current.Type is { IsValueType: true, IsReadOnly: false } && current.Parent is IInvocationOperation call && call.Instance == current &&
            !call.TargetMethod.IsReadOnly && current.Type.SpecialType == SpecialType.None && current.Type.TypeKind != TypeKind.Enum)
        {
            return true;
        }

        while (current.Parent is ITupleOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == current,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            IAddressOfOperation => true,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: not RefKind.None } } => true,
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="variable"/> is written anywhere inside <paramref name="root"/>.</summary>
    public static bool IsWrittenInside(ISymbol variable, IOperation root)
    {
        foreach (var reference in References(root, variable))
        {
            if (IsWrite(reference))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="variable"/> may be written after <paramref name="site"/> runs, within
    /// <paramref name="functionBody"/> (the body of the function declaring it): a write placed after the site, inside
    /// any lambda or local function (it may run at any time), or inside a loop that also runs the site again. Code
    /// with <c>goto</c> is assumed to write after.
    /// </summary>
    public static bool MayBeWrittenAfter(ISymbol variable, IOperation site, IOperation functionBody)
    {
        var siteStart = site.Syntax.SpanStart;
        foreach (var reference in References(functionBody, variable))
        {
            if (!IsWrite(reference))
            {
                continue;
            }

            if (reference.Syntax.SpanStart >= siteStart || Loops.IsInsideNestedFunction(reference, functionBody) || SharesLoopWith(reference, site, functionBody))
            {
                return true;
            }
        }

        foreach (var node in functionBody.Syntax.DescendantNodes())
        {
            if (node.IsKind(SyntaxKind.GotoStatement) || node.IsKind(SyntaxKind.GotoCaseStatement) || node.IsKind(SyntaxKind.GotoDefaultStatement))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a loop of the function contains both operations.</summary>
    private static bool SharesLoopWith(IOperation write, IOperation site, IOperation functionBody)
    {
        for (var parent = site.Parent; parent is not null && parent != functionBody; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop && loop.Syntax.Span.Contains(write.Syntax.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names the captured variables for a message: <c>'a'</c>, <c>'a' and 'b'</c>, <c>'a', 'b' and 'this'</c>.</summary>
    public static string Describe(CaptureSet captures, System.Func<ISymbol, string>? prefix = null)
    {
        var names = new List<string>(captures.Variables.Length + 1);
        foreach (var variable in captures.Variables)
        {
            names.Add((prefix?.Invoke(variable) ?? "") + "'" + variable.Name + "'");
        }

        if (captures.CapturesThis)
        {
            names.Add("'this'");
        }

        return names.Count switch
        {
            0 => "nothing",
            1 => names[0],
            _ => string.Join(", ", names.GetRange(0, names.Count - 1)) + " and " + names[names.Count - 1],
        };
    }
}
