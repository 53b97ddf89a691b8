using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AllocAnalyzers.AnalyzerBenchmarks;
using BenchmarkDotNet.Running;

// profile [--lines N] [--seed S] [--runs R] [--only TEXT] [--concurrent] [--beside-emit] [--one-file]: per-analyzer times over a generated corpus (see Profile).
// profile --csc-args FILE [--runs R] [--only TEXT] …: the same over a real project, from the arguments of its csc call (relative paths from the current directory).
// Anything else goes to BenchmarkDotNet (LargeFileBenchmarks: the IDE's case).
if (args.Length > 0 && args[0] == "profile")
{
    var lines = 50_000;
    var seed = 20_000UL;
    var runs = 3;
    string? only = null;
    var concurrent = false;
    var oneFile = false;
    var besideEmit = false;
    string? cscArguments = null;
    for (var i = 1; i < args.Length; i += 2)
    {
        if (args[i] is "--concurrent" or "--one-file" or "--beside-emit")
        {
            concurrent |= args[i] == "--concurrent";
            oneFile |= args[i] == "--one-file";
            besideEmit |= args[i] == "--beside-emit";
            i--;
            continue;
        }

        if (i + 1 == args.Length)
        {
            Console.Error.WriteLine($"'{args[i]}' needs a value");
            return 2;
        }

        switch (args[i])
        {
            case "--lines":
                lines = int.Parse(args[i + 1].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                break;
            case "--seed":
                seed = ulong.Parse(args[i + 1], CultureInfo.InvariantCulture);
                break;
            case "--only":
                only = args[i + 1];
                break;
            case "--runs":
                runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                break;
            case "--csc-args":
                cscArguments = Path.GetFullPath(args[i + 1]);
                break;
            default:
                Console.Error.WriteLine("usage: profile [--lines N | --csc-args FILE] [--seed S] [--runs R] [--only TEXT] [--concurrent] [--beside-emit] [--one-file]");
                return 2;
        }
    }

    return Profile.Run(lines, seed, runs, only, concurrent, oneFile, besideEmit, cscArguments, Console.Out);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Profile).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
