using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Analysis;

/// <summary>
/// The project's target framework, which the package makes visible to analyzers as <c>build_property.TargetFramework</c>
/// (a <c>CompilerVisibleProperty</c> in its build props).
/// </summary>
internal static class TargetFrameworks
{
    public const string TargetFrameworkKey = "build_property.TargetFramework";

    /// <summary>Whether the project targets .NET 10 or later (<c>net10.0</c>, <c>net11.0-windows</c>, …).</summary>
    public static bool IsNet10OrLater(AnalyzerConfigOptions globalOptions)
    {
        if (!globalOptions.TryGetValue(TargetFrameworkKey, out var framework) || !framework.StartsWith("net", System.StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // netN.M is .NET 5 and later; net472 (no dot), netstandard and netcoreapp are not.
        var dot = framework.IndexOf('.');
        return dot > 3 &&
               int.TryParse(framework.Substring(3, dot - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var major) &&
               major >= 10;
    }
}
