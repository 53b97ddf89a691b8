using System.Linq;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// Hoist one buffer above the outermost loop and grow it only when a larger size is asked for, rounding the
/// capacity up to a power of two so it regrows at most log2 times:
/// <c>byte[] buffer = Array.Empty&lt;byte&gt;();</c> before the loop,
/// <c>if (buffer.Length &lt; size) buffer = new byte[RoundUp(size)];</c> in place of the allocation.
/// </summary>
internal static class ReusedBufferRewrite
{
    public static SyntaxNode? Apply(SyntaxNode root, BufferRewrite plan, SemanticModel model, SyntaxGenerator generator)
    {
        if (plan.IndexZeroNeedsEmptyBufferForZeroSize)
        {
            // array[0] throws for a zero size; a buffer kept from a larger iteration would not.
            return null;
        }

        var compilation = model.Compilation;
        var elementType = (TypeSyntax)generator.TypeExpression(plan.ElementType);
        var name = IdentifierName(plan.LocalName);

        // byte[] buffer = Array.Empty<byte>();
        var arrayType = compilation.GetSpecialType(SpecialType.System_Array);
        ExpressionSyntax empty = arrayType.GetMembers("Empty").Any()
            ? InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                TypeExpression(generator, arrayType), GenericName(Identifier("Empty"), TypeArgumentList(SingletonSeparatedList(elementType)))))
            : NewArray(elementType, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0)));
        var hoisted = LocalDeclarationStatement(VariableDeclaration(plan.Declaration.Declaration.Type.WithoutTrivia(),
                SingletonSeparatedList(VariableDeclarator(plan.LocalName).WithInitializer(EqualsValueClause(empty)))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        // if (buffer.Length < size) buffer = new byte[capacity];
        var grow = IfStatement(
                BinaryExpression(SyntaxKind.LessThanExpression,
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, name, IdentifierName("Length")),
                    plan.SizeArgument()),
                Block(ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, name,
                    NewArray(elementType, Capacity(plan, compilation, generator))))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var (block, declarationIndex) = plan.ApplyUseRewrites(plan.AllocationSyntax);
        var declaration = block.Statements[declarationIndex];
        var replacement = List<StatementSyntax>().Add(grow.WithLeadingTrivia(declaration.GetLeadingTrivia()));
        if (plan.NeedsClear)
        {
            replacement = replacement.Add(plan.ClearStatement(generator));
        }

        var statements = block.Statements.RemoveAt(declarationIndex);
        for (var i = replacement.Count - 1; i >= 0; i--)
        {
            statements = statements.Insert(declarationIndex, replacement[i]);
        }

        statements = plan.WithIntroducedSize(statements, declarationIndex);

        return LoopHoisting.Apply(root, plan.Temporary.Loop, plan.Block, block.WithStatements(statements), hoisted);
    }

    /// <summary>
    /// <c>size &lt;= 1 &lt;&lt; 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)size) : size</c> where BitOperations exists; otherwise
    /// doubling, <c>Math.Max(size, buffer.Length * 2)</c>, which also regrows at most log2 times.
    /// </summary>
    private static ExpressionSyntax Capacity(BufferRewrite plan, Compilation compilation, SyntaxGenerator generator)
    {
        var size = plan.SizeIdentifier();
        var bitOperations = compilation.GetTypeByMetadataName("System.Numerics.BitOperations");
        var roundUp = bitOperations?.GetMembers("RoundUpToPowerOf2").OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_UInt32);
        if (bitOperations is not null && roundUp is not null && compilation.IsSymbolAccessibleWithin(roundUp, compilation.Assembly))
        {
            var rounded = CastExpression(PredefinedType(Token(SyntaxKind.IntKeyword)),
                InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeExpression(generator, bitOperations), IdentifierName("RoundUpToPowerOf2")),
                    ArgumentList(SingletonSeparatedList(Argument(CastExpression(PredefinedType(Token(SyntaxKind.UIntKeyword)), size))))));
            return ConditionalExpression(
                BinaryExpression(SyntaxKind.LessThanOrEqualExpression, size,
                    BinaryExpression(SyntaxKind.LeftShiftExpression, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1)), LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(30)))),
                rounded,
                size);
        }

        var math = compilation.GetTypeByMetadataName("System.Math")!;
        return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeExpression(generator, math), IdentifierName("Max")),
            ArgumentList(SeparatedList(new[]
            {
                Argument(size),
                Argument(BinaryExpression(SyntaxKind.MultiplyExpression,
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(plan.LocalName), IdentifierName("Length")),
                    LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(2)))),
            })));
    }

    /// <summary><c>new T[length]</c>; for an element type that is itself an array, the length goes first: <c>new int[length][]</c>.</summary>
    private static ArrayCreationExpressionSyntax NewArray(TypeSyntax elementType, ExpressionSyntax length)
    {
        var rank = ArrayRankSpecifier(SingletonSeparatedList(length));
        return elementType is ArrayTypeSyntax jagged
            ? ArrayCreationExpression(ArrayType(jagged.ElementType, jagged.RankSpecifiers.Insert(0, rank)))
            : ArrayCreationExpression(ArrayType(elementType, SingletonList(rank)));
    }

    private static ExpressionSyntax TypeExpression(SyntaxGenerator generator, ITypeSymbol type) =>
        ((ExpressionSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
}
