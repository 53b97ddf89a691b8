using System.Collections.Generic;
using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC003: an array rented from an <c>ArrayPool&lt;T&gt;</c> that is returned twice, used after its return, read
/// with its rented length, returned to another pool, or not returned on some path (reported as Info). One descriptor
/// serves every case; the message names it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ArrayPoolMisuseAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the <see cref="RentalMisuseKind"/> reported, for the fixer.</summary>
    internal const string CaseProperty = "Case";

    /// <summary>Diagnostic property, present when another rental of the same variable may reach the use (the requested size is then not one value).</summary>
    internal const string SeveralRentalsProperty = "SeveralRentals";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ArrayPoolMisuse);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // No lookup here: ArrayPool<T> is resolved at the first call named Rent (a lookup at compilation start can wait
            // for the compiler to bind the references, and the build charges the wait to this analyzer).
            var known = new KnownSymbols(start.Compilation);
            var options = new NonRetainingMethods.Reader();

            // One action for every call, not an operation block start for every body: most bodies rent nothing. A body
            // is analyzed once, from its first rental, which finds the others.
            start.RegisterOperationAction(
                c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    if (!PoolRentals.IsHeldRent(invocation, known))
                    {
                        return;
                    }

                    var rents = PoolRentals.RentsOfBody(invocation, known);
                    if (rents.Count > 0 && rents[0] == invocation)
                    {
                        Analyze(c, rents, known, options.For(c.Options, invocation.Syntax.SyntaxTree));
                    }
                },
                OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, List<IInvocationOperation> rents, KnownSymbols known, NonRetainingMethods userBorrowers)
    {
        // Every function FindMisuses asks a graph for lies in the body of this operation, whose graph the context shares
        // with other analyzers.
        var misuses = PoolRentals.FindMisuses(rents, _ => context.GetControlFlowGraph(), known, userBorrowers, context.CancellationToken);
        foreach (var misuse in misuses)
        {
            context.ReportDiagnostic(Create(misuse));
        }
    }

    private static Diagnostic Create(RentalMisuse misuse)
    {
        var rental = misuse.Rental;
        var name = rental.Local.Name;
        var size = rental.RequestedSize?.Syntax.ToString() ?? "minimumLength";
        var message = misuse.Kind switch
        {
            RentalMisuseKind.ReturnedTwice => $"Array '{name}' rented from {rental.PoolName} is returned twice on some path",
            RentalMisuseKind.UsedAfterReturn => $"Array '{name}' is used after it was returned to the pool",
            RentalMisuseKind.LengthAsDataLength => $"'{name}.Length' is the rented length, which is at least the requested '{size}' and usually more",
            RentalMisuseKind.WholeArrayAsData => $"Array '{name}' is used with its rented length, which is at least the requested '{size}' and usually more",
            RentalMisuseKind.NotReturned => $"Array '{name}' rented from {rental.PoolName} is not returned on some path",
            _ => $"Array '{name}' is returned to a different pool than '{rental.PoolName}' it was rented from",
        };

        var properties = ImmutableDictionary<string, string?>.Empty.Add(CaseProperty, misuse.Kind.ToString());
        Location[]? additionalLocations = null;
        if (misuse.Kind is RentalMisuseKind.LengthAsDataLength or RentalMisuseKind.WholeArrayAsData)
        {
            // The fixer needs the Rent call for the requested size.
            additionalLocations = new[] { rental.Rent.Syntax.GetLocation() };
            if (misuse.ReachedByOtherRentals)
            {
                properties = properties.Add(SeveralRentalsProperty, "true");
            }
        }

        // A missing return is a suggestion: a leaked rental costs an allocation, the other cases corrupt data.
        var severity = misuse.Kind == RentalMisuseKind.NotReturned ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning;
        return Diagnostic.Create(Descriptors.ArrayPoolMisuse, misuse.At.GetLocation(), severity, additionalLocations, properties, message);
    }
}
