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
using static AllocAnalyzers.Analysis.OperationShapes;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// What any fix that hands a per-iteration array a longer, non-zeroed buffer (a pool rental, a reused buffer) must
/// rewrite so the program behaves as before: the size is evaluated once; every use that depends on the array's
/// length is bounded to the requested size; every index or range is provably inside it (so the same exceptions are
/// thrown); and the requested range is cleared unless the code provably writes it all first.
/// A plan exists only when every use can be handled; otherwise the fix is not offered.
/// </summary>
internal sealed class BufferRewrite
{
    private readonly PerIterationTemporary _temporary;
    private readonly SemanticModel _model;
    private readonly KnownSymbols _known;
    private readonly CancellationToken _cancellationToken;
    private readonly ILocalSymbol _local;
    private readonly Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>> _replacements = new();
    private ISymbol? _sizeSymbol;
    private bool _sizeIsStable;

    private BufferRewrite(PerIterationTemporary temporary, ILocalSymbol local, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        _temporary = temporary;
        _local = local;
        _model = model;
        _known = known;
        _cancellationToken = cancellationToken;
    }

    public LocalDeclarationStatementSyntax Declaration { get; private set; } = null!;
    public BlockSyntax Block { get; private set; } = null!;
    /// <summary>Statements after the declaration: the rest of the iteration that uses the array.</summary>
    public IReadOnlyList<StatementSyntax> Rest { get; private set; } = Array.Empty<StatementSyntax>();
    public ExpressionSyntax AllocationSyntax => (ExpressionSyntax)_temporary.Allocation.Syntax;
    public PerIterationTemporary Temporary => _temporary;
    public ITypeSymbol ElementType => ((IArrayTypeSymbol)_temporary.Allocation.Type!).ElementType;
    public string LocalName => _local.Name;

    /// <summary>The name that holds the requested size in the rewritten code.</summary>
    public string SizeName { get; private set; } = "";
    /// <summary>Null when an existing variable is reused; otherwise the expression to store in a new <c>int</c> local.</summary>
    public ExpressionSyntax? IntroducedSizeValue { get; private set; }
    /// <summary>Whether the size cannot be negative (else the rental must throw <c>OverflowException</c> as <c>new T[-1]</c> does).</summary>
    public bool SizeIsNonNegative { get; private set; }
    /// <summary>Whether the requested range must be zeroed to keep the contents a fresh array had.</summary>
    public bool NeedsClear { get; private set; }
    public bool IsInAsyncFunction { get; private set; }
    /// <summary>
    /// Whether an index 0 was accepted as inside the requested size, which holds only when a zero size gives an empty
    /// buffer (the pool's <c>Rent(0)</c>), not for a buffer kept from a larger earlier iteration.
    /// </summary>
    public bool IndexZeroNeedsEmptyBufferForZeroSize { get; private set; }
    /// <summary>Whether the function is an iterator (a <c>finally</c> there runs only if the caller disposes it).</summary>
    public bool ContainsYield { get; private set; }

    public static BufferRewrite? TryCreate(PerIterationTemporary temporary, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (temporary.Local is not { } local)
        {
            return null;
        }

        var plan = new BufferRewrite(temporary, local, model, known, cancellationToken);
        return plan.TryPlan() ? plan : null;
    }

    public IdentifierNameSyntax SizeIdentifier() => IdentifierName(SizeName);

    /// <summary>
    /// The block with the use rewrites applied and the allocation replaced by <paramref name="newAllocation"/>,
    /// as the declaration, the rest of the iteration and their positions in it.
    /// </summary>
    public (BlockSyntax Block, int DeclarationIndex) ApplyUseRewrites(ExpressionSyntax newAllocation)
    {
        var replacements = new Dictionary<SyntaxNode, Func<SyntaxNode, SyntaxNode>>(_replacements)
        {
            [AllocationSyntax] = _ => newAllocation.WithTriviaFrom(AllocationSyntax),
        };
        var block = Block.ReplaceNodes(replacements.Keys, (original, rewritten) => replacements[original](rewritten));
        return (block, Block.Statements.IndexOf(Declaration));
    }

