using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.EndToEnd;

/// <summary>
/// The package as a user meets it: installed from a feed into tests/EndToEnd/Consumer, it fails a
/// warnings-as-errors build with ALLOC001 and the rule's help link, and <c>dotnet format</c> applies its fix so
/// that the program builds clean and prints what it printed before.
/// </summary>
public sealed class PackageEndToEndTests : IClassFixture<PackageEndToEndTests.PackedPackage>
{
    private const string HelpLink = "/docs/rules/ALLOC001.md";

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public PackageEndToEndTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public async Task Build_Fails_WithAlloc001AndItsHelpLink_WhenWarningsAreErrors()
    {
        _output.WriteLine(_package.PackSummary);
        var consumer = _package.CopyConsumer("warnaserror");

        var build = await _package.DotnetAsync(consumer.Directory, "build", consumer.Project, "-warnaserror", "--no-incremental", "-nodeReuse:false", "-tl:off");
        _output.WriteLine(build.Summary);

        Assert.True(build.ExitCode != 0, "The build should fail on ALLOC001.\n" + build.Output);
        Assert.Contains("error ALLOC001", build.Output, StringComparison.Ordinal);
        Assert.Contains(HelpLink, build.Output, StringComparison.Ordinal);

        // The package's build props make the target framework visible to the analyzers (ALLOC002 uses it).
        var analyzerConfig = Directory.GetFiles(consumer.Directory, "*.GeneratedMSBuildEditorConfig.editorconfig", SearchOption.AllDirectories);
        Assert.True(analyzerConfig.Length > 0, "No generated analyzer config was found under " + consumer.Directory);
        Assert.Contains("build_property.TargetFramework = net10.0", File.ReadAllText(analyzerConfig[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_RentsTheArraysFromArrayPool_AndTheProgramPrintsTheSame()
    {
        _output.WriteLine(_package.PackSummary);
        var consumer = _package.CopyConsumer("format");
        var original = File.ReadAllText(consumer.Program);

        var (_, before) = await BuildAndRunAsync(consumer, warningsAsErrors: false);
        Assert.False(string.IsNullOrWhiteSpace(before), "The consumer printed nothing.");

        var format = await _package.DotnetAsync(consumer.Directory, "format", "analyzers", consumer.Project, "--diagnostics", "ALLOC001", "--severity", "warn", "--no-restore");
        _output.WriteLine(format.Summary);
        Assert.True(format.ExitCode == 0, "dotnet format failed.\n" + format.Output);

        var rewritten = File.ReadAllText(consumer.Program);
        Assert.True(rewritten != original, "dotnet format left Program.cs unchanged.\n" + format.Output);
        Assert.Contains("ArrayPool<", rewritten, StringComparison.Ordinal);

        var (build, after) = await BuildAndRunAsync(consumer, warningsAsErrors: true);
        Assert.DoesNotContain("ALLOC001", build, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    /// <summary>Builds the consumer from scratch and runs it; returns the build's output and what the program printed.</summary>
    private async Task<(string Build, string Program)> BuildAndRunAsync(ConsumerCopy consumer, bool warningsAsErrors)
    {
        var arguments = new List<string> { "build", consumer.Project, "--no-incremental", "-nodeReuse:false", "-tl:off" };
        if (warningsAsErrors)
        {
            arguments.Add("-warnaserror");
        }

        var build = await _package.DotnetAsync(consumer.Directory, arguments.ToArray());
        _output.WriteLine(build.Summary);
        Assert.True(build.ExitCode == 0, $"The consumer does not build.\n{build.Output}\nProgram.cs:\n{File.ReadAllText(consumer.Program)}");

        var run = await _package.DotnetAsync(consumer.Directory, consumer.OutputAssembly);
        _output.WriteLine(run.Summary);
        Assert.True(run.ExitCode == 0, $"The consumer failed.\n{run.Output}\nProgram.cs:\n{File.ReadAllText(consumer.Program)}");
        return (build.Output, run.Output);
    }

    internal sealed record ConsumerCopy(string Directory, string Project, string Program, string OutputAssembly);

    /// <summary>
    /// Packs src/AllocAnalyzers.Package once per test class into a fresh local feed. Every run uses a new package
    /// version and its own packages folder, so no NuGet cache can hand back an older build; the pack builds into
    /// its own artifacts folder, so it does not touch the work tree's bin/ and obj/.
    /// </summary>
    public sealed class PackedPackage : IAsyncLifetime
    {
        private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("AllocAnalyzers.e2e.");

        public PackedPackage()
        {
            RepositoryRoot = FindRepositoryRoot();
            Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N").Substring(0, 8)}";
            Feed = Path.Combine(_root.FullName, "feed");
            Packages = Path.Combine(_root.FullName, "packages");
        }

        public string RepositoryRoot { get; }
        public string Version { get; }
        public string Feed { get; }
        public string Packages { get; }

        /// <summary>The pack command and its duration, for the tests' output.</summary>
        public string PackSummary { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var project = Path.Combine(RepositoryRoot, "src", "AllocAnalyzers.Package", "AllocAnalyzers.Package.csproj");
            var pack = await DotnetAsync(RepositoryRoot, "pack", project, "-c", "Release", "-o", Feed,
                "-p:PackageVersion=" + Version, "--artifacts-path", Path.Combine(_root.FullName, "artifacts"), "-nodeReuse:false", "-tl:off");
            PackSummary = pack.Summary;
            var package = Path.Combine(Feed, $"AllocAnalyzers.{Version}.nupkg");
            if (pack.ExitCode != 0 || !File.Exists(package))
            {
                throw new InvalidOperationException($"Packing failed or made no {Path.GetFileName(package)}.\n{pack.Output}");
            }
        }

        public Task DisposeAsync()
        {
            try
            {
                _root.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A process that outlived its step may still hold a file; the folder is in the temp directory.
            }

            return Task.CompletedTask;
        }

        /// <summary>A fresh copy of tests/EndToEnd/Consumer whose nuget.config sees only the local feed.</summary>
        internal ConsumerCopy CopyConsumer(string name)
        {
            var source = Path.Combine(RepositoryRoot, "tests", "EndToEnd", "Consumer");
            var target = Path.Combine(_root.FullName, "consumer-" + name);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(target, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Packages}" />
                  </config>
                  <packageSources>
                    <clear />
                    <add key="e2e" value="{Feed}" />
                  </packageSources>
                </configuration>
                """);

            return new ConsumerCopy(
                target,
                Path.Combine(target, "Consumer.csproj"),
                Path.Combine(target, "Program.cs"),
                Path.Combine(target, "bin", "Debug", "net10.0", "Consumer.dll"));
        }

        /// <summary>Runs the dotnet host with the package version in the environment, where MSBuild reads it as a property.</summary>
        internal Task<ProcessResult> DotnetAsync(string workingDirectory, params string[] arguments)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
            var environment = new Dictionary<string, string?>
            {
                ["AllocAnalyzersVersion"] = Version,
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                ["MSBUILDDISABLENODEREUSE"] = "1",
                // No compiler server: nothing started here may outlive its step.
                ["UseSharedCompilation"] = "false",
                // Set by the `dotnet test` that runs this; each child finds its own.
                ["MSBuildExtensionsPath"] = null,
                ["MSBuildSDKsPath"] = null,
                ["MSBUILD_EXE_PATH"] = null,
            };
            return ProcessResult.RunAsync(dotnet, arguments, workingDirectory, environment, StepTimeout);
        }

        private static string FindRepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AllocAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds AllocAnalyzers.sln.");
        }
    }
}

/// <summary>The exit code and the interleaved standard output and error of a finished process.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Duration)
{
    public string Summary => $"{CommandLine}: exit {ExitCode} in {Duration.TotalSeconds:F1} s";

    /// <summary>Runs a process to its end or until <paramref name="timeout"/>, when it is killed with its children.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var commandLine = Path.GetFileName(fileName) + " " + string.Join(" ", arguments);
        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancellation = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        lock (output)
        {
            if (timedOut)
            {
                output.AppendLine($"<killed after {timeout.TotalSeconds:F0} s>");
            }

            return new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, output.ToString(), stopwatch.Elapsed);
        }
    }
}
