using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// The ALLOC010 and ALLOC011 rewrites of a <c>Clear()</c> or removal on a long-lived collection member: trim after it,
/// replace it by a new collection, or shrink when the live count has fallen well below the capacity. Each is planned
/// from every reference to the member in its type (all partial declarations and nested types), classified by
/// <see cref="LongLivedCollections"/>, and offered only where that proves it keeps behaviour.
/// </summary>
internal sealed class CollectionCapacityRewrite
{
    private readonly SemanticModel _model;

    private CollectionCapacityRewrite(SemanticModel model, MemberUses member, List<CollectionUse> uses, CollectionUse site, IMemberReferenceOperation reference)
    {
        _model = model;
        Member = member;
        Uses = uses;
        Site = site;
        Reference = reference;
    }

    public MemberUses Member { get; }

    public List<CollectionUse> Uses { get; }

    /// <summary>The <c>Clear()</c> or removal the diagnostic is at.</summary>
    public CollectionUse Site { get; }

    /// <summary>The member reference that receives the call.</summary>
    public IMemberReferenceOperation Reference { get; }

    private IInvocationOperation Call => Site.Call!;

    /// <summary>
    /// The plan for the call at <paramref name="site"/>, when it is still what ALLOC010 (<paramref name="clear"/>) or
    /// ALLOC011 reports; null otherwise (so Fix All skips a site an earlier fix already dealt with).
    /// </summary>
    public static CollectionCapacityRewrite? TryCreate(SemanticModel model, SyntaxNode site, bool clear, CancellationToken cancellationToken)
    {
        if (model.GetOperation(site, cancellationToken) is not IInvocationOperation { Instance: IMemberReferenceOperation reference } ||
            LongLivedCollections.AsMember(reference) is not { } symbol ||
            LongLivedCollections.AsCandidate(symbol, new CollectionSymbols(model.Compilation)) is not { } member)
        {
            return null;
        }

        var candidates = new Dictionary<ISymbol, MemberUses>(SymbolEqualityComparer.Default) { [symbol] = member };
        foreach (var declaration in symbol.ContainingType.DeclaringSyntaxReferences)
        {
            var node = declaration.GetSyntax(cancellationToken);
            var treeModel = node.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(node.SyntaxTree);
            LongLivedCollections.CollectUses(node, treeModel, candidates, cancellationToken);
        }

        var uses = member.ToList();
        var reported = clear ? LongLivedCollections.FindClearsKeepingCapacity(member, uses) : LongLivedCollections.FindRemovalsNeverShrunk(member, uses);
        foreach (var use in reported)
        {
            if (use.Tree == site.SyntaxTree && use.Call!.Syntax.Span == site.Span)
            {
                return new CollectionCapacityRewrite(model, member, uses, use, reference);
            }
        }

        return null;
    }

    // ---- ALLOC010: trim after clearing ---------------------------------------------------------------------------

    /// <summary><c>x.Clear(); x.TrimExcess();</c>, where the collection has <c>TrimExcess()</c>.</summary>
    public SyntaxNode? TrimAfterClear(SyntaxNode root)
    {
        if (!HasOwnTrimExcess() || !HasStableReceiver() || LongLivedCollections.MayChangeWhileEnumerated(Uses))
        {
            return null;
        }

        return InsertAfterCall(root, ParseStatement($"{Receiver}.TrimExcess();"));
    }

    /// <summary><c>x = new T(x.Comparer);</c> in place of <c>x.Clear()</c>, where no one else can hold the old instance.</summary>
    public SyntaxNode? RebuildInsteadOfClear(SyntaxNode root)
    {
        if (!CanReplaceInstance(requireNonNull: !HasComparer()) || LongLivedCollections.MayChangeWhileEnumerated(Uses) ||
            Call.Syntax is not InvocationExpressionSyntax invocation ||
            invocation.Parent is not (ExpressionStatementSyntax or ArrowExpressionClauseSyntax or LambdaExpressionSyntax) ||
            NewCollection(arguments: HasComparer() ? $"{Receiver}.Comparer" : "") is not { } creation)
        {
            return null;
        }

        var assignment = SyntaxFactory.ParseExpression($"{Receiver} = {creation}")
            .WithTriviaFrom(invocation)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return root.ReplaceNode(invocation, assignment);
    }

