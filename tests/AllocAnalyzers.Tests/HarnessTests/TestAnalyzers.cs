using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

// These analyzers are test doubles run only by the harness, never loaded by a compiler: the rules for shipped
// compiler extensions (release tracking, no Workspaces reference, netstandard2.0, unique ids) do not apply.
#pragma warning disable RS1019, RS1036, RS1038, RS1041, RS2008

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>The rule every self-test analyzer reports: TEST001 on an integer literal whose value is 42 (<c>42</c>, <c>0x2A</c>).</summary>
internal static class FortyTwo
{
    internal const string Id = "TEST001";

    internal static readonly DiagnosticDescriptor Rule = new(
        Id, "The answer", "Literal '{0}' is the answer", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    internal static bool IsFortyTwo(SyntaxNode node) => node is LiteralExpressionSyntax { Token.Value: 42 };

    internal static void Report(SyntaxNodeAnalysisContext context, DiagnosticDescriptor rule)
    {
        if (IsFortyTwo(context.Node))
        {
            context.ReportDiagnostic(Diagnostic.Create(rule, context.Node.GetLocation(), context.Node.ToString()));
        }
    }
}

/// <summary>A well-behaved analyzer: TEST001 on every 42, silent in generated code.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class FortyTwoAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(FortyTwo.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(c => FortyTwo.Report(c, FortyTwo.Rule), SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>Throws on every literal it visits.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ThrowingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(FortyTwo.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("ThrowingAnalyzer always throws"), SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>Wrongly analyzes and reports in generated code.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class GeneratedCodeReportingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(FortyTwo.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterSyntaxNodeAction(c => FortyTwo.Report(c, FortyTwo.Rule), SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>Reports through a descriptor tagged NotConfigurable, which <c>#pragma warning disable</c> cannot silence.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class UnsuppressibleAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        FortyTwo.Id, "The answer", "Literal '{0}' is the answer", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true,
        customTags: WellKnownDiagnosticTags.NotConfigurable);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(c => FortyTwo.Report(c, Rule), SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>TEST002, disabled by default: the harness must enable it anyway.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class DisabledByDefaultAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        "TEST002", "The answer, quietly", "Literal '{0}' is the answer", "Test", DiagnosticSeverity.Info, isEnabledByDefault: false);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(c => FortyTwo.Report(c, Rule), SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>Reports TEST001 only where <c>.editorconfig</c> sets <c>test001.enabled = true</c> for the file.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EditorConfigOptInAnalyzer : DiagnosticAnalyzer
{
    internal const string OptionName = "test001.enabled";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(FortyTwo.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var options = c.Options.AnalyzerConfigOptionsProvider.GetOptions(c.Node.SyntaxTree);
                if (options.TryGetValue(OptionName, out var value) && value == "true")
                {
                    FortyTwo.Report(c, FortyTwo.Rule);
                }
            },
            SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>Reports TEST001 only when the build sets the MSBuild property <c>ReportFortyTwo</c> to true.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class BuildPropertyOptInAnalyzer : DiagnosticAnalyzer
{
    internal const string PropertyName = "build_property.ReportFortyTwo";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(FortyTwo.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                if (c.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(PropertyName, out var value) && value == "true")
                {
                    FortyTwo.Report(c, FortyTwo.Rule);
                }
            },
            SyntaxKind.NumericLiteralExpression);
    }
}

/// <summary>TEST001 on 42 and TEST003 on the sum it is an operand of: nested diagnostics that share a start or an end.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NestedSumAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor SumRule = new(
        "TEST003", "A sum with the answer", "Sum with the answer", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(FortyTwo.Rule, SumRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(c => FortyTwo.Report(c, FortyTwo.Rule), SyntaxKind.NumericLiteralExpression);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var sum = (BinaryExpressionSyntax)c.Node;
                if (FortyTwo.IsFortyTwo(sum.Left) || FortyTwo.IsFortyTwo(sum.Right))
                {
                    c.ReportDiagnostic(Diagnostic.Create(SumRule, sum.GetLocation()));
                }
            },
            SyntaxKind.AddExpression);
    }
}
