using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>Where an allocation runs: on every iteration of a loop, on every call of code the user marked hot, or elsewhere.</summary>
internal enum AllocationContext
{
    Loop,
    HotCode,
    Elsewhere,
}

/// <summary>
/// Which allocations are worth reporting. Whole-codebase allocation lists get switched off, so by default only
/// allocations in loops and in hot code are: methods or types marked with an attribute named <c>PerformanceSensitive</c>
/// or <c>HotPath</c> (any namespace; the names are configurable) and files with <c>alloc_analyzers.hot_path = true</c>.
/// <c>alloc_analyzers.scope</c> narrows this to <c>loops</c> or widens it to <c>everywhere</c>. One instance per compilation.
/// </summary>
internal sealed class AllocationScope
{
    public const string ScopeKey = "alloc_analyzers.scope";
    public const string HotPathKey = "alloc_analyzers.hot_path";
    public const string HotPathAttributesKey = "alloc_analyzers.hot_path_attributes";

    private static readonly string[] s_defaultHotAttributes = { "PerformanceSensitive", "HotPath" };

    private readonly ConcurrentDictionary<string, string[]> _parsedAttributeLists = new(StringComparer.Ordinal);

    private enum Setting
    {
        Loops,
        Hot,
        Everywhere,
    }

    /// <summary>
    /// Whether an allocation at <paramref name="operation"/> is in scope, and in which context. An operation that runs
    /// on every iteration of a loop (the body of a <c>Parallel.For</c>/<c>ForEach</c> lambda included) is always in scope,
    /// unless it only builds an exception being thrown or is left out of the build (<see cref="ColdPaths"/>): that code
    /// is in scope only with <c>alloc_analyzers.scope = everywhere</c>. <paramref name="evenOnColdPaths"/> asks about
    /// the loop or the hot code around the operation whatever path it is on (a lambda's closure is made at its scope's
    /// entry, even when the lambda is on a cold path).
    /// </summary>
    public bool IsInScope(IOperation operation, ISymbol containingSymbol, AnalyzerOptions options, out AllocationContext context, bool evenOnColdPaths = false)
    {
        context = AllocationContext.Loop;
        // Whether the path is cold is asked only of code in a loop or hot code, the few candidates that get that far.
        if ((Loops.GetLoopRunningEachIteration(operation) is not null || Loops.GetParallelLoopRunningEachIteration(operation) is not null) &&
            (evenOnColdPaths || !ColdPaths.IsCold(operation)))
        {
            return true;
        }

        var treeOptions = options.AnalyzerConfigOptionsProvider.GetOptions(operation.Syntax.SyntaxTree);
        var setting = ReadSetting(treeOptions);
        if (setting == Setting.Loops)
        {
            return false;
        }

        if (IsHotCode(containingSymbol, treeOptions) && (evenOnColdPaths || !ColdPaths.IsCold(operation)))
        {
            context = AllocationContext.HotCode;
            return true;
        }

        context = AllocationContext.Elsewhere;
        return setting == Setting.Everywhere;
    }

    /// <summary>How a message names the context: "on every iteration of this 'for' loop", "on every call of hot method 'M'".</summary>
    public static string Describe(AllocationContext context, ILoopOperation? loop, ISymbol containingSymbol) => context switch
    {
        AllocationContext.Loop when loop is not null => $"on every iteration of this '{Loops.Keyword(loop)}' loop",
        AllocationContext.Loop => "on every iteration of this parallel loop",
        AllocationContext.HotCode => $"on every call of hot method '{containingSymbol.Name}'",
        _ => $"on every call of '{containingSymbol.Name}'",
    };

    /// <summary>Loops keep the rule's default severity; hot and other code report as Info.</summary>
    public static DiagnosticSeverity Severity(AllocationContext context, DiagnosticDescriptor descriptor) =>
        context == AllocationContext.Loop ? descriptor.DefaultSeverity : DiagnosticSeverity.Info;

    private bool IsHotCode(ISymbol symbol, AnalyzerConfigOptions treeOptions)
    {
        if (treeOptions.TryGetValue(HotPathKey, out var hot) && string.Equals(hot.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var names = treeOptions.TryGetValue(HotPathAttributesKey, out var configured) && !string.IsNullOrWhiteSpace(configured)
            ? _parsedAttributeLists.GetOrAdd(configured, ParseNames)
            : s_defaultHotAttributes;
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is { } type && IsNamed(type.Name, names))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsNamed(string typeName, string[] names)
    {
        foreach (var name in names)
        {
            if (typeName == name || typeName.Length == name.Length + 9 && typeName.StartsWith(name, StringComparison.Ordinal) &&
                typeName.EndsWith("Attribute", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static Setting ReadSetting(AnalyzerConfigOptions treeOptions)
    {
        if (!treeOptions.TryGetValue(ScopeKey, out var value))
        {
            return Setting.Hot;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "loops" => Setting.Loops,
            "everywhere" => Setting.Everywhere,
            _ => Setting.Hot,
        };
    }

    private static string[] ParseNames(string value)
    {
        var parts = value.Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Trim();
            parts[i] = name.EndsWith("Attribute", StringComparison.Ordinal) && name.Length > 9 ? name.Substring(0, name.Length - 9) : name;
        }

        return parts;
    }
}
