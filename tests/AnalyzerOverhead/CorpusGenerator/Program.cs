using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AllocAnalyzers.AnalyzerOverhead;

// Usage: CorpusGenerator --out DIR [--lines N] [--seed S]
// Writes DIR/Corpus.csproj, DIR/Shared/Shared.cs, DIR/ModuleNNN/*.cs and DIR/corpus.manifest.
var lines = 50_000;
var seed = 20_000UL;
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--lines" when value is not null:
            lines = int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            i++;
            break;
        case "--seed" when value is not null:
            seed = ulong.Parse(value, CultureInfo.InvariantCulture);
            i++;
            break;
        case "--out" when value is not null:
            output = value;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'");
            Console.Error.WriteLine("usage: CorpusGenerator --out DIR [--lines N] [--seed S]");
            return 2;
    }
}

if (output is null || lines <= 0)
{
    Console.Error.WriteLine("usage: CorpusGenerator --out DIR [--lines N] [--seed S]");
    return 2;
}

if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
{
    Console.Error.WriteLine($"'{output}' is not empty; the corpus is written into an empty or new folder");
    return 2;
}

var writer = new CorpusWriter(lines, seed);
writer.Write(output);
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"wrote {writer.Lines} lines to {output} (seed {seed}); seeded diagnostics: {string.Join(", ", writer.ViolationCounts)}"));
return 0;
