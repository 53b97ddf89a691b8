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

    /// <summary>Warning for a closure per iteration; the message says whether the closure or only the delegate is allocated each time.</summary>
    internal static readonly DiagnosticDescriptor CapturingLambda = Create(
        RuleIds.CapturingLambda,
        title: "Capturing lambda allocates a closure and a delegate",
        messageFormat: "{0} allocates {1} {2}",
        description: "A lambda, anonymous method or local function that captures locals, parameters or 'this' is converted to a new " +
                     "delegate each time the conversion runs, and the closure object holding the captured variables is allocated " +
                     "each time their scope is entered. In a loop that is garbage on every iteration; passing the values as the " +
                     "state argument of an overload that takes one, or creating the delegate once before the loop, avoids it.",
        DiagnosticSeverity.Warning);

    internal static readonly DiagnosticDescriptor ClosureOnUnusedPath = Create(
        RuleIds.ClosureOnUnusedPath,
        title: "Closure allocated on paths that never use it",
        messageFormat: "The closure for {0} is allocated at the start of {1} {2}, even on the paths that never reach this lambda in {3}",
        description: "The compiler allocates the closure object of a captured variable where the variable's scope is entered, not " +
                     "where the capturing lambda is created. A lambda in a rarely taken branch that captures method-level variables " +
                     "therefore costs an allocation on every call. Moving the code that needs the lambda into a local function that " +
                     "receives the values as parameters allocates the closure only when that code runs.",
        DiagnosticSeverity.Info);

    internal static readonly DiagnosticDescriptor InvokedDelegateLocal = Create(
        RuleIds.InvokedDelegateLocal,
        title: "Delegate local only invoked: use a local function",
        messageFormat: "'{0}' holds a capturing lambda but is only invoked; a local function would allocate no delegate and no closure {1}",
        description: "A delegate-typed local initialised with a capturing lambda and only ever invoked costs a closure object and a " +
                     "delegate. A local function called directly needs neither: its captured variables live in a struct on the stack.",
        DiagnosticSeverity.Warning);

    internal static readonly DiagnosticDescriptor BoxingInHotPath = Create(
        RuleIds.BoxingInHotPath,
        title: "Value type boxed in a loop or hot path",
        messageFormat: "A '{0}' value is boxed to '{1}' {2}",
        description: "Converting a value type to object, an interface, ValueType or Enum copies it to a new heap object. The rule " +
                     "reports only the boxes the compiler really emits (not string concatenation, interpolated strings built " +
                     "with a handler, constants in attributes or expression trees), in loops and in code marked hot.",
        DiagnosticSeverity.Warning);

    internal static readonly DiagnosticDescriptor ImplicitStructBoxing = Create(
        RuleIds.ImplicitStructBoxing,
        title: "Struct boxed implicitly by the runtime",
        messageFormat: "{0}",
        description: "A struct that does not override Equals(object) and GetHashCode() is boxed by the runtime on every call of them, " +
                     "on every lookup when it is a Dictionary or HashSet key, and on non-overridden ToString() calls; enumerating a " +
                     "struct enumerator through an interface boxes it. The IL shows no box instruction for these.",
        DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description, DiagnosticSeverity severity, bool isEnabledByDefault = true) =>
        new(id, title, messageFormat, RuleIds.PerformanceCategory, severity, isEnabledByDefault, description, RuleIds.HelpLink(id));
}