    // ---- ALLOC011: shrink periodically after removals ---------------------------------------------------------------

    /// <summary>
    /// After the removal, shrink when the live count fell below a fraction of the capacity (where the capacity can be
    /// read and trimmed), trim every so many removals (trim but no capacity), or rebuild every so many removals (neither).
    /// </summary>
    public SyntaxNode? ShrinkAfterRemoval(SyntaxNode root, int shrinkRatio, int removalsBetweenChecks)
    {
        if (!HasStableReceiver())
        {
            return null;
        }

        // Trimming or rebuilding a hash table changes where later entries go, so the order its enumeration shows.
        if (LongLivedCollections.IsHashBased(Member.Kind) &&
            (Member.Member.DeclaredAccessibility != Accessibility.Private || LongLivedCollections.IsHandedOut(Uses) || LongLivedCollections.IsEnumerated(Uses)))
        {
            return null;
        }

        var receiver = Receiver;
        if (HasOwnTrimExcess())
        {
            if (CapacityExpression(receiver) is { } capacity)
            {
                return InsertAfterRemoval(root, ParseStatement(string.Format(CultureInfo.InvariantCulture,
                    "if ({0}.Count < {1} / {2})\n{{\n{0}.TrimExcess();\n}}", receiver, capacity, shrinkRatio)), counter: null);
            }

            var trimCounter = CounterName("RemovalsSinceTrim");
            var trimAccess = ReceiverPrefix + trimCounter;
            return InsertAfterRemoval(root, ParseStatement(string.Format(CultureInfo.InvariantCulture,
                "if (++{0} % {1} == 0 && {0} >= {2}.Count)\n{{\n{2}.TrimExcess();\n{0} = 0;\n}}", trimAccess, removalsBetweenChecks, receiver)), trimCounter);
        }

        // A rebuild swaps the instance: nobody else may hold the old one, and concurrent writers must not write to it meanwhile.
        if (!CanReplaceInstance(requireNonNull: false) ||
            (Member.Kind == CollectionKind.ConcurrentDictionary &&
             (LongLivedCollections.CommonWriteLock(Uses) is not { } writeLock ||
              !SymbolEqualityComparer.Default.Equals(LongLivedCollections.HeldLock(Reference), writeLock))) ||
            NewCollection(arguments: HasComparer() ? $"{receiver}, {receiver}.Comparer" : receiver, copy: true) is not { } copy)
        {
            return null;
        }

        var rebuildCounter = CounterName("RemovalsSinceRebuild");
        var rebuildAccess = ReceiverPrefix + rebuildCounter;
        return InsertAfterRemoval(root, ParseStatement(string.Format(CultureInfo.InvariantCulture,
            "if (++{0} % {1} == 0 && {0} >= {2}.Count)\n{{\n{2} = {3};\n{0} = 0;\n}}", rebuildAccess, removalsBetweenChecks, receiver, copy)), rebuildCounter);
    }

    // ---- conditions ---------------------------------------------------------------------------------------------------

    /// <summary>The member's type has the framework's <c>TrimExcess()</c>, not one a derived type declares in its place.</summary>
    private bool HasOwnTrimExcess()
    {
        for (var type = Member.Type as INamedTypeSymbol; type is not null && !SymbolEqualityComparer.Default.Equals(type, Member.Framework); type = type.BaseType)
        {
            if (!type.GetMembers("TrimExcess").IsEmpty)
            {
                return false;
            }
        }

        return CollectionSymbols.HasTrimExcess(Member.Framework);
    }

    /// <summary>The receiver can be evaluated again with the same result: a static member, <c>this</c>, a local or a parameter.</summary>
    private bool HasStableReceiver() =>
        Reference.Instance is null or IInstanceReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation;

