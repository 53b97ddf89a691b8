using System;
using System.Collections.Generic;
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
using static AllocAnalyzers.Analysis.OperationShapes;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// The two ALLOC002 rewrites of a constant-length per-iteration array: declare it once before the loop, or declare a
/// span over stack memory once before the loop (never <c>stackalloc</c> inside it: that grows the stack on every
/// iteration, CA2014). The length is the same, so only the contents need care: an array that the iteration may write
/// is cleared where it used to be allocated, unless the first statement provably writes all of it; one with an
/// initializer is hoisted only when nothing writes it.
/// </summary>
internal sealed class FixedArrayRewrite
{
    private readonly PerIterationTemporary _temporary;
    private readonly ILocalSymbol _local;
    private readonly SemanticModel _model;
    private readonly KnownSymbols _known;
    private readonly int _length;

    private FixedArrayRewrite(PerIterationTemporary temporary, ILocalSymbol local, SemanticModel model, KnownSymbols known, int length)
    {
        _temporary = temporary;
        _local = local;
        _model = model;
        _known = known;
        _length = length;
    }

    private LocalDeclarationStatementSyntax Declaration { get; set; } = null!;
    private BlockSyntax Block => (BlockSyntax)Declaration.Parent!;
    private IArrayCreationOperation Creation => (IArrayCreationOperation)_temporary.Allocation;
    private ITypeSymbol ElementType => ((IArrayTypeSymbol)Creation.Type!).ElementType;
    private bool HasInitializer => Creation.Initializer is not null;
    private bool MayBeWritten { get; set; }
    private bool NeedsReset { get; set; }

    public static FixedArrayRewrite? TryCreate(PerIterationTemporary temporary, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (temporary.Local is not { } local ||
            !ArrayAllocations.IsConstantSizeAllocation(temporary.Allocation, out var length) ||
            LoopHoisting.GetDeclaration(temporary.Allocation.Syntax) is not { } declaration)
        {
            return null;
        }

        var plan = new FixedArrayRewrite(temporary, local, model, known, length) { Declaration = declaration };
        if (temporary.Uses.Any(u => u.Kind == ArrayUseKind.Reassignment) ||
            plan.Creation.Initializer is { } initializer && initializer.ElementValues.Any(v => !v.ConstantValue.HasValue))
        {
            // A reassigned local, or elements computed in the iteration, cannot move above the loop.
            return null;
        }

        plan.MayBeWritten = temporary.Uses.Any(IsWrite);
        if (plan.MayBeWritten && plan.HasInitializer)
        {
            return null;
        }

        var index = plan.Block.Statements.IndexOf(declaration);
        var next = index + 1 < plan.Block.Statements.Count ? plan.Block.Statements[index + 1] : null;
        var proof = new FullWriteProof(local, plan.ElementType, model, known, plan.IsExactlyLength, cancellationToken);
        plan.NeedsReset = plan.MayBeWritten && !(next is not null && proof.FullyWrites(next));
        return plan;
    }

