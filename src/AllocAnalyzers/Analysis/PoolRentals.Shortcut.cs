using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

internal sealed partial class PoolRentals
{
    /// <summary>
    /// Whether every rental of the function has the shape no path can misuse, so that the control-flow graph and the
    /// path walk can be skipped (they find nothing there, and building the graph is most of the rule's cost):
    /// <code>
    /// var array = pool.Rent(n);
    /// try { /* only plain uses of array: no Length read as data, no whole-array view, no store, no return */ }
    /// finally { pool.Return(array); }
    /// </code>
    /// The <c>try</c> is the next statement of the same block, its <c>finally</c> holds only the <c>Return</c> to a pool
    /// that is not provably another, the local has this one rental, and every other reference to it is in the
    /// <c>try</c> block and classified as a plain use or a comparison. Anything else goes through the full analysis.
    /// </summary>
    private bool EveryRentalIsReturnedInItsOwnFinally(List<IOperation> references)
    {
        foreach (var rental in _rentals)
        {
            if (_rentalsByLocal[rental.Local].Count != 1 || FinallyReturning(rental) is not { } @try)
            {
                return false;
            }

            var returns = 0;
            foreach (var reference in references)
            {
                var local = reference switch
                {
                    ILocalReferenceOperation r => r.Local,
                    IVariableDeclaratorOperation d => d.Symbol,
                    _ => null,
                };
                if (!SymbolEqualityComparer.Default.Equals(local, rental.Local))
                {
                    continue;
                }

                if (!_events.TryGetValue(reference.Syntax, out var happening))
                {
                    return false;
                }

                switch (happening.Kind)
                {
                    case EventKind.Rent when happening.Rental == rental:
                        break;
                    case EventKind.Return when @try.Finally!.Syntax.Span.Contains(reference.Syntax.Span) &&
                                               !PoolIdentity.AreProvablyDifferent(rental.Pool, happening.Pool):
                        returns++;
                        break;
                    case EventKind.Use or EventKind.Comparison when happening.Misuse is null && @try.Body.Syntax.Span.Contains(reference.Syntax.Span):
                        break;
                    default:
                        return false;
                }
            }

            if (returns != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The <c>try</c> statement right after <c>var array = pool.Rent(n);</c> whose <c>finally</c> is one
    /// <c>Return</c> statement, or null.
    /// </summary>
    private static ITryOperation? FinallyReturning(Rental rental)
    {
        if (rental.Rent.Parent is not IVariableInitializerOperation
            {
                Parent: IVariableDeclaratorOperation
                {
                    Parent: IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation { Declarations.Length: 1 } group },
                },
            } ||
            group.Parent is not IBlockOperation block)
        {
            return null;
        }

        var statements = block.Operations;
        for (var i = 0; i + 1 < statements.Length; i++)
        {
            if (statements[i] == group)
            {
                return statements[i + 1] is ITryOperation { Finally.Operations: { Length: 1 } finallyStatements } @try &&
                       finallyStatements[0] is IExpressionStatementOperation { Operation: IInvocationOperation }
                    ? @try
                    : null;
            }
        }

        return null;
    }
}
