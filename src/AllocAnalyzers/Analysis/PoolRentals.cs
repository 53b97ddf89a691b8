using System;
using System.Collections.Generic;
using System.Threading;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>What is wrong with a rented array at one place.</summary>
internal enum RentalMisuseKind
{
    ReturnedTwice,
    UsedAfterReturn,
    /// <summary><c>array.Length</c> passed as the amount of data.</summary>
    LengthAsDataLength,
    /// <summary>The whole array (or a view over all of it) used as the data.</summary>
    WholeArrayAsData,
    NotReturned,
    ReturnedToOtherPool,
}

/// <summary>One misuse of one rental, and where to report it.</summary>
internal readonly struct RentalMisuse
{
    public RentalMisuse(RentalMisuseKind kind, Rental rental, SyntaxNode at, bool reachedByOtherRentals)
    {
        Kind = kind;
        Rental = rental;
        At = at;
        ReachedByOtherRentals = reachedByOtherRentals;
    }

    public RentalMisuseKind Kind { get; }
    public Rental Rental { get; }
    public SyntaxNode At { get; }
    /// <summary>Whether another rental of the same variable may also be the array used here (its requested size is then not known).</summary>
    public bool ReachedByOtherRentals { get; }
}

/// <summary>One <c>Rent</c> call whose result a local holds: the unit the rule tracks along each path.</summary>
internal sealed class Rental
{
    private readonly KnownSymbols _known;
    private string? _poolName;

    public Rental(int index, ILocalSymbol local, IInvocationOperation rent, PoolIdentity pool, KnownSymbols known)
    {
        Index = index;
        Local = local;
        Rent = rent;
        Pool = pool;
        _known = known;
    }

    public int Index { get; }
    public ILocalSymbol Local { get; }
    public IInvocationOperation Rent { get; }
    /// <summary>The <c>minimumLength</c> argument.</summary>
    public IOperation? RequestedSize => Rent.Arguments.Length > 0 ? Rent.Arguments[0].Value : null;
    public PoolIdentity Pool { get; }
    /// <summary>Whether ownership of the array leaves the function on some path (set by the path walk).</summary>
    public bool TransfersOwnership { get; internal set; }
    /// <summary>The pool as messages name it: <c>ArrayPool&lt;byte&gt;.Shared</c>, or the expression the code rents from (computed only when a message needs it).</summary>
    public string PoolName => _poolName ??= PoolRentals.PoolName(Rent.Instance, _known);
}

/// <summary>What the code shows about which pool an expression is.</summary>
internal enum PoolIdentityKind
{
    /// <summary>Nothing useful (a call, an element, …).</summary>
    Unknown,
    /// <summary>A known pool: <c>ArrayPool&lt;T&gt;.Shared</c>, or the pool one <c>ArrayPool&lt;T&gt;.Create()</c> call made.</summary>
    Definite,
    /// <summary>A parameter, field or property: the same name is the same pool, but different names may be too.</summary>
    Named,
}

/// <summary>Which pool an expression is, as far as the code shows; two pools are reported as different only when both are known.</summary>
internal readonly struct PoolIdentity
{
    public static readonly PoolIdentity Unknown = default;

    public PoolIdentity(PoolIdentityKind kind, object key)
    {
        Kind = kind;
        Key = key;
    }

    public PoolIdentityKind Kind { get; }
    /// <summary>A symbol, or the syntax of the <c>Create</c> call that made the pool.</summary>
    public object? Key { get; }

    /// <summary>Whether the code shows that two pools are not the same one.</summary>
    public static bool AreProvablyDifferent(PoolIdentity a, PoolIdentity b) =>
        a.Kind == PoolIdentityKind.Definite && b.Kind == PoolIdentityKind.Definite && !KeysEqual(a.Key, b.Key);

    private static bool KeysEqual(object? a, object? b) =>
        a is ISymbol x && b is ISymbol y ? SymbolEqualityComparer.Default.Equals(x, y) : Equals(a, b);
}

/// <summary>
/// Which arrays of one function are rented from an <c>ArrayPool&lt;T&gt;</c> and held by a local, and what happens to
/// each of them on each path of the function's control-flow graph: returned twice, used after its return, returned to
/// another pool, read with its rented length, or not returned (including on exceptional paths, when no <c>finally</c>
/// returns it). Ownership transfers (returned from the function, stored, captured, given to a method that may keep it)
/// end the tracking of a rental on that path.
/// </summary>
internal sealed partial class PoolRentals
{
    private readonly KnownSymbols _known;
    private readonly NonRetainingMethods _userBorrowers;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Rental> _rentals = new();
    /// <summary>Rentals by the local that holds them.</summary>
    private readonly Dictionary<ILocalSymbol, List<Rental>> _rentalsByLocal = new(SymbolEqualityComparer.Default);

