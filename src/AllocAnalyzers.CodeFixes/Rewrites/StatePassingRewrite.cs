using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC020 "Use the overload that passes state": a lambda passed to a method that has an overload with one more
/// parameter — the state, generic or <c>object</c> — whose delegate receives that state as its last parameter
/// (<c>GetOrAdd(key, factory, arg)</c>, <c>StartNew(Action&lt;object?&gt;, object?)</c>, <c>Register(Action&lt;object?&gt;, object?)</c>,
/// <c>QueueUserWorkItem(WaitCallback, object?)</c>, and any user overload of that shape) is rewritten to a lambda that
/// captures nothing (<c>static</c> from C# 9) and reads the captured values from the state: the value itself, or a
/// value tuple of them. A value is copied when the call is made, so the fix is offered only when no captured variable
/// is written inside the lambda, after the call, in a loop around it or by another function.
/// </summary>
internal static class StatePassingRewrite
{
    public static SyntaxNode? TryApply(SemanticModel model, SyntaxNode root, IAnonymousFunctionOperation lambda, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        // A fresh annotation per rewrite: the finished document keeps annotations, and Fix All rewrites again.
        var callMark = new SyntaxAnnotation("AllocAnalyzers.StatePassingCall");
        if (lambda.Parent is not IDelegateCreationOperation { Parent: IArgumentOperation { ArgumentKind: ArgumentKind.Explicit, Parameter: { } parameter, Parent: IInvocationOperation invocation } } ||
            invocation.Syntax is not InvocationExpressionSyntax call ||
            call.Expression is GenericNameSyntax or MemberAccessExpressionSyntax { Name: GenericNameSyntax } ||
            lambda.Syntax is not LambdaExpressionSyntax lambdaSyntax || lambdaSyntax.Body is null ||
            call.ArgumentList.Arguments.Any(a => a.NameColon is not null) ||
            invocation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.Explicit) ||
            ClosureRewriting.BoundMethod(model, call, cancellationToken) is null)
        {
            return null;
        }

        var lambdaParameters = lambdaSyntax is ParenthesizedLambdaExpressionSyntax parenthesized
            ? parenthesized.ParameterList.Parameters.ToList()
            : new List<ParameterSyntax> { ((SimpleLambdaExpressionSyntax)lambdaSyntax).Parameter };
        if (lambdaParameters.Any(p => p.Type is not null || p.AttributeLists.Count > 0 || p.Default is not null) ||
            (lambdaSyntax as ParenthesizedLambdaExpressionSyntax)?.ReturnType is not null || lambdaSyntax.AttributeLists.Count > 0)
        {
            return null;
        }

        var captures = Captures.Of(lambda, cancellationToken);
        if (captures.CapturesThis || captures.Variables.IsEmpty || !CanCopyValues(captures, lambda, cancellationToken) ||
            FindReferences(model, lambdaSyntax, captures, cancellationToken) is not { } references)
        {
            return null;
        }

        var method = invocation.TargetMethod.OriginalDefinition;
        var offset = method.IsExtensionMethod && invocation.Arguments.Length > 0 && invocation.Arguments[0].Syntax is not ArgumentSyntax ? 1 : 0;
        if (call.ArgumentList.Arguments.Count + offset != method.Parameters.Length ||
            (parameter.OriginalDefinition.Type as INamedTypeSymbol)?.DelegateInvokeMethod is not { } invoke)
        {
            return null;
        }

