using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC020: a lambda, anonymous method or local function that captures locals, parameters or <c>this</c>, converted to a
/// delegate in a loop or in hot code. The conversion allocates a delegate every time it runs (only non-capturing lambdas
/// are cached), and the closure object is allocated where the captured variables' scope is entered. A closure per
/// iteration (a captured variable declared in the loop) always allocates and is a Warning; a per-iteration delegate
/// over a closure created before the loop is a Warning too, except on .NET 10 and later, whose JIT sometimes removes it
/// after inlining the callee (Info). Delegate locals that are only invoked are ALLOC022's. Method groups allocate a
/// delegate too: of instance methods always, of static methods before C# 11 (which caches them).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CapturingLambdaAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CapturingLambda);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new ClosureSymbols(start.Compilation);
            var scope = new AllocationScope();
            var jitMayRemoveDelegates = TargetFrameworks.IsNet10OrLater(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            start.RegisterOperationAction(c => Analyze(c, symbols, scope, jitMayRemoveDelegates), OperationKind.DelegateCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ClosureSymbols symbols, AllocationScope scope, bool jitMayRemoveDelegates)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (CapturingFunctions.DescribeAllocatingMethodGroup(creation) is { } methodGroup)
        {
            if (scope.IsInScope(creation, context.ContainingSymbol, context.Options, out var groupContext))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.CapturingLambda,
                    creation.Syntax.GetLocation(),
                    AllocationScope.Severity(groupContext, Descriptors.CapturingLambda),
                    additionalLocations: null,
                    properties: null,
                    methodGroup,
                    "a delegate",
                    AllocationScope.Describe(groupContext, Loops.GetLoopRunningEachIteration(creation), context.ContainingSymbol)));
            }

            return;
        }

        // A lambda that builds a thrown exception is converted only when it throws, but a closure of loop variables is
        // made on every iteration all the same (checked below, once the closure is known).
        if (CapturingFunctions.GetFunction(creation, context.CancellationToken) is not { } function ||
            symbols.IsExpressionTree(creation.Type) ||
            !scope.IsInScope(creation, context.ContainingSymbol, context.Options, out var where, evenOnColdPaths: true))
        {
            return;
        }

        var coldPath = ColdPaths.Classify(creation);
        if (coldPath == ColdPath.Omitted)
        {
            return;
        }

        var captures = Captures.Of(function, context.CancellationToken);
        if (captures.IsEmpty || DelegateLocals.GetOnlyInvokedLocal(creation, context.CancellationToken) is not null)
        {
            return;
        }

        var iteration = CapturingFunctions.GetIteration(creation);
        var closure = CapturingFunctions.ClassifyClosure(captures, iteration, context.CancellationToken);
        if (coldPath == ColdPath.Thrown && (where != AllocationContext.Loop || closure != ClosureAllocation.PerIteration))
        {
            // Nothing is allocated per iteration or call unless it throws (a closure made at a method's entry is ALLOC021's).
            return;
        }
        var descriptor = Descriptors.CapturingLambda;
        var severity = AllocationScope.Severity(where, descriptor);
        if (where == AllocationContext.Loop && closure != ClosureAllocation.PerIteration && jitMayRemoveDelegates)
        {
            severity = DiagnosticSeverity.Info;
        }

        var what = closure switch
        {
            _ when coldPath == ColdPath.Thrown => "a closure (and a delegate only when it throws)",
            ClosureAllocation.None => "a delegate",
            ClosureAllocation.OutsideLoop when where == AllocationContext.Loop => "a delegate (its closure is allocated once, outside the loop)",
            _ => "a closure and a delegate",
        };

        context.ReportDiagnostic(Diagnostic.Create(
            descriptor,
            CapturingFunctions.ReportedSyntax(creation).GetLocation(),
            severity,
            additionalLocations: null,
            properties: null,
            CapturingFunctions.Kind(creation) + " capturing " + Captures.Describe(captures, v => iteration.IsLoopVariable(v) ? "loop variable " : ""),
            what,
            AllocationScope.Describe(where, iteration.Loop, context.ContainingSymbol)));
    }
}
