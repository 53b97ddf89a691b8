using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>ALLOC002 fixes: "Hoist the array out of the loop" (first) and "Use a stackalloc'd span".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixedSizePerIterationArrayFixer)), Shared]
public sealed class FixedSizePerIterationArrayFixer : ProvenCodeFixProvider
{
    public const string HoistEquivalenceKey = RuleIds.FixedSizePerIterationArray + ".HoistArray";
    public const string StackallocEquivalenceKey = RuleIds.FixedSizePerIterationArray + ".UseStackallocSpan";

    /// <summary>The largest stackalloc the fix creates, in bytes: <c>ALLOC002.stackalloc_max_bytes</c>.</summary>
    public const string StackallocMaxBytesKey = RuleIds.FixedSizePerIterationArray + ".stackalloc_max_bytes";
    public const int DefaultStackallocMaxBytes = 1024;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FixedSizePerIterationArray);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (HoistEquivalenceKey, "Hoist the array out of the loop"),
        (StackallocEquivalenceKey, "Use a stackalloc'd span"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (model.GetOperation(site, cancellationToken) is not { } allocation)
        {
            return null;
        }

        var known = new KnownSymbols(model.Compilation);
        var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider;
        if (!ArrayAllocations.IsConstantSizeAllocation(allocation, out _) ||
            !ArrayEscape.IsPerIterationTemporary(allocation, known, NonRetainingMethods.Read(options, model.SyntaxTree), collectUses: true, cancellationToken, out var temporary, perCallOutsideLoops: true) ||
            temporary is null ||
            FixedArrayRewrite.TryCreate(temporary, model, known, cancellationToken) is not { } plan)
        {
            return null;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        return equivalenceKey switch
        {
            HoistEquivalenceKey => plan.Hoist(root, generator),
            StackallocEquivalenceKey => plan.UseStackalloc(root, generator, StackallocMaxBytes(options, model.SyntaxTree)),
            _ => null,
        };
    }

    private static int StackallocMaxBytes(AnalyzerConfigOptionsProvider provider, SyntaxTree tree) =>
        provider.GetOptions(tree).TryGetValue(StackallocMaxBytesKey, out var value) &&
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes >= 0
            ? bytes
            : DefaultStackallocMaxBytes;
}
