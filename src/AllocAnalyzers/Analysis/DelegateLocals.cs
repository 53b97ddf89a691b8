using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>A delegate-typed local that holds one lambda and is only ever invoked.</summary>
internal sealed class InvokedDelegateLocal
{
    public InvokedDelegateLocal(ILocalSymbol local, IAnonymousFunctionOperation lambda, IVariableDeclaratorOperation declarator, IOperation? recursiveAssignment)
    {
        Local = local;
        Lambda = lambda;
        Declarator = declarator;
        RecursiveAssignment = recursiveAssignment;
    }

    public ILocalSymbol Local { get; }
    public IAnonymousFunctionOperation Lambda { get; }

    /// <summary>The declaration of the local: it holds the lambda, or <c>null</c> when the lambda is assigned next (recursion).</summary>
    public IVariableDeclaratorOperation Declarator { get; }

    /// <summary>For <c>Func&lt;int, int&gt; f = null; f = n => … f(n - 1) …;</c>: the expression statement assigning the lambda.</summary>
    public IOperation? RecursiveAssignment { get; }
}

/// <summary>Questions about delegate-typed locals: which ones never escape and are only invoked (ALLOC020 defers to ALLOC022 for them).</summary>
internal static class DelegateLocals
{
    /// <summary>
    /// The local that <paramref name="creation"/> (a lambda converted to a delegate) initialises, when the local is
    /// declared alone in a block statement, assigned nowhere else (except the <c>null</c>-then-lambda pattern of recursive
    /// lambdas) and every other use is an invocation: <c>f(x)</c> or <c>f.Invoke(x)</c>.
    /// </summary>
    public static InvokedDelegateLocal? GetOnlyInvokedLocal(IDelegateCreationOperation creation, CancellationToken cancellationToken)
    {
        if (creation.Target is not IAnonymousFunctionOperation lambda)
        {
            return null;
        }

        IVariableDeclaratorOperation? declarator = null;
        IOperation? assignmentStatement = null;
        switch (creation.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declared }:
                declarator = declared;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Parent: IExpressionStatementOperation statement } assignment when assignment.Value == creation:
                declarator = DeclarationJustBefore(statement, target.Local);
                assignmentStatement = statement;
                break;
        }

        if (declarator is null || declarator.Symbol is not { RefKind: RefKind.None } local ||
            declarator.Parent is not IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation { Syntax: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Parent: BlockSyntax } } } ||
            Loops.GetFunctionBody(declarator) is not { } body)
        {
            return null;
        }

        foreach (var reference in Captures.References(body, local))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (assignmentStatement is not null && reference.Parent is ISimpleAssignmentOperation { Parent: var parent } && parent == assignmentStatement)
            {
                continue;
            }

            if (reference.Parent is not IInvocationOperation invocation || invocation.Instance != reference || invocation.TargetMethod.MethodKind != MethodKind.DelegateInvoke)
            {
                return null;
            }
        }

        return new InvokedDelegateLocal(local, lambda, declarator, assignmentStatement);
    }

    /// <summary>The declarator of <c>T f = null;</c> (or <c>default</c>) in the statement right before <paramref name="statement"/>.</summary>
    private static IVariableDeclaratorOperation? DeclarationJustBefore(IExpressionStatementOperation statement, ILocalSymbol local)
    {
        if (statement.Parent is not IBlockOperation block)
        {
            return null;
        }

        var index = block.Operations.IndexOf(statement);
        if (index < 1 || block.Operations[index - 1] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group ||
            group.Declarations[0].Declarators.Length != 1 || group.Declarations[0].Declarators[0] is not { } declarator ||
            !SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) ||
            declarator.Initializer?.Value is not { ConstantValue: { HasValue: true, Value: null } })
        {
            return null;
        }

        return declarator;
    }
}
