using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.Catalog;

/// <summary>
/// Every analyzer, descriptor and fixer the package ships, found by reflection so that a new rule is covered by the
/// catalog tests without being listed anywhere.
/// </summary>
internal static class RuleCatalog
{
    public static Assembly AnalyzerAssembly { get; } = typeof(RuleIds).Assembly;

    // Loaded by name, not through one of its types, so no rule is named here.
    public static Assembly CodeFixAssembly { get; } = Assembly.Load(new AssemblyName("AllocAnalyzers.CodeFixes"));

    public static ImmutableArray<Type> AnalyzerTypes { get; } = ConcreteSubclassesOf<DiagnosticAnalyzer>(AnalyzerAssembly);

    public static ImmutableArray<Type> FixerTypes { get; } = ConcreteSubclassesOf<CodeFixProvider>(CodeFixAssembly);

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> Fixers { get; } =
        FixerTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

    /// <summary>Descriptors the analyzers support, one per distinct instance.</summary>
    public static ImmutableArray<DiagnosticDescriptor> SupportedDescriptors { get; } =
        Analyzers.SelectMany(a => a.SupportedDiagnostics).Distinct().ToImmutableArray();

    /// <summary>Descriptors held in static fields anywhere in the analyzer assembly (such as <c>Descriptors</c>).</summary>
    public static ImmutableArray<DiagnosticDescriptor> DeclaredDescriptors { get; } =
        AnalyzerAssembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .Distinct()
            .ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> AllDescriptors { get; } =
        SupportedDescriptors.Concat(DeclaredDescriptors).Distinct().ToImmutableArray();

    public static DiagnosticDescriptor Descriptor(string id) => AllDescriptors.First(d => d.Id == id);

    public static bool HasCodeFix(string id) => Fixers.Any(f => f.FixableDiagnosticIds.Contains(id));

    /// <summary>Rule ids, as theory data.</summary>
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in AllDescriptors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    /// <summary>Fixer type names, as theory data.</summary>
    public static TheoryData<string> FixerNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in FixerTypes)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds AllocAnalyzers.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string RepositoryFile(params string[] parts) => Path.Combine(new[] { RepositoryRoot }.Concat(parts).ToArray());

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AllocAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' holds AllocAnalyzers.sln.");
    }

    private static ImmutableArray<Type> ConcreteSubclassesOf<T>(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(T).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();
}
