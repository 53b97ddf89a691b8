namespace AllocAnalyzers;

/// <summary>Every rule identifier, and the one place help links are built.</summary>
internal static partial class RuleIds
{
    internal const string PerIterationArray = "ALLOC001";
    internal const string FixedSizePerIterationArray = "ALLOC002";
    internal const string ArrayPoolMisuse = "ALLOC003";
    internal const string ClearedCollectionKeepsCapacity = "ALLOC010";
    internal const string EvictingCollectionNeverShrinks = "ALLOC011";
    internal const string CapturingLambda = "ALLOC020";
    internal const string ClosureOnUnusedPath = "ALLOC021";
    internal const string InvokedDelegateLocal = "ALLOC022";
    internal const string BoxingInHotPath = "ALLOC030";
    internal const string ImplicitStructBoxing = "ALLOC031";

    internal const string PerformanceCategory = "Performance";

    /// <summary>The documentation page of a rule; <c>DocsBaseUrl</c> is generated from Directory.Build.props.</summary>
    internal static string HelpLink(string id) => DocsBaseUrl + id + ".md";
}
