using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>A TEST001 fixer that rewrites the reported literal; subclasses say into what.</summary>
internal abstract class LiteralFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(FortyTwo.Id);

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <summary>The fixes offered for a literal: title, equivalence key and rewrite; none means no fix.</summary>
    protected abstract IEnumerable<(string Title, string Key, ExpressionSyntax Replacement)> Fixes(LiteralExpressionSyntax literal);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken))!;
        if (root.FindNode(context.Span, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal)
        {
            return;
        }

        foreach (var (title, key, replacement) in Fixes(literal))
        {
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(Replace(context.Document, root, literal, replacement)), key),
                context.Diagnostics);
        }
    }

    /// <summary>Replaces the literal; the replacement brings its own trivia (usually the literal's, through <c>WithTriviaFrom(literal)</c>).</summary>
    internal static Document Replace(Document document, SyntaxNode root, SyntaxNode literal, ExpressionSyntax replacement) =>
        document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));

    protected static LiteralExpressionSyntax Number(string text, int value) =>
        LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(text, value));
}

/// <summary>The correct fix: 42 becomes 43.</summary>
internal sealed class FortyThreeFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Use 43", "TEST001.To43", (ExpressionSyntax)Number("43", 43).WithTriviaFrom(literal)) };
}

/// <summary>Offers two fixes, 43 first and 41 second, told apart by equivalence key.</summary>
internal sealed class TwoChoicesFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) => new[]
    {
        ("Use 43", "TEST001.To43", (ExpressionSyntax)Number("43", 43).WithTriviaFrom(literal)),
        ("Use 41", "TEST001.To41", Number("41", 41).WithTriviaFrom(literal)),
    };
}

/// <summary>Registers for TEST001 but never offers a fix.</summary>
internal sealed class NeverOffersFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        Enumerable.Empty<(string, string, ExpressionSyntax)>();
}

/// <summary>Rewrites 42 into a name that does not exist, so the fixed code does not compile.</summary>
internal sealed class UncompilableFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Use fortyThree", "TEST001.ToName", (ExpressionSyntax)IdentifierName("fortyThree").WithTriviaFrom(literal)) };
}

/// <summary>Toggles 42 and 0x2A forever: each is the answer, so each is reported and "fixed" back.</summary>
internal sealed class TogglingFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Toggle notation", "TEST001.Toggle", (ExpressionSyntax)(literal.Token.Text == "42" ? Number("0x2A", 42) : Number("42", 42)).WithTriviaFrom(literal)) };
}

/// <summary>Wraps the literal in parentheses: the diagnostic survives every application, each one new code.</summary>
internal sealed class ParenthesizingFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Parenthesize", "TEST001.Parenthesize", (ExpressionSyntax)ParenthesizedExpression(literal.WithoutTrivia()).WithTriviaFrom(literal)) };
}

/// <summary>Adds a comment after the literal once, and then offers nothing: the diagnostic remains after the fix.</summary>
internal sealed class CommentingFixer : LiteralFixer
{
    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        literal.GetTrailingTrivia().Any(SyntaxKind.MultiLineCommentTrivia)
            ? Enumerable.Empty<(string, string, ExpressionSyntax)>()
            : new[] { ("Comment", "TEST001.Comment", (ExpressionSyntax)literal.WithTrailingTrivia(Space, Comment("/* answer */"))) };
}

/// <summary>The correct fix, without Fix All (the <see cref="CodeFixProvider"/> default).</summary>
internal sealed class NoFixAllFixer : LiteralFixer
{
    public override FixAllProvider? GetFixAllProvider() => null;

    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Use 43", "TEST001.To43", (ExpressionSyntax)Number("43", 43).WithTriviaFrom(literal)) };
}

/// <summary>The correct fix, with a Fix All that supports only Document scope.</summary>
internal sealed class DocumentOnlyFixAllFixer : LiteralFixer
{
    public override FixAllProvider? GetFixAllProvider() =>
        FixAllProvider.Create(
            (context, document, diagnostics) => RewriteAllAsync(document, diagnostics, "43", 43, context.CancellationToken),
            ImmutableArray.Create(FixAllScope.Document));

    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Use 43", "TEST001.To43", (ExpressionSyntax)Number("43", 43).WithTriviaFrom(literal)) };

    internal static async Task<Document?> RewriteAllAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string text, int value, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken))!;
        var literals = diagnostics.Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true));
        return document.WithSyntaxRoot(root.ReplaceNodes(literals, (original, _) => Number(text, value).WithTriviaFrom(original)));
    }
}

/// <summary>One at a time it writes 43, but its Fix All (in every scope) writes 44.</summary>
internal sealed class InconsistentFixAllFixer : LiteralFixer
{
    public override FixAllProvider? GetFixAllProvider() =>
        FixAllProvider.Create((context, document, diagnostics) => DocumentOnlyFixAllFixer.RewriteAllAsync(document, diagnostics, "44", 44, context.CancellationToken));

    protected override IEnumerable<(string, string, ExpressionSyntax)> Fixes(LiteralExpressionSyntax literal) =>
        new[] { ("Use 43", "TEST001.To43", (ExpressionSyntax)Number("43", 43).WithTriviaFrom(literal)) };
}
