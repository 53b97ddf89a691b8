using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CSharp;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.BoxingAnalyzer, AllocAnalyzers.CodeFixes.Rules.BoxingFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC030 fixes: "Format without boxing" and "Use the typed overload", and where they are not offered.</summary>
public sealed class BoxingFixTests
{
    private static string Wrap(string body, string usings = "") => $$"""
        using System;
        {{usings}}using System.Globalization;
        using System.IO;
        using System.Text;

        class C
        {
            int Next() => 1;

            void M(int[] values, StringBuilder sb, TextWriter writer, double ratio)
            {
                foreach (var value in values)
                {
        {{body}}
                }
            }
        }
        """;

    // ---- Format without boxing ---------------------------------------------------------------------------------

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task Format_BecomesAnInterpolatedString_WhereTheHandlerExists(LanguageVersion language) => new Test
    {
        LanguageVersion = language,
        CodeActionEquivalenceKey = BoxingFixer.FormatWithoutBoxingEquivalenceKey,
        TestCode = Wrap("""
                        var text = string.Format("{0,-6}|{1:F2} {{x}} \"q\"\n", [|value|], [|ratio|]);
                        Console.WriteLine(text);
            """),
        FixedCode = Wrap("""
                        var text = $"{value,-6}|{ratio:F2} {{x}} \"q\"\n";
                        Console.WriteLine(text);
            """),
    }.RunAsync();

    [Fact]
    public Task Format_AppendFormatConsoleAndProvider_KeepTheirCultureAndTarget() => new Test
    {
        ReferenceSet = ReferenceSet.Net80,
        CodeActionEquivalenceKey = BoxingFixer.FormatWithoutBoxingEquivalenceKey,
        TestCode = Wrap("""
                        sb.AppendFormat("{0}; ", [|value|]);
                        sb.AppendFormat(CultureInfo.InvariantCulture, "{0}; ", [|ratio|]);
                        Console.WriteLine("{0} of {1}", [|value|], [|values.Length|]);
                        var s = string.Format(CultureInfo.InvariantCulture, "{0:N1}", [|ratio|]);
                        writer.WriteLine("{0}", [|value + 1|]);
                        Console.WriteLine(s);
            """),
        FixedCode = Wrap("""
                        sb.Append($"{value}; ");
                        sb.Append(CultureInfo.InvariantCulture, $"{ratio}; ");
                        Console.WriteLine($"{value} of {values.Length}");
                        var s = string.Create(CultureInfo.InvariantCulture, $"{ratio:N1}");
                        writer.WriteLine(string.Create(writer.FormatProvider, $"{(value + 1)}"));
                        Console.WriteLine(s);
            """),
    }.RunAsync();

    [Fact]
    public Task Format_FourValues_ThroughParamsSpanOnNet100() => new Test
    {
        ReferenceSet = ReferenceSet.Net100,
        LanguageVersion = LanguageVersion.CSharp14,
        CodeActionEquivalenceKey = BoxingFixer.FormatWithoutBoxingEquivalenceKey,
        TestCode = Wrap("""
                        Console.WriteLine(string.Format("{0}{1}{2}{3}", [|value|], [|ratio|], [|value|], [|1L|]));
            """),
        FixedCode = Wrap("""
                        Console.WriteLine($"{value}{ratio}{value}{1L}");
            """),
    }.RunAsync();

    [Fact]
    public Task Format_WithProvider_IsNotRewritten_BeforeCSharp10() => new Test
    {
        LanguageVersion = LanguageVersion.CSharp9,
        TestCode = Wrap("""
                        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}", [|value|]));
            """),
        FixedCode = Wrap("""
                        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}", [|value|]));
            """),
    }.RunAsync();

