// IL agreement corpus: interpolated strings. Where DefaultInterpolatedStringHandler exists (net6+, whatever the language
// version) the holes of a string are appended as T without boxing; without it (netstandard2.0, net472) the compiler calls
// string.Format and boxes, and so it does for FormattableString and IFormattable targets and for holes that await (an await inside a lambda of a hole belongs to the lambda).
using System;

static class Interpolation
{
    static string TwoHoles(int count, double ratio) => $"{count} items, {ratio:F2}";
    static string FourHoles(int a, long b, short c, byte d) => $"{a}{b}{c}{d}";
    static string Aligned(int value) => $"[{value,8}]";
    static string NullableHole(int? value) => $"{value}";
    static string EnumHole(DayOfWeek day) => $"{day}";
    static string GenericHole<T>(T value) => $"<{value}>";
    static string StringsOnly(string a, string b) => $"{a}-{b}";
    static FormattableString Formattable(int value) => $"{value}";
    static IFormattable AsIFormattable(int value) => $"{value}";
    static async System.Threading.Tasks.Task<string> AwaitedHole(System.Threading.Tasks.Task<int> count) => $"{await count} items";
    static async System.Threading.Tasks.Task<string> AwaitInALambdaOfAHole(System.Threading.Tasks.Task<int> count, int n)
    {
        await System.Threading.Tasks.Task.Yield();
        return $"{n} {Run(async () => await count)}";
    }

    static string AwaitInALambdaOfAHoleOfASynchronousMethod(System.Threading.Tasks.Task<int> count, int n) => $"{n} {Run(async () => await count)}";
    static int Run(Func<System.Threading.Tasks.Task<int>> f) => f().GetAwaiter().GetResult();
    static string InALambda(int n) => ((Func<string>)(() => $"{n}"))();
    static Func<System.Threading.Tasks.Task<string>> InAnAsyncLambda(System.Threading.Tasks.Task<int> count, int n) => async () => $"{n}{await count}";
    static string InALocalFunction(int n)
    {
        return Local();
        string Local() => $"{n}";
    }
    static string Nested(int a, int b) => $"{a}:{$"{b}"}";
}