        foreach (var candidate in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, method) || candidate.IsStatic != method.IsStatic ||
                candidate.IsExtensionMethod != method.IsExtensionMethod || candidate.Parameters.Length != method.Parameters.Length + 1 ||
                !model.IsAccessible(call.SpanStart, candidate))
            {
                continue;
            }

            for (var stateIndex = offset; stateIndex < candidate.Parameters.Length; stateIndex++)
            {
                if (!MatchesWithout(candidate, method, stateIndex))
                {
                    continue;
                }

                var stateType = candidate.Parameters[stateIndex].Type;
                var delegateIndex = parameter.Ordinal < stateIndex ? parameter.Ordinal : parameter.Ordinal + 1;
                if (stateType is not ITypeParameterSymbol && stateType.SpecialType != SpecialType.System_Object ||
                    (candidate.Parameters[delegateIndex].Type as INamedTypeSymbol)?.DelegateInvokeMethod is not { } newInvoke)
                {
                    continue;
                }

                var n = invoke.Parameters.Length;
                var appends = newInvoke.Parameters.Length == n + 1 && SymbolEqualityComparer.Default.Equals(newInvoke.Parameters[n].Type, stateType);
                var reuses = !appends && n > 0 && newInvoke.Parameters.Length == n && SymbolEqualityComparer.Default.Equals(newInvoke.Parameters[n - 1].Type, stateType) &&
                             n == lambdaParameters.Count && !IsUsed(model, lambdaSyntax, lambda.Symbol.Parameters[n - 1], cancellationToken);
                if (!appends && !reuses || stateType.SpecialType == SpecialType.System_Object && captures.Variables.Length > 1)
                {
                    continue;
                }

                var newCall = Rewrite(model, call, lambdaSyntax, lambdaParameters, references, captures, appends, stateIndex - offset, stateType.SpecialType == SpecialType.System_Object, generator);
                if (newCall is null)
                {
                    continue;
                }

                var newRoot = root.ReplaceNode(call, newCall.WithAdditionalAnnotations(callMark));
                if (ClosureRewriting.StillBindsTo(model, newRoot, callMark, candidate, compareDefinitions: true, cancellationToken))
                {
                    return newRoot;
                }
            }
        }

        return null;
    }

    private static InvocationExpressionSyntax? Rewrite(SemanticModel model, InvocationExpressionSyntax call, LambdaExpressionSyntax lambdaSyntax, List<ParameterSyntax> parameters,
        Dictionary<IdentifierNameSyntax, ISymbol> references, CaptureSet captures, bool appends, int stateArgumentIndex, bool objectState, SyntaxGenerator generator)
    {
        var stateName = ClosureRewriting.FreshLambdaParameterName(model, lambdaSyntax, "state");
        var single = captures.Variables.Length == 1;
        var body = lambdaSyntax.Body.ReplaceNodes(references.Keys.Where(r => lambdaSyntax.Body.Span.Contains(r.Span)), (original, _) =>
        {
            var variable = references[original];
            ExpressionSyntax access = !single
                ? MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(stateName), IdentifierName(variable.Name))
                : objectState
                    ? ParenthesizedExpression(CastExpression(ClosureRewriting.Type(generator, TypeOf(variable)), IdentifierName(stateName))).WithAdditionalAnnotations(Simplifier.Annotation)
                    : IdentifierName(stateName);
            return access.WithTriviaFrom(original);
        });

        var newParameters = appends
            ? parameters.Select(p => p.WithoutTrivia()).Append(Parameter(Identifier(stateName))).ToList()
            : parameters.Take(parameters.Count - 1).Select(p => p.WithoutTrivia()).Append(Parameter(Identifier(stateName))).ToList();
        var modifiers = lambdaSyntax.Modifiers;
        if (CapturingFunctions.SupportsStaticLambdas(call.SyntaxTree) && !modifiers.Any(SyntaxKind.StaticKeyword))
        {
            modifiers = modifiers.Insert(0, Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(Space));
        }

        LambdaExpressionSyntax newLambda = newParameters.Count == 1
            ? SimpleLambdaExpression(newParameters[0], (CSharpSyntaxNode)body).WithModifiers(modifiers)
            : ParenthesizedLambdaExpression(ParameterList(SeparatedList(newParameters)), (CSharpSyntaxNode)body).WithModifiers(modifiers);
        newLambda = newLambda.WithArrowToken(lambdaSyntax.ArrowToken).WithTriviaFrom(lambdaSyntax);

        ExpressionSyntax state = single
            ? IdentifierName(captures.Variables[0].Name)
            : TupleExpression(SeparatedList(captures.Variables.Select(v => Argument(IdentifierName(v.Name)))));
        var newCall = call.ReplaceNode(lambdaSyntax, newLambda);
        var arguments = newCall.ArgumentList.Arguments.Insert(stateArgumentIndex, Argument(state));
        return newCall.WithArgumentList(newCall.ArgumentList.WithArguments(arguments));
    }

    private static ITypeSymbol TypeOf(ISymbol variable) => variable is ILocalSymbol local ? local.Type : ((IParameterSymbol)variable).Type;

    /// <summary>Whether the parameters of <paramref name="candidate"/> other than the one at <paramref name="stateIndex"/> are those of <paramref name="method"/>, by name and ref kind.</summary>
    private static bool MatchesWithout(IMethodSymbol candidate, IMethodSymbol method, int stateIndex)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var other = candidate.Parameters[i < stateIndex ? i : i + 1];
            if (other.Name != method.Parameters[i].Name || other.RefKind != method.Parameters[i].RefKind)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The values must be the same when copied at the call as when read later: not written by the lambda, after it, in
    /// a loop around it or by another function; names usable as tuple elements when there are several.
    /// </summary>
    private static bool CanCopyValues(CaptureSet captures, IAnonymousFunctionOperation lambda, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>();
        foreach (var variable in captures.Variables)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Captures.IsWrittenInside(variable, lambda) ||
                ClosureRewriting.DeclaringFunctionBody(lambda, variable) is not { } body || Captures.MayBeWrittenAfter(variable, lambda, body) ||
                !names.Add(variable.Name) || SyntaxFacts.GetKeywordKind(variable.Name) != SyntaxKind.None || IsReservedTupleName(variable.Name) ||
                !ClosureRewriting.IsNameable(TypeOf(variable)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsReservedTupleName(string name) =>
        name is "Rest" or "ToString" or "GetHashCode" or "Equals" or "CompareTo" or "GetType" ||
        name.StartsWith("Item", System.StringComparison.Ordinal) && name.Length > 4 && name.Skip(4).All(char.IsDigit);

    /// <summary>Every identifier in the lambda naming a captured variable; null when one cannot simply be replaced or a variable is only used through a local function.</summary>
    private static Dictionary<IdentifierNameSyntax, ISymbol>? FindReferences(SemanticModel model, LambdaExpressionSyntax lambda, CaptureSet captures, CancellationToken cancellationToken)
    {
        var result = new Dictionary<IdentifierNameSyntax, ISymbol>();
        var used = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var identifier in lambda.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            var symbol = model.GetSymbolInfo(identifier, cancellationToken).Symbol;
            if (symbol is null || !captures.Variables.Contains(symbol, SymbolEqualityComparer.Default))
            {
                continue;
            }

            if (identifier.Parent is AnonymousObjectMemberDeclaratorSyntax { NameEquals: null } ||
                identifier.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }))
            {
                return null;
            }

            result.Add(identifier, symbol);
            used.Add(symbol);
        }

        return used.Count == captures.Variables.Length ? result : null;
    }

    private static bool IsUsed(SemanticModel model, LambdaExpressionSyntax lambda, IParameterSymbol parameter, CancellationToken cancellationToken) =>
        lambda.Body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i =>
            i.Identifier.ValueText == parameter.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol, parameter));
}
