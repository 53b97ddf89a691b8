using System.Collections.Generic;
using System.Threading;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>How a per-iteration array is used; the code fixes decide from these whether they can rewrite it.</summary>
internal enum ArrayUseKind
{
    /// <summary><c>array.Length</c> or <c>array.LongLength</c>.</summary>
    Length,
    /// <summary><c>array[i]</c>.</summary>
    Element,
    /// <summary><c>foreach (var x in array)</c>.</summary>
    ForEach,
    /// <summary>A span, memory, segment or stream made over the array (conversion or explicit creation).</summary>
    View,
    /// <summary>An argument to a framework API that only borrows it.</summary>
    BorrowingCall,
    /// <summary>An argument to a method of this compilation whose parameter does not escape.</summary>
    SourceCall,
    /// <summary>Any other member of the array (<c>CopyTo</c>, <c>Clone</c>, <c>Rank</c>, …).</summary>
    OtherMember,
    /// <summary>The variable is assigned another array.</summary>
    Reassignment,
}

/// <summary>One use of the tracked array: <see cref="Reference"/> is the array-typed value, <see cref="User"/> its consumer.</summary>
internal readonly struct ArrayUse
{
    public ArrayUse(ArrayUseKind kind, IOperation reference, IOperation user)
    {
        Kind = kind;
        Reference = reference;
        User = user;
    }

    public ArrayUseKind Kind { get; }
    public IOperation Reference { get; }
    public IOperation User { get; }
}

/// <summary>An array that lives for one iteration of a loop and is dropped at its end.</summary>
internal sealed class PerIterationTemporary
{
    public PerIterationTemporary(IOperation allocation, IOperation size, ILoopOperation? loop, IOperation region, ILocalSymbol? local, IReadOnlyList<ArrayUse> uses)
    {
        Allocation = allocation;
        Size = size;
        Loop = loop;
        Region = region;
        Local = local;
        Uses = uses;
    }

    public IOperation Allocation { get; }
    public IOperation Size { get; }
    /// <summary>The loop whose every iteration allocates the array, or null for an array allocated once per call of hot code.</summary>
    public ILoopOperation? Loop { get; }
    /// <summary>Where the array lives: the loop body, or the body of the function for a per-call temporary.</summary>
    public IOperation Region { get; }
    /// <summary>The loop-body local holding the array, or null when the array is passed straight to a borrowing call.</summary>
    public ILocalSymbol? Local { get; }
    /// <summary>Uses of the array itself (filled only when asked for).</summary>
    public IReadOnlyList<ArrayUse> Uses { get; }
}

/// <summary>
/// Does an array outlive the iteration that allocated it? An array escapes when it is returned, yielded, stored in a
/// field, property, array element or collection, captured, assigned to another variable, converted to an
/// interface or <c>object</c>, or passed to a method not known to merely borrow it. Spans, memories, segments and
/// memory streams made over the array are followed the same way.
/// </summary>
internal sealed class ArrayEscape
{
    private const int MaxCallDepth = 3;

    private readonly KnownSymbols _known;
    private readonly NonRetainingMethods _userBorrowers;
    private readonly List<ArrayUse>? _uses;
    private readonly CancellationToken _cancellationToken;
    private bool _hitDepthLimit;

