using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC010: a collection held by a field or auto-property, filled after construction, whose <c>Clear()</c> keeps the
/// storage of its largest fill: no trim, refill or reassignment follows the clear in its method, and nothing in the
/// type trims the collection. Reported at the <c>Clear()</c> call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ClearedCollectionKeepsCapacityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ClearedCollectionKeepsCapacity);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new CollectionSymbols(start.Compilation);
            LongLivedCollections.RegisterMemberUses(start, symbols, LongLivedCollections.KeepsCapacityAfterClear, Report);
        });
    }

    private static void Report(SymbolAnalysisContext context, MemberUses member)
    {
        if (!LongLivedCollections.MayKeepCapacityAfterClear(member))
        {
            return;
        }

        var uses = member.ToList();
        foreach (var clear in LongLivedCollections.FindClearsKeepingCapacity(member, uses))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.ClearedCollectionKeepsCapacity,
                clear.Call!.Syntax.GetLocation(),
                member.Member.Name,
                member.Framework.Name));
        }
    }
}
