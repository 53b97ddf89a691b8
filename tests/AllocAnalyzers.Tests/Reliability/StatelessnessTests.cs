using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// The analyzers keep no state between runs: the host shares one instance across compilations and threads, so a
/// static or instance field that analysis writes would make results depend on what ran before or beside. Checked by
/// reflection, and by analysing one compilation many times at once and comparing the results.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class StatelessnessTests
{
    private readonly ITestOutputHelper _output;

    public StatelessnessTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> ShippedAssemblies => new() { RuleCatalog.AnalyzerAssembly.GetName().Name!, RuleCatalog.CodeFixAssembly.GetName().Name! };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void NoStaticField_IsWritableOrAMutableCollection(string assemblyName)
    {
        var assembly = new[] { RuleCatalog.AnalyzerAssembly, RuleCatalog.CodeFixAssembly }.Single(a => a.GetName().Name == assemblyName);
        var fields = assembly.GetTypes()
            .Where(t => !IsCompilerGenerated(t))
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !IsCompilerGenerated(f))
            .ToList();

        var problems = fields.Where(f => !f.IsInitOnly).Select(f => $"{Name(f)} is static and not readonly")
            .Concat(fields.Where(f => IsMutableCollection(f)).Select(f => $"{Name(f)} is a static {f.FieldType.Name}, a collection anyone holding it can change"))
            .ToList();
        _output.WriteLine($"{assemblyName}: {fields.Count} static fields checked; read-only lookup arrays allowed: {string.Join(", ", fields.Where(IsPrivateReadOnlyLookupArray).Select(Name))}");

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void AnalyzersAndFixers_HaveOnlyReadOnlyInstanceFields()
    {
        // One instance serves every compilation, so an instance field is as shared as a static one.
        var types = RuleCatalog.AnalyzerTypes.Concat(RuleCatalog.FixerTypes);
        var problems = types
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsInitOnly || IsMutableCollection(f))
            .Select(f => $"{Name(f)} ({f.FieldType.Name}) can change after construction")
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task SameCompilation_AnalysedEightTimesAtOnce_GivesIdenticalDiagnostics()
    {
        var compilation = CorpusCompilation();
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);

        // The reference: one analyzer at a time, no concurrency, fresh instances.
        var fresh = RuleCatalog.AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();
        var (reference, referenceCrashes, _) = await AllRules.AnalyzeAsync(compilation, options, fresh, concurrent: false, CancellationToken.None);
        Assert.Empty(referenceCrashes);
        var expected = Normalize(reference);
        Assert.True(reference.Length >= 50, $"The corpus should give many diagnostics, got {reference.Length}.");

        // Then the shared instances, eight analyses at once, each itself concurrent, in three rounds.
        var runs = 0;
        for (var round = 0; round < 3; round++)
        {
            var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                AllRules.AnalyzeAsync(compilation, options, RuleCatalog.Analyzers, concurrent: true, CancellationToken.None))));
            foreach (var (diagnostics, crashes, _) in parallel)
            {
                runs++;
                Assert.Empty(crashes);
                var actual = Normalize(diagnostics);
                Assert.True(expected.SequenceEqual(actual), $"Run {runs} differs from the sequential run:{Environment.NewLine}{Difference(expected, actual)}");
            }
        }

        _output.WriteLine($"{compilation.SyntaxTrees.Count()} files, {reference.Length} diagnostics " +
            $"({string.Join(", ", reference.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))}), identical in {runs} concurrent runs");
    }

    [Fact]
    public async Task DifferentCompilations_AnalysedAtOnce_EachGiveTheirOwnDiagnostics()
    {
        // Options and symbols differ per compilation; state leaking between them would show as a result of the wrong one.
        var inputs = UnusualSyntaxCorpus.All.SelectMany(s => AnalyzerProfile.All.Select(p => new RuleInput(s.Name, s.Text, p, s.OutputKind, s.PreprocessorSymbols))).ToList();
        var documents = inputs.Select(AllRules.CreateDocument).ToList();
        var compilations = new List<Compilation>();
        foreach (var document in documents)
        {
            compilations.Add((await document.Project.GetCompilationAsync())!);
        }

        var alone = new List<string[]>();
        for (var i = 0; i < documents.Count; i++)
        {
            alone.Add(Normalize((await AllRules.AnalyzeAsync(compilations[i], documents[i].Project.AnalyzerOptions, RuleCatalog.Analyzers, concurrent: false, CancellationToken.None)).Diagnostics));
        }

        var together = await Task.WhenAll(Enumerable.Range(0, documents.Count * 2).Select(k => Task.Run(async () =>
            (Index: k % documents.Count, Result: Normalize((await AllRules.AnalyzeAsync(compilations[k % documents.Count], documents[k % documents.Count].Project.AnalyzerOptions, RuleCatalog.Analyzers, concurrent: true, CancellationToken.None)).Diagnostics)))));

        foreach (var (index, result) in together)
        {
            Assert.True(alone[index].SequenceEqual(result), $"{inputs[index]} differs when analysed beside the others:{Environment.NewLine}{Difference(alone[index], result)}");
        }

        Assert.True(alone.Sum(a => a.Length) > 0);
    }

    /// <summary>
    /// The rule tests' full programs and the unusual-syntax files, each in a namespace of its own so that they make one
    /// compilation, plus generated programs.
    /// </summary>
    private static Compilation CorpusCompilation()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>();
        var index = 0;
        foreach (var (_, text) in FuzzCorpus.HarvestRuleTestSources().Where(s => s.Text.Contains("class ", StringComparison.Ordinal)))
        {
            var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(text, parse).GetRoot();
            if (root.Members.Any(m => m is BaseNamespaceDeclarationSyntax or GlobalStatementSyntax) || root.ContainsDiagnostics)
            {
                continue;
            }

            var wrapped = root.WithMembers(SyntaxFactory.SingletonList<MemberDeclarationSyntax>(
                SyntaxFactory.NamespaceDeclaration(SyntaxFactory.ParseName("Corpus" + index.ToString(CultureInfo.InvariantCulture)))
                    .WithMembers(root.Members)));
            trees.Add(CSharpSyntaxTree.Create(wrapped, parse, path: $"/corpus/{index++}.cs"));
        }

        var generator = new ProgramGenerator(seed: 4242);
        for (var i = 0; i < 40; i++)
        {
            var program = generator.Next().Source.Replace("class Program", "class Program" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("class CountingPool", "class CountingPool" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("CountingPool Pool = new", $"CountingPool{i} Pool = new", StringComparison.Ordinal);
            trees.Add(CSharpSyntaxTree.ParseText(program, parse, path: $"/generated/{i}.cs"));
        }

        return CSharpCompilation.Create("Concurrency", trees, References.For(ReferenceSet.Net80),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true)
                .WithSpecificDiagnosticOptions(RuleCatalog.AllDescriptors.Select(d => new KeyValuePair<string, ReportDiagnostic>(d.Id, ReportDiagnostic.Warn))));
    }

    /// <summary>Everything a fixer or user sees of a diagnostic, one line each, sorted.</summary>
    private static string[] Normalize(IEnumerable<Diagnostic> diagnostics) => diagnostics
        .Select(d => string.Join(" | ",
            d.Id,
            d.Severity.ToString(),
            d.Location.GetLineSpan().ToString(),
            d.GetMessage(CultureInfo.InvariantCulture),
            string.Join(";", d.AdditionalLocations.Select(l => l.GetLineSpan().ToString())),
            string.Join(";", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))))
        .OrderBy(s => s, StringComparer.Ordinal)
        .ToArray();

    private static string Difference(string[] expected, string[] actual)
    {
        var builder = new StringBuilder();
        foreach (var missing in expected.Except(actual).Take(10))
        {
            builder.AppendLine("  missing: " + missing);
        }

        foreach (var extra in actual.Except(expected).Take(10))
        {
            builder.AppendLine("  extra: " + extra);
        }

        builder.AppendLine(CultureInfo.InvariantCulture, $"  counts: expected {expected.Length}, actual {actual.Length}");
        return builder.ToString();
    }

    private static bool IsCompilerGenerated(MemberInfo member) =>
        member.GetCustomAttribute<CompilerGeneratedAttribute>() is not null || member.Name.Contains('<', StringComparison.Ordinal);

    /// <summary>
    /// Collections whose contents can change: arrays and the mutable framework collections. A private readonly array of
    /// strings or primitives, such as a table of default names, is read-only in practice and allowed; it is listed in
    /// the test output.
    /// </summary>
    private static bool IsMutableCollection(FieldInfo field)
    {
        var type = field.FieldType;
        if (type.IsArray)
        {
            return !IsPrivateReadOnlyLookupArray(field);
        }

        if (type.Namespace is { } ns && (ns.StartsWith("System.Collections.Immutable", StringComparison.Ordinal) || ns.StartsWith("System.Collections.Frozen", StringComparison.Ordinal)))
        {
            return false;
        }

        if (type == typeof(string))
        {
            return false;
        }

        return type == typeof(StringBuilder) ||
               typeof(IList).IsAssignableFrom(type) ||
               typeof(IDictionary).IsAssignableFrom(type) ||
               type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is { } d &&
                   (d == typeof(ICollection<>) || d == typeof(IDictionary<,>) || d == typeof(ISet<>) ||
                    d == typeof(System.Collections.Concurrent.IProducerConsumerCollection<>))) ||
               (type.Namespace?.StartsWith("System.Collections.Concurrent", StringComparison.Ordinal) ?? false);
    }

    private static bool IsPrivateReadOnlyLookupArray(FieldInfo field) =>
        field.FieldType.IsArray && field.IsStatic && field.IsPrivate && field.IsInitOnly &&
        field.FieldType.GetElementType() is { } element && (element.IsPrimitive || element.IsEnum || element == typeof(string));

    private static string Name(FieldInfo field) => $"{field.DeclaringType!.FullName}.{field.Name}";
}