    [Theory]
    [InlineData("Console.WriteLine(string.Format(\"{1} {0}\", [|Next()|], [|Next() + 1|]));")]
    [InlineData("Console.WriteLine(string.Format(\"{0} {0}\", [|Next()|]));")]
    [InlineData("Console.WriteLine(string.Format(\"{0}\", [|Next()|], [|Next()|]));")]
    [InlineData("Console.WriteLine(string.Format(\"{0} {1}\", sb, [|sb.Append('x').Length|]));")]
    [InlineData("Console.WriteLine(string.Format(\"{0} {1\", [|value|], [|value|]));")]
    [InlineData("var format = \"{0}\"; Console.WriteLine(string.Format(format, [|value|]));")]
    public Task Format_IsNotOffered_WhereEvaluationOrTheFormatWouldChange(string body) => new Test
    {
        TestCode = Wrap("            " + body),
        FixedCode = Wrap("            " + body),
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task Format_WithoutHandler_PassesToString_WhereNoSpecifierAppliesToTheValue(ReferenceSet references) => new Test
    {
        ReferenceSet = references,
        LanguageVersion = LanguageVersion.CSharp7_3,
        TestCode = Wrap("""
                        Console.WriteLine(string.Format("{0,4} and {1:F1}", [|value|], [|ratio|]));
                        sb.AppendFormat("{0}", (object)[|value|]);
            """),
        FixedCode = Wrap("""
                        Console.WriteLine(string.Format("{0,4} and {1:F1}", value.ToString(), [|ratio|]));
                        sb.AppendFormat("{0}", value.ToString());
            """),
    }.RunAsync();

    [Fact]
    public Task Format_FixAll_RewritesEveryCallOfTheDocument() => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.FormatWithoutBoxingEquivalenceKey,
        TestCode = Wrap("""
                        Console.WriteLine("{0}", [|value|]);
                        Console.WriteLine("{0}!", [|ratio|]);
            """),
        AdditionalSources =
        {
            """
            class D
            {
                void N(long[] items)
                {
                    for (var i = 0; i < items.Length; i++) System.Console.Write("{0},", [|items[i]|]);
                }
            }
            """,
        },
        FixedCode = Wrap("""
                        Console.WriteLine($"{value}");
                        Console.WriteLine($"{ratio}!");
            """),
        FixedAdditionalSources =
        {
            """
            class D
            {
                void N(long[] items)
                {
                    for (var i = 0; i < items.Length; i++) System.Console.Write($"{items[i]},");
                }
            }
            """,
        },
    }.RunAsync();

    // ---- Use the typed overload --------------------------------------------------------------------------------