    /// <summary>
    /// Assigning a new instance is unobservable: a private, non-readonly field or auto-property with a setter, of a
    /// class, of exactly the framework type and only ever given new instances of it, never handed out and never enumerated
    /// while it may change. With <paramref name="requireNonNull"/>, it must also be initialized where it is declared.
    /// </summary>
    private bool CanReplaceInstance(bool requireNonNull)
    {
        var writable = Member.Member switch
        {
            IFieldSymbol field => !field.IsReadOnly && !field.IsVolatile,
            IPropertySymbol property => property.SetMethod is { IsInitOnly: false },
            _ => false,
        };
        if (!writable || Member.Member.DeclaredAccessibility != Accessibility.Private ||
            Member.Member.ContainingType.TypeKind != TypeKind.Class ||
            !SymbolEqualityComparer.Default.Equals(Member.Type, Member.Framework) ||
            !HasStableReceiver() ||
            LongLivedCollections.IsHandedOut(Uses) || LongLivedCollections.MayChangeWhileEnumerated(Uses))
        {
            return false;
        }

        foreach (var use in Uses)
        {
            if (use.Kind == CollectionUseKind.Assign && !IsExactCreation(use.AssignedValue))
            {
                return false;
            }
        }

        var initializer = Initializer();
        return initializer is null ? !requireNonNull : IsExactCreation(initializer);
    }

    /// <summary>The member's initializer value, if it is declared with one.</summary>
    private IOperation? Initializer()
    {
        foreach (var reference in Member.Member.DeclaringSyntaxReferences)
        {
            var value = reference.GetSyntax() switch
            {
                VariableDeclaratorSyntax { Initializer.Value: { } v } => v,
                PropertyDeclarationSyntax { Initializer.Value: { } v } => v,
                _ => null,
            };
            if (value is not null)
            {
                var model = value.SyntaxTree == _model.SyntaxTree ? _model : _model.Compilation.GetSemanticModel(value.SyntaxTree);
                return model.GetOperation(value);
            }
        }

        return null;
    }

    /// <summary>A <c>new</c> of exactly the member's type whose comparer, if any, the rebuild can read back.</summary>
    private bool IsExactCreation(IOperation? value)
    {
        if (value is null || OperationShapes.StripImplicitConversions(value) is not IObjectCreationOperation { Constructor: { } constructor } creation ||
            !SymbolEqualityComparer.Default.Equals(creation.Type, Member.Type))
        {
            return false;
        }

        // Without a Comparer property to read back, only instances made with the default comparer can be rebuilt.
        if (!HasComparer())
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (parameter.Type.Name is "IEqualityComparer" or "IComparer")
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool HasComparer() => CollectionSymbols.FindProperty(Member.Framework, "Comparer") is not null;

    // ---- code ---------------------------------------------------------------------------------------------------------

    /// <summary>The receiver as written (<c>_cache</c>, <c>this._cache</c>, <c>Holder.Cache</c>).</summary>
    private string Receiver => Reference.Syntax.ToString();

    /// <summary>What comes before the member's name in the receiver (<c>this.</c>, <c>other.</c>, <c>Holder.</c>), for a sibling field.</summary>
    private string ReceiverPrefix => Reference.Syntax is MemberAccessExpressionSyntax access ? access.Expression + "." : "";

    /// <summary><c>x.Capacity</c> or <c>x.EnsureCapacity(0)</c>, whichever the collection has.</summary>
    private static string? CapacityExpressionFor(INamedTypeSymbol framework, string receiver)
    {
        if (CollectionSymbols.FindProperty(framework, "Capacity") is { Type.SpecialType: SpecialType.System_Int32 })
        {
            return receiver + ".Capacity";
        }

        return CollectionSymbols.HasCapacityQuery(framework) ? receiver + ".EnsureCapacity(0)" : null;
    }

    private string? CapacityExpression(string receiver) => CapacityExpressionFor(Member.Framework, receiver);

    /// <summary><c>new Dictionary&lt;K, V&gt;(arguments)</c>, when the collection has that constructor.</summary>
    private string? NewCollection(string arguments, bool copy = false)
    {
        var framework = Member.Framework;
        var comparer = CollectionSymbols.FindProperty(framework, "Comparer");
        var found = framework.InstanceConstructors.Any(constructor =>
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }

            var expected = (copy ? 1 : 0) + (comparer is not null ? 1 : 0);
            if (constructor.Parameters.Length != expected)
            {
                return false;
            }

            var index = 0;
            if (copy && !IsCopySource(constructor.Parameters[index++].Type, framework))
            {
                return false;
            }

            return comparer is null || SymbolEqualityComparer.Default.Equals(constructor.Parameters[index].Type, comparer.Type);
        });