    /// <summary>"Hoist the array out of the loop": the declaration moves above the outermost loop.</summary>
    public SyntaxNode? Hoist(SyntaxNode root, SyntaxGenerator generator)
    {
        StatementSyntax? reset = NeedsReset
            ? ExpressionStatement(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                    ((ExpressionSyntax)generator.TypeExpression(_model.Compilation.GetSpecialType(SpecialType.System_Array))).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation),
                    IdentifierName("Clear")),
                ArgumentList(SeparatedList(new[]
                {
                    Argument(IdentifierName(_local.Name)),
                    Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
                    Argument(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(_local.Name), IdentifierName("Length"))),
                }))))
            : null;
        return Replace(root, Declaration.WithoutLeadingTrivia().WithAdditionalAnnotations(Formatter.Annotation), reset, new Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>>(), declareInPlaceWithoutLoop: false);
    }

    /// <summary>
    /// "Use a stackalloc'd span": <c>Span&lt;T&gt; name = stackalloc T[N];</c> above the outermost loop, for unmanaged
    /// elements of at most <paramref name="maxBytes"/> bytes in all, when every use can take a span and the function is
    /// neither async nor an iterator.
    /// </summary>
    public SyntaxNode? UseStackalloc(SyntaxNode root, SyntaxGenerator generator, int maxBytes)
    {
        if (_known.Span is null || ArrayAllocations.PrimitiveSize(ElementType) is not { } elementSize || (long)elementSize * _length > maxBytes ||
            GetContainingFunction() is not { } function || IsAsyncOrIterator(function) || SkipsLocalsInit())
        {
            return null;
        }

        var replacements = new Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>>();
        foreach (var use in _temporary.Uses)
        {
            if (!TryPlanSpanUse(use, replacements))
            {
                return null;
            }
        }

        var elementType = (TypeSyntax)generator.TypeExpression(ElementType);
        var spanType = ((TypeSyntax)generator.TypeExpression(_known.Span.Construct(ElementType))).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        var sizeSpecifier = ArrayRankSpecifier(SingletonSeparatedList<ExpressionSyntax>(
            HasInitializer ? OmittedArraySizeExpression() : LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(_length))));
        var initializer = Creation.Syntax switch
        {
            ArrayCreationExpressionSyntax explicitCreation => explicitCreation.Initializer,
            ImplicitArrayCreationExpressionSyntax implicitCreation => implicitCreation.Initializer,
            _ => null,
        };
        var stackAllocation = StackAllocArrayCreationExpression(ArrayType(elementType, SingletonList(sizeSpecifier)), initializer);
        var hoisted = LocalDeclarationStatement(VariableDeclaration(spanType,
                SingletonSeparatedList(VariableDeclarator(_local.Name).WithInitializer(EqualsValueClause(stackAllocation)))))
            .WithAdditionalAnnotations(Formatter.Annotation);
        StatementSyntax? reset = NeedsReset
            ? ExpressionStatement(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(_local.Name), IdentifierName("Clear"))))
            : null;
        return Replace(root, hoisted, reset, replacements, declareInPlaceWithoutLoop: true);
    }

    private SyntaxNode? Replace(SyntaxNode root, StatementSyntax hoisted, StatementSyntax? reset, Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>> replacements, bool declareInPlaceWithoutLoop)
    {
        var index = Block.Statements.IndexOf(Declaration);
        var block = replacements.Count == 0 ? Block : Block.ReplaceNodes(replacements.Keys, (original, rewritten) => replacements[original](rewritten));
        if (_temporary.Loop is null)
        {
            // Once per call of hot code: a span declared in place is fresh on every call, as the array was.
            return declareInPlaceWithoutLoop
                ? root.ReplaceNode(Block, block.WithStatements(block.Statements.Replace(block.Statements[index], hoisted.WithTriviaFrom(Declaration))))
                : null;
        }

        var statements = block.Statements.RemoveAt(index);
        if (reset is not null)
        {
            statements = statements.Insert(index, reset.WithLeadingTrivia(Declaration.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return LoopHoisting.Apply(root, _temporary.Loop, Block, block.WithStatements(statements), hoisted);
    }

    private bool TryPlanSpanUse(ArrayUse use, Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>> replacements)
    {
        switch (use.Kind)
        {
            case ArrayUseKind.Length:
                return use.User is IPropertyReferenceOperation { Property.Name: "Length" };
            case ArrayUseKind.Element:
            case ArrayUseKind.ForEach:
                return true;
            case ArrayUseKind.View when use.User is IConversionOperation conversion:
                return _known.GetViewKind(conversion.Type) == ArrayViewKind.Span;
            case ArrayUseKind.View when use.User is IInvocationOperation { TargetMethod.Name: "AsSpan", Syntax: InvocationExpressionSyntax syntax } invocation &&
                                         invocation.Arguments.Skip(1).All(a => a.Value.Type?.SpecialType == SpecialType.System_Int32):
                // array.AsSpan() is the span itself; array.AsSpan(start[, length]) is span.Slice(start[, length]), with the same exceptions.
                var explicitArguments = syntax.ArgumentList.Arguments.Count - (invocation.TargetMethod.MethodKind == MethodKind.ReducedExtension || syntax.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax id } && id.Identifier.ValueText == _local.Name ? 0 : 1);
                var arguments = syntax.ArgumentList.Arguments.Skip(syntax.ArgumentList.Arguments.Count - explicitArguments).ToList();
                replacements[syntax] = _ => arguments.Count == 0
                    ? IdentifierName(_local.Name).WithTriviaFrom(syntax)
                    : InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(_local.Name), IdentifierName("Slice")),
                        ArgumentList(SeparatedList(arguments))).WithTriviaFrom(syntax);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether a use may change the array's contents (conservatively: anything not known to only read).</summary>
    private static bool IsWrite(ArrayUse use)
    {
        switch (use.Kind)
        {
            case ArrayUseKind.Length:
            case ArrayUseKind.ForEach:
                return false;
            case ArrayUseKind.Element:
                var element = use.User;
                return element.Parent switch
                {
                    IAssignmentOperation assignment => assignment.Target == element,
                    IIncrementOrDecrementOperation => true,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
                    IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } } => true,
                    IMemberReferenceOperation or IInvocationOperation => element.Type?.IsValueType == true && element.Type.SpecialType == SpecialType.None,
                    _ => false,
                };
            case ArrayUseKind.View:
                return !(use.User is IConversionOperation conversion && conversion.Type is INamedTypeSymbol { Name: "ReadOnlySpan" or "ReadOnlyMemory" });
            case ArrayUseKind.BorrowingCall:
                return !ReadsOnly(use);
            case ArrayUseKind.OtherMember:
                return use.User switch
                {
                    IPropertyReferenceOperation => false,
                    IInvocationOperation invocation => invocation.TargetMethod.Name is not ("CopyTo" or "Clone" or "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" or "GetValue" or "GetHashCode" or "Equals" or "ToString" or "GetType"),
                    _ => true,
                };
            default:
                return true;
        }
    }

    /// <summary>A borrowing call that only reads this argument: a write-out, a formatter, a hash, a search, or a copy's source.</summary>
    private static bool ReadsOnly(ArrayUse use)
    {
        var argument = use.Reference.Parent as IArgumentOperation ?? use.Reference.Parent?.Parent as IArgumentOperation;
        var method = use.User switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (method is null || argument?.Parameter is null)
        {
            return false;
        }

        var parameterName = argument.Parameter.Name;
        return parameterName.StartsWith("source", StringComparison.OrdinalIgnoreCase) || parameterName.StartsWith("src", StringComparison.OrdinalIgnoreCase) ||
               method.Name is "Write" or "WriteLine" or "WriteAsync" or "WriteLineAsync" or "WriteAllBytes" or "WriteAllBytesAsync" or "Send" or "SendTo" or "SendAsync" or
                   "GetString" or "GetByteCount" or "GetCharCount" or "ToBase64String" or "ToHexString" or "ToHexStringLower" or "ComputeHash" or "HashData" or
                   "IndexOf" or "LastIndexOf" or "BinarySearch" or "ToBoolean" or "ToChar" or "ToDouble" or "ToHalf" or "ToInt16" or "ToInt32" or "ToInt64" or
                   "ToSingle" or "ToString" or "ToUInt16" or "ToUInt32" or "ToUInt64" or "Append" or "Join" or "Concat" ||
               method.MethodKind == MethodKind.Constructor && method.ContainingType.SpecialType == SpecialType.System_String;
    }

    private bool IsExactlyLength(IOperation operation)
    {
        operation = StripImplicitConversions(operation);
        return operation.ConstantValue is { HasValue: true, Value: int value } && value == _length ||
               operation is IPropertyReferenceOperation { Property.Name: "Length", Instance: ILocalReferenceOperation instance } &&
               SymbolEqualityComparer.Default.Equals(instance.Local, _local);
    }

    private SyntaxNode? GetContainingFunction() =>
        Declaration.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);

    private static bool IsAsyncOrIterator(SyntaxNode function)
    {
        var isAsync = function switch
        {
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword != default,
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
            BaseMethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            _ => false,
        };
        return isAsync || function.DescendantNodes(n => n == function || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
            .Any(n => n is YieldStatementSyntax);
    }

    /// <summary>Under <c>[SkipLocalsInit]</c> stack memory is not zeroed, so a stackalloc would not start as a new array does.</summary>
    private bool SkipsLocalsInit()
    {
        for (var symbol = _local.ContainingSymbol; symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "SkipLocalsInitAttribute"))
            {
                return true;
            }
        }

        return _model.Compilation.Assembly.Modules.Any(m => m.GetAttributes().Any(a => a.AttributeClass?.Name == "SkipLocalsInitAttribute"));
    }
}
