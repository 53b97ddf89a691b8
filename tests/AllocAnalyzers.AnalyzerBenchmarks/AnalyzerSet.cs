using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using AllocAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.AnalyzerBenchmarks;

/// <summary>Every analyzer of the AllocAnalyzers assembly, found by reflection so that new rules are measured without changes here.</summary>
internal static class AnalyzerSet
{
    public static ImmutableArray<DiagnosticAnalyzer> CreateAll() =>
        typeof(PerIterationArrayAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>The rule IDs an analyzer reports, for tables ("ALLOC001").</summary>
    public static string Ids(DiagnosticAnalyzer analyzer) =>
        string.Join("/", analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
}
