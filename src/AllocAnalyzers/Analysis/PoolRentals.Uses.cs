using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>What does each reference to a rented array do with it?</summary>
internal sealed partial class PoolRentals
{
    /// <summary>What one reference to a rental's local does, as the path walk applies it.</summary>
    private enum EventKind
    {
        /// <summary>The local is assigned the result of one of the tracked <c>Rent</c> calls.</summary>
        Rent,
        /// <summary>The local is assigned something else: it no longer holds the rented array.</summary>
        Write,
        /// <summary>The array goes back to a pool.</summary>
        Return,
        /// <summary>The array is read, written or lent to a call for its duration.</summary>
        Use,
        /// <summary>Ownership may leave the function: returned, stored, captured, given to a method that may keep it.</summary>
        Transfer,
        /// <summary>The reference is compared (<c>a != null</c>): neither a use of the contents nor a transfer.</summary>
        Comparison,
    }

    private readonly struct RentalEvent
    {
        public RentalEvent(EventKind kind, Rental? rental = null, PoolIdentity pool = default, RentalMisuseKind? misuse = null, SyntaxNode? reportAt = null)
        {
            Kind = kind;
            Rental = rental;
            Pool = pool;
            Misuse = misuse;
            ReportAt = reportAt;
        }

        public EventKind Kind { get; }
        /// <summary>For <see cref="EventKind.Rent"/>: the rental that starts.</summary>
        public Rental? Rental { get; }
        /// <summary>For <see cref="EventKind.Return"/>: the pool the array goes to.</summary>
        public PoolIdentity Pool { get; }
        /// <summary><see cref="RentalMisuseKind.LengthAsDataLength"/> or <see cref="RentalMisuseKind.WholeArrayAsData"/>, when the use reads the rented length.</summary>
        public RentalMisuseKind? Misuse { get; }
        /// <summary>Where a misuse is reported: the <c>.Length</c>, the whole-array expression, or the <c>Return</c> call.</summary>
        public SyntaxNode? ReportAt { get; }

        public RentalEvent WithKind(EventKind kind) => new(kind, Rental, Pool, Misuse, ReportAt);
    }

    private static readonly RentalEvent UseEvent = new(EventKind.Use);
    private static readonly RentalEvent TransferEvent = new(EventKind.Transfer);
    private static readonly RentalEvent ComparisonEvent = new(EventKind.Comparison);

    /// <summary>Events by the syntax of the reference (or declarator) they happen at; the path walk finds them from the graph's operations.</summary>
    private readonly Dictionary<SyntaxNode, RentalEvent> _events = new();
    private readonly HashSet<ILocalSymbol> _capturedLocals = new(SymbolEqualityComparer.Default);
    /// <summary>Locals of type <c>ArrayPool&lt;T&gt;</c>: their initializer, or null when they are assigned again.</summary>
    private readonly Dictionary<ILocalSymbol, IOperation?> _poolLocalInitializers = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// One walk over the function: the references to <paramref name="locals"/> (classified once the rentals are known),
    /// which of those locals a nested function captures, and the single initializer of each pool local.
    /// </summary>
    private List<IOperation> CollectReferences(IOperation function, HashSet<ILocalSymbol> locals)
    {
        var references = new List<IOperation>();
        foreach (var operation in function.Descendants())
        {
            switch (operation)
            {
                case ILocalReferenceOperation reference:
                    if (locals.Contains(reference.Local))
                    {
                        if (Loops.IsInsideNestedFunction(reference, function))
                        {
                            _capturedLocals.Add(reference.Local);
                        }
                        else
                        {
                            references.Add(reference);
                        }
                    }
                    else if (IsArrayPool(reference.Local.Type, _known) && IsWriteTarget(reference))
                    {
                        _poolLocalInitializers[reference.Local] = null;
                    }

                    break;
                case IVariableDeclaratorOperation declarator:
                    if (locals.Contains(declarator.Symbol))
                    {
                        if (declarator.Initializer is not null)
                        {
                            references.Add(declarator);
                        }
                    }
                    else if (IsArrayPool(declarator.Symbol.Type, _known) && !_poolLocalInitializers.ContainsKey(declarator.Symbol))
                    {
                        _poolLocalInitializers.Add(declarator.Symbol, declarator.Initializer?.Value);
                    }

                    break;
            }
        }

        return references;
    }

