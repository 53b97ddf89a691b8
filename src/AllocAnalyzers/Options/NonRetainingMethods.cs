using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Options;

/// <summary>
/// The <c>alloc_analyzers.non_retaining_methods</c> option: methods of the user's libraries that use an array
/// argument only during the call, as the framework APIs the rules know. Entries are separated by commas or spaces
/// and are either a documentation comment id (<c>M:MyLib.Hasher.Feed(System.Byte[])</c>, one overload) or
/// <c>Namespace.Type.Method</c> / <c>Type.Method</c> (every overload).
/// </summary>
internal sealed class NonRetainingMethods
{
    public const string Key = "alloc_analyzers.non_retaining_methods";

    public static readonly NonRetainingMethods None = new(new HashSet<string>(StringComparer.Ordinal));

    private readonly HashSet<string> _entries;

    private NonRetainingMethods(HashSet<string> entries) => _entries = entries;

    public bool IsEmpty => _entries.Count == 0;

    public static NonRetainingMethods Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var entries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in value!.Split(new[] { ',', ' ', '\t', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            entries.Add(entry.Trim());
        }

        return new NonRetainingMethods(entries);
    }

    public bool Contains(IMethodSymbol method)
    {
        if (IsEmpty)
        {
            return false;
        }

        method = method.ReducedFrom ?? method;
        var definition = method.OriginalDefinition;
        var type = definition.ContainingType;
        return (definition.GetDocumentationCommentId() is { } id && _entries.Contains(id)) ||
               _entries.Contains(type.Name + "." + definition.Name) ||
               _entries.Contains(type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + definition.Name);
    }

    /// <summary>Reads the option from one tree's options (parsed each time: for code fixes, not hot paths).</summary>
    public static NonRetainingMethods Read(AnalyzerConfigOptionsProvider provider, SyntaxTree tree) =>
        provider.GetOptions(tree).TryGetValue(Key, out var value) ? Parse(value) : None;

    /// <summary>Reads the option for one syntax tree, parsing each distinct value once per compilation.</summary>
    internal sealed class Reader
    {
        private readonly ConcurrentDictionary<string, NonRetainingMethods> _parsed = new(StringComparer.Ordinal);

        public NonRetainingMethods For(AnalyzerOptions options, SyntaxTree tree) =>
            options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(Key, out var value) && !string.IsNullOrWhiteSpace(value)
                ? _parsed.GetOrAdd(value, Parse)
                : None;
    }
}
