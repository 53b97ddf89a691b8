using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Analysis;

/// <summary>The framework types the closure rules ask about, looked up once per compilation; a missing type answers "no".</summary>
internal sealed class ClosureSymbols
{
    public ClosureSymbols(Compilation compilation)
    {
        Expression = compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1");
    }

    /// <summary><c>System.Linq.Expressions.Expression&lt;TDelegate&gt;</c>.</summary>
    public INamedTypeSymbol? Expression { get; }

    /// <summary>Whether a lambda converted to <paramref name="type"/> becomes an expression tree (never rewritten).</summary>
    public bool IsExpressionTree(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && KnownSymbols.IsType(named.OriginalDefinition, Expression);
}
