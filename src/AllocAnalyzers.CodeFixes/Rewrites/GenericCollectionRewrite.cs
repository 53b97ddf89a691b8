using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC030 "Use a generic collection": a local <c>ArrayList</c>, <c>Queue</c> or <c>Stack</c> that only ever holds
/// values of one value type becomes <c>List&lt;T&gt;</c>, <c>Queue&lt;T&gt;</c> or <c>Stack&lt;T&gt;</c>. Only the
/// declaration changes: every other use must read the same with the generic type — values added of exactly that type,
/// elements read through a cast to it (<c>(int)list[i]</c>, <c>(int)queue.Dequeue()</c>), <c>foreach</c> with that
/// type spelled out, <c>Count</c>, <c>Clear</c>, <c>RemoveAt</c>, <c>Insert</c>. Anything else (the collection passed
/// on, returned, stored, enumerated as <c>object</c>, the value of <c>Add</c> used) keeps the diagnostic without a fix.
/// <c>Hashtable</c> is not rewritten: its indexer returns null for a missing key where a Dictionary throws, and it
/// enumerates in another order.
/// </summary>
internal static class GenericCollectionRewrite
{
    private static string? GenericFor(string collection) => collection switch
    {
        "System.Collections.ArrayList" => "System.Collections.Generic.List`1",
        "System.Collections.Queue" => "System.Collections.Generic.Queue`1",
        "System.Collections.Stack" => "System.Collections.Generic.Stack`1",
        _ => null,
    };

    private static bool IsAdder(string name) => name is "Add" or "Insert" or "Enqueue" or "Push";

    private static bool IsReader(string name) => name is "Dequeue" or "Pop" or "Peek";

    private static bool IsOther(string name) => name is "Clear" or "RemoveAt";

    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, SyntaxNode site, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        if (model.GetOperation(site, cancellationToken) is not { Type: { IsValueType: true } elementType } value ||
            ReceiverOf(value.Parent) is not ILocalReferenceOperation { Local: { } local } ||
            local.Type is not INamedTypeSymbol collectionType ||
            GenericFor(collectionType.ToDisplayString()) is not { } genericName ||
            model.Compilation.GetTypeByMetadataName(genericName) is not { } generic ||
            local.DeclaringSyntaxReferences.Length != 1 ||
            local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax
            {
                Initializer.Value: ObjectCreationExpressionSyntax creation,
                Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration,
            } ||
            model.GetOperation(creation, cancellationToken) is not IObjectCreationOperation { Initializer: null } created ||
            !SymbolEqualityComparer.Default.Equals(created.Type, collectionType) ||
            created.Arguments.Any(a => a.Value.Type?.SpecialType != SpecialType.System_Int32) ||
            FunctionBody(declaration) is not { } body ||
            model.GetOperation(body, cancellationToken) is not { } bodyOperation)
        {
            return null;
        }

        foreach (var reference in bodyOperation.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(reference.Local, local) && !KeepsMeaning(reference, elementType))
            {
                return null;
            }
        }

        var typeSyntax = ((TypeSyntax)generator.TypeExpression(generic.Construct(elementType)))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var newDeclaration = declaration.ReplaceNode(creation, creation.WithType(typeSyntax.WithTriviaFrom(creation.Type)));
        if (!declaration.Type.IsVar)
        {
            newDeclaration = newDeclaration.WithType(typeSyntax.WithTriviaFrom(declaration.Type));
        }

        return root.ReplaceNode(declaration, newDeclaration.WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static IOperation? ReceiverOf(IOperation? parent)
    {
        for (; parent is IConversionOperation or IArgumentOperation; parent = parent.Parent)
        {
        }

        return parent switch
        {
            IInvocationOperation call => call.Instance,
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation indexer } => indexer.Instance,
            _ => null,
        };
    }

    private static SyntaxNode? FunctionBody(SyntaxNode declaration) =>
        declaration.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or CompilationUnitSyntax) switch
        {
            BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
            LocalFunctionStatementSyntax function => (SyntaxNode?)function.Body ?? function.ExpressionBody,
            _ => null,
        };

    private static bool KeepsMeaning(ILocalReferenceOperation reference, ITypeSymbol elementType)
    {
        switch (reference.Parent)
        {
            case IVariableDeclaratorOperation:
                return true;
            case IPropertyReferenceOperation { Property.Name: "Count" }:
                return true;
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                return indexer.Parent is ISimpleAssignmentOperation assignment && assignment.Target == indexer
                    ? IsElementValue(assignment.Value, elementType) && assignment.Parent is IExpressionStatementOperation
                    : IsCastToElement(indexer.Parent, elementType);
            case IInvocationOperation call when call.Instance == reference:
                var name = call.TargetMethod.Name;
                if (IsAdder(name))
                {
                    var added = call.Arguments.Last();
                    return call.Parent is IExpressionStatementOperation && IsElementValue(added.Value, elementType) &&
                           call.Arguments.Take(call.Arguments.Length - 1).All(a => a.Value.Type?.SpecialType == SpecialType.System_Int32);
                }

                return IsReader(name) ? IsCastToElement(call.Parent, elementType) : IsOther(name) && call.Parent is IExpressionStatementOperation;
            case IForEachLoopOperation loop:
                return IsTypedForEach(loop, elementType);
            case IConversionOperation { IsImplicit: true, Parent: IForEachLoopOperation loop }:
                return IsTypedForEach(loop, elementType);
            default:
                return false;
        }
    }

    /// <summary><c>foreach (int v in list)</c>: the element type spelled out, so the loop variable keeps its type.</summary>
    private static bool IsTypedForEach(IForEachLoopOperation loop, ITypeSymbol elementType) =>
        loop.Syntax is ForEachStatementSyntax { Type.IsVar: false } statement &&
        loop.SemanticModel?.GetTypeInfo(statement.Type).Type is { } declared &&
        SymbolEqualityComparer.Default.Equals(declared, elementType);

    private static bool IsElementValue(IOperation value, ITypeSymbol elementType) =>
        value is IConversionOperation { Operand.Type: { } type } && SymbolEqualityComparer.Default.Equals(type, elementType);

    private static bool IsCastToElement(IOperation? parent, ITypeSymbol elementType) =>
        parent is IConversionOperation { IsImplicit: false, Type: { } type } && SymbolEqualityComparer.Default.Equals(type, elementType);
}