    private PoolRentals(KnownSymbols known, NonRetainingMethods userBorrowers, CancellationToken cancellationToken)
    {
        _known = known;
        _userBorrowers = userBorrowers;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// The misuses of the arrays rented by <paramref name="rents"/> (calls of one body, with a local holding the
    /// array). Each function (the body, a lambda, a local function) is walked on its own graph:
    /// <paramref name="graphOfRoot"/> gives the body's graph, nested functions' graphs are reached through it.
    /// </summary>
    public static List<RentalMisuse> FindMisuses(
        IReadOnlyList<IInvocationOperation> rents,
        Func<IOperation, ControlFlowGraph?> graphOfRoot,
        KnownSymbols known,
        NonRetainingMethods userBorrowers,
        CancellationToken cancellationToken) =>
        FindMisuses(rents, graphOfRoot, known, userBorrowers, allowShortcut: true, out _, cancellationToken);

    /// <summary>
    /// As above; without <paramref name="allowShortcut"/> every function goes through the path walk (the tests check
    /// that both find the same), and <paramref name="shortcuts"/> counts the functions that did not need it.
    /// </summary>
    internal static List<RentalMisuse> FindMisuses(
        IReadOnlyList<IInvocationOperation> rents,
        Func<IOperation, ControlFlowGraph?> graphOfRoot,
        KnownSymbols known,
        NonRetainingMethods userBorrowers,
        bool allowShortcut,
        out int shortcuts,
        CancellationToken cancellationToken)
    {
        shortcuts = 0;
        var misuses = new List<RentalMisuse>();
        var byFunction = new Dictionary<IOperation, List<IInvocationOperation>>();
        foreach (var rent in rents)
        {
            var function = GetEnclosingFunction(rent);
            if (!byFunction.TryGetValue(function, out var ofFunction))
            {
                ofFunction = new List<IInvocationOperation>();
                byFunction.Add(function, ofFunction);
            }

            ofFunction.Add(rent);
        }

        foreach (var pair in byFunction)
        {
            // The rentals and their references first: when every rental is returned in its own finally, nothing is
            // left to find and the graph is not built.
            var analysis = new PoolRentals(known, userBorrowers, cancellationToken);
            if (!analysis.FindRentals(pair.Key, pair.Value, out var references))
            {
                continue;
            }

            if (allowShortcut && analysis.EveryRentalIsReturnedInItsOwnFinally(references))
            {
                shortcuts++;
            }
            else if (GetGraph(pair.Key, graphOfRoot, cancellationToken) is { } graph)
            {
                analysis.FollowPaths(graph, misuses);
            }
        }

        return misuses;
    }

    /// <summary>
    /// For code fixes: the misuses in the body that contains <paramref name="operation"/>, found as the analyzer finds
    /// them, in the document as it is now.
    /// </summary>
    public static List<RentalMisuse> FindMisusesAround(IOperation operation, KnownSymbols known, NonRetainingMethods userBorrowers, CancellationToken cancellationToken) =>
        FindMisusesAround(operation, known, userBorrowers, allowShortcut: true, out _, cancellationToken);

    internal static List<RentalMisuse> FindMisusesAround(IOperation operation, KnownSymbols known, NonRetainingMethods userBorrowers, bool allowShortcut, out int shortcuts, CancellationToken cancellationToken)
    {
        var rents = RentsOfBody(operation, known);
        return FindMisuses(rents, body => CreateGraph(body, cancellationToken), known, userBorrowers, allowShortcut, out shortcuts, cancellationToken);
    }

    /// <summary>
    /// The rentals held in a local (<see cref="IsHeldRent"/>) in the body that contains <paramref name="operation"/>,
    /// nested functions included, in the order of the operation tree.
    /// </summary>
    public static List<IInvocationOperation> RentsOfBody(IOperation operation, KnownSymbols known)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var rents = new List<IInvocationOperation>();
        foreach (var descendant in root.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation invocation && IsHeldRent(invocation, known))
            {
                rents.Add(invocation);
            }
        }