    [Fact]
    public Task TypedOverload_StaticObjectEquals_UsesTheDefaultComparer() => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.TypedOverloadEquivalenceKey,
        TestCode = Wrap("""
                        if (object.Equals([|value|], [|values[0]|])) Console.WriteLine(Equals([|ratio|], [|1.5|]));
            """),
        FixedCode = Wrap("""
                        if (EqualityComparer<int>.Default.Equals(value, values[0])) Console.WriteLine(EqualityComparer<double>.Default.Equals(ratio, 1.5));
            """, "using System.Collections.Generic;\n"),
    }.RunAsync();

    [Fact]
    public Task TypedOverload_DropsTheCastToObject_WhereAnOverloadTakesTheValue() => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.TypedOverloadEquivalenceKey,
        TestCode = Wrap("""
                        sb.Append((object)[|value|]).Insert(0, (object)[|ratio|]);
                        writer.Write((object)[|value|]);
                        Console.WriteLine(ratio.Equals((object)[|1.0|]));
            """),
        FixedCode = Wrap("""
                        sb.Append(value).Insert(0, ratio);
                        writer.Write(value);
                        Console.WriteLine(ratio.Equals(1.0));
            """),
    }.RunAsync();

    [Fact]
    public Task TypedOverload_IsNotOffered_ForUserStructsOrMixedTypes() => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.TypedOverloadEquivalenceKey,
        TestCode = """
            using System;
            struct P { public int X; }
            class C
            {
                void M(P[] ps, long l)
                {
                    foreach (var p in ps) Console.WriteLine(object.Equals([|p|], [|ps[0]|]) || object.Equals([|p.X|], [|l|]));
                }
            }
            """,
        FixedCode = """
            using System;
            struct P { public int X; }
            class C
            {
                void M(P[] ps, long l)
                {
                    foreach (var p in ps) Console.WriteLine(object.Equals([|p|], [|ps[0]|]) || object.Equals([|p.X|], [|l|]));
                }
            }
            """,
    }.RunAsync();

    // ---- Make the parameter generic ----------------------------------------------------------------------------

    private const string Shapes = """
        using System;

        interface IShape { double Area(); int Sides { get; set; } }

        struct Square : IShape
        {
            public double Side;
            public double Area() => Side * Side;
            public int Sides { get; set; }
        }

        """;

    [Fact]
    public Task GenericParameter_PrivateMethodThatOnlyCallsMembers() => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.GenericParameterEquivalenceKey,
        TestCode = Shapes + """
            class C
            {
                double Sum(Square[] squares)
                {
                    var total = 0.0;
                    foreach (var s in squares) total += Measure([|s|], 2);
                    return total;
                }

                private double Measure(IShape shape, int factor)
                {
                    shape.Sides = 4;
                    return shape.Area() * factor + shape.Sides;
                }
            }
            """,
        FixedCode = Shapes + """
            class C
            {
                double Sum(Square[] squares)
                {
                    var total = 0.0;
                    foreach (var s in squares) total += Measure(s, 2);
                    return total;
                }

                private double Measure<TShape>(TShape shape, int factor) where TShape : IShape
                {
                    shape.Sides = 4;
                    return shape.Area() * factor + shape.Sides;
                }
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("private", "_last = shape; return shape.Area();")]
    [InlineData("private", "return Other(shape);")]
    [InlineData("private", "return shape == null ? 0 : shape.Area();")]
    [InlineData("private", "shape = default(Square); return shape.Area();")]
    [InlineData("internal", "return shape.Area();")]
    [InlineData("public virtual", "return shape.Area();")]
    public Task GenericParameter_IsNotOffered_WhenTheBoxIdentityCouldMatter(string modifiers, string body) => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.GenericParameterEquivalenceKey,
        TestCode = Shapes + $$"""
            class C
            {
                IShape _last;
                double Other(IShape s) => s.Area();
                double Sum(Square[] squares)
                {
                    var total = 0.0;
                    foreach (var s in squares) total += Measure([|s|]);
                    return total;
                }

                {{modifiers}} double Measure(IShape shape) { {{body}} }
            }
            """,
        FixedCode = Shapes + $$"""
            class C
            {
                IShape _last;
                double Other(IShape s) => s.Area();
                double Sum(Square[] squares)
                {
                    var total = 0.0;
                    foreach (var s in squares) total += Measure([|s|]);
                    return total;
                }

                {{modifiers}} double Measure(IShape shape) { {{body}} }
            }
            """,
    }.RunAsync();

    // ---- Use a generic collection ------------------------------------------------------------------------------

    [Fact]
    public Task GenericCollection_LocalArrayListQueueAndStack_OfOneValueType() => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.GenericCollectionEquivalenceKey,
        TestCode = """
            using System.Collections;

            class C
            {
                int M(int[] values)
                {
                    var list = new ArrayList(values.Length);
                    Queue pending = new Queue();
                    var undo = new Stack();
                    foreach (var v in values)
                    {
                        list.Add([|v|]);
                        pending.Enqueue([|v * 2|]);
                        undo.Push([|v|]);
                    }

                    list[0] = 1;
                    var sum = (int)list[0] + list.Count + (int)pending.Dequeue() + (int)undo.Peek();
                    foreach (int x in list) sum += x;
                    list.Clear();
                    return sum;
                }
            }
            """,
        FixedCode = """
            using System.Collections;
            using System.Collections.Generic;

            class C
            {
                int M(int[] values)
                {
                    var list = new List<int>(values.Length);
                    Queue<int> pending = new Queue<int>();
                    var undo = new Stack<int>();
                    foreach (var v in values)
                    {
                        list.Add(v);
                        pending.Enqueue(v * 2);
                        undo.Push(v);
                    }

                    list[0] = 1;
                    var sum = (int)list[0] + list.Count + (int)pending.Dequeue() + (int)undo.Peek();
                    foreach (int x in list) sum += x;
                    list.Clear();
                    return sum;
                }
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("list.Add(1L);")]
    [InlineData("foreach (var x in list) System.Console.WriteLine(x);")]
    [InlineData("System.Console.WriteLine(list[0]);")]
    [InlineData("var i = list.Add(2);")]
    [InlineData("Use(list);")]
    [InlineData("list.Add(\"text\");")]
    public Task GenericCollection_IsNotOffered_WhenAUseWouldReadDifferently(string use) => new Test
    {
        CodeActionEquivalenceKey = BoxingFixer.GenericCollectionEquivalenceKey,
        TestCode = $$"""
            using System.Collections;
            class C
            {
                void Use(ArrayList l) { }
                void M(int[] values)
                {
                    var list = new ArrayList();
                    foreach (var v in values) list.Add([|v|]);
                    {{use}}
                }
            }
            """,
        FixedCode = $$"""
            using System.Collections;
            class C
            {
                void Use(ArrayList l) { }
                void M(int[] values)
                {
                    var list = new ArrayList();
                    foreach (var v in values) list.Add([|v|]);
                    {{use}}
                }
            }
            """,
    }.RunAsync();
}
