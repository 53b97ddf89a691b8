using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC030 "Make the parameter generic": a struct passed to an interface-typed parameter of a private, non-virtual
/// method declared in the same file — <c>void M(IShape s)</c> becomes <c>void M&lt;TShape&gt;(TShape s) where TShape : IShape</c>,
/// so struct arguments are no longer boxed and calls on the parameter are constrained calls. Offered only when the
/// method uses the parameter for nothing but calling its members: a boxed argument is one shared object, a generic
/// one is a copy, and the two differ once the value is stored, passed on, compared by reference or reassigned.
/// </summary>
internal static class GenericParameterRewrite
{
    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, SyntaxNode site, CancellationToken cancellationToken)
    {
        var node = site;
        while (node.Parent is CastExpressionSyntax or ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        if (node.Parent is not ArgumentSyntax argumentSyntax ||
            model.GetOperation(argumentSyntax, cancellationToken) is not IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation } ||
            parameter.Type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } interfaceType ||
            parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private } method ||
            method.IsVirtual || method.IsOverride || method.IsAbstract || method.IsExtern || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null ||
            method.ExplicitInterfaceImplementations.Length > 0 ||
            parameter.RefKind != RefKind.None || parameter.IsParams || parameter.HasExplicitDefaultValue ||
            parameter.NullableAnnotation == NullableAnnotation.Annotated ||
            method.DeclaringSyntaxReferences.Length != 1 ||
            method.DeclaringSyntaxReferences[0].SyntaxTree != root.SyntaxTree ||
            method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration ||
            method.ContainingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != root.SyntaxTree) ||
            declaration.ParameterList.Parameters[parameter.Ordinal] is not { Type: { } parameterType } parameterSyntax ||
            !OnlyCallsMembers(model, declaration, parameter, cancellationToken))
        {
            return null;
        }

        var name = TypeParameterName(interfaceType, method);
        var newParameter = parameterSyntax.WithType(IdentifierName(name).WithTriviaFrom(parameterType));
        var newDeclaration = declaration.ReplaceNode(parameterSyntax, newParameter);
        var typeParameter = TypeParameter(name);
        newDeclaration = newDeclaration.TypeParameterList is null
            ? newDeclaration.WithIdentifier(newDeclaration.Identifier.WithoutTrivia()).WithTypeParameterList(TypeParameterList(SingletonSeparatedList(typeParameter)))
            : newDeclaration.AddTypeParameterListParameters(typeParameter);
        var constraint = TypeParameterConstraintClause(IdentifierName(name))
            .WithConstraints(SingletonSeparatedList<TypeParameterConstraintSyntax>(TypeConstraint(parameterType.WithoutTrivia())));
        newDeclaration = newDeclaration.AddConstraintClauses(constraint);
        return root.ReplaceNode(declaration, newDeclaration.WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>Every use of the parameter is the receiver of a method call or property/event access.</summary>
    private static bool OnlyCallsMembers(SemanticModel model, MethodDeclarationSyntax declaration, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        var body = (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody;
        if (body is null || model.GetOperation(body, cancellationToken) is not { } operation)
        {
            return false;
        }

        foreach (var reference in operation.DescendantsAndSelf().OfType<IParameterReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                continue;
            }

            var isReceiver = reference.Parent switch
            {
                IInvocationOperation call => call.Instance == reference,
                IPropertyReferenceOperation property => property.Instance == reference,
                IEventReferenceOperation @event => @event.Instance == reference,
                _ => false,
            };
            if (!isReceiver)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>IShape</c> → <c>TShape</c>, numbered when the name is taken.</summary>
    private static string TypeParameterName(INamedTypeSymbol interfaceType, IMethodSymbol method)
    {
        var stem = interfaceType.Name.Length > 1 && interfaceType.Name[0] == 'I' && char.IsUpper(interfaceType.Name[1]) ? interfaceType.Name.Substring(1) : interfaceType.Name;
        var name = "T" + stem;
        for (var i = 2; Taken(name, method); i++)
        {
            name = "T" + stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static bool Taken(string name, IMethodSymbol method) =>
        method.TypeParameters.Any(t => t.Name == name) || method.Parameters.Any(p => p.Name == name) ||
        method.ContainingType.GetTypeMembers(name).Length > 0 || method.ContainingType.TypeParameters.Any(t => t.Name == name) ||
        method.ContainingType.ContainingNamespace.GetTypeMembers(name).Length > 0;
}
