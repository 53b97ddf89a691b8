using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC031 "Implement IEquatable&lt;T&gt;": a struct declared in the same document gets <c>Equals(T)</c>,
/// <c>Equals(object)</c> and <c>GetHashCode()</c> over its instance fields (<c>HashCode.Combine</c> where it exists).
/// Only for fields whose <c>==</c> is exactly what <c>ValueType.Equals</c> compares — integers, <c>bool</c>,
/// <c>char</c>, enums and strings — so equality stays the same; floating-point and other fields (where the runtime may
/// compare bits) keep the diagnostic without a fix.
/// </summary>
internal static class EquatableStructRewrite
{
    private static readonly string[] s_reservedNames = { "other", "obj", "hash" };

    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, SyntaxNode site, CancellationToken cancellationToken)
    {
        var symbols = new BoxingSymbols(model.Compilation);
        if (KeyType(model, site, cancellationToken) is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsGenericType: false, IsRefLikeType: false, IsRecord: false } type ||
            symbols.IEquatable is null ||
            type.DeclaringSyntaxReferences.Length != 1 ||
            type.DeclaringSyntaxReferences[0].SyntaxTree != root.SyntaxTree ||
            type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not StructDeclarationSyntax declaration ||
            StructEquality.ImplementsIEquatable(type, symbols) ||
            type.GetMembers(nameof(Equals)).Length > 0 || type.GetMembers(nameof(GetHashCode)).Length > 0 ||
            Fields(type) is not { } fields)
        {
            return null;
        }

        var name = type.Name;
        var nullable = model.GetNullableContext(declaration.SpanStart).AnnotationsEnabled();
        var members = new StringBuilder();
        var comparisons = fields.Count == 0 ? "true" : string.Join(" && ", fields.Select(f => $"{f} == other.{f}"));
        members.Append($"public bool Equals({name} other) => {comparisons};\n");
        members.Append($"public override bool Equals(object{(nullable ? "?" : "")} obj) => obj is {name} other && Equals(other);\n");
        members.Append("public override int GetHashCode()").Append(HashBody(fields, symbols.HashCode is not null, type)).Append('\n');

        // The document's own line ending, so a CRLF file stays CRLF.
        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } existing ? existing : LineFeed;
        var parsed = members.ToString().Split('\n').Where(l => l.Length > 0)
            .Select((text, i) => ParseMemberDeclaration(text)!
                .WithLeadingTrivia(i == 0 ? TriviaList(newLine) : TriviaList())
                .WithTrailingTrivia(newLine)
                .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation, Simplifier.AddImportsAnnotation))
            .ToArray();
        var equatable = ParseTypeName($"System.IEquatable<{name}>").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var newDeclaration = declaration.AddMembers(parsed);
        newDeclaration = newDeclaration.BaseList is null
            ? newDeclaration.WithIdentifier(newDeclaration.Identifier.WithoutTrivia())
                .WithBaseList(BaseList(SingletonSeparatedList<BaseTypeSyntax>(SimpleBaseType(equatable))).WithTrailingTrivia(declaration.Identifier.TrailingTrivia))
            : newDeclaration.AddBaseListTypes(SimpleBaseType(equatable));
        return root.ReplaceNode(declaration, newDeclaration.WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static ITypeSymbol? KeyType(SemanticModel model, SyntaxNode site, CancellationToken cancellationToken) =>
        model.GetOperation(site, cancellationToken) switch
        {
            IObjectCreationOperation { Type: INamedTypeSymbol { IsGenericType: true } collection } => collection.TypeArguments[0],
            { Type: { } receiverType } => receiverType,
            _ => null,
        };

    /// <summary>The names of the instance fields (auto-properties by their property name), or null when one has a type this fix does not compare.</summary>
    private static List<string>? Fields(INamedTypeSymbol type)
    {
        var names = new List<string>();
        foreach (var member in type.GetMembers())
        {
            if (member is not IFieldSymbol { IsStatic: false, IsConst: false } field)
            {
                continue;
            }

            var name = field.AssociatedSymbol is IPropertySymbol property ? property.Name : field.Name;
            if (!ComparesLikeValueTypeEquals(field.Type) || s_reservedNames.Contains(name) || field.IsFixedSizeBuffer)
            {
                return null;
            }

            names.Add(name);
        }

        return names;
    }

    private static bool ComparesLikeValueTypeEquals(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or
            SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
            SpecialType.System_String;

    private static string HashBody(List<string> fields, bool hasHashCode, INamedTypeSymbol type)
    {
        if (fields.Count == 0)
        {
            return " => 0;";
        }

        if (hasHashCode && fields.Count <= 8)
        {
            return $" => System.HashCode.Combine({string.Join(", ", fields)});";
        }

        var strings = new HashSet<string>(type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.Type.SpecialType == SpecialType.System_String)
            .Select(f => f.AssociatedSymbol is IPropertySymbol p ? p.Name : f.Name));
        var body = new StringBuilder(" { unchecked { var hash = 17; ");
        foreach (var field in fields)
        {
            body.Append("hash = hash * 31 + ").Append(strings.Contains(field) ? $"({field} == null ? 0 : {field}.GetHashCode())" : $"{field}.GetHashCode()").Append("; ");
        }

        return body.Append("return hash; } }").ToString();
    }
}
