using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>What one reference to a long-lived collection member does with it.</summary>
internal enum CollectionUseKind
{
    /// <summary>Reads it without keeping it or observing its order: <c>Count</c>, <c>TryGetValue</c>, <c>ContainsKey</c>, an indexer read.</summary>
    Read,
    /// <summary>Observes its entries in order: <c>foreach</c>, <c>Keys</c>/<c>Values</c>, <c>CopyTo</c>, LINQ that runs at once.</summary>
    Enumerate,
    /// <summary>Adds entries: <c>Add</c>, <c>TryAdd</c>, an indexer set, <c>AddRange</c>, <c>Enqueue</c>, <c>Push</c>, <c>UnionWith</c>, …</summary>
    Fill,
    /// <summary><c>Clear()</c>.</summary>
    Clear,
    /// <summary>Removes entries: <c>Remove</c>, <c>TryRemove</c>, <c>RemoveWhere</c>, <c>RemoveAll</c>, <c>RemoveAt</c>, …</summary>
    Remove,
    /// <summary>Releases or bounds capacity: <c>TrimExcess</c>, a <c>Capacity</c> set.</summary>
    Trim,
    /// <summary>The member is assigned.</summary>
    Assign,
    /// <summary>The reference is handed out: returned, passed, stored elsewhere, locked on, captured in a local, a live <c>Keys</c> view kept.</summary>
    Escape,
}

/// <summary>One reference to a long-lived collection member, classified.</summary>
internal sealed class CollectionUse
{
    /// <summary>The loop or call that enumerates the collection, for an enumeration.</summary>
    private readonly IOperation? _enumeration;

    /// <summary><see cref="MayMutateWhileEnumerating"/>, once asked: 0 not yet, 1 false, 2 true.</summary>
    private int _mayMutate;

    public CollectionUse(IOperation reference, CollectionUseKind kind, IInvocationOperation? call, ISymbol? containingMember, bool inNestedFunction, IOperation? enumeration)
    {
        Reference = reference;
        Kind = kind;
        Call = call;
        ContainingMember = containingMember;
        InNestedFunction = inNestedFunction;
        _enumeration = enumeration;
    }

    /// <summary>The field or property reference.</summary>
    public IOperation Reference { get; }

    /// <summary>The use added to the same <see cref="MemberUses"/> before this one (set once, as it is added).</summary>
    internal CollectionUse? AddedBefore { get; set; }

    public CollectionUseKind Kind { get; }

    /// <summary>The collection method called on the member (<c>Clear</c>, <c>Remove</c>, …), when the use is a call.</summary>
    public IInvocationOperation? Call { get; }

    /// <summary>The method, accessor, constructor or initialized member the reference is in (lambdas and local functions count as their member).</summary>
    public ISymbol? ContainingMember { get; }

    /// <summary>Inside a lambda or local function, which may run at any later time.</summary>
    public bool InNestedFunction { get; }

    /// <summary>
    /// An enumeration whose body calls code of the user's (or mutates the member), which may change the collection
    /// mid-enumeration. Only fixes ask, so it is found when first asked, not for every reference the analyzers see.
    /// </summary>
    public bool MayMutateWhileEnumerating
    {
        get
        {
            // Two threads asking at once find the same answer.
            if (_mayMutate == 0)
            {
                _mayMutate = _enumeration is not null && LongLivedCollections.MayMutate(_enumeration, LongLivedCollections.AsMember(Reference)) ? 2 : 1;
            }

            return _mayMutate == 2;
        }
    }

    /// <summary>In a constructor or an initializer, where the object is still being built.</summary>
    public bool InConstructor => !InNestedFunction && ContainingMember switch
    {
        IMethodSymbol method => method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor,
        IFieldSymbol or IPropertySymbol => true,
        _ => false,
    };

    /// <summary>In <c>Dispose</c>, <c>DisposeAsync</c> or a finalizer, after which the object is not used.</summary>
    public bool InTeardown => ContainingMember is IMethodSymbol method &&
        (method.MethodKind == MethodKind.Destructor || method.Name is "Dispose" or "DisposeAsync");

    public int Position => Reference.Syntax.SpanStart;

    public SyntaxTree Tree => Reference.Syntax.SyntaxTree;

    /// <summary>The value assigned, for <see cref="CollectionUseKind.Assign"/>.</summary>
    public IOperation? AssignedValue => Reference.Parent is IAssignmentOperation assignment && assignment.Target == Reference ? assignment.Value : null;
}

