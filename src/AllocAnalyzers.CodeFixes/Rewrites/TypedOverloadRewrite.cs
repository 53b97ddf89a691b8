using System.Linq;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC030 "Use the typed overload": <c>object.Equals(a, b)</c> on two values of one framework value type becomes
/// <c>EqualityComparer&lt;T&gt;.Default.Equals(a, b)</c>; a value cast to <c>object</c> for a call that has an overload
/// taking the value's own type (<c>sb.Append((object)n)</c>, <c>writer.Write((object)d)</c>, <c>x.Equals((object)y)</c>
/// on framework types) loses the cast. Framework overloads of one name format and compare a value the same way, which
/// is what makes the choice safe; user methods are not touched.
/// </summary>
internal static class TypedOverloadRewrite
{
    /// <summary>The invocation a boxed argument belongs to (through casts and parentheses), if it is one.</summary>
    public static InvocationExpressionSyntax? EnclosingInvocation(SyntaxNode site)
    {
        var node = site;
        while (node.Parent is CastExpressionSyntax or ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } } ? invocation : null;
    }

    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, SyntaxNode site, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        if (EnclosingInvocation(site) is not { } syntax || model.GetOperation(syntax, cancellationToken) is not IInvocationOperation call)
        {
            return null;
        }

        var compilation = model.Compilation;
        var method = call.TargetMethod;
        if (method is { IsStatic: true, Name: nameof(object.Equals), Parameters.Length: 2 } &&
            method.ContainingType.SpecialType == SpecialType.System_Object &&
            call.Arguments.Length == 2 &&
            Unboxed(call.Arguments[0].Value) is { Type: { } left } a && Unboxed(call.Arguments[1].Value) is { Type: { } right } b &&
            SymbolEqualityComparer.Default.Equals(left, right) && IsFrameworkValue(left, compilation) &&
            compilation.GetTypeByMetadataName("System.Collections.Generic.EqualityComparer`1") is { } comparer)
        {
            var comparerType = ((ExpressionSyntax)generator.TypeExpression(comparer.Construct(left))).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            var replacement = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, comparerType, IdentifierName("Default")),
                    IdentifierName("Equals")),
                ArgumentList(SeparatedList(new[] { Argument(Bare(a.Syntax)), Argument(Bare(b.Syntax)) })));
            return root.ReplaceNode(syntax, replacement.WithTriviaFrom(syntax).WithAdditionalAnnotations(Formatter.Annotation));
        }

        // A cast to object in front of a framework call that has an overload for the value's own type.
        var cast = site.Parent is CastExpressionSyntax c ? c : null;
        if (cast is null || !IsTypedOverloadFamily(method, compilation) || model.GetOperation(site, cancellationToken) is not { Type: { } valueType } ||
            !IsFrameworkValue(valueType, compilation))
        {
            return null;
        }

        var argument = call.Arguments.FirstOrDefault(arg => arg.Syntax.Span.Contains(cast.Span));
        if (argument is null || !HasOverloadFor(method, argument.Parameter, valueType))
        {
            return null;
        }

        return root.ReplaceNode(cast, Bare(site).WithTriviaFrom(cast));
    }

    private static ExpressionSyntax Bare(SyntaxNode node) => ((ExpressionSyntax)node).WithoutTrivia();

    private static IOperation Unboxed(IOperation value) =>
        value is IConversionOperation { Type.SpecialType: SpecialType.System_Object } conversion ? conversion.Operand : value;

    /// <summary>Primitive, enum and other value types of the core library (and nullable ones): their typed overloads and IEquatable agree with the object ones.</summary>
    private static bool IsFrameworkValue(ITypeSymbol type, Compilation compilation)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.IsValueType && type.TypeKind is TypeKind.Struct or TypeKind.Enum &&
               (type.TypeKind == TypeKind.Enum || SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.ObjectType.ContainingAssembly));
    }

    private static bool IsTypedOverloadFamily(IMethodSymbol method, Compilation compilation)
    {
        var type = method.ContainingType;
        var name = type.ToDisplayString();
        return method.Name switch
        {
            "Append" or "Insert" => name == "System.Text.StringBuilder",
            "Write" or "WriteLine" => name == "System.Console" || InheritsFrom(type, "System.IO.TextWriter"),
            nameof(object.Equals) => !method.IsStatic && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.ObjectType.ContainingAssembly) && type.IsValueType,
            _ => false,
        };
    }

    private static bool InheritsFrom(INamedTypeSymbol? type, string name)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An overload of the same name and shape whose parameter at this position has the value's own type.</summary>
    private static bool HasOverloadFor(IMethodSymbol method, IParameterSymbol? parameter, ITypeSymbol valueType)
    {
        if (parameter is null || parameter.Type.SpecialType != SpecialType.System_Object)
        {
            return false;
        }

        var position = parameter.Ordinal;
        return method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Any(candidate =>
            candidate.IsStatic == method.IsStatic && candidate.Parameters.Length == method.Parameters.Length &&
            candidate.Parameters.All(p => p.RefKind == RefKind.None) &&
            Enumerable.Range(0, method.Parameters.Length).All(i => i == position
                ? SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, valueType)
                : SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, method.Parameters[i].Type)));
    }
}
