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
