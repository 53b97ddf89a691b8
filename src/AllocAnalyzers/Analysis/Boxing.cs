using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>
/// The types the boxing questions need, each looked up once per compilation when first asked for
/// (<see cref="LazySymbol"/>). A missing type is null and the questions that need it answer "no".
/// </summary>
internal sealed class BoxingSymbols
{
    private readonly Compilation _compilation;
    private object? _object, _valueType, _enum, _string, _expression, _iEquatable, _iFormattable, _equalityComparer, _hashCode,
        _stringBuilder, _textWriter, _console, _defaultInterpolatedStringHandler, _appendInterpolatedStringHandler;

    /// <summary>0 until asked, then 1 (.NET Framework) or 2 (not).</summary>
    private int _isNetFramework;

    public BoxingSymbols(Compilation compilation)
    {
        _compilation = compilation;
    }

    public INamedTypeSymbol Object => LazySymbol.Resolve(_compilation, ref _object, SpecialType.System_Object);
    public INamedTypeSymbol ValueType => LazySymbol.Resolve(_compilation, ref _valueType, SpecialType.System_ValueType);
    public INamedTypeSymbol Enum => LazySymbol.Resolve(_compilation, ref _enum, SpecialType.System_Enum);
    public INamedTypeSymbol String => LazySymbol.Resolve(_compilation, ref _string, SpecialType.System_String);
    public INamedTypeSymbol? Expression => LazySymbol.Resolve(_compilation, ref _expression, "System.Linq.Expressions.Expression");
    public INamedTypeSymbol? IEquatable => LazySymbol.Resolve(_compilation, ref _iEquatable, "System.IEquatable`1");
    public INamedTypeSymbol? IFormattable => LazySymbol.Resolve(_compilation, ref _iFormattable, "System.IFormattable");
    public INamedTypeSymbol? EqualityComparer => LazySymbol.Resolve(_compilation, ref _equalityComparer, "System.Collections.Generic.EqualityComparer`1");
    public INamedTypeSymbol? HashCode => LazySymbol.Resolve(_compilation, ref _hashCode, "System.HashCode");
    public INamedTypeSymbol? StringBuilder => LazySymbol.Resolve(_compilation, ref _stringBuilder, "System.Text.StringBuilder");
    public INamedTypeSymbol? TextWriter => LazySymbol.Resolve(_compilation, ref _textWriter, "System.IO.TextWriter");
    public INamedTypeSymbol? Console => LazySymbol.Resolve(_compilation, ref _console, "System.Console");
    public INamedTypeSymbol? DefaultInterpolatedStringHandler =>
        LazySymbol.Resolve(_compilation, ref _defaultInterpolatedStringHandler, "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler");
    public INamedTypeSymbol? AppendInterpolatedStringHandler =>
        LazySymbol.Resolve(_compilation, ref _appendInterpolatedStringHandler, "System.Text.StringBuilder+AppendInterpolatedStringHandler");

    /// <summary>On .NET Framework the JIT keeps the boxes of <c>Enum.HasFlag</c> and the enum comparers box; .NET Core removes both.</summary>
    public bool IsNetFramework
    {
        get
        {
            var value = Volatile.Read(ref _isNetFramework);
            if (value == 0)
            {
                value = Object.ContainingAssembly?.Name == "mscorlib" ? 1 : 2;
                Volatile.Write(ref _isNetFramework, value);
            }

            return value == 1;
        }
    }

    /// <summary>Whether <paramref name="type"/> is <c>object</c>, <c>ValueType</c> or <c>Enum</c>: the classes whose methods a value type inherits.</summary>
    public bool IsBaseOfValueTypes(ITypeSymbol? type) =>
        SymbolEqualityComparer.Default.Equals(type, Object) ||
        SymbolEqualityComparer.Default.Equals(type, ValueType) ||
        SymbolEqualityComparer.Default.Equals(type, Enum);
}

