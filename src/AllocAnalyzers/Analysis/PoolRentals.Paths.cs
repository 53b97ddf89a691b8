using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>What happens to each rented array on each path of the function?</summary>
/// <remarks>
/// A forward dataflow over the basic blocks of the control-flow graph. For every rental, the state at a point is the
/// set of what its local may hold there on some path: not this rental's array, the rented array, the array after its
/// return, or an array whose ownership was transferred. States only grow, so the walk reaches a fixed point; and every
/// check asks "may the state hold X", so checking while the states grow finds exactly what checking at the fixed
/// point would. A <c>finally</c> region runs as a sub-walk on every branch that leaves its <c>try</c>, on normal and
/// exceptional exits alike; a catch handler starts from what may hold wherever its <c>try</c> may throw.
/// </remarks>
internal sealed partial class PoolRentals
{
    private const byte NotHeld = 1;
    private const byte Rented = 2;
    private const byte Returned = 4;
    private const byte Transferred = 8;

    private ControlFlowGraph _graph = null!;
    /// <summary>Whether a block lies in a finally, catch or filter region: calls there are cleanup, not paths that leak.</summary>
    private bool[] _inHandler = null!;
    /// <summary>Rentals held when a normal path ends or lets go of them.</summary>
    private bool[] _notReturned = null!;
    /// <summary>Rentals held when an exception may leave the function.</summary>
    private bool[] _heldOnException = null!;
    /// <summary>Rentals this function returns on some path (a rental it only hands on is not its to return on exceptions).</summary>
    private bool[] _returnedSomewhere = null!;
    private readonly Dictionary<(RentalMisuseKind Kind, SyntaxNode At), (Rental Rental, bool Several)> _found = new();
    /// <summary>The main walk and the finally sub-walks under way, innermost last.</summary>
    private readonly List<Walk> _walks = new();

    /// <summary>A worklist walk over the blocks of one range (the whole graph, or one finally region).</summary>
    private sealed class Walk
    {
        private readonly byte[]?[] _states;
        private readonly bool[] _queued;

        public Walk(int first, int last)
        {
            First = first;
            Last = last;
            _states = new byte[last - first + 1][];
            _queued = new bool[last - first + 1];
        }

        public int First { get; }
        public int Last { get; }
        /// <summary>
        /// Blocks to visit, lowest ordinal first: the graph's blocks are in source order, so a loop settles before the
        /// code after it is walked, instead of each change at a loop's back edge sending a new wave through the rest of
        /// the function (quadratic in a long method with many loops). The order does not change the fixed point.
        /// </summary>
        public SortedSet<int> Pending { get; } = new();
        /// <summary>For a finally region: the state when it completes.</summary>
        public byte[]? Exit { get; set; }

        public bool Contains(int ordinal) => ordinal >= First && ordinal <= Last;

        /// <summary>The state at the start of a block; null while no path reaches it.</summary>
        public byte[]? StateAt(int ordinal) => _states[ordinal - First];

        public void SetState(int ordinal, byte[] state) => _states[ordinal - First] = state;

        public bool IsQueued(int ordinal) => _queued[ordinal - First];

        public void SetQueued(int ordinal, bool queued) => _queued[ordinal - First] = queued;
    }

    /// <summary>What a finally region hands on for a given state: the walk is deterministic and its findings are already recorded.</summary>
    private readonly Dictionary<(int Region, ulong State), byte[]?> _finallyResults = new();

    private void FollowPaths(ControlFlowGraph graph, List<RentalMisuse> misuses)
    {
        _graph = graph;
        var blocks = graph.Blocks;
        _inHandler = new bool[blocks.Length];
        for (var i = 0; i < blocks.Length; i++)
        {
            for (var region = blocks[i].EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter)
                {
                    _inHandler[i] = true;
                    break;
                }
            }
        }

        _notReturned = new bool[_rentals.Count];
        _heldOnException = new bool[_rentals.Count];
        _returnedSomewhere = new bool[_rentals.Count];
        var entry = new byte[_rentals.Count];
        for (var i = 0; i < entry.Length; i++)
        {
            entry[i] = NotHeld;
        }

