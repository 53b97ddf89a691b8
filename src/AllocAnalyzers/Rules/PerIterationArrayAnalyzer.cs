using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>ALLOC001: a variable-size array allocated on every iteration of a loop and dropped at its end.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PerIterationArrayAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.PerIterationArray);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownSymbols(start.Compilation);
            var options = new NonRetainingMethods.Reader();
            start.RegisterOperationAction(c => Analyze(c, known, options), OperationKind.ArrayCreation);
            if (known.GC is not null)
            {
                start.RegisterOperationAction(
                    c =>
                    {
                        if (ArrayAllocations.IsGCArrayAllocation(((IInvocationOperation)c.Operation).TargetMethod, known))
                        {
                            Analyze(c, known, options);
                        }
                    },
                    OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, NonRetainingMethods.Reader options)
    {
        var allocation = context.Operation;
        if (!ArrayAllocations.IsVariableSizeAllocation(allocation, known, out _))
        {
            return;
        }

        var userBorrowers = options.For(context.Options, allocation.Syntax.SyntaxTree);
        if (!ArrayEscape.IsPerIterationTemporary(allocation, known, userBorrowers, collectUses: false, context.CancellationToken, out var temporary) ||
            temporary is null)
        {
            return;
        }

        var name = temporary.Local?.Name ?? allocation.Syntax.ToString();
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.PerIterationArray,
            allocation.Syntax.GetLocation(),
            name,
            Loops.Keyword(temporary.Loop)));
    }
}
