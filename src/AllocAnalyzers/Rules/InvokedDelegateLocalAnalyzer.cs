using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC022: <c>Func&lt;…&gt; f = x => …captures…;</c> where <c>f</c> is only invoked — never passed, stored, returned or
/// converted. The lambda costs a closure object and a delegate; a local function called directly costs neither (its
/// captured variables live in a struct). Warning in loops, Info in hot code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvokedDelegateLocalAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InvokedDelegateLocal);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new ClosureSymbols(start.Compilation);
            var scope = new AllocationScope();
            start.RegisterOperationAction(c => Analyze(c, symbols, scope), OperationKind.DelegateCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ClosureSymbols symbols, AllocationScope scope)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (creation.Parent is not (IVariableInitializerOperation or ISimpleAssignmentOperation) ||
            creation.Target is not IAnonymousFunctionOperation { Symbol.IsStatic: false } lambda ||
            symbols.IsExpressionTree(creation.Type) ||
            !scope.IsInScope(creation, context.ContainingSymbol, context.Options, out var where) ||
            Captures.Of(lambda, context.CancellationToken).IsEmpty ||
            DelegateLocals.GetOnlyInvokedLocal(creation, context.CancellationToken) is not { } local)
        {
            return;
        }

        var descriptor = Descriptors.InvokedDelegateLocal;
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor,
            lambda.Syntax.GetLocation(),
            AllocationScope.Severity(where, descriptor),
            additionalLocations: null,
            properties: null,
            local.Local.Name,
            AllocationScope.Describe(where, Loops.GetLoopRunningEachIteration(creation), context.ContainingSymbol)));
    }
}