        var main = new Walk(0, blocks.Length - 1);
        Run(main, entry);

        // A rented array that reaches the end of the function was not returned on that path.
        if (main.StateAt(blocks.Length - 1) is { } atExit)
        {
            MarkHeld(atExit, _notReturned);
        }

        foreach (var rental in _rentals)
        {
            var i = rental.Index;
            if (_notReturned[i] || _heldOnException[i] && _returnedSomewhere[i])
            {
                misuses.Add(new RentalMisuse(RentalMisuseKind.NotReturned, rental, rental.Rent.Syntax, reachedByOtherRentals: false));
            }
        }

        foreach (var pair in _found)
        {
            misuses.Add(new RentalMisuse(pair.Key.Kind, pair.Value.Rental, pair.Key.At, pair.Value.Several));
        }
    }

    private void Run(Walk walk, byte[] entry)
    {
        _walks.Add(walk);
        Join(walk, walk.First, entry);
        while (walk.Pending.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var ordinal = walk.Pending.Min;
            walk.Pending.Remove(ordinal);
            walk.SetQueued(ordinal, false);
            VisitBlock(walk, _graph.Blocks[ordinal]);
        }

        _walks.RemoveAt(_walks.Count - 1);
    }

    private void VisitBlock(Walk walk, BasicBlock block)
    {
        var state = (byte[])walk.StateAt(block.Ordinal)!.Clone();
        foreach (var operation in block.Operations)
        {
            Visit(operation, state, block);
        }

        if (block.BranchValue is { } branchValue)
        {
            Visit(branchValue, state, block);
        }

        if (block.ConditionalSuccessor is { } conditional)
        {
            var whenConditional = (byte[])state.Clone();
            RefineByNullTest(block, whenConditional, state);
            Follow(walk, block, conditional, whenConditional);
        }

        if (block.FallThroughSuccessor is { } fallThrough)
        {
            Follow(walk, block, fallThrough, state);
        }
    }

    private void Follow(Walk walk, BasicBlock source, ControlFlowBranch branch, byte[] state)
    {
        switch (branch.Semantics)
        {
            case ControlFlowBranchSemantics.Regular or ControlFlowBranchSemantics.Return:
                byte[]? current = state;
                foreach (var finallyRegion in branch.FinallyRegions)
                {
                    current = RunFinally(finallyRegion, current);
                    if (current is null)
                    {
                        return;
                    }
                }

                if (branch.Destination is { } destination)
                {
                    Join(walk, destination.Ordinal, current);
                }

                break;
            case ControlFlowBranchSemantics.StructuredExceptionHandling:
                // The end of a finally region: what the sub-walk hands on.
                walk.Exit = walk.Exit is null ? (byte[])state.Clone() : JoinInto(walk.Exit, state);
                break;
            case ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow:
                ThrowFrom(source, state);
                break;
        }
    }

    /// <summary>Runs a finally region from <paramref name="state"/>; null when it cannot complete.</summary>
    private byte[]? RunFinally(ControlFlowRegion finallyRegion, byte[] state)
    {
        var key = (finallyRegion.FirstBlockOrdinal, Pack(state));
        var cacheable = state.Length <= 16;
        if (cacheable && _finallyResults.TryGetValue(key, out var known))
        {
            return known;
        }

        var walk = new Walk(finallyRegion.FirstBlockOrdinal, finallyRegion.LastBlockOrdinal);
        Run(walk, state);
        if (cacheable)
        {
            _finallyResults[key] = walk.Exit;
        }

        return walk.Exit;
    }

    /// <summary>Four bits per rental: a state of up to 16 rentals as one key.</summary>
    private static ulong Pack(byte[] state)
    {
        ulong packed = 0;
        for (var i = 0; i < state.Length && i < 16; i++)
        {
            packed |= (ulong)state[i] << (4 * i);
        }

        return packed;
    }

    private void Join(Walk walk, int ordinal, byte[] state)
    {
        var existing = walk.StateAt(ordinal);
        if (existing is null)
        {
            walk.SetState(ordinal, (byte[])state.Clone());
        }
        else
        {
            var changed = false;
            for (var i = 0; i < existing.Length; i++)
            {
                var joined = (byte)(existing[i] | state[i]);
                changed |= joined != existing[i];
                existing[i] = joined;
            }

            if (!changed)
            {
                return;
            }
        }

        if (!walk.IsQueued(ordinal))
        {
            walk.SetQueued(ordinal, true);
            walk.Pending.Add(ordinal);
        }
    }

    private static byte[] JoinInto(byte[] target, byte[] state)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= state[i];
        }

        return target;
    }

    // ---- operations --------------------------------------------------------------------------------------------

    /// <summary>Applies the events of <paramref name="operation"/> in evaluation order: operands first, an assignment's write last.</summary>
    private void Visit(IOperation operation, byte[] state, BasicBlock block)
    {
        switch (operation)
        {
            case IFlowAnonymousFunctionOperation:
                // Its body runs when called; captured rentals are not tracked.
                return;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                when _rentalsByLocal.ContainsKey(target.Local) &&
                     _events.TryGetValue(target.Syntax, out var write) && write.Kind is EventKind.Rent or EventKind.Write:
                Visit(assignment.Value, state, block);
                Apply(write, target.Local, target.Syntax, state);
                return;
            case ILocalReferenceOperation reference:
                if (_events.TryGetValue(reference.Syntax, out var happening) && _rentalsByLocal.ContainsKey(reference.Local))
                {
                    Apply(happening, reference.Local, reference.Syntax, state);
                }

                return;
        }

        foreach (var child in operation.ChildOperations)
        {
            Visit(child, state, block);
        }

        if (MayThrow(operation) && !_inHandler[block.Ordinal])
        {
            ThrowFrom(block, state);
        }
    }

    private void Apply(RentalEvent happening, ILocalSymbol local, SyntaxNode at, byte[] state)
    {
        foreach (var rental in _rentalsByLocal[local])
        {
            var i = rental.Index;
            var held = state[i];
            if (held == 0)
            {
                continue;
            }

            switch (happening.Kind)
            {
                case EventKind.Rent:
                case EventKind.Write:
                    // The local lets go of what it held: a rented array is lost.
                    if ((held & Rented) != 0)
                    {
                        _notReturned[i] = true;
                    }

                    state[i] = happening.Rental == rental ? Rented : NotHeld;
                    break;

                case EventKind.Return:
                    if ((held & (Rented | Returned)) == 0)
                    {
                        break;
                    }

                    if ((held & Returned) != 0)
                    {
                        Found(RentalMisuseKind.ReturnedTwice, rental, happening.ReportAt ?? at);
                    }
                    else if (PoolIdentity.AreProvablyDifferent(rental.Pool, happening.Pool))
                    {
                        Found(RentalMisuseKind.ReturnedToOtherPool, rental, happening.ReportAt ?? at);
                    }

                    _returnedSomewhere[i] |= (held & Rented) != 0;
                    state[i] = (byte)((held & (NotHeld | Transferred)) | Returned);
                    break;

                case EventKind.Use:
                case EventKind.Transfer:
                    if ((held & Returned) != 0)
                    {
                        Found(RentalMisuseKind.UsedAfterReturn, rental, at);
                    }
                    else if (happening.Misuse is { } misuse && (held & Rented) != 0)
                    {
                        Found(misuse, rental, happening.ReportAt!);
                    }

                    if (happening.Kind == EventKind.Transfer && (held & Rented) != 0)
                    {
                        rental.TransfersOwnership = true;
                        state[i] = (byte)((held & ~Rented) | Transferred);
                    }

                    break;
            }
        }
    }

    private void Found(RentalMisuseKind kind, Rental rental, SyntaxNode at)
    {
        var key = (kind, at);
        if (_found.TryGetValue(key, out var existing))
        {
            if (existing.Rental != rental && !existing.Several)
            {
                _found[key] = (existing.Rental, true);
            }
        }
        else
        {
            _found.Add(key, (rental, false));
        }
    }

    private void MarkHeld(byte[] state, bool[] held)
    {
        foreach (var rental in _rentals)
        {
            if ((state[rental.Index] & Rented) != 0)
            {
                held[rental.Index] = true;
            }
        }
    }

    /// <summary>Calls written in the code may throw; the pool's own methods and compiler-generated calls are not counted.</summary>
    private bool MayThrow(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => !invocation.IsImplicit && !IsArrayPool(invocation.TargetMethod.ContainingType, _known),
        IObjectCreationOperation creation => !creation.IsImplicit,
        IAwaitOperation or IDynamicInvocationOperation or IDynamicObjectCreationOperation => true,
        _ => false,
    };

    // ---- exceptions --------------------------------------------------------------------------------------------

    /// <summary>
    /// An exception leaves <paramref name="block"/> with <paramref name="state"/>: each enclosing finally runs, each
    /// enclosing catch handler starts from this state, and a rented array that is still held when the exception leaves
    /// the function is not returned on that path.
    /// </summary>
    private void ThrowFrom(BasicBlock block, byte[] state)
    {
        byte[]? current = state;
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } handled)
            {
                continue;
            }

            if (handled.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                var catchesAll = false;
                for (var i = 1; i < handled.NestedRegions.Length; i++)
                {
                    var handler = handled.NestedRegions[i];
                    Seed(handler.FirstBlockOrdinal, current);
                    catchesAll |= CatchesAll(handler);
                }

                if (catchesAll)
                {
                    return;
                }
            }
            else if (handled.Kind == ControlFlowRegionKind.TryAndFinally)
            {
                current = RunFinally(handled.NestedRegions[1], current);
                if (current is null)
                {
                    return;
                }
            }
        }

        MarkHeld(current, _heldOnException);
    }

    /// <summary>Starts a catch handler (in the innermost walk that holds it) from a state its try may throw in.</summary>
    private void Seed(int ordinal, byte[] state)
    {
        for (var i = _walks.Count - 1; i >= 0; i--)
        {
            if (_walks[i].Contains(ordinal))
            {
                Join(_walks[i], ordinal, state);
                return;
            }
        }
    }

    private static bool CatchesAll(ControlFlowRegion handler) =>
        handler.Kind == ControlFlowRegionKind.Catch &&
        (handler.ExceptionType is null ||
         handler.ExceptionType.SpecialType == SpecialType.System_Object ||
         handler.ExceptionType is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });

    // ---- null tests --------------------------------------------------------------------------------------------

    /// <summary>On the branch where the block's condition shows a rental's local is null, the local holds no rented array.</summary>
    private void RefineByNullTest(BasicBlock block, byte[] whenConditional, byte[] whenFallThrough)
    {
        if (!IsNullTest(block.BranchValue, out var local, out var trueMeansNull) || !_rentalsByLocal.TryGetValue(local!, out var rentals))
        {
            return;
        }

        var conditionalWhenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        var nullState = conditionalWhenTrue == trueMeansNull ? whenConditional : whenFallThrough;
        foreach (var rental in rentals)
        {
            if (nullState[rental.Index] != 0)
            {
                nullState[rental.Index] = NotHeld;
            }
        }
    }

    private static bool IsNullTest(IOperation? condition, out ILocalSymbol? local, out bool trueMeansNull)
    {
        local = null;
        trueMeansNull = false;
        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                trueMeansNull = comparison.OperatorKind == BinaryOperatorKind.Equals;
                local = IsNullConstant(comparison.RightOperand) ? AsLocal(comparison.LeftOperand)
                    : IsNullConstant(comparison.LeftOperand) ? AsLocal(comparison.RightOperand)
                    : null;
                return local is not null;
            case IIsPatternOperation test:
                local = AsLocal(test.Value);
                switch (test.Pattern)
                {
                    case IConstantPatternOperation constant when IsNullConstant(constant.Value):
                        trueMeansNull = true;
                        break;
                    case INegatedPatternOperation { Pattern: IConstantPatternOperation constant } when IsNullConstant(constant.Value):
                    case IRecursivePatternOperation or ITypePatternOperation or IDeclarationPatternOperation:
                        break;
                    default:
                        return false;
                }

                return local is not null;
            default:
                return false;
        }
    }

    private static bool IsNullConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: null };

    private static ILocalSymbol? AsLocal(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return (operation as ILocalReferenceOperation)?.Local;
    }
}
