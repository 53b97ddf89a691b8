using Microsoft.CodeAnalysis;

namespace AllocAnalyzers;

/// <summary>Every diagnostic descriptor of the package.</summary>
internal static class Descriptors
{
    internal static readonly DiagnosticDescriptor PerIterationArray = Create(
        RuleIds.PerIterationArray,
        title: "Variable-size temporary array allocated per iteration",
        messageFormat: "Array '{0}' of variable size is allocated {1}; rent it from a pool or reuse one buffer",
        description: "A fresh array whose size varies is allocated on each iteration of a loop and dropped at the end of it. " +
                     "Arrays of many different sizes fragment the heap and keep memory high; renting from ArrayPool<T>.Shared " +
                     "or reusing one capacity-rounded buffer turns them into a few reused size classes.",
        DiagnosticSeverity.Warning);

    internal static readonly DiagnosticDescriptor FixedSizePerIterationArray = Create(
        RuleIds.FixedSizePerIterationArray,
        title: "Fixed-size temporary array allocated per iteration",
        messageFormat: "Array '{0}' of constant length {1} is allocated {2}; allocate it once or use a stackalloc'd span",
        description: "An array of constant length is allocated on each iteration of a loop and dropped at the end of it. " +
                     "One array allocated before the loop (cleared when the code relies on fresh contents), or a span over " +
                     "stack memory for small arrays of unmanaged types, does the same work without the garbage.",
        DiagnosticSeverity.Warning);

    /// <summary>One descriptor for every misuse; the message names the case, and a missing return is reported as Info.</summary>
    internal static readonly DiagnosticDescriptor ArrayPoolMisuse = Create(
        RuleIds.ArrayPoolMisuse,
        title: "ArrayPool array misused",
        messageFormat: "{0}",
        description: "An array rented from an ArrayPool<T> must be returned exactly once, to the pool it came from, not used after " +
                     "it was returned, and read only up to the length that was asked for: Rent(n) returns at least n elements, usually more.",
        DiagnosticSeverity.Warning);

    internal static readonly DiagnosticDescriptor ClearedCollectionKeepsCapacity = Create(
        RuleIds.ClearedCollectionKeepsCapacity,
        title: "Long-lived collection cleared without releasing its capacity",
        messageFormat: "'{0}' keeps the capacity of its largest fill after Clear(); trim it or replace it with a new {1}",
        description: "Clear() on a Dictionary, HashSet, List, Queue, Stack or SortedList removes the entries but keeps the arrays " +
                     "that held them: a collection held by a field that once held a million entries keeps that memory for as long as " +
                     "its object lives. TrimExcess() after the clear, or a new collection, gives it back.",
        DiagnosticSeverity.Warning);

    internal static readonly DiagnosticDescriptor EvictingCollectionNeverShrinks = Create(
        RuleIds.EvictingCollectionNeverShrinks,
        title: "Long-lived collection evicts entries but never shrinks",
        messageFormat: "Entries are removed from '{0}', but it is never trimmed or rebuilt: its memory stays at the peak of its largest fill",
        description: "A collection held by a field that is filled and evicted but never trimmed or rebuilt keeps the storage of its " +
                     "largest fill: removing entries one by one does not shrink a Dictionary, HashSet, List, SortedList or " +
                     "ConcurrentDictionary. Shrinking when the live count has fallen well below the capacity, or rebuilding it " +
                     "periodically, bounds its memory by what it holds instead of by its peak.",
        DiagnosticSeverity.Info);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description, DiagnosticSeverity severity, bool isEnabledByDefault = true) =>
        new(id, title, messageFormat, RuleIds.PerformanceCategory, severity, isEnabledByDefault, description, RuleIds.HelpLink(id));
}
