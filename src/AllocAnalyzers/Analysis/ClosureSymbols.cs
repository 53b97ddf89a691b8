using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Analysis;

/// <summary>The framework types the closure rules ask about, looked up once per compilation when first asked for; a missing type answers "no".</summary>
internal sealed class ClosureSymbols
{
    private readonly Compilation _compilation;
    private object? _expression;

    public ClosureSymbols(Compilation compilation)
    {
        _compilation = compilation;
    }

    /// <summary><c>System.Linq.Expressions.Expression&lt;TDelegate&gt;</c>.</summary>
    public INamedTypeSymbol? Expression => LazySymbol.Resolve(_compilation, ref _expression, "System.Linq.Expressions.Expression`1");

    /// <summary>Whether a lambda converted to <paramref name="type"/> becomes an expression tree (never rewritten).</summary>
    public bool IsExpressionTree(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true, Name: "Expression" } named && KnownSymbols.IsType(named.OriginalDefinition, Expression);
}
