using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AllocAnalyzers.Tests.Harness;

/// <summary>
/// Compiles a test program and runs its <c>static string Program.Run()</c> in an isolated load context, so a test can
/// compare what the code does before and after a fix: the returned text, or the type of the exception it throws.
/// </summary>
public static class ProgramRunner
{
    public static string Run(string source, ReferenceSet references = ReferenceSet.Net80, params MetadataReference[] extra)
    {
        var compilation = CSharpCompilation.Create(
            "Program" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            References.For(references).AddRange(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new VerificationException("Program does not compile:" + Environment.NewLine +
                string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + Environment.NewLine + source);
        }

        var context = new AssemblyLoadContext(null, isCollectible: true);
        var previousCulture = Thread.CurrentThread.CurrentCulture;
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var run = assembly.GetType("Program")?.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)
                      ?? throw new VerificationException("The program needs a public static string Program.Run().");
            // A culture with a decimal comma, so formatting differences would show.
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            try
            {
                return "returned: " + (string?)run.Invoke(null, null);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                return "threw: " + e.InnerException.GetType().FullName;
            }
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previousCulture;
            context.Unload();
        }
    }
}
