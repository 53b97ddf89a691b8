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

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC030 "Format without boxing": a composite-format call (<c>string.Format</c>, <c>StringBuilder.AppendFormat</c>,
/// <c>Console.Write[Line]</c>, <c>TextWriter.Write[Line]</c>) with a constant format becomes an interpolated string
/// where <c>DefaultInterpolatedStringHandler</c> exists, formatting with the same culture and provider; elsewhere each
/// value argument whose text does not depend on a format specifier is passed as <c>value.ToString()</c>.
/// </summary>
internal static class FormatWithoutBoxingRewrite
{
    private enum Target
    {
        StringFormat,
        AppendFormat,
        Console,
        TextWriter,
    }

    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, SyntaxNode site, CancellationToken cancellationToken)
    {
        if (TypedOverloadRewrite.EnclosingInvocation(site) is not { } syntax ||
            model.GetOperation(syntax, cancellationToken) is not IInvocationOperation call ||
            syntax.ArgumentList.Arguments.Any(a => a.NameColon is not null || a.RefKindKeyword.IsKind(SyntaxKind.RefKeyword)))
        {
            return null;
        }

        var symbols = new BoxingSymbols(model.Compilation);
        if (Classify(call.TargetMethod, symbols) is not { } target ||
            !TryReadArguments(call, out var provider, out var format, out var arguments) ||
            CompositeFormat.Parse(format, arguments.Count) is not { } pieces)
        {
            return null;
        }

        var language = ((CSharpParseOptions)syntax.SyntaxTree.Options).LanguageVersion;
        var replacement = symbols.DefaultInterpolatedStringHandler is not null
            ? Interpolate(call, syntax, target, provider, pieces, arguments, symbols, language)
            : PassStrings(syntax, target, provider, pieces, arguments, model.Compilation);
        return replacement is null ? null : root.ReplaceNode(syntax, replacement.WithTriviaFrom(syntax).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static Target? Classify(IMethodSymbol method, BoxingSymbols symbols)
    {
        var type = method.ContainingType;
        if (method.IsStatic && method.Name == "Format" && SymbolEqualityComparer.Default.Equals(type, symbols.String))
        {
            return Target.StringFormat;
        }

        if (!method.IsStatic && method.Name == "AppendFormat" && SymbolEqualityComparer.Default.Equals(type, symbols.StringBuilder))
        {
            return Target.AppendFormat;
        }

        if (method.Name is not ("Write" or "WriteLine"))
        {
            return null;
        }

        if (method.IsStatic && SymbolEqualityComparer.Default.Equals(type, symbols.Console))
        {
            return Target.Console;
        }

        for (var current = type; current is not null && !method.IsStatic; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, symbols.TextWriter))
            {
                return Target.TextWriter;
            }
        }

        return null;
    }

    /// <summary>(provider?, constant format, the arguments after it) of a call whose format parameter is a constant string.</summary>
    private static bool TryReadArguments(IInvocationOperation call, out IOperation? provider, out string format, out List<IOperation> arguments)
    {
        provider = null;
        format = "";
        arguments = new List<IOperation>();
        var sawFormat = false;
        foreach (var argument in call.Arguments)
        {
            var parameter = argument.Parameter;
            if (!sawFormat)
            {
                if (parameter?.Name == "provider" && parameter.Type.Name == "IFormatProvider")
                {
                    provider = argument.Value;
                    continue;
                }

                if (parameter?.Name != "format" || parameter.Type.SpecialType != SpecialType.System_String ||
                    argument.Value.ConstantValue is not { HasValue: true, Value: string constant })
                {
                    return false;
                }

                format = constant;
                sawFormat = true;
                continue;
            }

            switch (argument.ArgumentKind)
            {
                case ArgumentKind.Explicit:
                    arguments.Add(argument.Value);
                    break;
                case ArgumentKind.ParamArray when argument.Value is IArrayCreationOperation { IsImplicit: true, Initializer: { } initializer }:
                    arguments.AddRange(initializer.ElementValues);
                    break;
                case ArgumentKind.ParamCollection when argument.Value is ICollectionExpressionOperation { IsImplicit: true } collection:
                    arguments.AddRange(collection.Elements);
                    break;
                default:
                    return false;
            }
        }

        return sawFormat;
    }

    private static ExpressionSyntax? Interpolate(IInvocationOperation call, InvocationExpressionSyntax syntax, Target target, IOperation? provider,
        List<FormatPiece> pieces, List<IOperation> arguments, BoxingSymbols symbols, LanguageVersion language)
    {
        var values = arguments.Select(StripObjectConversion).ToList();
        if (!KeepsEvaluation(values, pieces, symbols))
        {
            return null;
        }

        var text = new StringBuilder("$\"");
        foreach (var piece in pieces)
        {
            if (!piece.IsItem)
            {
                text.Append(CompositeFormat.EscapeForInterpolation(piece.Text!));
                continue;
            }

            if (HoleText(values[piece.Index].Syntax) is not { } hole)
            {
                return null;
            }

            text.Append('{').Append(hole);
            if (piece.Alignment is not null)
            {
                text.Append(',').Append(piece.Alignment);
            }

            if (piece.Format is not null)
            {
                text.Append(':').Append(piece.Format);
            }

            text.Append('}');
        }

        text.Append('"');
        var interpolated = text.ToString();
        var handlers = language >= LanguageVersion.CSharp10;
        var providerText = provider?.Syntax.WithoutTrivia().ToString();
        var receiver = (syntax.Expression as MemberAccessExpressionSyntax)?.Expression.WithoutTrivia().ToString();
        string? result = target switch
        {
            Target.StringFormat when provider is null => interpolated,
            Target.StringFormat when handlers && HasProviderOverload(symbols.String, "Create", symbols.DefaultInterpolatedStringHandler) => $"string.Create({providerText}, {interpolated})",
            Target.AppendFormat when provider is null && receiver is not null => $"{receiver}.Append({interpolated})",
            Target.AppendFormat when receiver is not null && handlers && HasProviderOverload(symbols.StringBuilder, "Append", symbols.AppendInterpolatedStringHandler) => $"{receiver}.Append({providerText}, {interpolated})",
            Target.Console when provider is null => $"{syntax.Expression.WithoutTrivia()}({interpolated})",
            Target.TextWriter when provider is null && handlers && IsStableReceiver(call.Instance) && receiver is not null &&
                                   HasProviderOverload(symbols.String, "Create", symbols.DefaultInterpolatedStringHandler) =>
                $"{receiver}.{call.TargetMethod.Name}(string.Create({receiver}.FormatProvider, {interpolated}))",
            _ => null,
        };
        return result is null ? null : SyntaxFactory.ParseExpression(result);
    }

    /// <summary>
    /// string.Format evaluates every argument, then formats; an interpolated string formats each hole as it goes, once
    /// per use. That is the same when arguments without side effects are the only ones repeated, dropped or reordered,
    /// and when nothing evaluated after a hole can change how that hole formats (only strings and framework values
    /// come before an argument with side effects).
    /// </summary>
    private static bool KeepsEvaluation(List<IOperation> values, List<FormatPiece> pieces, BoxingSymbols symbols)
    {
        var order = pieces.Where(p => p.IsItem).Select(p => p.Index).ToList();
        var inOrderOnce = order.SequenceEqual(Enumerable.Range(0, values.Count));
        for (var i = 0; i < values.Count; i++)
        {
            if (IsSimpleRead(values[i]))
            {
                continue;
            }

            if (!inOrderOnce || HasSideEffects(values[i]) && !values.Take(i).All(v => IsFrameworkValueOrString(v.Type, symbols)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSimpleRead(IOperation value) => value switch
    {
        ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
        IFieldReferenceOperation field => field.Instance is null || IsSimpleRead(field.Instance),
        _ => value.ConstantValue.HasValue,
    };

    private static bool HasSideEffects(IOperation value)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation or IObjectCreationOperation or IAssignmentOperation or IIncrementOrDecrementOperation or
                IAwaitOperation or IDynamicInvocationOperation or IPropertyReferenceOperation { Arguments.Length: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFrameworkValueOrString(ITypeSymbol? type, BoxingSymbols symbols) =>
        type is not null && (type.SpecialType == SpecialType.System_String ||
                             type.IsValueType && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, symbols.Object.ContainingAssembly));

    private static bool IsStableReceiver(IOperation? instance) => instance is ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation ||
        instance is IFieldReferenceOperation { Field.IsReadOnly: true } field && (field.Instance is null || field.Instance is IInstanceReferenceOperation);

    private static bool HasProviderOverload(INamedTypeSymbol? type, string name, INamedTypeSymbol? handler) =>
        type is not null && handler is not null && type.GetMembers(name).OfType<IMethodSymbol>().Any(m =>
            m.Parameters.Length == 2 && m.Parameters[0].Type.Name == "IFormatProvider" &&
            SymbolEqualityComparer.Default.Equals(m.Parameters[1].Type, handler));

    /// <summary>The argument expression as a hole: one line, parenthesized unless it is a primary expression (a ':' or ',' would end the hole).</summary>
    private static string? HoleText(SyntaxNode expression)
    {
        var text = expression.WithoutTrivia().ToString();
        if (text.IndexOf('\n') >= 0 || text.IndexOf('\r') >= 0)
        {
            return null;
        }

        return expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or
            LiteralExpressionSyntax or ThisExpressionSyntax or ParenthesizedExpressionSyntax
            ? text
            : "(" + text + ")";
    }

    private static IOperation StripObjectConversion(IOperation value)
    {
        while (value is IConversionOperation { Type.SpecialType: SpecialType.System_Object } conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>
    /// Without handlers: <c>value.ToString()</c> for each value argument that string.Format would have turned into the
    /// same text — a framework value type or one that overrides ToString() and is not IFormattable, used with no format
    /// specifier — in calls without a provider.
    /// </summary>
    private static ExpressionSyntax? PassStrings(InvocationExpressionSyntax syntax, Target target, IOperation? provider, List<FormatPiece> pieces,
        List<IOperation> arguments, Compilation compilation)
    {
        if (provider is not null || target == Target.TextWriter)
        {
            return null;
        }

        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = StripObjectConversion(arguments[i]);
            if (pieces.Any(p => p.IsItem && p.Index == i && p.Format is not null) || !FormatsAsToString(value.Type, compilation) ||
                value.Syntax is not ExpressionSyntax expression || !syntax.Span.Contains(arguments[i].Syntax.Span))
            {
                continue;
            }

            var receiver = HoleText(expression) is { } text && !text.StartsWith("(", System.StringComparison.Ordinal) ? expression.WithoutTrivia() : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia());
            var call = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("ToString")));
            replacements[arguments[i].Syntax] = call.WithTriviaFrom(arguments[i].Syntax);
        }

        return replacements.Count == 0 ? null : syntax.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
    }

    /// <summary>Whether string.Format's text for a boxed value of this type is what <c>value.ToString()</c> returns, and ToString() does not box.</summary>
    private static bool FormatsAsToString(ITypeSymbol? type, Compilation compilation)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type is not { IsValueType: true, TypeKind: TypeKind.Struct } || !StructEquality.OverridesObjectMethod(type, nameof(ToString)))
        {
            return false;
        }

        var formattable = compilation.GetTypeByMetadataName("System.IFormattable");
        return SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.ObjectType.ContainingAssembly) ||
               !type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, formattable));
    }
}
