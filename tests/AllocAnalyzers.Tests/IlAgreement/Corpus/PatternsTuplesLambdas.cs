// IL agreement corpus: pattern matching, switch on object, tuples, lambdas and method groups.
using System;
using System.Collections.Generic;
using System.Linq.Expressions;

static class PatternsTuplesLambdas
{
    static int Unbox(object o) => o is int i ? i : 0;
    static string SwitchOnObject(object o)
    {
        switch (o)
        {
            case int n: return "int " + n;
            case string s: return s;
            default: return "";
        }
    }
    static bool TypePatternOnValue(int value) => value is IFormattable;
    static object TupleToObject(int a, string b) => (a, b);
    static object TupleLiteral() => (1, 2);
    static bool TupleEquality((int, int) t) => t == (1, 2);
    static Func<object> LambdaReturningValue(int value) => () => value;
    static Func<int, object> LambdaParameter() => x => x;
    static Func<string> MethodGroup(int value) => value.ToString;
    static Expression<Func<int, object>> ExpressionTree() => x => x;
    static IEnumerable<object> Iterator(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }
    }
    static void ForEachAsObject(int[] values)
    {
        foreach (object value in values)
        {
            GC.KeepAlive(value);
        }
    }
    static string NameOf(int value) => nameof(value);
}
