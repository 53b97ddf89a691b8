// IL agreement corpus: string concatenation with +. The compiler calls ToString() on value operands (constrained)
// instead of boxing them; type parameters are still boxed.
using System;

struct PlainPoint
{
    public int X;
    public int Y;
}

static class Concatenation
{
    static string Int(int value) => "n=" + value;
    static string Char(char c) => "c=" + c;
    static string Nullable(int? value) => "n=" + value;
    static string Struct(PlainPoint point) => "p=" + point;
    static string Enum(DayOfWeek day) => "d=" + day;
    static string Generic<T>(T value) => "t=" + value;
    static string Several(int a, double b, bool c, string d) => a + ", " + b + ", " + c + ", " + d;
    static string CompoundAssignment(string text, long value)
    {
        text += value;
        return text;
    }
}
