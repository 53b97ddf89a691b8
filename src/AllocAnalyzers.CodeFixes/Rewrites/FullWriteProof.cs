using System;
using System.Linq;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static AllocAnalyzers.Analysis.OperationShapes;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// Does a statement write every element of an array (up to a given size) before anything reads it? When it does,
/// a buffer that is not zeroed (rented, reused or hoisted) needs no clearing to behave like a fresh array.
/// </summary>
internal sealed class FullWriteProof
{
    private readonly ILocalSymbol _local;
    private readonly SemanticModel _model;
    private readonly KnownSymbols _known;
    private readonly Func<IOperation, bool> _isExactlySize;
    private readonly CancellationToken _cancellationToken;

    /// <param name="isExactlySize">Whether a value is exactly the number of elements that must be written.</param>
    public FullWriteProof(ILocalSymbol local, ITypeSymbol elementType, SemanticModel model, KnownSymbols known, Func<IOperation, bool> isExactlySize, CancellationToken cancellationToken)
    {
        _local = local;
        ElementType = elementType;
        _model = model;
        _known = known;
        _isExactlySize = isExactlySize;
        _cancellationToken = cancellationToken;
    }

    private ITypeSymbol ElementType { get; }

    /// <summary>Whether <paramref name="statement"/> writes every element of the requested range without reading any first.</summary>
    public bool FullyWrites(StatementSyntax statement)
    {
        var operation = _model.GetOperation(statement, _cancellationToken);
        if (operation is IForLoopOperation forLoop)
        {
            return IsFillingLoop(forLoop);
        }

        if (operation is not IExpressionStatementOperation { Operation: var expression })
        {
            return false;
        }

        expression = UnwrapAwait(expression);
        if (expression is not IInvocationOperation invocation || !_known.IsBorrowingApi(invocation.TargetMethod))
        {
            return false;
        }

        var arguments = invocation.Arguments;
        var name = invocation.TargetMethod.Name;
        switch (name)
        {
            case "ReadExactly" or "ReadExactlyAsync" or "NextBytes" or "GetBytes" or "GetNonZeroBytes" or "Fill" when arguments.Length >= 1:
                var target = arguments.FirstOrDefault(a => IsThisArray(a.Value));
                if (target is null || arguments.Any(a => a != target && ReferencesThisArray(a.Value)))
                {
                    return false;
                }

                // (array) or (array, 0, size); Array.Fill(array, value) writes every element too.
                var ints = arguments.Where(a => a.Parameter?.Type.SpecialType == SpecialType.System_Int32).ToList();
                return name == "GetBytes" && invocation.TargetMethod.ContainingType.Name == "Encoding"
                    ? false
                    : ints.Count == 0 || ints.Count == 2 && IsZero(ints[0].Value) && _isExactlySize(ints[1].Value);
            case "Copy" when arguments.Length == 3:
                return IsThisArray(arguments[1].Value) && !ReferencesThisArray(arguments[0].Value) && _isExactlySize(arguments[2].Value);
            case "Copy" or "BlockCopy" when arguments.Length == 5:
                return IsThisArray(arguments[2].Value) && !ReferencesThisArray(arguments[0].Value) && IsZero(arguments[3].Value) &&
                       _isExactlySize(arguments[4].Value) &&
                       (name == "Copy" || ElementType.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte);
            default:
                return false;
        }
    }

    /// <summary><c>for (int i = 0; i &lt; size; i++) array[i] = value;</c> with a value that does not read the array.</summary>
    private bool IsFillingLoop(IForLoopOperation loop)
    {
        if (loop.Locals.Length != 1 || loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan } condition ||
            StripImplicitConversions(condition.LeftOperand) is not ILocalReferenceOperation counter ||
            !SymbolEqualityComparer.Default.Equals(counter.Local, loop.Locals[0]) ||
            !_isExactlySize(condition.RightOperand) ||
            loop.Before.Length != 1 || loop.Before[0] is not IVariableDeclarationGroupOperation group ||
            group.Declarations.SelectMany(d => d.Declarators).SingleOrDefault() is not { Initializer.Value: var start } || !IsZero(start) ||
            loop.AtLoopBottom.Length != 1 || !IsIncrementByOne(loop.AtLoopBottom[0], counter.Local))
        {
            return false;
        }

        var body = loop.Body is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : loop.Body;
        return body is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { Indices.Length: 1 } element } assignment } &&
               IsThisArray(element.ArrayReference) &&
               StripImplicitConversions(element.Indices[0]) is ILocalReferenceOperation index &&
               SymbolEqualityComparer.Default.Equals(index.Local, counter.Local) &&
               !ReferencesThisArray(assignment.Value);
    }

    private static bool IsIncrementByOne(IOperation operation, ILocalSymbol counter)
    {
        if (operation is IExpressionStatementOperation statement)
        {
            operation = statement.Operation;
        }

        return operation switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target } =>
                SymbolEqualityComparer.Default.Equals(target.Local, counter),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target, Value.ConstantValue: { HasValue: true, Value: 1 } } =>
                SymbolEqualityComparer.Default.Equals(target.Local, counter),
            _ => false,
        };
    }

    private bool IsThisArray(IOperation operation) =>
        StripImplicitConversions(operation) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, _local);

    private bool ReferencesThisArray(IOperation operation) =>
        IsThisArray(operation) || operation.Descendants().Any(IsThisArray);



}