/// <summary>Questions about boxing: where the compiler emits a <c>box</c> instruction, and where it lowers one away.</summary>
internal static class Boxing
{
    /// <summary>
    /// Whether the compiler emits a <c>box</c> for <paramref name="conversion"/> that allocates at run time. The caller
    /// has checked that it is a boxing conversion.
    /// </summary>
    public static bool EmitsAllocatingBox(IConversionOperation conversion, BoxingSymbols symbols)
    {
        var operand = conversion.Operand;
        var parent = conversion.Parent;

        // "a" + i and s += i: the compiler calls i.ToString() (a constrained call) instead of boxing, except for type parameters.
        if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } or ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } &&
            SymbolEqualityComparer.Default.Equals(parent.Type, symbols.String) &&
            operand.Type is { TypeKind: not TypeKind.TypeParameter })
        {
            return false;
        }

        // (object)(int?)null and (object)default(int?): a null reference, folded at compile time.
        if (IsNullNullable(operand))
        {
            return false;
        }

        if (operand.Type is ITypeParameterSymbol)
        {
            // t == null, t is null and (U)(object)t: the JIT folds box + compare and box + unbox.any.
            if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison &&
                (IsNullLiteral(comparison.LeftOperand) || IsNullLiteral(comparison.RightOperand)))
            {
                return false;
            }

            if (parent is IConversionOperation unboxing && unboxing.Type is { IsValueType: true })
            {
                return false;
            }
        }

        // e.HasFlag(E.A): the JIT of .NET Core 2.1 and later removes both boxes.
        if (!symbols.IsNetFramework && IsHasFlagArgument(conversion, symbols))
        {
            return false;
        }

        return !IsInCodeThatIsNotCompiledToIL(conversion, symbols);
    }

    /// <summary>
    /// Whether a call boxes its receiver with a <c>box</c> instruction: a value-type receiver of a non-virtual method of
    /// <c>object</c>, <c>ValueType</c> or <c>Enum</c> (<c>GetType()</c>, <c>e.CompareTo(x)</c>, <c>e.ToString("G")</c>).
    /// Virtual methods are called with <c>constrained.</c> instead (see <see cref="BoxesAtRunTime"/>).
    /// </summary>
    public static bool BoxesReceiver(IMethodSymbol method, IOperation? instance, BoxingSymbols symbols)
    {
        if (instance?.Type is not { } type || !IsBoxable(type) || method.IsStatic ||
            !symbols.IsBaseOfValueTypes(method.ContainingType) || IsCalledConstrained(method))
        {
            return false;
        }

        return (symbols.IsNetFramework || method.Name != "HasFlag") && !IsInCodeThatIsNotCompiledToIL(instance, symbols);
    }

    /// <summary>
    /// Whether a call of <paramref name="method"/> on a value of struct or enum type <paramref name="receiverType"/> boxes
    /// at run time although the IL has no <c>box</c>: a virtual method of <c>object</c>/<c>ValueType</c>/<c>Enum</c>
    /// (<c>ToString</c>, <c>GetHashCode</c>, <c>Equals</c>) that the type does not override itself, called through
    /// <c>constrained.</c>. <c>enum.GetHashCode()</c> is exempt on .NET Core, whose JIT devirtualizes it.
    /// </summary>
    public static bool BoxesAtRunTime(IMethodSymbol method, ITypeSymbol receiverType, BoxingSymbols symbols)
    {
        if (receiverType.TypeKind is not (TypeKind.Struct or TypeKind.Enum) || method.IsStatic ||
            !symbols.IsBaseOfValueTypes(method.ContainingType) || !IsCalledConstrained(method))
        {
            return false;
        }

        return !(receiverType.TypeKind == TypeKind.Enum && method.Name == nameof(GetHashCode) && !symbols.IsNetFramework);
    }

    /// <summary>
    /// Whether the compiler calls <paramref name="method"/> on a value-type receiver with <c>constrained.</c> rather than
    /// boxing it first: methods that are virtual in metadata, which includes interface implementations such as
    /// <c>Enum.CompareTo</c>.
    /// </summary>
    public static bool IsCalledConstrained(IMethodSymbol method)
    {
        if (method.IsVirtual || method.IsOverride || method.IsAbstract)
        {
            return true;
        }

        var type = method.ContainingType;
        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a hole of an interpolated string holds a value that is boxed when the compiler builds the string with
    /// <c>string.Format</c> or <c>FormattableStringFactory.Create</c>, which it does unless <see cref="IsBuiltWithHandler"/>
    /// (asked once per string, as it looks at every hole). Holes lowered through a handler the code names are
    /// <c>IInterpolatedStringAppendOperation</c>s instead and never get here.
    /// </summary>
    public static bool IsBoxableHole(IInterpolationOperation hole) =>
        hole.Expression.Type is { } type && IsBoxable(type) && !IsNullNullable(hole.Expression);

    /// <summary>
    /// Whether the compiler builds a <c>string</c>-typed interpolated string with <c>DefaultInterpolatedStringHandler</c>:
    /// whenever the type exists (.NET 6 and later), whatever the language version, unless a hole holds an await, even one
    /// inside a lambda (the handler is a ref struct). The operation tree shows such strings with plain holes, not as
    /// handler appends.
    /// </summary>
    public static bool IsBuiltWithHandler(IInterpolatedStringOperation text, BoxingSymbols symbols)
    {
        if (symbols.DefaultInterpolatedStringHandler is null || text.Parent is IConversionOperation { Type.SpecialType: not SpecialType.System_String })
        {
            return false;
        }

        foreach (var part in text.Parts)
        {
            if (part is IInterpolationOperation hole && ContainsAwait(hole.Expression))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsAwait(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IAwaitOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNullNullable(IOperation operand)
    {
        if (operand.Type is not INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
        {
            return false;
        }

        while (operand is IConversionOperation conversion)
        {
            operand = conversion.Operand;
        }

        return operand is IDefaultValueOperation || operand.ConstantValue is { HasValue: true, Value: null };
    }

    /// <summary>Whether a value of this type is boxed when converted to a reference type (a value type, or a type parameter that may be one).</summary>
    public static bool IsBoxable(ITypeSymbol type) =>
        type.IsValueType && !type.IsRefLikeType ||
        type is ITypeParameterSymbol { IsReferenceType: false, HasReferenceTypeConstraint: false };

    /// <summary>Inside <c>nameof</c>, an attribute, a default parameter value or an expression tree lambda: nothing is emitted as IL there.</summary>
    public static bool IsInCodeThatIsNotCompiledToIL(IOperation operation, BoxingSymbols symbols)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case INameOfOperation:
                case IParameterInitializerOperation:
                case IAttributeOperation:
                    return true;
                case IAnonymousFunctionOperation lambda when IsExpressionTree(lambda, symbols):
                    return true;
            }
        }

        return false;
    }

    private static bool IsExpressionTree(IAnonymousFunctionOperation lambda, BoxingSymbols symbols)
    {
        if (symbols.Expression is null || lambda.Parent is not { } parent)
        {
            return false;
        }

        var target = parent switch
        {
            IDelegateCreationOperation creation => creation.Type,
            IConversionOperation conversion => conversion.Type,
            _ => null,
        };
        for (var type = target; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, symbols.Expression))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHasFlagArgument(IConversionOperation conversion, BoxingSymbols symbols) =>
        conversion.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "HasFlag" } call } &&
        SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, symbols.Enum);

    private static bool IsNullLiteral(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };
    }

    /// <summary>Whether a conversion operation is a boxing conversion (the C# compiler's own classification).</summary>
    public static bool IsBoxingConversion(IConversionOperation conversion) =>
        conversion.Language == LanguageNames.CSharp && conversion.GetConversion().IsBoxing;
}
