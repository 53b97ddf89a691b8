using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Text;
using AllocAnalyzers.AnalyzerOverhead;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.AnalyzerBenchmarks;

/// <summary>
/// A corpus from tests/AnalyzerOverhead's seeded generator, parsed once: either its files as they are, or all its
/// classes merged into one large file (the IDE's case: one open document); or a real project's sources, references and
/// options, read from the compiler's command line (<see cref="FromCommandLine"/>).
/// </summary>
internal sealed class Corpus
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadNet100References);

    private readonly ImmutableArray<MetadataReference>? _references;
    private readonly CSharpCompilationOptions? _options;
    private readonly string _assemblyName = "Corpus";

    private Corpus(ImmutableArray<SyntaxTree> trees, int lines, IReadOnlyDictionary<string, int> seeded,
        ImmutableArray<MetadataReference>? references = null, CSharpCompilationOptions? options = null, string? assemblyName = null)
    {
        _assemblyName = assemblyName ?? _assemblyName;
        Trees = trees;
        Lines = lines;
        Seeded = seeded;
        _references = references;
        _options = options;
    }

    public ImmutableArray<SyntaxTree> Trees { get; }

    /// <summary>Lines of the generated classes (the shared types file included).</summary>
    public int Lines { get; }

    /// <summary>Diagnostics seeded per rule ID, as the generator counted them.</summary>
    public IReadOnlyDictionary<string, int> Seeded { get; }

    /// <summary>Writes the corpus to a temporary folder and parses it; with <paramref name="oneFile"/>, every class goes into one file.</summary>
    public static Corpus Generate(int lines, ulong seed, bool oneFile)
    {
        var directory = Path.Combine(Path.GetTempPath(), "alloc-analyzer-benchmarks-" + Guid.NewGuid().ToString("N"));
        try
        {
            var writer = new CorpusWriter(lines, seed);
            writer.Write(directory);
            var shared = Path.Combine(directory, "Shared", "Shared.cs");
            var classFiles = Directory.GetDirectories(directory, "Module*").OrderBy(d => d, StringComparer.Ordinal)
                .SelectMany(d => Directory.GetFiles(d, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
                .ToList();
            var trees = ImmutableArray.CreateBuilder<SyntaxTree>();
            trees.Add(Parse(File.ReadAllText(shared), "Shared/Shared.cs"));
            if (oneFile)
            {
                trees.Add(Parse(MergeIntoOneFile(classFiles), "Corpus.cs"));
            }
            else
            {
                foreach (var file in classFiles)
                {
                    trees.Add(Parse(File.ReadAllText(file), Path.GetRelativePath(directory, file)));
                }
            }

            return new Corpus(trees.ToImmutable(), writer.Lines, writer.ViolationCounts.ToDictionary(p => p.Key, p => p.Value));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A real project as the compiler saw it: <paramref name="argumentsPath"/> holds the arguments of one <c>csc</c>
    /// call (a response file, or the command line a detailed build log prints, with or without the leading <c>csc</c>),
    /// relative paths resolved against <paramref name="projectDirectory"/>. Nothing is seeded; the analysis is
    /// single-threaded like the generated corpus's unless the profile asks otherwise.
    /// </summary>
    public static Corpus FromCommandLine(string argumentsPath, string projectDirectory)
    {
        var arguments = CommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(argumentsPath).Trim(), removeHashComments: true).ToList();
        // "dotnet …/csc.dll …" or "…/csc …", as a build log prints the call: the compiler itself is not an argument.
        while (arguments.Count > 0 && Path.GetFileNameWithoutExtension(arguments[0]) is "csc" or "dotnet")
        {
            arguments.RemoveAt(0);
        }

        var parsed = CSharpCommandLineParser.Default.Parse(arguments, projectDirectory, sdkDirectory: null);
        var errors = parsed.Errors.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The command line does not parse: " + errors[0]);
        }

        var trees = parsed.SourceFiles
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file.Path), parsed.ParseOptions, file.Path, Encoding.UTF8))
            .ToImmutableArray();
        var references = parsed.MetadataReferences
            .Select(reference => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(reference.Reference, projectDirectory)))
            .ToImmutableArray();
        var lines = trees.Sum(tree => tree.GetText().Lines.Count);
        return new Corpus(trees, lines, new Dictionary<string, int>(), references, parsed.CompilationOptions.WithConcurrentBuild(false), parsed.CompilationName);
    }

    /// <summary>A new compilation of the corpus (nothing bound yet), as a build or a freshly opened solution starts.</summary>
    public CSharpCompilation CreateCompilation() => CSharpCompilation.Create(
        _assemblyName,
        Trees,
        _references ?? s_references.Value,
        _options ?? new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));

    /// <summary>Options as the package's build props give them to the analyzers in a net10.0 project without .editorconfig.</summary>
    public static AnalyzerOptions Options { get; } = new(ImmutableArray<AdditionalText>.Empty, new GlobalOptionsProvider("net10.0"));

    /// <summary>
    /// The class files as one file: the usings once, each file's file-scoped namespace turned into a block. Class
    /// names are unique within a module, so nothing clashes.
    /// </summary>
    private static string MergeIntoOneFile(IReadOnlyList<string> classFiles)
    {
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder();
        foreach (var file in classFiles)
        {
            var inNamespace = false;
            foreach (var line in File.ReadAllLines(file))
            {
                if (!inNamespace && line.StartsWith("using ", StringComparison.Ordinal))
                {
                    usings.Add(line);
                }
                else if (!inNamespace && line.StartsWith("namespace ", StringComparison.Ordinal) && line.EndsWith(';'))
                {
                    body.Append(line, 0, line.Length - 1).Append('\n').Append("{\n");
                    inNamespace = true;
                }
                else if (inNamespace)
                {
                    body.Append(line).Append('\n');
                }
            }

            body.Append("}\n");
        }

        return string.Join("\n", usings) + "\n\n" + body;
    }

    private static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(text, s_parseOptions, path, Encoding.UTF8);

    private static ImmutableArray<MetadataReference> LoadNet100References()
    {
        // The SDK that runs the benchmark carries the .NET 10 reference pack next to the runtime.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var packs = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        var refDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs, "10.*").OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "ref", "net10.0")).FirstOrDefault(Directory.Exists)
            : null;
        if (refDirectory is null)
        {
            throw new InvalidOperationException($"No .NET 10 reference pack under '{packs}'.");
        }

        return Directory.GetFiles(refDirectory, "*.dll").Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    private sealed class GlobalOptionsProvider(string targetFramework) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(ImmutableDictionary<string, string>.Empty.Add("build_property.TargetFramework", targetFramework));
        private readonly Options _empty = new(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _empty;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