    private static bool IsWriteTarget(IOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        ITupleOperation or IDeclarationExpressionOperation => true,
        _ => false,
    };

    private void ClassifyReferences(List<IOperation> references)
    {
        foreach (var reference in references)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (reference)
            {
                case IVariableDeclaratorOperation declarator when _rentalsByLocal.ContainsKey(declarator.Symbol):
                    _events[declarator.Syntax] = WriteEvent(declarator.Symbol, declarator.Initializer!.Value);
                    break;
                case ILocalReferenceOperation local when _rentalsByLocal.ContainsKey(local.Local):
                    _events[local.Syntax] = local.Parent is ISimpleAssignmentOperation assignment && assignment.Target == local
                        ? WriteEvent(local.Local, assignment.Value)
                        : ClassifyValue(local);
                    break;
            }
        }
    }

    /// <summary>The local is assigned <paramref name="value"/>: one of its rentals starts, or it holds something else from now on.</summary>
    private RentalEvent WriteEvent(ILocalSymbol local, IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        foreach (var rental in _rentalsByLocal[local])
        {
            if (rental.Rent == value)
            {
                return new RentalEvent(EventKind.Rent, rental);
            }
        }

        return new RentalEvent(EventKind.Write);
    }

    /// <summary>What the consumer of <paramref name="value"/> (the rented array) does with it.</summary>
    private RentalEvent ClassifyValue(IOperation value)
    {
        switch (value.Parent)
        {
            case IConversionOperation conversion when conversion.Operand == value:
                return ClassifyConversion(conversion, value);

            case IArgumentOperation argument when argument.Value == value:
                return ClassifyArgument(argument, value);

            case IPropertyReferenceOperation property when property.Instance == value:
                return property.Property.Name == "Length" && IsLengthOfData(property)
                    ? new RentalEvent(EventKind.Use, misuse: RentalMisuseKind.LengthAsDataLength, reportAt: property.Syntax)
                    : UseEvent;

            case IArrayElementReferenceOperation element when element.ArrayReference == value:
                return UseEvent;

            case IInvocationOperation invocation when invocation.Instance == value:
                // Members of System.Array and System.Object read or copy the array; an enumerator could outlive it.
                return invocation.TargetMethod.ContainingType.SpecialType is SpecialType.System_Array or SpecialType.System_Object &&
                       invocation.TargetMethod.Name != "GetEnumerator"
                    ? UseEvent
                    : TransferEvent;

            case IForEachLoopOperation loop when loop.Collection == value:
                return WholeArrayUse(value.Syntax);

            case IBinaryOperation or IIsPatternOperation or IIsTypeOperation:
                return ComparisonEvent;

            case ICoalesceAssignmentOperation assignment when assignment.Target == value:
                // Assigns only when the local is null, so it never drops a rented array.
                return ComparisonEvent;

            case ISimpleAssignmentOperation or IDeconstructionAssignmentOperation when IsWriteTarget(value):
                return new RentalEvent(EventKind.Write);

            case ITupleOperation tuple when IsDeconstructionTarget(tuple):
                return new RentalEvent(EventKind.Write);

            case IConditionalAccessOperation access when access.Operation == value:
            case ILockOperation:
            case IExpressionStatementOperation:
                return UseEvent;

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.Type: IPointerTypeSymbol } }:
                // fixed (byte* p = array): pinned for the statement only.
                return UseEvent;

            default:
                return TransferEvent;
        }
    }

    private static bool IsDeconstructionTarget(ITupleOperation tuple)
    {
        IOperation current = tuple;
        while (current.Parent is ITupleOperation outer)
        {
            current = outer;
        }

        return current.Parent is IDeconstructionAssignmentOperation assignment && assignment.Target == current;
    }

    private RentalEvent ClassifyConversion(IConversionOperation conversion, IOperation value)
    {
        if (conversion.Type is IPointerTypeSymbol)
        {
            return UseEvent;
        }

        if (SymbolEqualityComparer.Default.Equals(conversion.Type, value.Type))
        {
            return ClassifyValue(conversion);
        }

        if (_known.GetViewKind(conversion.Type) is ArrayViewKind.Span or ArrayViewKind.Memory or ArrayViewKind.Segment)
        {
            return ClassifyView(conversion, whole: true, reportAt: value.Syntax);
        }

        switch (conversion.Parent)
        {
            case IBinaryOperation or IIsPatternOperation or IIsTypeOperation:
                // array != null compares as object.
                return ComparisonEvent;
            case IForEachLoopOperation loop when loop.Collection == conversion:
                // foreach converts the array to IEnumerable in the tree, but the compiler indexes the array.
                return WholeArrayUse(value.Syntax);
            case IArgumentOperation argument when conversion.Type?.SpecialType is SpecialType.System_Array or SpecialType.System_Object &&
                                                  GetMethod(argument) is { } method && IsBorrower(method):
                // Array.Copy(Array, Array, int) and the like lend the array as System.Array.
                return ClassifyDataArgument(argument, method, value.Syntax);
            default:
                return TransferEvent;
        }
    }

    private RentalEvent ClassifyArgument(IArgumentOperation argument, IOperation value)
    {
        if (argument.Parameter is not { } parameter || GetMethod(argument) is not { } method)
        {
            return TransferEvent;
        }

        if (argument.Parent is IInvocationOperation invocation && IsReturn(invocation, _known) && parameter.Ordinal == 0)
        {
            return new RentalEvent(EventKind.Return, pool: IdentifyPool(invocation.Instance), reportAt: invocation.Syntax);
        }

        if (parameter.RefKind is RefKind.Ref or RefKind.Out)
        {
            return TransferEvent;
        }

        var call = argument.Parent!;
        if (parameter.Ordinal == 0 && method.Name is "AsSpan" or "AsMemory" && KnownSymbols.IsType(method.ContainingType, _known.MemoryExtensions))
        {
            // AsSpan() and AsSpan(start) reach the end of the rented array; AsSpan(start, length) is bounded.
            return ClassifyView(call, whole: method.Parameters.Length < 3, reportAt: call.Syntax);
        }

        if (method.MethodKind == MethodKind.Constructor)
        {
            if (_known.GetViewKind(method.ContainingType) != ArrayViewKind.None)
            {
                return ClassifyView(call, whole: !HasIntParameterAfter(method, parameter), reportAt: call.Syntax);
            }

            return IsBorrower(method) ? ClassifyDataArgument(argument, method, value.Syntax) : TransferEvent;
        }

        if (IsBorrower(method))
        {
            return ClassifyDataArgument(argument, method, value.Syntax);
        }

        if (IsInSource(method))
        {
            return ArrayEscape.IsBorrowedBySourceMethod(parameter, _known, _userBorrowers, _cancellationToken) ? UseEvent : TransferEvent;
        }

        // A framework method that takes an array works on it during the call, unless it may hand the array back;
        // a generic parameter (List<T>.Add) is a value the callee may keep.
        return parameter.OriginalDefinition.Type is IArrayTypeSymbol && !MayReturnArgument(method, value.Type)
            ? ClassifyDataArgument(argument, method, value.Syntax)
            : TransferEvent;
    }

    private bool IsBorrower(IMethodSymbol method) => _known.IsBorrowingApi(method) || _userBorrowers.Contains(method);

    private static bool IsInSource(IMethodSymbol method) =>
        !method.IsImplicitlyDeclared && method.DeclaringSyntaxReferences.Length > 0;

    private static IMethodSymbol? GetMethod(IArgumentOperation argument) => argument.Parent switch
    {
        IInvocationOperation invocation => invocation.TargetMethod,
        IObjectCreationOperation creation => creation.Constructor,
        _ => null,
    };

    /// <summary>Whether the method's result may be the array it was given (or a view that can be stored).</summary>
    private bool MayReturnArgument(IMethodSymbol method, ITypeSymbol? arrayType)
    {
        var returnType = method.ReturnType;
        if (returnType.SpecialType == SpecialType.System_Void || arrayType is null)
        {
            return false;
        }

        var conversion = _known.Compilation.ClassifyCommonConversion(arrayType, returnType);
        return conversion.IsImplicit && (conversion.IsIdentity || conversion.IsReference) ||
               _known.GetViewKind(returnType) is ArrayViewKind.Memory or ArrayViewKind.Segment or ArrayViewKind.Stream;
    }

    /// <summary>
    /// The array lent to a call that reads or writes it: whole-array data when the call is given no bounds for it and
    /// reads it as data (not when it only fills it, as <c>Stream.Read</c> does).
    /// </summary>
    private RentalEvent ClassifyDataArgument(IArgumentOperation argument, IMethodSymbol method, SyntaxNode reportAt) =>
        argument.Parameter is { } parameter && !HasBounds(method, parameter) && ReadsAsData(method, parameter)
            ? WholeArrayUse(reportAt)
            : UseEvent;

    /// <summary>
    /// A span, memory, segment or stream over the array. <paramref name="whole"/>: it covers the rented length
    /// (a misuse when its consumer reads it as data). A view that can be stored and is stored transfers the array.
    /// </summary>
    private RentalEvent ClassifyView(IOperation view, bool whole, SyntaxNode reportAt)
    {
        var kind = ViewEscapes(view) ? EventKind.Transfer : EventKind.Use;
        return whole && ViewIsReadAsData(view)
            ? WholeArrayUse(reportAt).WithKind(kind)
            : new RentalEvent(kind);
    }

    private static RentalEvent WholeArrayUse(SyntaxNode reportAt) =>
        new(EventKind.Use, misuse: RentalMisuseKind.WholeArrayAsData, reportAt: reportAt);

    private bool ViewEscapes(IOperation view)
    {
        var parent = view.Parent;
        while (parent is IConversionOperation { Conversion.IsIdentity: true } identity)
        {
            view = identity;
            parent = identity.Parent;
        }

        if (_known.GetViewKind(view.Type) == ArrayViewKind.Span)
        {
            // A ref struct cannot reach the heap; it can only leave by being returned.
            return parent is IReturnOperation;
        }

        return parent switch
        {
            IArgumentOperation argument => ArgumentMayKeep(argument),
            IInvocationOperation invocation => invocation.Instance != view,
            IPropertyReferenceOperation property => property.Instance != view,
            _ => true,
        };
    }

    /// <summary>
    /// Whether a call may keep a memory, segment or stream it is given: anything but a known borrower, the constructor
    /// of another view, or a framework method whose parameter is declared as such a view.
    /// </summary>
    private bool ArgumentMayKeep(IArgumentOperation argument)
    {
        if (GetMethod(argument) is not { } method || argument.Parameter is not { } parameter)
        {
            return true;
        }

        if (IsBorrower(method))
        {
            return false;
        }

        if (method.MethodKind == MethodKind.Constructor)
        {
            return _known.GetViewKind(method.ContainingType) == ArrayViewKind.None;
        }

        return IsInSource(method) || _known.GetViewKind(parameter.OriginalDefinition.Type) == ArrayViewKind.None;
    }

    /// <summary>Whether the consumer of a view over the whole array reads it as data.</summary>
    private bool ViewIsReadAsData(IOperation view)
    {
        var parent = view.Parent;
        while (parent is IConversionOperation conversion)
        {
            view = conversion;
            parent = conversion.Parent;
        }

        switch (parent)
        {
            case IArgumentOperation { Parameter: { } parameter } argument when GetMethod(argument) is { } method:
                // The callees of this compilation are not judged: what they read is theirs to bound.
                return !IsInSource(method) && ReadsAsData(method, parameter) && !HasBounds(method, parameter);
            case IInvocationOperation invocation when invocation.Instance == view:
                return invocation.TargetMethod.Name switch
                {
                    "Clear" or "Fill" => false,
                    "Slice" => invocation.Arguments.Length < 2,
                    _ => true,
                };
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation } assignment when assignment.Value == view:
            case IVariableInitializerOperation:
                // A view kept in a local (Span<byte> buffer = rented;) is read later, often through a slice; the local is not followed.
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// Whether <paramref name="length"/> (<c>array.Length</c>) is passed as the count of elements a call reads from the
    /// same array, as in <c>stream.Write(array, 0, array.Length)</c>.
    /// </summary>
    private bool IsLengthOfData(IPropertyReferenceOperation length)
    {
        IOperation value = length;
        while (value.Parent is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion;
        }

        if (value.Parent is not IArgumentOperation { Parameter: { OriginalDefinition.Type.SpecialType: SpecialType.System_Int32 } countParameter } countArgument ||
            GetMethod(countArgument) is not { } method ||
            length.Instance is not ILocalReferenceOperation array)
        {
            return false;
        }

        var arguments = countArgument.Parent is IInvocationOperation invocation
            ? invocation.Arguments
            : ((IObjectCreationOperation)countArgument.Parent!).Arguments;
        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { } arrayParameter || !IsSameLocal(argument.Value, array.Local))
            {
                continue;
            }

            // A count named as one, or any integer right after the array (as HasBounds reads them).
            var tied = countParameter.Ordinal == arrayParameter.Ordinal + 1 ||
                       IsCountName(countParameter.Name) && (IsArrayOrBufferMethod(method) || countParameter.Ordinal - arrayParameter.Ordinal is 1 or 2);
            if (!tied)
            {
                continue;
            }

            var call = countArgument.Parent!;
            if (method.MethodKind == MethodKind.Constructor && _known.GetViewKind(method.ContainingType) != ArrayViewKind.None ||
                method.Name is "AsSpan" or "AsMemory" && KnownSymbols.IsType(method.ContainingType, _known.MemoryExtensions))
            {
                return ViewIsReadAsData(call);
            }

            return ReadsAsData(method, arrayParameter);
        }

        return false;
    }

    private static bool IsSameLocal(IOperation value, ILocalSymbol local)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        return value is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
    }

    /// <summary>
    /// Whether the call reads the array given as <paramref name="parameter"/> as data, rather than filling it (reads
    /// from a stream or socket, random bytes, clearing) or writing to it as a destination.
    /// </summary>
    private bool ReadsAsData(IMethodSymbol method, IParameterSymbol parameter)
    {
        var name = method.Name;
        if (name.StartsWith("Read", StringComparison.Ordinal) && !name.StartsWith("ReadExactly", StringComparison.Ordinal) ||
            name.StartsWith("Receive", StringComparison.Ordinal) || name.StartsWith("TryRead", StringComparison.Ordinal) ||
            name is "Clear" or "Fill" or "NextBytes" or "GetNonZeroBytes" or "Initialize" or "Return" ||
            method.ContainingType.Name == "RandomNumberGenerator")
        {
            return false;
        }

        if (ContainsAny(parameter.Name, "dest", "dst", "output", "target"))
        {
            return false;
        }

        // A writable span next to something to read from is where the call writes: Encoding.GetBytes(chars, bytes).
        if (parameter.Type is INamedTypeSymbol { OriginalDefinition: var definition } && KnownSymbols.IsType(definition, _known.Span))
        {
            foreach (var other in method.Parameters)
            {
                if (!SymbolEqualityComparer.Default.Equals(other, parameter) &&
                    (other.Type is IArrayTypeSymbol || other.Type.SpecialType == SpecialType.System_String || _known.GetViewKind(other.Type) == ArrayViewKind.Span))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the call is given an offset or count for the array passed as <paramref name="parameter"/>: an integer
    /// named as one just after it, or any integer right after it (<c>UdpClient.Send(byte[] dgram, int bytes)</c>).
    /// </summary>
    private static bool HasBounds(IMethodSymbol method, IParameterSymbol parameter)
    {
        foreach (var other in method.Parameters)
        {
            // Declared types: the int of Array.IndexOf<int>(int[], int) is a value, not a bound.
            if (other.OriginalDefinition.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 &&
                (other.Ordinal == parameter.Ordinal + 1 ||
                 (IsCountName(other.Name) || IsIndexName(other.Name)) && (IsArrayOrBufferMethod(method) || other.Ordinal - parameter.Ordinal is 1 or 2)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasIntParameterAfter(IMethodSymbol method, IParameterSymbol parameter)
    {
        foreach (var other in method.Parameters)
        {
            if (other.Ordinal > parameter.Ordinal && other.Type.SpecialType == SpecialType.System_Int32)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Array</c> and <c>Buffer</c> methods take counts that apply to every array they are given.</summary>
    private static bool IsArrayOrBufferMethod(IMethodSymbol method) =>
        method.ContainingType.SpecialType == SpecialType.System_Array ||
        method.ContainingType is { Name: "Buffer", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool IsCountName(string name) => ContainsAny(name, "count", "length", "size");

    private static bool IsIndexName(string name) => ContainsAny(name, "index", "offset", "start");

    private static bool ContainsAny(string text, string a, string b, string c, string? d = null) =>
        text.IndexOf(a, StringComparison.OrdinalIgnoreCase) >= 0 ||
        text.IndexOf(b, StringComparison.OrdinalIgnoreCase) >= 0 ||
        text.IndexOf(c, StringComparison.OrdinalIgnoreCase) >= 0 ||
        d is not null && text.IndexOf(d, StringComparison.OrdinalIgnoreCase) >= 0;
}
