using System.Collections.Immutable;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Rules;

/// <summary>
/// ALLOC031: a struct boxed by the runtime although the IL has no <c>box</c> — a <c>Dictionary</c>/<c>HashSet</c>
/// keyed by a struct without its own equality (every lookup boxes), a call of <c>ToString</c>/<c>GetHashCode</c>/
/// <c>Equals</c> that the struct does not override (a <c>constrained.</c> call into <c>ValueType</c>/<c>Enum</c>), and
/// <c>foreach</c> over an interface-typed value whose struct enumerator is known.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ImplicitStructBoxingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming the struct that lacks its own equality, for the "Implement IEquatable&lt;T&gt;" fix.</summary>
    public const string KeyTypeProperty = "KeyType";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ImplicitStructBoxing);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = new BoxingSymbols(start.Compilation);
            var collections = new CollectionSymbols(start.Compilation);
            var scope = new AllocationScope();
            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, scope), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeForEach(c, scope), OperationKind.Loop);
            start.RegisterOperationAction(c => AnalyzeConcatenation(c, scope), OperationKind.Binary, OperationKind.CompoundAssignment);
            start.RegisterOperationAction(c => AnalyzeCreation(c, symbols, collections), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, BoxingSymbols symbols, AllocationScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Instance?.Type is not { } type || !Boxing.BoxesAtRunTime(invocation.TargetMethod, type, symbols) ||
            !scope.IsInScope(invocation, context.ContainingSymbol, context.Options, out var where))
        {
            return;
        }

        var name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var method = invocation.TargetMethod.Name;
        var message = type.TypeKind == TypeKind.Enum
            ? $"Calling '{method}' on enum '{name}' boxes the value {Describe(where, invocation, context)}"
            : $"Struct '{name}' does not override '{method}', so the call boxes it {Describe(where, invocation, context)}";
        var properties = type.TypeKind == TypeKind.Struct && method is nameof(Equals) or nameof(GetHashCode)
            ? ImmutableDictionary<string, string?>.Empty.Add(KeyTypeProperty, name)
            : null;
        Report(context, invocation.Instance.Syntax, where, properties, message);
    }

    /// <summary>
    /// <c>"at " + point</c>: the compiler calls <c>point.ToString()</c> instead of boxing (so ALLOC030 stays silent), but
    /// a struct that does not override ToString, or an enum, is boxed inside that call.
    /// </summary>
    /// <remarks>Registered on the concatenation, not on the conversion: conversions are many times more frequent.</remarks>
    private static void AnalyzeConcatenation(OperationAnalysisContext context, AllocationScope scope)
    {
        switch (context.Operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                AnalyzeConcatenated(context, scope, concatenation.LeftOperand);
                AnalyzeConcatenated(context, scope, concatenation.RightOperand);
                break;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } append:
                AnalyzeConcatenated(context, scope, append.Value);
                break;
        }
    }

    private static void AnalyzeConcatenated(OperationAnalysisContext context, AllocationScope scope, IOperation operand)
    {
        if (operand is not IConversionOperation conversion ||
            conversion.Operand.Type is not { TypeKind: TypeKind.Struct or TypeKind.Enum } type ||
            type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } ||
            type.TypeKind == TypeKind.Struct && StructEquality.OverridesObjectMethod(type, nameof(ToString)) ||
            !Boxing.IsBoxingConversion(conversion) ||
            !scope.IsInScope(conversion, context.ContainingSymbol, context.Options, out var where))
        {
            return;
        }

        var name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var message = type.TypeKind == TypeKind.Enum
            ? $"Concatenating enum '{name}' calls Enum.ToString(), which boxes the value {Describe(where, conversion, context)}"
            : $"Struct '{name}' does not override 'ToString', so concatenating it boxes it {Describe(where, conversion, context)}";
        Report(context, conversion.Operand.Syntax, where, null, message);
    }

    /// <summary><c>new Dictionary&lt;Point, int&gt;()</c> with no comparer: every lookup calls ValueType.Equals/GetHashCode on a boxed key.</summary>
    private static void AnalyzeCreation(OperationAnalysisContext context, BoxingSymbols symbols, CollectionSymbols collections)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol { IsGenericType: true } collection ||
            !StructEquality.IsHashedCollection(collection, collections) ||
            collection.TypeArguments[0] is not { } key ||
            !StructEquality.BoxesAsKey(key, symbols) ||
            StructEquality.TakesComparer(creation))
        {
            return;
        }

        var name = key.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var message = key.TypeKind == TypeKind.Enum
            ? $"Enum key '{name}' is boxed on every lookup of this {collection.Name} on .NET Framework; pass a comparer"
            : $"Key '{name}' is a struct without its own equality, so every lookup of this {collection.Name} boxes it; implement IEquatable<{name}> and override GetHashCode";
        var properties = key.TypeKind == TypeKind.Struct ? ImmutableDictionary<string, string?>.Empty.Add(KeyTypeProperty, name) : null;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ImplicitStructBoxing, creation.Syntax.GetLocation(), properties, message));
    }

    /// <summary><c>foreach (var x in (IEnumerable&lt;int&gt;)list)</c>: GetEnumerator through the interface boxes List's struct enumerator.</summary>
    private static void AnalyzeForEach(OperationAnalysisContext context, AllocationScope scope)
    {
        if (context.Operation is not IForEachLoopOperation loop ||
            InterfaceConversion(loop.Collection) is not { } conversion ||
            conversion.Operand.Type is not { TypeKind: not TypeKind.Interface } concrete ||
            StructEquality.StructEnumerator(concrete) is not { } enumerator ||
            !scope.IsInScope(loop, context.ContainingSymbol, context.Options, out var where))
        {
            return;
        }

        var message = $"'{conversion.Operand.Syntax}' is enumerated as '{conversion.Type!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}', " +
                      $"which boxes its struct enumerator '{enumerator.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}' {Describe(where, loop, context)}";
        Report(context, conversion.Operand.Syntax, where, null, message);
    }

    /// <summary>The conversion of a concrete value to an interface at the loop, under any implicit identity conversions.</summary>
    private static IConversionOperation? InterfaceConversion(IOperation collection)
    {
        while (collection is IConversionOperation { Type.TypeKind: TypeKind.Interface } conversion)
        {
            if (conversion.Operand.Type is { TypeKind: not TypeKind.Interface })
            {
                return conversion;
            }

            collection = conversion.Operand;
        }

        return null;
    }

    private static string Describe(AllocationContext where, IOperation site, OperationAnalysisContext context) =>
        AllocationScope.Describe(where, Loops.GetLoopRunningEachIteration(site), context.ContainingSymbol);

    private static void Report(OperationAnalysisContext context, SyntaxNode location, AllocationContext where, ImmutableDictionary<string, string?>? properties, string message)
    {
        var descriptor = Descriptors.ImplicitStructBoxing;
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location.GetLocation(), AllocationScope.Severity(where, descriptor), null, properties, message));
    }
}