    private ArrayEscape(KnownSymbols known, NonRetainingMethods userBorrowers, List<ArrayUse>? uses, CancellationToken cancellationToken)
    {
        _known = known;
        _userBorrowers = userBorrowers;
        _uses = uses;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Whether <paramref name="allocation"/> allocates a one-dimensional array on every iteration of a loop, held by a
    /// local declared in that loop's body (or passed straight to a borrowing call), that does not outlive the iteration.
    /// </summary>
    /// <param name="perCallOutsideLoops">
    /// Outside loops, whether to accept an array that lives for one call of its function (for code the user marked hot).
    /// </param>
    public static bool IsPerIterationTemporary(
        IOperation allocation,
        KnownSymbols known,
        NonRetainingMethods userBorrowers,
        bool collectUses,
        CancellationToken cancellationToken,
        out PerIterationTemporary? temporary,
        bool perCallOutsideLoops = false)
    {
        temporary = null;
        if (!ArrayAllocations.IsOneDimensionalAllocation(allocation, known, out var size))
        {
            return false;
        }

        var loop = Loops.GetLoopRunningEachIteration(allocation);
        var region = loop?.Body ?? (perCallOutsideLoops ? Loops.GetFunctionBody(allocation) : null);
        if (region is null)
        {
            return false;
        }

        var uses = collectUses ? new List<ArrayUse>() : null;
        var walker = new ArrayEscape(known, userBorrowers, uses, cancellationToken);
        ILocalSymbol? local = null;
        switch (allocation.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                when IsDeclaredIn(declarator.Symbol, region) && declarator.Symbol.RefKind == RefKind.None &&
                     SymbolEqualityComparer.Default.Equals(declarator.Symbol.Type, allocation.Type):
                local = declarator.Symbol;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Parent: IExpressionStatementOperation } assignment
                when assignment.Value == allocation && IsDeclaredIn(target.Local, region) &&
                     SymbolEqualityComparer.Default.Equals(target.Local.Type, allocation.Type):
                local = target.Local;
                break;
            case IArgumentOperation:
                if (!walker.UseStaysLocal(allocation, ArrayViewKind.Array, region, depth: 0))
                {
                    return false;
                }

                temporary = new PerIterationTemporary(allocation, size, loop, region, null, (IReadOnlyList<ArrayUse>?)uses ?? System.Array.Empty<ArrayUse>());
                return true;
            default:
                return false;
        }

        if (!walker.VariableStaysLocal(local, region, ArrayViewKind.Array, depth: 0))
        {
            return false;
        }

        temporary = new PerIterationTemporary(allocation, size, loop, region, local, (IReadOnlyList<ArrayUse>?)uses ?? System.Array.Empty<ArrayUse>());
        return true;
    }

    /// <summary>
    /// Whether a method of this compilation uses its array parameter only during the call, by the rules above (followed
    /// up to three calls deep). ALLOC003 asks it to tell a call that borrows a rented array from one that may keep it.
    /// </summary>
    public static bool IsBorrowedBySourceMethod(IParameterSymbol parameter, KnownSymbols known, NonRetainingMethods userBorrowers, CancellationToken cancellationToken) =>
        new ArrayEscape(known, userBorrowers, uses: null, cancellationToken).ParameterStaysLocal(parameter, depth: 1);

