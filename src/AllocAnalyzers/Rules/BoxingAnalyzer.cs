using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC030: a value type boxed in a loop or in hot code, exactly where the compiler emits a <c>box</c> instruction —
/// boxing conversions (arguments of <c>object</c> and <c>params object[]</c> parameters, values stored as an interface,
/// <c>ValueType</c> or <c>Enum</c>) and value-type receivers of non-virtual methods of those classes. Conversions the
/// compiler lowers away (<c>"a" + i</c>, interpolated strings built with a handler) and code compiled to no IL
/// (<c>nameof</c>, attributes, expression trees) are not reported; the IL agreement test holds this to the compiler.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BoxingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BoxingInHotPath);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new BoxingSymbols(start.Compilation);
            var scope = new AllocationScope();
            start.RegisterOperationAction(c => AnalyzeConversion(c, symbols, scope), OperationKind.Conversion);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, scope), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeMethodReference(c, symbols, scope), OperationKind.MethodReference);
            start.RegisterOperationAction(c => AnalyzeInterpolatedString(c, symbols, scope), OperationKind.InterpolatedString);
            start.RegisterOperationAction(c => AnalyzeForEach(c, scope), OperationKind.Loop);
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, BoxingSymbols symbols, AllocationScope scope)
    {
        var conversion = (IConversionOperation)context.Operation;

        // Cheapest first: the operand must be a value (or a type parameter), then the compiler must call it boxing.
        if (conversion.Operand.Type is not { } operandType || !Boxing.IsBoxable(operandType) ||
            conversion.Type is not { IsReferenceType: true } targetType ||
            !Boxing.IsBoxingConversion(conversion) ||
            !Boxing.EmitsAllocatingBox(conversion, symbols))
        {
            return;
        }

        Report(context, scope, conversion, conversion.Operand.Syntax, operandType, targetType);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, BoxingSymbols symbols, AllocationScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Instance is { } instance && Boxing.BoxesReceiver(invocation.TargetMethod, instance, symbols))
        {
            Report(context, scope, invocation, instance.Syntax, instance.Type!, invocation.TargetMethod.ContainingType);
        }
    }

    /// <summary><c>Func&lt;string&gt; f = value.ToString;</c>: the delegate's target is a boxed copy of the value.</summary>
    private static void AnalyzeMethodReference(OperationAnalysisContext context, BoxingSymbols symbols, AllocationScope scope)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        if (reference.Instance is { Type: { } type } instance && !reference.Method.IsStatic && Boxing.IsBoxable(type) &&
            reference.Parent is IDelegateCreationOperation && !Boxing.IsInCodeThatIsNotCompiledToIL(reference, symbols))
        {
            Report(context, scope, reference, instance.Syntax, type, symbols.Object);
        }
    }

    /// <summary>
    /// <c>$"{count}"</c> built with <c>string.Format</c> or <c>FormattableStringFactory</c>: each value-type hole is boxed.
    /// How the string is built is asked once, and only for a string with such a hole.
    /// </summary>
    private static void AnalyzeInterpolatedString(OperationAnalysisContext context, BoxingSymbols symbols, AllocationScope scope)
    {
        var text = (IInterpolatedStringOperation)context.Operation;
        var builtWithHandler = (bool?)null;
        foreach (var part in text.Parts)
        {
            if (part is not IInterpolationOperation hole || !Boxing.IsBoxableHole(hole))
            {
                continue;
            }

            builtWithHandler ??= Boxing.IsBuiltWithHandler(text, symbols);
            if (builtWithHandler.Value)
            {
                return;
            }

            if (!Boxing.IsInCodeThatIsNotCompiledToIL(hole, symbols))
            {
                Report(context, scope, hole, hole.Expression.Syntax, hole.Expression.Type!, symbols.Object);
            }
        }
    }

    /// <summary><c>foreach (object item in ints)</c>: each element is boxed when assigned to the iteration variable.</summary>
    private static void AnalyzeForEach(OperationAnalysisContext context, AllocationScope scope)
    {
        // Cheapest first: `foreach (var x in …)` never converts the element.
        if (context.Operation is not IForEachLoopOperation { Syntax: ForEachStatementSyntax { Type.IsVar: false } syntax } loop ||
            loop.SemanticModel is not { } model ||
            model.GetForEachStatementInfo(syntax) is not { ElementConversion.IsBoxing: true, ElementType: { } elementType } ||
            model.GetTypeInfo(syntax.Type, context.CancellationToken).Type is not { } variableType)
        {
            return;
        }

        Report(context, scope, loop.Body, syntax.Type, elementType, variableType);
    }

    private static void Report(OperationAnalysisContext context, AllocationScope scope, IOperation site, SyntaxNode location, ITypeSymbol valueType, ITypeSymbol targetType)
    {
        if (!scope.IsInScope(site, context.ContainingSymbol, context.Options, out var where))
        {
            return;
        }

        var descriptor = Descriptors.BoxingInHotPath;
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor,
            location.GetLocation(),
            AllocationScope.Severity(where, descriptor),
            additionalLocations: null,
            properties: null,
            valueType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            targetType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            AllocationScope.Describe(where, Loops.GetLoopRunningEachIteration(site), context.ContainingSymbol)));
    }
}
