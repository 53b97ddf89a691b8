using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// Inputs for the no-crash tests: the C# of the rule tests (harvested from their raw string literals, with the
/// templates' holes filled by the bodies of the same file), broken the ways an editor sees code being typed, plus
/// files that are large, deep or unusual.
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>The programs and snippets of <c>tests/AllocAnalyzers.Tests/Rules/*.cs</c>, markup removed, deduplicated.</summary>
    public static IReadOnlyList<(string Name, string Text)> HarvestRuleTestSources()
    {
        var folder = RuleCatalog.RepositoryFile("tests", "AllocAnalyzers.Tests", "Rules");
        var result = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*.cs").OrderBy(p => p, StringComparer.Ordinal))
        {
            var file = Path.GetFileNameWithoutExtension(path);
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest)).GetRoot();
            var literals = root.DescendantTokens()
                .Where(t => t.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || t.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
                .Select(t => t.ValueText)
                .ToList();
            var templates = root.DescendantNodes().OfType<InterpolatedStringExpressionSyntax>()
                .Where(s => s.StringStartToken.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken))
                .ToList();

            var index = 0;
            foreach (var literal in literals)
            {
                Add($"{file}#{index++}", literal);
            }

            // A body literal is a statement list; put each into each template of its file, as the tests do.
            var bodies = literals.Where(l => !l.Contains("class ", StringComparison.Ordinal)).ToList();
            for (var t = 0; t < templates.Count; t++)
            {
                foreach (var (body, b) in bodies.Select((body, b) => (body, b)))
                {
                    Add($"{file}#template{t}+{b}", Fill(templates[t], body));
                }
            }
        }

        return result;

        void Add(string name, string markup)
        {
            string text;
            try
            {
                text = Markup.Parse(markup).Text;
            }
            catch (FormatException)
            {
                text = markup;
            }

            if (seen.Add(text))
            {
                result.Add((name, text));
            }
        }
    }

    /// <summary>A template's text with its first hole filled by <paramref name="body"/> and the others left empty.</summary>
    private static string Fill(InterpolatedStringExpressionSyntax template, string body)
    {
        var builder = new StringBuilder();
        var filled = false;
        foreach (var content in template.Contents)
        {
            if (content is InterpolatedStringTextSyntax text)
            {
                builder.Append(text.TextToken.ValueText);
            }
            else if (!filled)
            {
                builder.Append(body);
                filled = true;
            }
        }

        // Raw literal contents keep their indentation; the compiler would strip it, which does not matter here.
        return builder.ToString();
    }

    // ---- mutations: the IDE sees code mid-typing ---------------------------------------------------------------------

    /// <summary>The text cut at a random position.</summary>
    public static string Truncate(string text, Random random) => text.Length == 0 ? text : text.Substring(0, random.Next(text.Length));

    /// <summary>The text with 1–3 random tokens deleted.</summary>
    public static string DeleteTokens(string text, Random random) => EditTokens(text, random, duplicate: false);

    /// <summary>The text with 1–3 random tokens written twice.</summary>
    public static string DuplicateTokens(string text, Random random) => EditTokens(text, random, duplicate: true);

    private static string EditTokens(string text, Random random, bool duplicate)
    {
        var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0).ToList();
        if (tokens.Count == 0)
        {
            return text;
        }

        var picked = Enumerable.Range(0, random.Next(1, 4)).Select(_ => tokens[random.Next(tokens.Count)]).Distinct().OrderByDescending(t => t.SpanStart);
        var builder = new StringBuilder(text);
        foreach (var token in picked)
        {
            if (duplicate)
            {
                builder.Insert(token.Span.End, " " + token.Text);
            }
            else
            {
                builder.Remove(token.SpanStart, token.Span.Length);
            }
        }

        return builder.ToString();
    }

    /// <summary>A deterministic sample of mutated inputs: truncations, deletions and duplications of the harvested sources.</summary>
    public static IEnumerable<(string Name, string Text)> Mutations(IReadOnlyList<(string Name, string Text)> sources, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (name, text) = sources[random.Next(sources.Count)];
            switch (i % 4)
            {
                case 0:
                case 1:
                    yield return ($"{name} truncated", Truncate(text, random));
                    break;
                case 2:
                    yield return ($"{name} tokens deleted", DeleteTokens(text, random));
                    break;
                default:
                    yield return ($"{name} tokens duplicated", DuplicateTokens(text, random));
                    break;
            }
        }
    }

    // ---- size and depth ------------------------------------------------------------------------------------------------

    /// <summary>One method of <paramref name="statements"/> statements, one in ten a loop with a temporary array or a rental.</summary>
    public static string HugeMethod(int statements)
    {
        var builder = new StringBuilder("""
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                int M(int n, Stream stream)
                {
                    int total = 0;

            """);
        for (var i = 0; i < statements; i++)
        {
            var s = i.ToString(CultureInfo.InvariantCulture);
            builder.Append("        ").AppendLine((i % 50) switch
            {
                0 => $"for (int i = 0; i < n; i++) {{ var b = new byte[n + {s}]; stream.Read(b, 0, b.Length); total += b[0]; }}",
                10 => $"foreach (var c in \"{s}\") {{ var h = new int[10]; h[c % 10]++; total += h[0]; }}",
                20 => $"var r{s} = ArrayPool<byte>.Shared.Rent(n); r{s}[0] = 1; total += r{s}[0]; ArrayPool<byte>.Shared.Return(r{s});",
                30 => $"while (total < {s}) {{ var w = new long[total % 7 + 1]; total += w.Length; }}",
                40 => $"do {{ var d = GC.AllocateUninitializedArray<char>(n); d[0] = 'x'; total += d.Length; }} while (total < {s});",
                _ => $"total += {s} * n;",
            });
        }

        builder.AppendLine("""
                    return total;
                }
            }
            """);
        return builder.ToString();
    }

    /// <summary><paramref name="depth"/> nested loops, each allocating an array sized by the loops around it.</summary>
    public static string NestedLoops(int depth)
    {
        var builder = new StringBuilder("class C\n{\n    int M(int n)\n    {\n        int total = 0;\n");
        for (var i = 0; i < depth; i++)
        {
            builder.Append((i % 4) switch
            {
                0 => $"for (int i{i} = 0; i{i} < n; i{i}++) {{ var a{i} = new byte[n + i{i}]; total += a{i}.Length; ",
                1 => $"foreach (var x{i} in new int[3]) {{ var a{i} = new int[{i}]; a{i}[0] = x{i}; ",
                2 => $"while (total < {i}) {{ var a{i} = System.Buffers.ArrayPool<int>.Shared.Rent(n); total += a{i}[0]; ",
                _ => $"do {{ var a{i} = new char[n * {i}]; total += a{i}.Length; ",
            });
            builder.AppendLine();
        }

        for (var i = depth - 1; i >= 0; i--)
        {
            builder.AppendLine(i % 4 == 3 ? $"}} while (total < {i});" : "}");
        }

        builder.AppendLine("        return total;\n    }\n}");
        return builder.ToString();
    }

    /// <summary><paramref name="depth"/> nested lambdas and local functions, alternating, each with a loop and an array.</summary>
    public static string NestedFunctions(int depth)
    {
        var builder = new StringBuilder("using System;\nclass C\n{\n    int M(int n)\n    {\n");
        for (var i = 0; i < depth; i++)
        {
            builder.AppendLine((i % 3) switch
            {
                0 => $"Func<int, int> f{i} = p{i} => {{ for (int k = 0; k < p{i}; k++) {{ var a = new byte[p{i} + k]; p{i} += a.Length; }}",
                1 => $"int L{i}(int p{i}) {{ foreach (var s in new[] {{ p{i}, 2 }}) {{ var a = new int[s]; p{i} += a.Length; }}",
                _ => $"Func<int, System.Threading.Tasks.Task<int>> g{i} = async p{i} => {{ await System.Threading.Tasks.Task.Yield(); for (int k = 0; k < 2; k++) {{ var a = new short[p{i}]; p{i} += a.Length; }}",
            });
        }

        for (var i = depth - 1; i >= 0; i--)
        {
            builder.AppendLine((i % 3) switch
            {
                0 => $"return {(i + 1 < depth ? Call(i + 1, $"p{i}") : $"p{i}")}; }};",
                1 => $"return {(i + 1 < depth ? Call(i + 1, $"p{i}") : $"p{i}")}; }}",
                _ => $"return {(i + 1 < depth ? Call(i + 1, $"p{i}") : $"p{i}")}; }};",
            });
        }

        builder.AppendLine($"        return {Call(0, "n")};\n    }}\n}}");
        return builder.ToString();

        static string Call(int level, string argument) => (level % 3) switch
        {
            0 => $"f{level}({argument})",
            1 => $"L{level}({argument})",
            _ => $"g{level}({argument}).GetAwaiter().GetResult()",
        };
    }

    /// <summary>An array whose size is an expression <paramref name="depth"/> parentheses and conditionals deep, in a loop.</summary>
    public static string DeepExpressions(int depth)
    {
        var size = new StringBuilder("n");
        for (var i = 0; i < depth; i++)
        {
            size.Insert(0, i % 2 == 0 ? "(" : $"(n > {i} ? ").Append(i % 2 == 0 ? " + 1)" : $" : {i})");
        }

        return $$"""
            class C
            {
                int M(int n)
                {
                    int total = 0;
                    for (int i = 0; i < n; i++)
                    {
                        var a = new byte[{{size}}];
                        var b = new int[] { {{string.Join(", ", Enumerable.Range(0, depth))}} };
                        total += a.Length + b[i % b.Length];
                    }

                    return total;
                }
            }
            """;
    }
}
