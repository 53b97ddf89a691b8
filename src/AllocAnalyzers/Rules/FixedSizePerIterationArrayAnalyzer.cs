using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC002: an array of constant length allocated on every iteration of a loop and dropped at its end.
/// The .NET 10 JIT stack-allocates small constant arrays that do not escape, but not when they are allocated inside
/// a loop (measured on 10.0.12: 40 B per iteration for <c>new byte[16]</c> used only by index), so every target is
/// reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FixedSizePerIterationArrayAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.FixedSizePerIterationArray);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownSymbols(start.Compilation);
            var options = new NonRetainingMethods.Reader();
            start.RegisterOperationAction(c => Analyze(c, known, options), OperationKind.ArrayCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, NonRetainingMethods.Reader options)
    {
        var allocation = context.Operation;

        // Implicit arrays (params arguments) belong to the boxing and call-site rules; empty arrays to Array.Empty.
        if (allocation.IsImplicit || !ArrayAllocations.IsConstantSizeAllocation(allocation, out var length) || length == 0)
        {
            return;
        }

        var userBorrowers = options.For(context.Options, allocation.Syntax.SyntaxTree);
        if (!ArrayEscape.IsPerIterationTemporary(allocation, known, userBorrowers, collectUses: false, context.CancellationToken, out var temporary) ||
            temporary is null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.FixedSizePerIterationArray,
            allocation.Syntax.GetLocation(),
            temporary.Local?.Name ?? allocation.Syntax.ToString(),
            length,
            Loops.Keyword(temporary.Loop)));
    }
}