/// <summary>
/// Every classified reference to one member, as a rule gathers them over its containing type. Operation actions for
/// the type's members run in parallel and add to it without a lock: each use is pushed onto a chain with a
/// compare-and-swap, so that no callback waits for another.
/// </summary>
internal sealed class MemberUses
{
    /// <summary>The use added last; each use links to the one added before it.</summary>
    private CollectionUse? _last;

    /// <summary>One bit per <see cref="CollectionUseKind"/> seen, so that a rule can pass over a member without sorting its uses.</summary>
    private int _kinds;

    public MemberUses(ISymbol member, ITypeSymbol type, CollectionKind kind, INamedTypeSymbol framework)
    {
        Member = member;
        Type = type;
        Kind = kind;
        Framework = framework;
    }

    /// <summary>The field or auto-property.</summary>
    public ISymbol Member { get; }

    /// <summary>The member's declared type.</summary>
    public ITypeSymbol Type { get; }

    public CollectionKind Kind { get; }

    /// <summary>The framework collection type the member's type is or derives from.</summary>
    public INamedTypeSymbol Framework { get; }

    public void Add(CollectionUse use)
    {
        CollectionUse? last;
        do
        {
            last = Volatile.Read(ref _last);
            use.AddedBefore = last;
        }
        while (Interlocked.CompareExchange(ref _last, use, last) != last);

        var bit = 1 << (int)use.Kind;
        int kinds;
        do
        {
            kinds = Volatile.Read(ref _kinds);
        }
        while ((kinds & bit) == 0 && Interlocked.CompareExchange(ref _kinds, kinds | bit, kinds) != kinds);
    }

    /// <summary>Whether some reference does <paramref name="kind"/> with the member (in a constructor or not).</summary>
    public bool Has(CollectionUseKind kind) => (Volatile.Read(ref _kinds) & (1 << (int)kind)) != 0;

    /// <summary>A snapshot of the uses, in source order.</summary>
    public List<CollectionUse> ToList()
    {
        var copy = new List<CollectionUse>();
        for (var use = Volatile.Read(ref _last); use is not null; use = use.AddedBefore)
        {
            copy.Add(use);
        }

        copy.Sort((a, b) => a.Tree == b.Tree ? a.Position.CompareTo(b.Position) : string.CompareOrdinal(a.Tree.FilePath, b.Tree.FilePath));

        // A reference seen both by an operation action and by reading a declaration counts once.
        var distinct = new List<CollectionUse>(copy.Count);
        foreach (var use in copy)
        {
            if (distinct.Count == 0 || distinct[distinct.Count - 1] is not { } last || last.Tree != use.Tree || last.Reference.Syntax.Span != use.Reference.Syntax.Span)
            {
                distinct.Add(use);
            }
        }

        return distinct;
    }
}

/// <summary>
/// Questions about collections held by fields and auto-properties, which live as long as their object (or the process):
/// which members are such collections, what each reference does with one (fills, clears, removes from, trims, hands it
/// out), and where ALLOC010 and ALLOC011 apply. Shared by both rules and their fixes.
/// </summary>
internal static class LongLivedCollections
{
    /// <summary>LINQ operators that enumerate their source at once and keep no reference to it.</summary>
    private static bool IsImmediateLinq(string name) => name is
        "Aggregate" or "All" or "Any" or "Average" or "Contains" or "Count" or "ElementAt" or "ElementAtOrDefault" or "First" or "FirstOrDefault" or
        "Last" or "LastOrDefault" or "LongCount" or "Max" or "MaxBy" or "Min" or "MinBy" or "SequenceEqual" or "Single" or "SingleOrDefault" or "Sum" or
        "ToArray" or "ToDictionary" or "ToHashSet" or "ToList" or "ToLookup";

    /// <summary>The collection kinds ALLOC010 reports: those whose <c>Clear()</c> keeps the storage (<c>ConcurrentDictionary.Clear()</c> shrinks).</summary>
    public static bool KeepsCapacityAfterClear(CollectionKind kind) => kind is not CollectionKind.None and not CollectionKind.ConcurrentDictionary;

    /// <summary>The collection kinds ALLOC011 reports: caches that evict by key or index (queues and stacks are drained, not evicted).</summary>
    public static bool EvictsEntries(CollectionKind kind) =>
        kind is CollectionKind.Dictionary or CollectionKind.HashSet or CollectionKind.List or CollectionKind.SortedList or CollectionKind.ConcurrentDictionary;

