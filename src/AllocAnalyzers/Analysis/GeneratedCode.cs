using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Analysis;

/// <summary>How every rule stays out of generated code without paying the compiler's per-file check on each report.</summary>
/// <remarks>
/// With <see cref="GeneratedCodeAnalysisFlags.None"/>, the compiler runs no action on generated code (generated
/// files, <c>generated_code = true</c> in .editorconfig, types and members marked <c>[GeneratedCode]</c>) and also
/// filters every reported diagnostic: the first report in a file makes it scan all of that file's tokens for a
/// <c>GeneratedCode</c> attribute, which measured about 40% of the rules' own time on a 50,000-line corpus. The
/// rules report only in code they analysed, which is not generated, so they keep the analysis off and the filter off.
/// Tests/Reliability/GeneratedCodeTests checks that no rule reports in generated code however it is marked.
/// </remarks>
internal static class GeneratedCode
{
    /// <summary>What every rule passes to <c>ConfigureGeneratedCodeAnalysis</c>: no analysis of generated code, no filter.</summary>
    public const GeneratedCodeAnalysisFlags Flags = GeneratedCodeAnalysisFlags.ReportDiagnostics;
}
