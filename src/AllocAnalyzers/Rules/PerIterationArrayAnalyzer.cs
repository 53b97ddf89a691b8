using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC001: a variable-size array allocated on every iteration of a loop (or every call of hot code) and dropped at
/// the end of it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PerIterationArrayAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.PerIterationArray);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownSymbols(start.Compilation);
            var options = new NonRetainingMethods.Reader();
            var scope = new AllocationScope();
            start.RegisterOperationAction(c => Analyze(c, known, options, scope), OperationKind.ArrayCreation);

            // GC.AllocateUninitializedArray and GC.AllocateArray: the name first; System.GC is looked up at the first call
            // so named, not here (see ArrayPoolMisuseAnalyzer).
            start.RegisterOperationAction(
                c =>
                {
                    if (ArrayAllocations.IsGCArrayAllocation(((IInvocationOperation)c.Operation).TargetMethod, known))
                    {
                        Analyze(c, known, options, scope);
                    }
                },
                OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, NonRetainingMethods.Reader options, AllocationScope scope)
    {
        var allocation = context.Operation;
        if (!ArrayAllocations.IsVariableSizeAllocation(allocation, known, out _) ||
            !scope.IsInScope(allocation, context.ContainingSymbol, context.Options, out var where))
        {
            return;
        }

        var userBorrowers = options.For(context.Options, allocation.Syntax.SyntaxTree);
        if (!ArrayEscape.IsPerIterationTemporary(allocation, known, userBorrowers, collectUses: false, context.CancellationToken, out var temporary, perCallOutsideLoops: true) ||
            temporary is null)
        {
            return;
        }

        var descriptor = Descriptors.PerIterationArray;
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor,
            allocation.Syntax.GetLocation(),
            AllocationScope.Severity(where, descriptor),
            additionalLocations: null,
            properties: null,
            temporary.Local?.Name ?? allocation.Syntax.ToString(),
            AllocationScope.Describe(where, temporary.Loop, context.ContainingSymbol)));
    }
}