    /// <summary>Whether enumeration order depends on the storage layout, so that rebuilding or trimming after removals could change it.</summary>
    public static bool IsHashBased(CollectionKind kind) => kind is CollectionKind.Dictionary or CollectionKind.HashSet or CollectionKind.ConcurrentDictionary;

    private static readonly ImmutableArray<OperationKind> FieldReferences = ImmutableArray.Create(OperationKind.FieldReference);

    private static readonly ImmutableArray<OperationKind> FieldAndPropertyReferences = ImmutableArray.Create(OperationKind.FieldReference, OperationKind.PropertyReference);

    /// <summary>
    /// Registers, for each named type with a field or auto-property of a collection kind <paramref name="kinds"/> accepts,
    /// the gathering of every reference to such members in the type and its nested types, and <paramref name="onEnd"/>
    /// once all are seen. Types that neither hold nor can see such a member cost one pass over their member list.
    /// </summary>
    /// <remarks>
    /// The actions a type registers at its symbol start do not run in its nested types (the driver passes a container's
    /// per-symbol actions to its members only when their kinds differ), yet a nested type may use its containers' private
    /// collections. So each nested type gathers the uses of its containers' candidates with actions of its own, over the
    /// operation trees the driver builds anyway, into the same <see cref="MemberUses"/>: the candidates of every type that
    /// nests or is nested are kept per compilation, found by whichever of them starts first. The driver runs a type's
    /// symbol end after its nested types have completed, and a nested type with a symbol-end action completes only after
    /// its own members; so every nested type that can see a candidate registers one. A nested type whose actions never
    /// started (generated code) is read from its declarations at its container's end instead.
    /// </remarks>
    public static void RegisterMemberUses(CompilationStartAnalysisContext start, CollectionSymbols symbols, Func<CollectionKind, bool> kinds, Action<SymbolAnalysisContext, MemberUses> onEnd)
    {
        var nestingCandidates = new ConcurrentDictionary<INamedTypeSymbol, Dictionary<ISymbol, MemberUses>?>(SymbolEqualityComparer.Default);
        var gatheringNestedTypes = new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
        Func<INamedTypeSymbol, Dictionary<ISymbol, MemberUses>?> find = type => FindCandidates(type, symbols, kinds);
        start.RegisterSymbolStartAction(
            symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
                {
                    return;
                }

                var nests = type.GetTypeMembers().Length > 0;
                var shared = type.ContainingType is not null || nests;
                var own = shared ? nestingCandidates.GetOrAdd(type, find) : find(type);
                var seen = own;
                for (var container = type.ContainingType; container is not null; container = container.ContainingType)
                {
                    if (nestingCandidates.GetOrAdd(container, find) is { } theirs)
                    {
                        seen = Merge(seen == own && own is not null ? new Dictionary<ISymbol, MemberUses>(own, SymbolEqualityComparer.Default) : seen, theirs);
                    }
                }

                if (seen is null)
                {
                    return;
                }

                if (seen != own)
                {
                    gatheringNestedTypes.TryAdd(type, true);
                }

                var names = NamesOf(seen, out var anyProperty);
                symbolStart.RegisterOperationAction(
                    c =>
                    {
                        // Most references in the type are to other members (and to members of other types: a Count, a
                        // Length); their names rule them out before any symbol is compared.
                        if (MayReferToOneOf(c.Operation, names) &&
                            AsMember(c.Operation) is { } member && seen.TryGetValue(member, out var uses))
                        {
                            uses.Add(Classify(c.Operation, c.ContainingSymbol));
                        }
                    },
                    // Property references (Count, Length, every property of every object) far outnumber field references;
                    // they are only asked about when an auto-property is a candidate.
                    anyProperty ? FieldAndPropertyReferences : FieldReferences);

                // Registered for a nested type without candidates of its own too: it holds its containers' ends back until
                // its own members have been seen.
                symbolStart.RegisterSymbolEndAction(end =>
                {
                    if (own is null)
                    {
                        return;
                    }

                    if (nests)
                    {
                        ReadNestedTypesThatDidNotGather((INamedTypeSymbol)end.Symbol, own, gatheringNestedTypes, end.Compilation, end.CancellationToken);
                    }

                    foreach (var uses in own.Values)
                    {
                        onEnd(end, uses);
                    }

                    // Every nested type has started by now (this end waited for them): the uses, and the operations they
                    // hold, are not kept for the rest of the compilation.
                    if (shared)
                    {
                        nestingCandidates.TryRemove(type, out _);
                    }
                });
            },
            SymbolKind.NamedType);
    }

    private static Dictionary<ISymbol, MemberUses> Merge(Dictionary<ISymbol, MemberUses>? into, Dictionary<ISymbol, MemberUses> from)
    {
        into ??= new Dictionary<ISymbol, MemberUses>(SymbolEqualityComparer.Default);
        foreach (var pair in from)
        {
            into[pair.Key] = pair.Value;
        }

        return into;
    }

    /// <summary>
    /// The uses of <paramref name="candidates"/> in nested types whose own actions did not gather them (the driver runs
    /// none in generated code), read from their declarations; nested types that gathered are looked into for theirs.
    /// </summary>
    private static void ReadNestedTypesThatDidNotGather(
        INamedTypeSymbol type,
        Dictionary<ISymbol, MemberUses> candidates,
        ConcurrentDictionary<INamedTypeSymbol, bool> gatheringNestedTypes,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        foreach (var nested in type.GetTypeMembers())
        {
            if (nested.TypeKind is TypeKind.Enum or TypeKind.Delegate)
            {
                continue;
            }

            if (gatheringNestedTypes.ContainsKey(nested))
            {
                ReadNestedTypesThatDidNotGather(nested, candidates, gatheringNestedTypes, compilation, cancellationToken);
                continue;
            }

            foreach (var declaration in nested.DeclaringSyntaxReferences)
            {
                var node = declaration.GetSyntax(cancellationToken);
                if (compilation.ContainsSyntaxTree(node.SyntaxTree))
                {
#pragma warning disable RS1030 // Read only for nested types the driver ran no actions in.
                    CollectUses(node, compilation.GetSemanticModel(node.SyntaxTree), candidates, cancellationToken);
#pragma warning restore RS1030
                }
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="candidates"/> every reference to one of them within <paramref name="node"/> (a declaration,
    /// nested types included), found by name and classified.
    /// </summary>
    public static void CollectUses(SyntaxNode node, SemanticModel model, Dictionary<ISymbol, MemberUses> candidates, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in candidates.Keys)
        {
            names.Add(member.Name);
        }

        foreach (var identifier in node.DescendantNodes())
        {
            if (identifier is not IdentifierNameSyntax name || !names.Contains(name.Identifier.ValueText))
            {
                continue;
            }

            SyntaxNode referenceSyntax = name.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Name == name => access,
                MemberBindingExpressionSyntax binding => binding,
                _ => name,
            };
            if (model.GetOperation(referenceSyntax, cancellationToken) is IMemberReferenceOperation reference &&
                AsMember(reference) is { } referenced && candidates.TryGetValue(referenced, out var uses))
            {
                uses.Add(Classify(reference, model.GetEnclosingSymbol(referenceSyntax.SpanStart, cancellationToken)));
            }
        }
    }

    /// <summary>
    /// The names of the candidate members (one to a few), for <see cref="MayReferToOneOf"/>, and whether any of them is
    /// an auto-property (referenced by property references; a field is referenced by field references only).
    /// </summary>
    private static string[] NamesOf(Dictionary<ISymbol, MemberUses> candidates, out bool anyProperty)
    {
        var names = new string[candidates.Count];
        var i = 0;
        anyProperty = false;
        foreach (var member in candidates.Keys)
        {
            names[i++] = member.Name;
            anyProperty |= member is IPropertySymbol;
        }

        return names;
    }

    /// <summary>
    /// Whether a field or property reference may be to one of the members named <paramref name="names"/>: false only
    /// when its name is none of them. A compiler-generated backing field (named after no member) may be to one of them.
    /// </summary>
    private static bool MayReferToOneOf(IOperation reference, string[] names)
    {
        var name = reference switch
        {
            IFieldReferenceOperation { Field: { IsImplicitlyDeclared: false } field } => field.Name,
            IPropertyReferenceOperation { Property: var property } => property.Name,
            _ => null,
        };
        if (name is null)
        {
            return true;
        }

        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The members of <paramref name="type"/> that are long-lived collections of an accepted kind, or null when there are none.</summary>
    public static Dictionary<ISymbol, MemberUses>? FindCandidates(INamedTypeSymbol type, CollectionSymbols symbols, Func<CollectionKind, bool> kinds)
    {
        Dictionary<ISymbol, MemberUses>? result = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not IFieldSymbol field)
            {
                continue;
            }

            // An auto-property is seen through its backing field.
            ISymbol candidate = field.AssociatedSymbol is IPropertySymbol property ? property : field;
            if (AsCandidate(candidate, symbols) is { } uses && kinds(uses.Kind))
            {
                (result ??= new Dictionary<ISymbol, MemberUses>(SymbolEqualityComparer.Default))[candidate] = uses;
            }
        }

        return result;
    }

    /// <summary>A fresh <see cref="MemberUses"/> when <paramref name="member"/> is a field or auto-property of a collection type.</summary>
    public static MemberUses? AsCandidate(ISymbol member, CollectionSymbols symbols)
    {
        var type = member switch
        {
            IFieldSymbol { IsConst: false, IsImplicitlyDeclared: false } field => field.Type,
            IPropertySymbol { IsIndexer: false } property => property.Type,
            _ => null,
        };

        // The type first: it is cheap, and rules out almost every member; the syntax of a property only after it.
        return type is not null && symbols.KindOf(type, out var framework) is var kind && kind != CollectionKind.None &&
               (member is not IPropertySymbol autoProperty || IsAutoProperty(autoProperty))
            ? new MemberUses(member, type, kind, framework!)
            : null;
    }

    /// <summary>A property whose every declared accessor has no body: its value is its backing field.</summary>
    public static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.Length != 1 ||
            property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax { AccessorList: { } accessors, ExpressionBody: null })
        {
            return false;
        }

        foreach (var accessor in accessors.Accessors)
        {
            if (accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The member a field or property reference refers to (its definition; a backing field as its property), or null.</summary>
    public static ISymbol? AsMember(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Field: var field } => field.AssociatedSymbol is IPropertySymbol property ? property.OriginalDefinition : field.OriginalDefinition,
        IPropertyReferenceOperation { Property: { IsIndexer: false } property } => property.OriginalDefinition,
        _ => null,
    };

    /// <summary>Classifies one reference to a long-lived collection member; <paramref name="containingSymbol"/> is the symbol whose code holds it.</summary>
    public static CollectionUse Classify(IOperation reference, ISymbol? containingSymbol)
    {
        var inNestedFunction = false;
        for (var ancestor = reference.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ancestor is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                inNestedFunction = true;
                break;
            }
        }

        // Lambdas and local functions belong to the member that declares them.
        while (containingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } nested)
        {
            inNestedFunction = true;
            containingSymbol = nested.ContainingSymbol;
        }

        var kind = ClassifyKind(reference, out var call, out var enumeration);
        return new CollectionUse(reference, kind, call, containingSymbol, inNestedFunction, enumeration);
    }

    private static CollectionUseKind ClassifyKind(IOperation reference, out IInvocationOperation? call, out IOperation? enumeration)
    {
        call = null;
        enumeration = null;
        var parent = reference.Parent;
        switch (parent)
        {
            case null:
            case INameOfOperation:
            case IIsPatternOperation or IIsTypeOperation or IBinaryOperation:
                return CollectionUseKind.Read;
            case IInvocationOperation invocation when invocation.Instance == reference:
                call = invocation;
                var callKind = ClassifyCall(invocation.TargetMethod);
                if (callKind == CollectionUseKind.Enumerate)
                {
                    enumeration = invocation;
                }

                return callKind;
            case IPropertyReferenceOperation property when property.Instance == reference:
                if (property.Property.IsIndexer)
                {
                    return IsAssignmentTarget(property) ? CollectionUseKind.Fill : CollectionUseKind.Read;
                }

                return property.Property.Name switch
                {
                    "Capacity" when IsAssignmentTarget(property) => CollectionUseKind.Trim,
                    "Keys" or "Values" => ClassifyView(property, out enumeration),
                    _ => CollectionUseKind.Read,
                };
            case IMemberReferenceOperation member when member.Instance == reference:
                return CollectionUseKind.Read;
            case IAssignmentOperation assignment when assignment.Target == reference:
                return CollectionUseKind.Assign;
            case IConditionalAccessOperation conditional when conditional.Operation == reference:
                // _cache?.Clear() and the like: what it does, but never rewritten.
                if (conditional.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } conditionalCall)
                {
                    call = conditionalCall;
                    return ClassifyCall(conditionalCall.TargetMethod) is var k && k == CollectionUseKind.Enumerate ? CollectionUseKind.Escape : k;
                }

                return conditional.WhenNotNull is IPropertyReferenceOperation { Instance: IConditionalAccessInstanceOperation, Property.IsIndexer: false, Property.Name: not ("Keys" or "Values") }
                    ? CollectionUseKind.Read
                    : CollectionUseKind.Escape;
        }

        return ClassifyValueFlow(reference, out enumeration);
    }

    /// <summary>Where the collection itself (or a live view of it) flows as a value: enumerated on the spot, or handed out.</summary>
    private static CollectionUseKind ClassifyValueFlow(IOperation value, out IOperation? enumeration)
    {
        enumeration = null;
        var parent = value.Parent;
        while (parent is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion;
            parent = conversion.Parent;
        }

        switch (parent)
        {
            case IForEachLoopOperation loop when loop.Collection == value:
                enumeration = loop;
                return CollectionUseKind.Enumerate;
            case IArgumentOperation { Parent: IInvocationOperation invocation } when
                invocation.TargetMethod.IsExtensionMethod &&
                invocation.TargetMethod.ContainingType is { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } &&
                IsImmediateLinq(invocation.TargetMethod.Name):
                enumeration = invocation;
                return CollectionUseKind.Enumerate;
            default:
                return CollectionUseKind.Escape;
        }
    }

    /// <summary><c>Keys</c> or <c>Values</c>: a live view, read for its count, enumerated, or kept (which keeps the collection).</summary>
    private static CollectionUseKind ClassifyView(IPropertyReferenceOperation view, out IOperation? enumeration)
    {
        enumeration = null;
        switch (view.Parent)
        {
            case IPropertyReferenceOperation { Property.Name: "Count" } count when count.Instance == view:
                return CollectionUseKind.Read;
            case IInvocationOperation invocation when invocation.Instance == view:
                enumeration = invocation;
                return CollectionUseKind.Enumerate;
            default:
                return ClassifyValueFlow(view, out enumeration);
        }
    }

    private static CollectionUseKind ClassifyCall(IMethodSymbol method) => method.Name switch
    {
        "Clear" when method.Parameters.IsEmpty => CollectionUseKind.Clear,
        "Add" or "TryAdd" or "AddRange" or "Insert" or "InsertRange" or "Enqueue" or "Push" or "UnionWith" or "GetOrAdd" or "AddOrUpdate" or "SymmetricExceptWith" => CollectionUseKind.Fill,
        "Remove" or "TryRemove" or "RemoveWhere" or "RemoveAll" or "RemoveAt" or "RemoveRange" or "ExceptWith" or "IntersectWith" or "Dequeue" or "TryDequeue" or "Pop" or "TryPop" => CollectionUseKind.Remove,
        "TrimExcess" => CollectionUseKind.Trim,
        "GetEnumerator" or "CopyTo" or "ToArray" or "ForEach" => CollectionUseKind.Enumerate,
        _ => CollectionUseKind.Read,
    };

    private static bool IsAssignmentTarget(IOperation operation) =>
        operation.Parent is IAssignmentOperation assignment && assignment.Target == operation;

    /// <summary>
    /// Whether code that runs during an enumeration may change the collection: a loop body or callback that calls a
    /// method of the user's code, or calls a collection method on the member.
    /// </summary>
    internal static bool MayMutate(IOperation enumeration, ISymbol? member)
    {
        IEnumerable<IOperation> inside = enumeration switch
        {
            IForEachLoopOperation loop => loop.Body.DescendantsAndSelf(),
            IInvocationOperation invocation => invocation.Arguments.Length > 0 ? invocation.Descendants() : Array.Empty<IOperation>(),
            _ => Array.Empty<IOperation>(),
        };

        foreach (var operation in inside)
        {
            if (operation is IInvocationOperation call &&
                (!call.TargetMethod.Locations.IsEmpty && call.TargetMethod.Locations[0].IsInSource ||
                 call.Instance is { } instance && member is not null && SymbolEqualityComparer.Default.Equals(AsMember(instance), member)))
            {
                return true;
            }
        }

        return false;
    }

    // ---- the rules' questions --------------------------------------------------------------------------------------

    /// <summary>Filled somewhere other than a constructor or initializer.</summary>
    public static bool IsFilledAfterConstruction(List<CollectionUse> uses) => Any(uses, CollectionUseKind.Fill, afterConstruction: true);

    /// <summary>Trimmed or capacity-bounded somewhere other than a constructor.</summary>
    public static bool IsTrimmed(List<CollectionUse> uses) => Any(uses, CollectionUseKind.Trim, afterConstruction: true);

    /// <summary>Assigned somewhere other than a constructor or initializer (rebuilt).</summary>
    public static bool IsReassigned(List<CollectionUse> uses) => Any(uses, CollectionUseKind.Assign, afterConstruction: true);

    /// <summary>
    /// Whether the type was given the collection rather than making it: assigned a parameter (or a member of one), or
    /// initialized with a primary constructor's parameter. Whoever passed it in owns it and decides how long it lives,
    /// and others may enumerate it or read its capacity.
    /// </summary>
    public static bool IsReceived(MemberUses member, List<CollectionUse> uses)
    {
        foreach (var use in uses)
        {
            if (use.Kind == CollectionUseKind.Assign && use.AssignedValue is { } value && ComesFromParameter(value))
            {
                return true;
            }
        }

        foreach (var reference in member.Member.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            var initializer = declaration switch
            {
                VariableDeclaratorSyntax { Initializer.Value: { } v } => v,
                PropertyDeclarationSyntax { Initializer.Value: { } v } => v,
                _ => null,
            };
            if (initializer is not null && IsPrimaryConstructorParameter(initializer, declaration))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ComesFromParameter(IOperation value) => value switch
    {
        IConversionOperation conversion => ComesFromParameter(conversion.Operand),
        IParameterReferenceOperation => true,
        IMemberReferenceOperation { Instance: { } instance } => ComesFromParameter(instance),
        ICoalesceOperation coalesce => ComesFromParameter(coalesce.Value) || ComesFromParameter(coalesce.WhenNull),
        IConditionalOperation conditional => ComesFromParameter(conditional.WhenTrue) || conditional.WhenFalse is { } whenFalse && ComesFromParameter(whenFalse),
        _ => false,
    };

    private static bool IsPrimaryConstructorParameter(ExpressionSyntax value, SyntaxNode declaration)
    {
        // (map), map!, map ?? throw …, map ?? new(): the parameter is what is kept.
        while (true)
        {
            if (value is ParenthesizedExpressionSyntax parenthesized)
            {
                value = parenthesized.Expression;
            }
            else if (value is PostfixUnaryExpressionSyntax suppressed && suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression))
            {
                value = suppressed.Operand;
            }
            else if (value is BinaryExpressionSyntax coalesce && coalesce.IsKind(SyntaxKind.CoalesceExpression))
            {
                value = coalesce.Left;
            }
            else
            {
                break;
            }
        }

        if (value is not IdentifierNameSyntax { Identifier.ValueText: var name })
        {
            return false;
        }

        for (var node = declaration.Parent; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax type)
            {
                if (type.ParameterList is { } parameters)
                {
                    foreach (var parameter in parameters.Parameters)
                    {
                        if (parameter.Identifier.ValueText == name)
                        {
                            return true;
                        }
                    }
                }

                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether ALLOC010 can apply to <paramref name="member"/> at all: it is cleared and filled somewhere. Most members are
    /// neither, and are passed over before their uses are gathered and sorted.
    /// </summary>
    public static bool MayKeepCapacityAfterClear(MemberUses member) =>
        KeepsCapacityAfterClear(member.Kind) && member.Has(CollectionUseKind.Clear) && member.Has(CollectionUseKind.Fill);

    /// <summary>Whether ALLOC011 can apply to <paramref name="member"/> at all: it is filled and has entries removed somewhere.</summary>
    public static bool MayHaveRemovalsNeverShrunk(MemberUses member) =>
        EvictsEntries(member.Kind) && member.Has(CollectionUseKind.Remove) && member.Has(CollectionUseKind.Fill);

    /// <summary>ALLOC010: the <c>Clear()</c> calls that leave the capacity of the largest fill in place.</summary>
    public static List<CollectionUse> FindClearsKeepingCapacity(MemberUses member, List<CollectionUse> uses)
    {
        var result = new List<CollectionUse>();
        if (!KeepsCapacityAfterClear(member.Kind) || !IsFilledAfterConstruction(uses) || IsTrimmed(uses) || IsReceived(member, uses))
        {
            return result;
        }

        foreach (var clear in uses)
        {
            if (clear.Kind == CollectionUseKind.Clear && !clear.InConstructor && !clear.InTeardown && !IsFollowedInItsMember(clear, uses))
            {
                result.Add(clear);
            }
        }

        return result;
    }

    /// <summary>ALLOC011: the removals from a collection that is filled, has entries removed, and never shrinks.</summary>
    public static List<CollectionUse> FindRemovalsNeverShrunk(MemberUses member, List<CollectionUse> uses)
    {
        var result = new List<CollectionUse>();
        if (!EvictsEntries(member.Kind) || !IsFilledAfterConstruction(uses) || IsTrimmed(uses) || IsReassigned(uses) || IsReceived(member, uses) ||
            (member.Kind == CollectionKind.ConcurrentDictionary && Any(uses, CollectionUseKind.Clear, afterConstruction: true)))
        {
            return result;
        }

        foreach (var removal in uses)
        {
            if (removal.Kind == CollectionUseKind.Remove && !removal.InConstructor && !MakesRoom(removal, uses))
            {
                result.Add(removal);
            }
        }

        return result;
    }

    /// <summary>
    /// One entry removed, not in a loop, and an entry added after it in the same member: a bounded cache making room for
    /// what it adds, whose count does not fall. A removal in a loop or a bulk one (<c>RemoveAll</c>, <c>RemoveRange</c>,
    /// …) drains the collection, whatever is added after it.
    /// </summary>
    private static bool MakesRoom(CollectionUse removal, List<CollectionUse> uses) =>
        removal.Call?.TargetMethod.Name is "Remove" or "TryRemove" or "RemoveAt" &&
        Loops.GetLoopRunningEachIteration(removal.Reference) is null &&
        IsFollowedInItsMember(removal, uses);

    /// <summary>
    /// A clear or removal followed, in the same member, by a refill, a trim or a reassignment: reuse, a reset or a
    /// replacement, not a leak.
    /// </summary>
    private static bool IsFollowedInItsMember(CollectionUse emptying, List<CollectionUse> uses)
    {
        foreach (var use in uses)
        {
            if (use.Kind is CollectionUseKind.Fill or CollectionUseKind.Trim or CollectionUseKind.Assign &&
                use.Tree == emptying.Tree && use.Position > emptying.Position &&
                SymbolEqualityComparer.Default.Equals(use.ContainingMember, emptying.ContainingMember))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Any(List<CollectionUse> uses, CollectionUseKind kind, bool afterConstruction)
    {
        foreach (var use in uses)
        {
            if (use.Kind == kind && (!afterConstruction || !use.InConstructor))
            {
                return true;
            }
        }

        return false;
    }

    // ---- what the fixes need to know ------------------------------------------------------------------------------

    /// <summary>Whether any reference hands the collection (or a live view of it) out of the member.</summary>
    public static bool IsHandedOut(List<CollectionUse> uses) => Any(uses, CollectionUseKind.Escape, afterConstruction: false);

    /// <summary>Whether anything observes the collection's order.</summary>
    public static bool IsEnumerated(List<CollectionUse> uses) => Any(uses, CollectionUseKind.Enumerate, afterConstruction: false);

    /// <summary>Whether some enumeration of the collection runs code that may change it.</summary>
    public static bool MayChangeWhileEnumerated(List<CollectionUse> uses)
    {
        foreach (var use in uses)
        {
            if (use.MayMutateWhileEnumerating)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The lock every mutation of the member happens under (a readonly field's symbol, or the containing type for
    /// <c>lock (this)</c>), or null when some mutation is outside a lock or under another one.
    /// </summary>
    public static ISymbol? CommonWriteLock(List<CollectionUse> uses)
    {
        ISymbol? common = null;
        foreach (var use in uses)
        {
            if (use.InConstructor || use.Kind is CollectionUseKind.Read or CollectionUseKind.Enumerate)
            {
                continue;
            }

            var held = HeldLock(use.Reference);
            if (held is null || (common is not null && !SymbolEqualityComparer.Default.Equals(common, held)))
            {
                return null;
            }

            common = held;
        }

        return common;
    }

    /// <summary>The lock held where <paramref name="operation"/> runs, identified by its readonly field or <c>this</c>'s type.</summary>
    public static ISymbol? HeldLock(IOperation operation)
    {
        for (var ancestor = operation.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            switch (ancestor)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case ILockOperation lockOperation:
                    return OperationShapes.StripImplicitConversions(lockOperation.LockedValue) switch
                    {
                        IFieldReferenceOperation { Field.IsReadOnly: true, Instance: null or IInstanceReferenceOperation } field => field.Field.OriginalDefinition,
                        IInstanceReferenceOperation instance => instance.Type,
                        _ => null,
                    };
            }
        }

        return null;
    }
}