    /// <summary><c>int size = …;</c> when the size expression has to be evaluated once into a new local.</summary>
    public LocalDeclarationStatementSyntax? IntroducedSizeDeclaration() =>
        IntroducedSizeValue is null
            ? null
            : LocalDeclarationStatement(VariableDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword)))
                    .AddVariables(VariableDeclarator(SizeName).WithInitializer(EqualsValueClause(IntroducedSizeValue.WithoutTrivia()))))
                .WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>Puts the <see cref="IntroducedSizeDeclaration"/> (if any) before the statement at <paramref name="index"/>, taking over its leading trivia.</summary>
    public SyntaxList<StatementSyntax> WithIntroducedSize(SyntaxList<StatementSyntax> statements, int index)
    {
        if (IntroducedSizeDeclaration() is not { } sizeDeclaration)
        {
            return statements;
        }

        var statement = statements[index];
        return statements
            .Replace(statement, statement.WithLeadingTrivia(ElasticMarker))
            .Insert(index, sizeDeclaration.WithLeadingTrivia(statement.GetLeadingTrivia()));
    }

    /// <summary><c>Array.Clear(buffer, 0, size);</c></summary>
    public StatementSyntax ClearStatement(SyntaxGenerator generator) =>
        ExpressionStatement(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                    ((ExpressionSyntax)generator.TypeExpression(_model.Compilation.GetSpecialType(SpecialType.System_Array))).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation),
                    IdentifierName("Clear")),
                ArgumentList(SeparatedList(new[] { Argument(IdentifierName(LocalName)), Argument(Zero()), Argument(SizeIdentifier()) }))))
            .WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>The size argument for an allocation: the size itself, or a checked cast that throws <c>OverflowException</c> for negative sizes as <c>new T[n]</c> does.</summary>
    public ExpressionSyntax SizeArgument() =>
        SizeIsNonNegative
            ? SizeIdentifier()
            : CheckedExpression(SyntaxKind.CheckedExpression,
                CastExpression(PredefinedType(Token(SyntaxKind.IntKeyword)),
                    CastExpression(PredefinedType(Token(SyntaxKind.UIntKeyword)), SizeIdentifier())));

    private bool TryPlan()
    {
        if (LoopHoisting.GetDeclaration(AllocationSyntax) is not { Parent: BlockSyntax block } declaration)
        {
            return false;
        }

        Declaration = declaration;
        Block = block;
        var index = block.Statements.IndexOf(declaration);
        Rest = block.Statements.Skip(index + 1).ToList();
        foreach (var statement in Rest)
        {
            // Moving these into a try block would change what they can see or be reached from.
            if (statement is LocalFunctionStatementSyntax or LabeledStatementSyntax)
            {
                return false;
            }
        }

        if (!TryPlanSize() || GetContainingFunction() is not { } function)
        {
            return false;
        }

        ContainsYield = ContainsYieldStatement(function);

        IsInAsyncFunction = IsAsync(function);
        foreach (var use in _temporary.Uses)
        {
            if (!TryPlanUse(use))
            {
                return false;
            }
        }

        var proof = new FullWriteProof(_local, ElementType, _model, _known, IsExactlySize, _cancellationToken);
        NeedsClear = !ArrayAllocations.IsUninitialized(_temporary.Allocation) && !(Rest.Count > 0 && proof.FullyWrites(Rest[0]));
        return true;
    }

    // ---- the size ----------------------------------------------------------------------------------------------

    private bool TryPlanSize()
    {
        var size = _temporary.Size;
        if (size.Type?.SpecialType != SpecialType.System_Int32)
        {
            return false;
        }

        var underlying = StripImplicitConversions(size);
        var symbol = underlying switch
        {
            ILocalReferenceOperation l => (ISymbol)l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };

        if (symbol is not null && !IsWrittenDuringRest(symbol))
        {
            _sizeSymbol = symbol;
            SizeName = symbol.Name;
            _sizeIsStable = true;
        }
        else
        {
            SizeName = UniqueName(_local.Name + "Length");
            IntroducedSizeValue = (ExpressionSyntax)size.Syntax;
            _sizeIsStable = IsStable(underlying);
        }

        SizeIsNonNegative = IsNonNegative(underlying, depth: 0);
        return true;
    }

    private bool IsWrittenDuringRest(ISymbol symbol)
    {
        if (symbol is IParameterSymbol { RefKind: not RefKind.None } or ILocalSymbol { IsRef: true })
        {
            return true;
        }

        if (Rest.Count == 0)
        {
            return false;
        }

        var flow = _model.AnalyzeDataFlow(Rest[0], Rest[Rest.Count - 1]);
        return flow is null || !flow.Succeeded || flow.WrittenInside.Contains(symbol, SymbolEqualityComparer.Default) ||
               flow.Captured.Contains(symbol, SymbolEqualityComparer.Default);
    }

    /// <summary>An expression that yields the same value each time it is read during the rest of the iteration.</summary>
    private bool IsStable(IOperation operation) => operation switch
    {
        { ConstantValue.HasValue: true } => true,
        ILocalReferenceOperation l => !IsWrittenDuringRest(l.Local),
        IParameterReferenceOperation p => !IsWrittenDuringRest(p.Parameter),
        IPropertyReferenceOperation { Property.Name: "Length" or "Count", Instance: { } instance, Arguments.Length: 0 } =>
            IsImmutableLength(instance.Type) && IsStable(instance),
        IConversionOperation { IsImplicit: true } c => IsStable(c.Operand),
        IBinaryOperation { OperatorMethod: null } b => IsStable(b.LeftOperand) && IsStable(b.RightOperand),
        _ => false,
    };

    private static bool IsImmutableLength(ITypeSymbol? type) =>
        type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_String;

    private bool IsNonNegative(IOperation operation, int depth)
    {
        if (operation.ConstantValue is { HasValue: true, Value: int value })
        {
            return value >= 0;
        }

        switch (operation)
        {
            case IConversionOperation { Operand.Type.SpecialType: SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_Char }:
                return true;
            case IConversionOperation { IsImplicit: true } conversion:
                return IsNonNegative(conversion.Operand, depth);
            case IPropertyReferenceOperation { Property.Name: "Length" or "Count" }:
                return true;
            case IInvocationOperation { TargetMethod: { Name: "Max", ContainingType: { Name: "Math", ContainingNamespace.Name: "System" } } } invocation:
                return invocation.Arguments.Any(a => IsNonNegative(a.Value, depth + 1));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.And } and:
                return IsNonNegative(and.LeftOperand, depth + 1) || IsNonNegative(and.RightOperand, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Remainder or BinaryOperatorKind.RightShift } binary:
                return IsNonNegative(binary.LeftOperand, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } divide:
                return IsNonNegative(divide.LeftOperand, depth + 1) && IsNonNegative(divide.RightOperand, depth + 1);
            case ILocalReferenceOperation local when depth < 2:
                return SingleInitializer(local.Local) is { } initializer && IsNonNegative(initializer, depth + 1);
            default:
                return false;
        }
    }

    /// <summary>The initializer of a local that is never written anywhere else in its function.</summary>
    private IOperation? SingleInitializer(ILocalSymbol local)
    {
        if (local.DeclaringSyntaxReferences.Length != 1 ||
            local.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is not VariableDeclaratorSyntax { Initializer: { } initializer } declarator ||
            GetContainingFunction() is not { } function)
        {
            return null;
        }

        foreach (var identifier in function.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == local.Name && IsWriteContext(identifier) &&
                SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(identifier, _cancellationToken).Symbol, local))
            {
                return null;
            }
        }

        return _model.GetOperation(initializer.Value, _cancellationToken) is { } value ? StripImplicitConversions(value) : null;
    }

    private static bool IsWriteContext(ExpressionSyntax expression) => expression.Parent switch
    {
        AssignmentExpressionSyntax assignment => assignment.Left == expression,
        PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
        ArgumentSyntax argument => argument.RefKindKeyword != default,
        RefExpressionSyntax => true,
        _ => false,
    };

    // ---- uses --------------------------------------------------------------------------------------------------

    private bool TryPlanUse(ArrayUse use)
    {
        switch (use.Kind)
        {
            case ArrayUseKind.Length:
                if (use.User is not IPropertyReferenceOperation { Property.Name: "Length", Syntax: MemberAccessExpressionSyntax access })
                {
                    return false;
                }

                _replacements[access] = _ => SizeIdentifier().WithTriviaFrom(access);
                return true;

            case ArrayUseKind.Element:
                return use.User is IArrayElementReferenceOperation { Indices.Length: 1 } element && IsProvablyInRange(element.Indices[0], element);

            case ArrayUseKind.ForEach:
                if (!CanUseSpans() || !CanEnumerateSpanHere((IForEachLoopOperation)use.User))
                {
                    return false;
                }

                ReplaceWithBoundedView(use.Reference, "AsSpan");
                return true;

            case ArrayUseKind.View:
                return TryPlanView(use);

            case ArrayUseKind.BorrowingCall:
                return TryPlanCall(use);

            default:
                // Calls into this compilation, other array members and reassignments may depend on the full array.
                return false;
        }
    }

    private bool TryPlanView(ArrayUse use)
    {
        switch (use.User)
        {
            case IConversionOperation conversion:
                switch (_known.GetViewKind(conversion.Type))
                {
                    case ArrayViewKind.Span when CanUseSpans():
                        ReplaceWithBoundedView(use.Reference, "AsSpan");
                        return true;
                    case ArrayViewKind.Memory when CanUseSpans():
                        ReplaceWithBoundedView(use.Reference, "AsMemory");
                        return true;
                    case ArrayViewKind.Segment:
                        var reference = use.Reference.Syntax;
                        var segmentType = _known.ArraySegment!.Construct(ElementType);
                        _replacements[reference] = rewritten => ObjectCreationExpression(TypeSyntaxFor(segmentType))
                            .WithArgumentList(ArgumentList(SeparatedList(new[] { Argument((ExpressionSyntax)rewritten.WithoutTrivia()), Argument(Zero()), Argument(SizeIdentifier()) })))
                            .WithTriviaFrom(rewritten);
                        return true;
                    default:
                        return false;
                }

            case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } invocation:
                return TryPlanAsSpan(invocation);

            case IObjectCreationOperation creation:
                return TryPlanCall(use);

            default:
                return false;
        }
    }

    /// <summary><c>array.AsSpan()</c> → <c>array.AsSpan(0, size)</c>; <c>AsSpan(start, length)</c> only when provably inside the size.</summary>
    private bool TryPlanAsSpan(IInvocationOperation invocation)
    {
        if (invocation.Syntax is not InvocationExpressionSyntax syntax)
        {
            return false;
        }

        var explicitArguments = invocation.Arguments.Where(a => a.ArgumentKind == ArgumentKind.Explicit).Skip(1).ToList();
        switch (explicitArguments.Count)
        {
            case 0:
                _replacements[syntax.ArgumentList] = rewritten => ((ArgumentListSyntax)rewritten).AddArguments(Argument(Zero()), Argument(SizeIdentifier()));
                return true;
            case 1 when explicitArguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 && IsZero(explicitArguments[0].Value):
                _replacements[syntax.ArgumentList] = rewritten => ((ArgumentListSyntax)rewritten).AddArguments(Argument(SizeIdentifier()));
                return true;
            case 2:
                return explicitArguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 &&
                       IsZero(explicitArguments[0].Value) && IsAtMostSize(explicitArguments[1].Value);
            default:
                return false;
        }
    }

    /// <summary>
    /// A call that borrows the array (or constructs a view over it). With explicit bounds, the bounds must provably
    /// lie inside the size; without, the call moves to the overload that takes <c>(array, 0, size)</c> or a span.
    /// </summary>
    private bool TryPlanCall(ArrayUse use)
    {
        var (method, arguments, argumentListSyntax) = use.User switch
        {
            IInvocationOperation i when i.Syntax is InvocationExpressionSyntax s => (i.TargetMethod, i.Arguments, s.ArgumentList),
            IObjectCreationOperation o when o.Syntax is BaseObjectCreationExpressionSyntax { ArgumentList: { } list } => (o.Constructor!, o.Arguments, list),
            _ => (null, default, null),
        };
        if (method is null || argumentListSyntax is null || argumentListSyntax.Arguments.Any(a => a.NameColon is not null))
        {
            return false;
        }

        var ours = arguments.FirstOrDefault(a => StripImplicitConversions(a.Value) == use.Reference);
        if (ours?.Parameter is not { } parameter || arguments.Any(a => a.ArgumentKind == ArgumentKind.ParamArray))
        {
            return false;
        }

        var intArguments = arguments.Where(a => a.Parameter?.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64).ToList();
        if (intArguments.Count == 0)
        {
            return TryMoveToBoundedOverload(method, parameter, ours, argumentListSyntax);
        }

        var countsApplyToAll = method.ContainingType.SpecialType == SpecialType.System_Array || method.ContainingType.Name == "Buffer";
        var sawCount = false;
        foreach (var argument in intArguments)
        {
            var name = argument.Parameter!.Name;
            var relative = argument.Parameter.Ordinal - parameter.Ordinal;
            if (BoundedOverloads.IsCountName(name))
            {
                // A count that bounds another array or string proves nothing about this one.
                if (!countsApplyToAll && relative is not (1 or 2))
                {
                    return false;
                }

                sawCount = true;
                if (!IsAtMostSize(argument.Value))
                {
                    return false;
                }
            }
            else if (BoundedOverloads.IsIndexName(name))
            {
                if (!IsZero(argument.Value))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        // An index with no count reads or writes an amount the API decides: not provably inside the size.
        return sawCount;
    }

    private bool TryMoveToBoundedOverload(IMethodSymbol method, IParameterSymbol parameter, IArgumentOperation ours, ArgumentListSyntax argumentList)
    {
        var ordinal = parameter.Ordinal;
        var isReducedExtension = method.MethodKind == MethodKind.ReducedExtension;
        var original = (isReducedExtension ? method.ReducedFrom! : method).OriginalDefinition;
        var syntaxIndex = ours.Syntax is ArgumentSyntax argumentSyntax ? argumentList.Arguments.IndexOf(argumentSyntax) : -1;
        if (syntaxIndex < 0 && !(isReducedExtension && ordinal == 0))
        {
            return false;
        }

        switch (BoundedOverloads.Find(original, ordinal, argumentList.Arguments.Count == original.Parameters.Length, CanUseSpans(), _known))
        {
            case BoundedOverload.BoundsAfterArray:
                var insertAt = syntaxIndex + 1;
                _replacements[argumentList] = rewritten => InsertBounds((ArgumentListSyntax)rewritten, insertAt);
                return true;
            case BoundedOverload.BoundsAppended:
                _replacements[argumentList] = rewritten => InsertBounds((ArgumentListSyntax)rewritten, ((ArgumentListSyntax)rewritten).Arguments.Count);
                return true;
            case BoundedOverload.Span:
                ReplaceWithBoundedView(ours.Value, "AsSpan");
                return true;
            default:
                return false;
        }
    }

    private ArgumentListSyntax InsertBounds(ArgumentListSyntax list, int index) =>
        list.WithArguments(list.Arguments.Insert(index, Argument(Zero())).Insert(index + 1, Argument(SizeIdentifier())));

    private void ReplaceWithBoundedView(IOperation reference, string method)
    {
        var syntax = reference.Syntax;
        _replacements[syntax] = rewritten => InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, (ExpressionSyntax)rewritten.WithoutTrivia(), IdentifierName(method)),
                ArgumentList(SeparatedList(new[] { Argument(Zero()), Argument(SizeIdentifier()) })))
            .WithTriviaFrom(rewritten);
    }

    private bool CanUseSpans() => _known.MemoryExtensions is not null && _known.Span is not null;

    /// <summary>A span cannot be enumerated in an async method before C# 13, nor across an await.</summary>
    private bool CanEnumerateSpanHere(IForEachLoopOperation loop)
    {
        if (!IsInAsyncFunction)
        {
            return true;
        }

        return ((CSharpParseOptions)_model.SyntaxTree.Options).LanguageVersion >= (LanguageVersion)1300 &&
               !loop.Body.Syntax.DescendantNodes().Any(n => n is AwaitExpressionSyntax);
    }

    // ---- bounds proofs -----------------------------------------------------------------------------------------


    /// <summary>The value is exactly the requested size.</summary>
    private bool IsExactlySize(IOperation operation)
    {
        operation = StripImplicitConversions(operation);
        if (operation is IPropertyReferenceOperation { Property.Name: "Length", Instance: ILocalReferenceOperation instance } &&
            SymbolEqualityComparer.Default.Equals(instance.Local, _local))
        {
            return true;
        }

        if (_sizeSymbol is not null &&
            (operation is ILocalReferenceOperation l && SymbolEqualityComparer.Default.Equals(l.Local, _sizeSymbol) ||
             operation is IParameterReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Parameter, _sizeSymbol)))
        {
            return true;
        }

        return _sizeIsStable && SyntaxFactory.AreEquivalent(operation.Syntax, StripImplicitConversions(_temporary.Size).Syntax);
    }

    /// <summary>The value is at most the requested size (an element count that the original array could hold).</summary>
    private bool IsAtMostSize(IOperation operation) =>
        IsZero(operation) || IsExactlySize(operation) ||
        StripImplicitConversions(operation) is ILocalReferenceOperation local && IsReadCount(local.Local);

    /// <summary>A loop-body local only ever assigned the result of reading into this array with a count inside its size.</summary>
    private bool IsReadCount(ILocalSymbol count)
    {
        var sawWrite = false;
        foreach (var operation in _temporary.Region.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, count):
                    if (declarator.Initializer is null || !IsBoundedRead(declarator.Initializer.Value))
                    {
                        return false;
                    }

                    sawWrite = true;
                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, count):
                    if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
                    {
                        if (!IsBoundedRead(assignment.Value))
                        {
                            return false;
                        }

                        sawWrite = true;
                    }
                    else if (reference.Parent is IAssignmentOperation or IIncrementOrDecrementOperation ||
                             reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out })
                    {
                        return false;
                    }

                    break;
            }
        }

        return sawWrite;
    }

    private bool IsBoundedRead(IOperation value)
    {
        value = UnwrapAwait(StripImplicitConversions(value));

        if (value is not IInvocationOperation invocation ||
            !invocation.TargetMethod.Name.StartsWith("Read", StringComparison.Ordinal) && !invocation.TargetMethod.Name.StartsWith("Receive", StringComparison.Ordinal) ||
            !_known.IsBorrowingApi(invocation.TargetMethod))
        {
            return false;
        }

        var readsIntoThis = false;
        foreach (var argument in invocation.Arguments)
        {
            var argumentValue = StripImplicitConversions(argument.Value);
            if (argumentValue is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, _local))
            {
                readsIntoThis = true;
            }
            else if (argument.Parameter?.Type.SpecialType == SpecialType.System_Int32 && argument.Parameter.Name.IndexOf("count", StringComparison.OrdinalIgnoreCase) >= 0 &&
                     !IsExactlySize(argument.Value))
            {
                return false;
            }
        }

        return readsIntoThis;
    }

    /// <summary>
    /// An index the original array would accept exactly when a longer one does: 0 (a zero size rents an empty
    /// array), or the counter of an enclosing <c>for (…; i &lt; size; …)</c> that the loop body does not write.
    /// </summary>
    private bool IsProvablyInRange(IOperation index, IOperation access)
    {
        index = StripImplicitConversions(index);
        if (IsZero(index))
        {
            // Holds only where a zero size yields an empty array, as ArrayPool.Rent(0) does; a reused buffer does not.
            IndexZeroNeedsEmptyBufferForZeroSize = true;
            return true;
        }

        if (index is not ILocalReferenceOperation counter)
        {
            return false;
        }

        for (var parent = access.Parent; parent is not null && parent != _temporary.Region; parent = parent.Parent)
        {
            if (parent is IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan } condition } forLoop &&
                StripImplicitConversions(condition.LeftOperand) is ILocalReferenceOperation left &&
                SymbolEqualityComparer.Default.Equals(left.Local, counter.Local) &&
                forLoop.Locals.Contains(counter.Local, SymbolEqualityComparer.Default) &&
                IsAtMostSize(condition.RightOperand) &&
                !IsWrittenIn(counter.Local, forLoop.Body))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrittenIn(ISymbol symbol, IOperation region)
    {
        foreach (var operation in region.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, symbol) &&
                (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference ||
                 reference.Parent is IIncrementOrDecrementOperation ||
                 reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }))
            {
                return true;
            }
        }

        return false;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------



    private SyntaxNode? GetContainingFunction() =>
        Declaration.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);

    private static bool ContainsYieldStatement(SyntaxNode function) =>
        function.DescendantNodes(n => n == function || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
            .Any(n => n is YieldStatementSyntax);

    private bool IsAsync(SyntaxNode function) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword != default,
        LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
        BaseMethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
        _ => false,
    };

    private string UniqueName(string baseName)
    {
        var function = GetContainingFunction();
        var scope = function?.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? (SyntaxNode)Block;
        var taken = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var name = baseName;
        for (var i = 2; taken.Contains(name) || _model.LookupSymbols(Declaration.SpanStart, name: name).Length > 0; i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static LiteralExpressionSyntax Zero() => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));

    private static TypeSyntax TypeSyntaxFor(ITypeSymbol type) =>
        ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
}
