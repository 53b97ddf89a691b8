using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC011: a collection held by a field or auto-property that is filled after construction and has entries removed,
/// but is never trimmed, rebuilt (reassigned) or — for a <c>ConcurrentDictionary</c>, whose <c>Clear()</c> shrinks —
/// cleared. Reported at each removal, where the fix shrinks it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EvictingCollectionNeverShrinksAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.EvictingCollectionNeverShrinks);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new CollectionSymbols(start.Compilation);
            LongLivedCollections.RegisterMemberUses(start, symbols, LongLivedCollections.EvictsEntries, Report);
        });
    }

    private static void Report(SymbolAnalysisContext context, MemberUses member)
    {
        if (!LongLivedCollections.MayHaveRemovalsNeverShrunk(member))
        {
            return;
        }

        var uses = member.ToList();
        foreach (var removal in LongLivedCollections.FindRemovalsNeverShrunk(member, uses))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.EvictingCollectionNeverShrinks,
                removal.Call!.Syntax.GetLocation(),
                member.Member.Name));
        }
    }
}