        return found ? $"new {Member.Type.ToMinimalDisplayString(_model, Call.Syntax.SpanStart)}({arguments})" : null;
    }

    /// <summary>A parameter the collection itself converts to: <c>IDictionary&lt;K, V&gt;</c>, <c>IEnumerable&lt;…&gt;</c>.</summary>
    private static bool IsCopySource(ITypeSymbol parameterType, INamedTypeSymbol framework) =>
        parameterType.TypeKind == TypeKind.Interface &&
        framework.AllInterfaces.Contains((INamedTypeSymbol)parameterType, SymbolEqualityComparer.Default);

    /// <summary>A name for the removal counter that no member of the type has, based on the collection's name.</summary>
    private string CounterName(string suffix)
    {
        var stem = Member.Member.Name.TrimStart('_');
        if (stem.Length > 2 && stem[1] == '_' && stem[0] is 's' or 'm' or 't')
        {
            stem = stem.Substring(2);
        }

        stem = stem.Length == 0 ? "collection" : char.ToLowerInvariant(stem[0]) + stem.Substring(1);
        var name = "_" + stem + suffix;
        var type = Member.Member.ContainingType;
        for (var i = 2; !type.GetMembers(name).IsEmpty || type.MemberNames.Contains(name); i++)
        {
            name = "_" + stem + suffix + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>A statement written with <c>\n</c> line breaks, parsed with the document's own line break.</summary>
    private StatementSyntax ParseStatement(string text) =>
        SyntaxFactory.ParseStatement(text.Replace("\n", NewLine)).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed).WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>Inserts <paramref name="statement"/> after the <c>x.Clear();</c> statement (a block is made for an embedded or expression-bodied one).</summary>
    private SyntaxNode? InsertAfterCall(SyntaxNode root, StatementSyntax statement)
    {
        if (Call.Syntax is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        switch (invocation.Parent)
        {
            case ExpressionStatementSyntax expressionStatement:
                return InsertAfter(root, expressionStatement, statement);
            case ArrowExpressionClauseSyntax arrow when arrow.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                var body = SyntaxFactory.Block(OnItsOwnLine(SyntaxFactory.ExpressionStatement(invocation.WithoutTrivia())), statement)
                    .WithAdditionalAnnotations(Formatter.Annotation);
                SyntaxNode member = arrow.Parent;
                SyntaxNode replaced = member switch
                {
                    MethodDeclarationSyntax method => method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body.WithTrailingTrivia(method.SemicolonToken.TrailingTrivia)),
                    LocalFunctionStatementSyntax local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body.WithTrailingTrivia(local.SemicolonToken.TrailingTrivia)),
                    _ => member,
                };
                return root.ReplaceNode(member, replaced.WithAdditionalAnnotations(Formatter.Annotation));
            default:
                return null;
        }
    }

    /// <summary>
    /// Inserts <paramref name="check"/> next to the statement holding the removal — after it, or before a <c>return</c> —
    /// and declares <paramref name="counter"/> (an <c>int</c> field, static with the collection) after the collection's
    /// declaration when it is given.
    /// </summary>
    private SyntaxNode? InsertAfterRemoval(SyntaxNode root, StatementSyntax check, string? counter)
    {
        if (Call.Syntax is not InvocationExpressionSyntax invocation || HoldingStatement(invocation) is not { } statement)
        {
            return null;
        }

        MemberDeclarationSyntax? counterDeclaration = null;
        SyntaxNode? declarationAnchor = null;
        if (counter is not null)
        {
            declarationAnchor = CounterAnchor(root);
            if (declarationAnchor is null)
            {
                return null;
            }

            var modifiers = Member.Member.IsStatic ? "private static int" : "private int";
            counterDeclaration = SyntaxFactory.ParseMemberDeclaration($"{modifiers} {counter};" + NewLine)!.WithAdditionalAnnotations(Formatter.Annotation);
        }

        var tracked = root.TrackNodes(new[] { statement, declarationAnchor }.Where(n => n is not null)!);
        var current = tracked.GetCurrentNode(statement)!;
        var inserted = statement is ReturnStatementSyntax ? InsertBefore(tracked, current, check) : InsertAfter(tracked, current, check);
        if (inserted is null || counterDeclaration is null)
        {
            return inserted;
        }

        var anchor = inserted.GetCurrentNode(declarationAnchor!)!;
        return anchor is TypeDeclarationSyntax type
            ? inserted.ReplaceNode(type, type.WithMembers(type.Members.Insert(0, counterDeclaration)))
            : inserted.InsertNodesAfter(anchor, new[] { counterDeclaration });
    }

    /// <summary>The statement that holds the removal, when a check can go beside it: not inside a lambda or a loop condition.</summary>
    private static StatementSyntax? HoldingStatement(InvocationExpressionSyntax invocation)
    {
        for (SyntaxNode? node = invocation.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or ArrowExpressionClauseSyntax:
                    return null;
                case ExpressionStatementSyntax or LocalDeclarationStatementSyntax or ReturnStatementSyntax:
                    return (StatementSyntax)node;
                case IfStatementSyntax ifStatement:
                    return ifStatement.Condition.Span.Contains(invocation.Span) ? ifStatement : null;
                case StatementSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Where the counter field goes: after the collection's declaration in this document, else first in the type declaration holding the removal.</summary>
    private SyntaxNode? CounterAnchor(SyntaxNode root)
    {
        foreach (var reference in Member.Member.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == root.SyntaxTree)
            {
                var declaration = reference.GetSyntax();
                return declaration is VariableDeclaratorSyntax ? declaration.FirstAncestorOrSelf<FieldDeclarationSyntax>() : declaration;
            }
        }

        return Call.Syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type && root.Contains(type) ? type : null;
    }

    /// <summary>The line break the document uses.</summary>
    private string NewLine =>
        Call.Syntax.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } end && end.ToString() is { Length: > 0 } text
            ? text
            : "\n";

    private SyntaxNode? InsertAfter(SyntaxNode root, StatementSyntax anchor, StatementSyntax statement)
    {
        if (anchor.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            // A blank line between a block and the check that follows it, as after any block.
            if (anchor.GetLastToken().IsKind(SyntaxKind.CloseBraceToken))
            {
                statement = statement.WithLeadingTrivia(SyntaxFactory.EndOfLine(NewLine));
            }

            return root.InsertNodesAfter(anchor, new[] { statement });
        }

        return anchor is LocalDeclarationStatementSyntax
            ? null
            : root.ReplaceNode(anchor, SyntaxFactory.Block(OnItsOwnLine(anchor), statement).WithTriviaFrom(anchor).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static StatementSyntax OnItsOwnLine(StatementSyntax statement) =>
        statement.WithoutTrivia().WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);

    private static SyntaxNode? InsertBefore(SyntaxNode root, StatementSyntax anchor, StatementSyntax statement)
    {
        if (anchor.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            return root.InsertNodesBefore(anchor, new[] { statement });
        }

        return root.ReplaceNode(anchor, SyntaxFactory.Block(statement, OnItsOwnLine(anchor)).WithTriviaFrom(anchor).WithAdditionalAnnotations(Formatter.Annotation));
    }
}
