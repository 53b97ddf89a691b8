using System;
using System.Collections.Generic;
using System.Linq;
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
/// Replaces a use of a rented array's rented length (<c>array.Length</c> as a count, the whole array, an unbounded
/// span) by the requested length. The size is named as it is where it stays the same: a constant, or a local or
/// parameter (or an expression of them) not written between the <c>Rent</c> and the use; otherwise it is first stored
/// in a new <c>int</c> local just before the <c>Rent</c>. This changes what the code reads, on purpose: the original
/// read the elements past the requested length, which the pool fills with whatever its last user left there.
/// </summary>
internal static class RequestedLengthRewrite
{
    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, SyntaxNode site, RentalMisuse misuse, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (misuse.ReachedByOtherRentals ||
            misuse.Rental.RequestedSize is not { } size ||
            misuse.Rental.Rent.Syntax is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } rent)
        {
            return null;
        }

        var plan = new SizePlan(model, rent, site, cancellationToken);
        var sizeExpression = plan.NameAtSite(size);
        var introducedName = (string?)null;
        if (sizeExpression is null)
        {
            introducedName = plan.CanIntroduceLocal(misuse.Rental) ? plan.UniqueName(misuse.Rental.Local.Name + "Length") : null;
            if (introducedName is null)
            {
                return null;
            }

            sizeExpression = IdentifierName(introducedName);
        }

        if (BoundedUse(site, model, known, sizeExpression, cancellationToken) is not { } use)
        {
            return null;
        }

        SyntaxNode newRoot;
        if (introducedName is null)
        {
            newRoot = root.ReplaceNode(use.Target, use.Rewrite(use.Target));
        }
        else
        {
            // int bufferLength = size; before the Rent, which then rents bufferLength.
            var block = plan.Block!;
            var rentStatement = plan.RentStatement!;
            var sizeSyntax = rent.ArgumentList.Arguments[0].Expression;
            var replacements = new Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>>
            {
                [sizeSyntax] = rewritten => IdentifierName(introducedName).WithTriviaFrom(rewritten),
                [use.Target] = use.Rewrite,
            };
            var newBlock = block.ReplaceNodes(replacements.Keys, (original, rewritten) => replacements[original](rewritten));
            var index = block.Statements.IndexOf(rentStatement);
            var newRentStatement = newBlock.Statements[index];
            var declaration = LocalDeclarationStatement(VariableDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword)))
                    .AddVariables(VariableDeclarator(introducedName).WithInitializer(EqualsValueClause(sizeSyntax.WithoutTrivia()))))
                .WithLeadingTrivia(newRentStatement.GetLeadingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            var statements = newBlock.Statements
                .Replace(newRentStatement, newRentStatement.WithLeadingTrivia(ElasticMarker))
                .Insert(index, declaration);
            newRoot = root.ReplaceNode(block, newBlock.WithStatements(statements));
        }

        return use.NeedsSystemNamespace ? ImportSystem(newRoot, model, site.SpanStart) : newRoot;
    }

    /// <summary>The node to replace and how, so the use reads only the requested length.</summary>
    private sealed class Use
    {
        public Use(SyntaxNode target, Func<SyntaxNode, SyntaxNode> rewrite, bool needsSystemNamespace)
        {
            Target = target;
            Rewrite = rewrite;
            NeedsSystemNamespace = needsSystemNamespace;
        }

        public SyntaxNode Target { get; }
        public Func<SyntaxNode, SyntaxNode> Rewrite { get; }
        /// <summary>Whether the rewrite calls <c>AsSpan</c> or <c>AsMemory</c>, extension methods of <c>System.MemoryExtensions</c>.</summary>
        public bool NeedsSystemNamespace { get; }
    }

    private static Use? BoundedUse(SyntaxNode site, SemanticModel model, KnownSymbols known, ExpressionSyntax size, CancellationToken cancellationToken)
    {
        var canUseSpans = known.MemoryExtensions is not null && known.Span is not null;
        switch (site)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" }:
                return new Use(site, rewritten => Parenthesized(size).WithTriviaFrom(rewritten), needsSystemNamespace: false);

            case InvocationExpressionSyntax invocation when model.GetOperation(invocation, cancellationToken) is IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } call:
            {
                // array.AsSpan() → array.AsSpan(0, size); array.AsSpan(0) → array.AsSpan(0, size). The operation shows
                // the extension in its static form, the receiver as its first argument, written or not.
                var receiverIsWritten = call.Arguments.Length > 0 && call.Arguments[0].Syntax is ArgumentSyntax;
                var extra = invocation.ArgumentList.Arguments.Count - (receiverIsWritten ? 1 : 0);
                var arguments = invocation.ArgumentList.Arguments;
                if (arguments.Any(a => a.NameColon is not null))
                {
                    return null;
                }

                return extra switch
                {
                    0 => new Use(invocation.ArgumentList, rewritten => ((ArgumentListSyntax)rewritten).AddArguments(Argument(Zero()), Argument(size)), false),
                    1 when arguments[arguments.Count - 1].Expression is LiteralExpressionSyntax { Token.ValueText: "0" } =>
                        new Use(invocation.ArgumentList, rewritten => ((ArgumentListSyntax)rewritten).AddArguments(Argument(size)), false),
                    _ => null,
                };
            }

            case BaseObjectCreationExpressionSyntax { ArgumentList: { Arguments.Count: 1 } list } creation
                when model.GetOperation(creation, cancellationToken) is IObjectCreationOperation { Constructor: { } constructor } &&
                     list.Arguments[0].NameColon is null &&
                     BoundedOverloads.Find(constructor.OriginalDefinition, 0, allArgumentsGiven: true, canUseSpans: false, known) == BoundedOverload.BoundsAfterArray:
                // new Span<byte>(array) → new Span<byte>(array, 0, size)
                return new Use(list, rewritten => ((ArgumentListSyntax)rewritten).AddArguments(Argument(Zero()), Argument(size)), false);

            case IdentifierNameSyntax array when model.GetOperation(array, cancellationToken) is ILocalReferenceOperation reference:
                return BoundedArrayUse(array, reference, size, known, canUseSpans);

            default:
                return null;
        }
    }

    /// <summary>The whole array, converted to a view, enumerated or passed to a call.</summary>
    private static Use? BoundedArrayUse(IdentifierNameSyntax array, ILocalReferenceOperation reference, ExpressionSyntax size, KnownSymbols known, bool canUseSpans)
    {
        IOperation value = reference;
        var parent = reference.Parent;
        if (parent is IConversionOperation { IsImplicit: true } conversion)
        {
            switch (known.GetViewKind(conversion.Type))
            {
                case ArrayViewKind.Span when canUseSpans:
                    return BoundedView(array, "AsSpan", size);
                case ArrayViewKind.Memory when canUseSpans:
                    return BoundedView(array, "AsMemory", size);
                case ArrayViewKind.Segment when conversion.Type is { } segmentType:
                    return new Use(array, rewritten => ObjectCreationExpression(
                            ParseTypeName(segmentType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation))
                        .WithArgumentList(ArgumentList(SeparatedList(new[] { Argument((ExpressionSyntax)rewritten.WithoutTrivia()), Argument(Zero()), Argument(size) })))
                        .WithTriviaFrom(rewritten), false);
            }

            value = conversion;
            parent = conversion.Parent;
        }

        switch (parent)
        {
            case IForEachLoopOperation when canUseSpans:
                return BoundedView(array, "AsSpan", size);

            case IArgumentOperation { Parameter: { } parameter } argument when argument.Value == value &&
                                                                               argument.Syntax is ArgumentSyntax { NameColon: null, Parent: ArgumentListSyntax list } argumentSyntax &&
                                                                               list.Arguments.All(a => a.NameColon is null):
                var method = argument.Parent switch
                {
                    IInvocationOperation invocation => invocation.TargetMethod,
                    IObjectCreationOperation creation => creation.Constructor,
                    _ => null,
                };
                if (method is null || argument.ArgumentKind != ArgumentKind.Explicit)
                {
                    return null;
                }

                // Extension calls appear in their static form, so the parameter ordinal is the definition's.
                var original = method.OriginalDefinition;
                var index = list.Arguments.IndexOf(argumentSyntax);
                return BoundedOverloads.Find(original, parameter.Ordinal, list.Arguments.Count == method.Parameters.Length, canUseSpans, known) switch
                {
                    BoundedOverload.BoundsAfterArray => new Use(list, rewritten => InsertBounds((ArgumentListSyntax)rewritten, index + 1, size), false),
                    BoundedOverload.BoundsAppended => new Use(list, rewritten => InsertBounds((ArgumentListSyntax)rewritten, ((ArgumentListSyntax)rewritten).Arguments.Count, size), false),
                    BoundedOverload.Span => BoundedView(array, "AsSpan", size),
                    _ => null,
                };

            default:
                return null;
        }
    }

    private static Use BoundedView(IdentifierNameSyntax array, string method, ExpressionSyntax size) =>
        new(array, rewritten => InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, (ExpressionSyntax)rewritten.WithoutTrivia(), IdentifierName(method)),
                ArgumentList(SeparatedList(new[] { Argument(Zero()), Argument(size) })))
            .WithTriviaFrom(rewritten), needsSystemNamespace: true);

    private static ArgumentListSyntax InsertBounds(ArgumentListSyntax list, int index, ExpressionSyntax size) =>
        list.WithArguments(list.Arguments.Insert(index, Argument(Zero())).Insert(index + 1, Argument(size)));

    private static ExpressionSyntax Parenthesized(ExpressionSyntax size) =>
        size is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            ? size
            : ParenthesizedExpression(size).WithAdditionalAnnotations(Simplifier.Annotation);

    private static LiteralExpressionSyntax Zero() => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));

    /// <summary>Adds <c>using System;</c> when <c>MemoryExtensions</c> is not in scope, where <c>System</c> directives sort first.</summary>
    private static SyntaxNode ImportSystem(SyntaxNode root, SemanticModel model, int position)
    {
        if (root is not CompilationUnitSyntax unit || !model.LookupNamespacesAndTypes(position, name: "MemoryExtensions").IsEmpty)
        {
            return root;
        }

        var directive = UsingDirective(IdentifierName("System")).WithTrailingTrivia(ElasticCarriageReturnLineFeed).WithAdditionalAnnotations(Formatter.Annotation);
        var index = 0;
        while (index < unit.Usings.Count && unit.Usings[index].Name is { } name && name.ToString().StartsWith("System", StringComparison.Ordinal) &&
               string.CompareOrdinal(name.ToString(), "System") < 0)
        {
            index++;
        }

        return unit.WithUsings(unit.Usings.Insert(index, directive));
    }

    /// <summary>How the requested size can be named at the use, and where a local for it could go.</summary>
    private sealed class SizePlan
    {
        private readonly SemanticModel _model;
        private readonly SyntaxNode _site;
        private readonly CancellationToken _cancellationToken;
        /// <summary>The statements from after the rent up to the one holding the use, when both are in one block.</summary>
        private readonly List<StatementSyntax>? _between;

        public SizePlan(SemanticModel model, InvocationExpressionSyntax rent, SyntaxNode site, CancellationToken cancellationToken)
        {
            _model = model;
            _site = site;
            _cancellationToken = cancellationToken;
            RentStatement = rent.FirstAncestorOrSelf<StatementSyntax>();
            Block = RentStatement?.Parent as BlockSyntax;
            if (Block is not null)
            {
                var rentIndex = Block.Statements.IndexOf(RentStatement!);
                var siteStatement = site.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == Block);
                var siteIndex = siteStatement is null ? -1 : Block.Statements.IndexOf(siteStatement);
                if (siteIndex > rentIndex)
                {
                    _between = Block.Statements.Skip(rentIndex + 1).Take(siteIndex - rentIndex).ToList();
                }
            }
        }

        public StatementSyntax? RentStatement { get; }
        public BlockSyntax? Block { get; }

        /// <summary>The size as it can be written at the use, or null when it may have changed (or cannot be named there).</summary>
        public ExpressionSyntax? NameAtSite(IOperation size)
        {
            if (!IsStable(size) || !IsVisibleAtSite(size))
            {
                return null;
            }

            return ((ExpressionSyntax)size.Syntax).WithoutTrivia();
        }

        /// <summary>
        /// A new local can hold the size when the rent is a statement of a block that also holds the use, and the
        /// pool is named without side effects (the size is then evaluated before the pool, not after).
        /// </summary>
        public bool CanIntroduceLocal(Rental rental) =>
            _between is not null &&
            RentStatement is LocalDeclarationStatementSyntax or ExpressionStatementSyntax &&
            rental.Rent.Instance switch
            {
                IPropertyReferenceOperation { Property.IsStatic: true } => true,
                ILocalReferenceOperation or IParameterReferenceOperation => true,
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } => true,
                _ => false,
            };

        public string UniqueName(string baseName)
        {
            var scope = (SyntaxNode?)Block!.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? Block;
            var taken = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            var name = baseName;
            for (var i = 2; taken.Contains(name) || _model.LookupSymbols(RentStatement!.SpanStart, name: name).Length > 0; i++)
            {
                name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return name;
        }

        /// <summary>An expression that has the same value at the use as at the rent.</summary>
        private bool IsStable(IOperation operation) => operation switch
        {
            { ConstantValue.HasValue: true } => true,
            ILocalReferenceOperation local => IsUnchanged(local.Local),
            IParameterReferenceOperation parameter => IsUnchanged(parameter.Parameter),
            IFieldReferenceOperation { Field.IsReadOnly: true, Instance: null or IInstanceReferenceOperation } => true,
            IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance, Arguments.Length: 0 } =>
                (instance.Type is IArrayTypeSymbol || instance.Type?.SpecialType == SpecialType.System_String) && IsStable(instance),
            IConversionOperation { IsImplicit: true } conversion => IsStable(conversion.Operand),
            IBinaryOperation { OperatorMethod: null } binary => IsStable(binary.LeftOperand) && IsStable(binary.RightOperand),
            _ => false,
        };

        private bool IsUnchanged(ISymbol symbol)
        {
            if (symbol is IParameterSymbol { RefKind: not RefKind.None } or ILocalSymbol { IsRef: true } || _between is null)
            {
                return false;
            }

            var flow = _model.AnalyzeDataFlow(_between[0], _between[_between.Count - 1]);
            return flow is { Succeeded: true } &&
                   !flow.WrittenInside.Contains(symbol, SymbolEqualityComparer.Default) &&
                   !flow.Captured.Contains(symbol, SymbolEqualityComparer.Default);
        }

        /// <summary>Every name in the size means the same symbol at the use.</summary>
        private bool IsVisibleAtSite(IOperation size)
        {
            foreach (var identifier in size.Syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier)
                {
                    // A member is named through its receiver, which is checked itself.
                    continue;
                }

                var symbol = _model.GetSymbolInfo(identifier, _cancellationToken).Symbol;
                if (symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol &&
                    !_model.LookupSymbols(_site.SpanStart, name: identifier.Identifier.ValueText).Contains(symbol, SymbolEqualityComparer.Default))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
