using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC002: an array of constant length allocated on every iteration of a loop (or every call of hot code) and
/// dropped at the end of it. The .NET 10 JIT places small constant arrays that do not escape on the stack, but not
/// when they are allocated in a loop (measured on 10.0.12: 40 B per iteration for <c>new byte[16]</c> used only by
/// index), so loops are reported on every target; outside loops, on net10.0 and later, arrays the JIT removes are not.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FixedSizePerIterationArrayAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Up to this many bytes of elements, the .NET 10 JIT stack-allocates a non-escaping array outside loops (512 measured; kept conservative).</summary>
    private const int JitStackAllocatedBytes = 256;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.FixedSizePerIterationArray);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownSymbols(start.Compilation);
            var options = new NonRetainingMethods.Reader();
            var scope = new AllocationScope();
            var jitRemovesSmallArrays = TargetFrameworks.IsNet10OrLater(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            start.RegisterOperationAction(c => Analyze(c, known, options, scope, jitRemovesSmallArrays), OperationKind.ArrayCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, NonRetainingMethods.Reader options, AllocationScope scope, bool jitRemovesSmallArrays)
    {
        var allocation = context.Operation;

        // Implicit arrays (params arguments) belong to the boxing and call-site rules; empty arrays to Array.Empty.
        if (allocation.IsImplicit || !ArrayAllocations.IsConstantSizeAllocation(allocation, out var length) || length == 0 ||
            !scope.IsInScope(allocation, context.ContainingSymbol, context.Options, out var where))
        {
            return;
        }

        var userBorrowers = options.For(context.Options, allocation.Syntax.SyntaxTree);
        var outsideLoop = where != AllocationContext.Loop;
        if (!ArrayEscape.IsPerIterationTemporary(allocation, known, userBorrowers, collectUses: outsideLoop && jitRemovesSmallArrays, context.CancellationToken, out var temporary, perCallOutsideLoops: true) ||
            temporary is null ||
            outsideLoop && jitRemovesSmallArrays && IsRemovedByTheJit(temporary, length))
        {
            return;
        }

        var descriptor = Descriptors.FixedSizePerIterationArray;
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor,
            allocation.Syntax.GetLocation(),
            AllocationScope.Severity(where, descriptor),
            additionalLocations: null,
            properties: null,
            temporary.Local?.Name ?? allocation.Syntax.ToString(),
            length,
            AllocationScope.Describe(where, temporary.Loop, context.ContainingSymbol)));
    }

    /// <summary>A small array used only by index, <c>Length</c> and <c>foreach</c>: the JIT sees it never escape.</summary>
    private static bool IsRemovedByTheJit(PerIterationTemporary temporary, int length)
    {
        var elementType = ((IArrayTypeSymbol)temporary.Allocation.Type!).ElementType;
        var elementSize = elementType.IsReferenceType ? 8 : ArrayAllocations.PrimitiveSize(elementType);
        if (temporary.Local is null || elementSize is null || (long)elementSize.Value * length > JitStackAllocatedBytes)
        {
            return false;
        }

        foreach (var use in temporary.Uses)
        {
            if (use.Kind is not (ArrayUseKind.Element or ArrayUseKind.Length or ArrayUseKind.ForEach))
            {
                return false;
            }
        }

        return true;
    }
}