    private static bool IsDeclaredIn(ILocalSymbol local, IOperation region)
    {
        var span = region.Syntax.Span;
        foreach (var location in local.Locations)
        {
            if (location.IsInSource && location.SourceTree == region.Syntax.SyntaxTree && span.Contains(location.SourceSpan))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every reference to <paramref name="variable"/> inside <paramref name="region"/> keeps the array local.</summary>
    private bool VariableStaysLocal(ISymbol variable, IOperation region, ArrayViewKind kind, int depth)
    {
        foreach (var operation in region.Descendants())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var isReference = operation switch
            {
                ILocalReferenceOperation localReference => SymbolEqualityComparer.Default.Equals(localReference.Local, variable),
                IParameterReferenceOperation parameterReference => SymbolEqualityComparer.Default.Equals(parameterReference.Parameter, variable),
                _ => false,
            };

            if (isReference &&
                (Loops.IsInsideNestedFunction(operation, region) || !UseStaysLocal(operation, kind, region, depth)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The consumer of <paramref name="value"/> (the array or a view over it) does not let it outlive the call or iteration.</summary>
    private bool UseStaysLocal(IOperation value, ArrayViewKind kind, IOperation region, int depth)
    {
        switch (value.Parent)
        {
            case IPropertyReferenceOperation property when property.Instance == value:
                if (kind == ArrayViewKind.Segment && property.Property.Name == "Array")
                {
                    return false;
                }

                Record(kind, property.Property.Name is "Length" or "LongLength" ? ArrayUseKind.Length : ArrayUseKind.OtherMember, value, property);
                return true;

            case IArrayElementReferenceOperation element when element.ArrayReference == value:
                Record(kind, ArrayUseKind.Element, value, element);
                return true;

            case IForEachLoopOperation forEach when forEach.Collection == value:
                Record(kind, ArrayUseKind.ForEach, value, forEach);
                return true;

            case IConversionOperation { Parent: IForEachLoopOperation forEach } conversion
                when conversion.Operand == value && conversion.IsImplicit && forEach.Collection == conversion:
                // foreach over an array converts it to IEnumerable in the tree, but the compiler indexes the array.
                Record(kind, ArrayUseKind.ForEach, value, forEach);
                return true;

            case IConversionOperation { IsImplicit: true, Conversion.IsReference: true, Parent: IArgumentOperation argument } conversion
                when conversion.Operand == value && conversion.Type?.SpecialType is SpecialType.System_Array or SpecialType.System_Object:
                // Array.Copy(Array, Array, int) and the like: judged by the call, as if the array were passed as it is.
                return ArgumentStaysLocal(argument, value, kind, region, depth);

            case IConversionOperation conversion when conversion.Operand == value:
                if (conversion.Conversion.IsIdentity)
                {
                    return UseStaysLocal(conversion, kind, region, depth);
                }

                var viewKind = _known.GetViewKind(conversion.Type);
                if (viewKind == ArrayViewKind.None || conversion.OperatorMethod is { } op && !IsViewFactory(op))
                {
                    return false;
                }

                Record(kind, ArrayUseKind.View, value, conversion);
                return UseStaysLocal(conversion, viewKind, region, depth);

            case IArgumentOperation argument when argument.Value == value:
                return ArgumentStaysLocal(argument, value, kind, region, depth);

            case IInvocationOperation invocation when invocation.Instance == value:
                return InstanceCallStaysLocal(invocation, value, kind, region, depth);

            case ISimpleAssignmentOperation assignment when assignment.Target == value:
                Record(kind, ArrayUseKind.Reassignment, value, assignment);
                return true;

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when kind != ArrayViewKind.Array:
                // A view kept in a local: follow that local too.
                return declarator.Symbol.RefKind == RefKind.None && VariableStaysLocal(declarator.Symbol, region, kind, depth);

            case IExpressionStatementOperation:
                return true;

            default:
                return false;
        }
    }

    private bool ArgumentStaysLocal(IArgumentOperation argument, IOperation value, ArrayViewKind kind, IOperation region, int depth)
    {
        if (argument.Parameter is not { RefKind: RefKind.None or RefKind.In } parameter)
        {
            return false;
        }

        var call = argument.Parent;
        var method = call switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (call is null || method is null)
        {
            return false;
        }

        if (kind == ArrayViewKind.Array && GetCreatedView(method, parameter) is var view && view != ArrayViewKind.None)
        {
            Record(kind, ArrayUseKind.View, value, call);
            return UseStaysLocal(call, view, region, depth);
        }

        // A span is a ref struct: the callee cannot keep it beyond the call.
        if (kind == ArrayViewKind.Span)
        {
            return true;
        }

        if (_known.IsBorrowingApi(method) || _userBorrowers.Contains(method))
        {
            if (ReturnsTask(method) && !IsAwaited(call))
            {
                return false;
            }

            Record(kind, ArrayUseKind.BorrowingCall, value, call);
            return true;
        }

        if (depth < MaxCallDepth && ParameterStaysLocal(parameter, depth + 1))
        {
            Record(kind, ArrayUseKind.SourceCall, value, call);
            return true;
        }

        return false;
    }

    private bool InstanceCallStaysLocal(IInvocationOperation invocation, IOperation value, ArrayViewKind kind, IOperation region, int depth)
    {
        var name = invocation.TargetMethod.Name;
        switch (kind)
        {
            case ArrayViewKind.Array:
                // Members of System.Array and System.Object copy or inspect; only an enumerator would hold on to it.
                if (name == "GetEnumerator" || invocation.TargetMethod.ContainingType.SpecialType is not (SpecialType.System_Array or SpecialType.System_Object))
                {
                    return false;
                }

                Record(kind, ArrayUseKind.OtherMember, value, invocation);
                return true;
            case ArrayViewKind.Span:
                return _known.GetViewKind(invocation.Type) != ArrayViewKind.Span || UseStaysLocal(invocation, ArrayViewKind.Span, region, depth);
            case ArrayViewKind.Memory:
            case ArrayViewKind.Segment:
                if (name == "Slice")
                {
                    return UseStaysLocal(invocation, kind, region, depth);
                }

                return name is "Pin" or "ToArray" or "CopyTo" or "TryCopyTo" or "Equals" or "GetHashCode" or "ToString";
            case ArrayViewKind.Stream:
                return name is not ("GetBuffer" or "TryGetBuffer");
            default:
                return false;
        }
    }

    /// <summary>Whether a method of this compilation uses its parameter only during the call.</summary>
    private bool ParameterStaysLocal(IParameterSymbol parameter, int depth)
    {
        // The body refers to the parameter of the method's definition, whatever the type arguments of the call (whose
        // substituted parameter is also slower to hash).
        parameter = parameter.OriginalDefinition;
        if (_known.ParameterEscapes.TryGetValue(parameter, out var escapes))
        {
            return !escapes;
        }

        var hitLimitBefore = _hitDepthLimit;
        _hitDepthLimit = false;
        var staysLocal = ComputeParameterStaysLocal(parameter, depth);
        if (!_hitDepthLimit)
        {
            // Only cache answers that did not depend on how deep the question was asked.
            _known.ParameterEscapes.TryAdd(parameter, !staysLocal);
        }

        _hitDepthLimit |= hitLimitBefore;
        return staysLocal;
    }

    private bool ComputeParameterStaysLocal(IParameterSymbol parameter, int depth)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method ||
            method.IsAbstract || method.IsExtern || method.IsAsync ||
            (method.IsVirtual || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed ||
            method.DeclaringSyntaxReferences.Length != 1 ||
            method.PartialImplementationPart is not null)
        {
            return false;
        }

        if (depth >= MaxCallDepth)
        {
            _hitDepthLimit = true;
            return false;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
        if (!_known.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // The callee may live in another tree; its body is read once and the answer cached per compilation.
        var model = _known.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        var body = model.GetOperation(syntax, _cancellationToken);
        if (body is null)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            // An iterator runs after the call has returned.
            if (operation.Kind is OperationKind.YieldReturn or OperationKind.YieldBreak)
            {
                return false;
            }
        }

        return VariableStaysLocal(parameter, body, ArrayViewKind.Array, depth);
    }

    private ArrayViewKind GetCreatedView(IMethodSymbol method, IParameterSymbol parameter)
    {
        if (parameter.Type is not IArrayTypeSymbol)
        {
            return ArrayViewKind.None;
        }

        if (method.MethodKind == MethodKind.Constructor)
        {
            return _known.GetViewKind(method.ContainingType);
        }

        if (parameter.Ordinal == 0 && KnownSymbols.IsType(method.ContainingType, _known.MemoryExtensions))
        {
            return method.Name switch
            {
                "AsSpan" => ArrayViewKind.Span,
                "AsMemory" => ArrayViewKind.Memory,
                _ => ArrayViewKind.None,
            };
        }

        return ArrayViewKind.None;
    }

    private bool IsViewFactory(IMethodSymbol conversionOperator) =>
        _known.GetViewKind(conversionOperator.ContainingType) != ArrayViewKind.None;

    private static bool ReturnsTask(IMethodSymbol method) =>
        method.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask" } type &&
        type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    private static bool IsAwaited(IOperation call) => call.Parent switch
    {
        IAwaitOperation => true,
        IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Parent: IAwaitOperation } configure => configure.Instance == call,
        _ => false,
    };

    private void Record(ArrayViewKind kind, ArrayUseKind useKind, IOperation reference, IOperation user)
    {
        // The fixes rewrite uses of the array itself; uses of a view are bounded by the view.
        if (kind == ArrayViewKind.Array)
        {
            _uses?.Add(new ArrayUse(useKind, reference, user));
        }
    }
}