        return rents;
    }

    /// <summary>A <c>Rent</c> whose array is kept in a local: the rentals the analysis follows.</summary>
    public static bool IsHeldRent(IInvocationOperation invocation, KnownSymbols known) =>
        IsRent(invocation, known) && GetHoldingLocal(invocation) is not null;

    /// <summary>The graph of a body's root operation, for the kinds of roots a control-flow graph is built for.</summary>
    private static ControlFlowGraph? CreateGraph(IOperation root, CancellationToken cancellationToken) => root switch
    {
        IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IBlockOperation { Parent: null } block => ControlFlowGraph.Create(block, cancellationToken),
        IFieldInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
        IPropertyInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
        IParameterInitializerOperation initializer => ControlFlowGraph.Create(initializer, cancellationToken),
        _ => null,
    };

    /// <summary>Whether a control-flow graph can be built for <paramref name="root"/>.</summary>
    private static bool IsGraphRoot(IOperation root) =>
        root.Parent is null &&
        root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block or
            OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer;

    /// <summary>The lambda or local function that runs <paramref name="operation"/>, or the root of the body.</summary>
    private static IOperation GetEnclosingFunction(IOperation operation)
    {
        var current = operation;
        for (var parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }
        }

        return current;
    }

    /// <summary>The graph of a function: the body's from <paramref name="graphOfRoot"/>, nested ones through their parents' graphs.</summary>
    private static ControlFlowGraph? GetGraph(IOperation function, Func<IOperation, ControlFlowGraph?> graphOfRoot, CancellationToken cancellationToken)
    {
        switch (function)
        {
            case ILocalFunctionOperation local:
                if (GetGraph(GetEnclosingFunction(local), graphOfRoot, cancellationToken) is not { } outer)
                {
                    return null;
                }

                foreach (var candidate in outer.LocalFunctions)
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate, local.Symbol))
                    {
                        return outer.GetLocalFunctionControlFlowGraph(candidate, cancellationToken);
                    }
                }

                return null;
            case IAnonymousFunctionOperation lambda:
                return GetGraph(GetEnclosingFunction(lambda), graphOfRoot, cancellationToken) is { } parent &&
                       FindAnonymousFunction(parent, lambda.Symbol) is { } flow
                    ? parent.GetAnonymousFunctionControlFlowGraph(flow, cancellationToken)
                    : null;
            default:
                return IsGraphRoot(function) ? graphOfRoot(function) : null;
        }
    }

    private static IFlowAnonymousFunctionOperation? FindAnonymousFunction(ControlFlowGraph graph, IMethodSymbol symbol)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (FindAnonymousFunction(operation, symbol) is { } found)
                {
                    return found;
                }
            }

            if (block.BranchValue is { } value && FindAnonymousFunction(value, symbol) is { } inBranch)
            {
                return inBranch;
            }
        }

        return null;
    }

    private static IFlowAnonymousFunctionOperation? FindAnonymousFunction(IOperation operation, IMethodSymbol symbol)
    {
        if (operation is IFlowAnonymousFunctionOperation flow && SymbolEqualityComparer.Default.Equals(flow.Symbol, symbol))
        {
            return flow;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (FindAnonymousFunction(child, symbol) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="invocation"/> is <c>Rent</c> of an <c>ArrayPool&lt;T&gt;</c>.</summary>
    public static bool IsRent(IInvocationOperation invocation, KnownSymbols known) =>
        invocation.TargetMethod.Name == "Rent" && IsArrayPoolMember(invocation.TargetMethod, known);

    /// <summary>Whether <paramref name="invocation"/> is <c>Return</c> of an <c>ArrayPool&lt;T&gt;</c>.</summary>
    public static bool IsReturn(IInvocationOperation invocation, KnownSymbols known) =>
        invocation.TargetMethod.Name == "Return" && IsArrayPoolMember(invocation.TargetMethod, known);

    /// <summary>Whether <paramref name="type"/> is <c>ArrayPool&lt;T&gt;</c> or derives from it.</summary>
    public static bool IsArrayPool(ITypeSymbol? type, KnownSymbols known)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (KnownSymbols.IsType(current.OriginalDefinition, known.ArrayPool))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsArrayPoolMember(IMethodSymbol method, KnownSymbols known) =>
        !method.IsStatic && IsArrayPool(method.ContainingType, known);

    /// <summary>
    /// The local that holds the result of <paramref name="rent"/> directly (<c>var a = pool.Rent(n);</c> or
    /// <c>a = pool.Rent(n);</c>), or null when the array goes anywhere else.
    /// </summary>
    public static ILocalSymbol? GetHoldingLocal(IInvocationOperation rent)
    {
        IOperation value = rent;
        while (value.Parent is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion;
        }

        var local = value.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == value => target.Local,
            _ => null,
        };
        return local is { RefKind: RefKind.None, Type: IArrayTypeSymbol } ? local : null;
    }

    /// <summary>Registers a rental for every rent held by a local of this function that no nested function captures.</summary>
    private bool FindRentals(IOperation function, List<IInvocationOperation> rents, out List<IOperation> references)
    {
        references = new List<IOperation>();
        var functionSymbol = function switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            ILocalFunctionOperation local => local.Symbol,
            _ => null,
        };
        var held = new List<(ILocalSymbol Local, IInvocationOperation Rent)>();
        var locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var rent in rents)
        {
            // A rent in a lambda that assigns a local of the enclosing function is a capture, not a rental of the lambda.
            if (GetHoldingLocal(rent) is { } local &&
                (functionSymbol is null
                    ? local.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction }
                    : SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, functionSymbol)))
            {
                held.Add((local, rent));
                locals.Add(local);
            }
        }

        if (held.Count == 0)
        {
            return false;
        }

        references = CollectReferences(function, locals);
        foreach (var (local, rent) in held)
        {
            if (_capturedLocals.Contains(local))
            {
                continue;
            }

            if (!_rentalsByLocal.TryGetValue(local, out var ofLocal))
            {
                ofLocal = new List<Rental>();
                _rentalsByLocal.Add(local, ofLocal);
            }

            var rental = new Rental(_rentals.Count, local, rent, IdentifyPool(rent.Instance), _known);
            ofLocal.Add(rental);
            _rentals.Add(rental);
        }

        if (_rentals.Count == 0)
        {
            return false;
        }

        ClassifyReferences(references);
        return true;
    }

    // ---- pools -------------------------------------------------------------------------------------------------

    /// <summary>Which pool <paramref name="pool"/> (the receiver of <c>Rent</c> or <c>Return</c>) is.</summary>
    private PoolIdentity IdentifyPool(IOperation? pool, int depth = 0)
    {
        while (pool is IConversionOperation { IsImplicit: true } conversion)
        {
            pool = conversion.Operand;
        }

        switch (pool)
        {
            case IPropertyReferenceOperation { Property: { Name: "Shared", IsStatic: true } shared } when IsArrayPool(shared.ContainingType, _known):
                return new PoolIdentity(PoolIdentityKind.Definite, shared);
            case IInvocationOperation { TargetMethod: { Name: "Create", IsStatic: true } create } when IsArrayPool(create.ContainingType, _known):
                return new PoolIdentity(PoolIdentityKind.Definite, pool.Syntax);
            case ILocalReferenceOperation local:
                return depth < 4 && _poolLocalInitializers.TryGetValue(local.Local, out var initializer) && initializer is not null
                    ? IdentifyPool(initializer, depth + 1) is { Kind: not PoolIdentityKind.Unknown } resolved ? resolved : new PoolIdentity(PoolIdentityKind.Named, local.Local)
                    : new PoolIdentity(PoolIdentityKind.Named, local.Local);
            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                return IdentifyField(field.Field);
            case IParameterReferenceOperation parameter:
                return new PoolIdentity(PoolIdentityKind.Named, parameter.Parameter);
            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Arguments.Length: 0 } property:
                return new PoolIdentity(PoolIdentityKind.Named, property.Property);
            default:
                return PoolIdentity.Unknown;
        }
    }

    /// <summary>
    /// A readonly field initialized with <c>ArrayPool&lt;T&gt;.Shared</c> is that pool, one initialized with
    /// <c>ArrayPool&lt;T&gt;.Create(…)</c> is a pool of its own; any other field is only known by name. The initializer
    /// is read from syntax, so no other tree's semantic model is needed.
    /// </summary>
    private static PoolIdentity IdentifyField(IFieldSymbol field)
    {
        if (field.IsReadOnly && field.DeclaringSyntaxReferences.Length == 1 &&
            field.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: var value })
        {
            switch (value)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Shared", Expression: var type }
                    when IsArrayPoolName(type) && field.Type is INamedTypeSymbol poolType:
                    foreach (var member in poolType.GetMembers("Shared"))
                    {
                        if (member is IPropertySymbol { IsStatic: true })
                        {
                            return new PoolIdentity(PoolIdentityKind.Definite, member);
                        }
                    }

                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
                {
                    Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Create", Expression: var type },
                } when IsArrayPoolName(type):
                    return new PoolIdentity(PoolIdentityKind.Definite, field);
            }
        }

        return new PoolIdentity(PoolIdentityKind.Named, field);
    }

    private static bool IsArrayPoolName(SyntaxNode type) => type switch
    {
        Microsoft.CodeAnalysis.CSharp.Syntax.GenericNameSyntax generic => generic.Identifier.ValueText == "ArrayPool",
        Microsoft.CodeAnalysis.CSharp.Syntax.QualifiedNameSyntax qualified => IsArrayPoolName(qualified.Right),
        Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => IsArrayPoolName(access.Name),
        Microsoft.CodeAnalysis.CSharp.Syntax.AliasQualifiedNameSyntax alias => IsArrayPoolName(alias.Name),
        _ => false,
    };

    internal static string PoolName(IOperation? pool, KnownSymbols known)
    {
        while (pool is IConversionOperation { IsImplicit: true } conversion)
        {
            pool = conversion.Operand;
        }

        if (pool is IPropertyReferenceOperation { Property: { Name: "Shared", IsStatic: true } shared } &&
            shared.ContainingType is { TypeArguments.Length: 1 } poolType && IsArrayPool(poolType, known))
        {
            return "ArrayPool<" + poolType.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">.Shared";
        }

        return pool?.Syntax.ToString() ?? "the pool";
    }
}
