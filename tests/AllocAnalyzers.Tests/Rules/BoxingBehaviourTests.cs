using System;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CSharp;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.BoxingAnalyzer, AllocAnalyzers.CodeFixes.Rules.BoxingFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>
/// The ALLOC030 fixes keep output: each program is compiled and run before and after every offered fix under de-DE
/// (a decimal comma, so a change of culture or provider would show) and must return the same text.
/// </summary>
public sealed class BoxingBehaviourTests
{
    [Theory]
    [InlineData("CultureSensitiveNumbers", """
        var sb = new StringBuilder();
        foreach (var d in new[] { 1.5, -0.25, 1e21, double.NaN })
        {
            sb.Append(string.Format("{0}|{0,9:F3}|{1:N0}|{2}", d, (decimal)(double.IsNaN(d) ? 0 : Math.Min(d, 1e10)) * 1000m, (float)d));
            sb.AppendFormat("[{0:E2}]", d);
            sb.AppendFormat(CultureInfo.InvariantCulture, "<{0}>", d);
            sb.Append(string.Format(CultureInfo.GetCultureInfo("fr-FR"), "{0:N2};", d * 1000));
        }
        return sb.ToString();
        """)]
    [InlineData("DatesEnumsNullablesAndEscapes", """
        var sb = new StringBuilder();
        var start = new DateTime(2024, 3, 1, 13, 5, 0);
        for (var i = 0; i < 3; i++)
        {
            int? maybe = i == 1 ? null : i;
            sb.Append(string.Format("{0:d} {1} {2} {{{3}}} \"{4,-4}\"\t", start.AddDays(i), (DayOfWeek)i, maybe, i * 7, 'c'));
            sb.Append(string.Format("{0}{1}", i, i + 1L));
        }
        return sb.ToString();
        """)]
    [InlineData("TextWriterWithItsOwnProvider", """
        var writer = new StringWriter(CultureInfo.GetCultureInfo("en-US"));
        for (var i = 0; i < 3; i++)
        {
            writer.Write("{0:F2};", i / 3.0);
            writer.WriteLine("{0}", i * 1.5);
        }
        return writer.ToString();
        """)]
    [InlineData("EqualsAndTypedOverloads", """
        var sb = new StringBuilder();
        var values = new[] { 0.0, -0.0, double.NaN, 2.5 };
        foreach (var a in values)
        {
            foreach (var b in values)
            {
                sb.Append(object.Equals(a, b) ? '1' : '0');
                sb.Append(a.Equals((object)b) ? 'y' : 'n');
            }

            sb.Append((object)a).Append(';').Insert(0, (object)(a * 2));
        }
        return sb.ToString();
        """)]
    public async Task EveryFix_KeepsTheOutput(string name, string body)
    {
        var source = $$"""
            using System;
            using System.Globalization;
            using System.IO;
            using System.Text;

            public static class Program
            {
                public static string Run()
                {
            {{Indent(body)}}
                }
            }
            """;
        var before = ProgramRunner.Run(source);
        Assert.StartsWith("returned: ", before, StringComparison.Ordinal);

        foreach (var key in new[] { BoxingFixer.FormatWithoutBoxingEquivalenceKey, BoxingFixer.TypedOverloadEquivalenceKey })
        {
            var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = key, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();
            Assert.Equal(before, ProgramRunner.Run(fixedSource, ReferenceSet.Net100));
        }

        var all = await new Test { TestCode = source, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();
        Assert.True(all != source, $"{name}: no fix was applied.");
        Assert.Equal(before, ProgramRunner.Run(all, ReferenceSet.Net100));
    }

    [Fact]
    public async Task ToStringFix_WithoutHandler_KeepsTheOutput()
    {
        const string source = """
            using System;
            using System.Text;

            public static class Program
            {
                public static string Run()
                {
                    var sb = new StringBuilder();
                    for (var i = 0; i < 4; i++)
                    {
                        double d = i / 4.0;
                        decimal? m = i == 2 ? (decimal?)null : i * 1.25m;
                        sb.Append(string.Format("{0,6}|{1}|{2}|{3:F1}", d, m, (DayOfWeek)i, d));
                        sb.AppendFormat("{0};", d);
                    }
                    return sb.ToString();
                }
            }
            """;
        var before = ProgramRunner.Run(source);
        var fixedSource = await new Test { TestCode = source, ReferenceSet = ReferenceSet.NetStandard20, LanguageVersion = LanguageVersion.CSharp7_3 }.ApplyFixesAsync();
        Assert.Contains("d.ToString()", fixedSource, StringComparison.Ordinal);
        Assert.Equal(before, ProgramRunner.Run(fixedSource));
    }

    [Fact]
    public async Task GenericParameterFix_KeepsWhatMutatingCallsOnTheParameterSee()
    {
        const string source = """
            using System.Text;

            interface ICounter { void Increment(); int Value { get; } }

            struct Counter : ICounter
            {
                private int _n;
                public void Increment() => _n++;
                public int Value => _n;
            }

            public static class Program
            {
                public static string Run()
                {
                    var sb = new StringBuilder();
                    var counter = new Counter();
                    for (var i = 0; i < 3; i++)
                    {
                        sb.Append(Twice(counter)).Append(',').Append(counter.Value).Append(';');
                        counter.Increment();
                    }
                    return sb.ToString();
                }

                private static int Twice(ICounter c)
                {
                    c.Increment();
                    c.Increment();
                    return c.Value;
                }
            }
            """;
        var before = ProgramRunner.Run(source);
        var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = BoxingFixer.GenericParameterEquivalenceKey }.ApplyFixesAsync();
        Assert.Contains("Twice<TCounter>(TCounter c) where TCounter : ICounter", fixedSource, StringComparison.Ordinal);
        Assert.Equal(before, ProgramRunner.Run(fixedSource));
    }

    [Fact]
    public async Task GenericCollectionFix_KeepsContentsOrderAndExceptions()
    {
        const string source = """
            using System.Collections;
            using System.Text;

            public static class Program
            {
                public static string Run()
                {
                    var list = new ArrayList();
                    var queue = new Queue();
                    var stack = new Stack();
                    for (var i = 0; i < 5; i++)
                    {
                        list.Add(i * i);
                        list.Insert(0, -i);
                        queue.Enqueue(i);
                        stack.Push(i + 10);
                    }

                    list.RemoveAt(1);
                    list[0] = 42;
                    var sb = new StringBuilder();
                    foreach (int x in list) sb.Append(x).Append(',');
                    foreach (int x in stack) sb.Append(x).Append(';');
                    sb.Append((int)queue.Dequeue()).Append((int)stack.Pop()).Append((int)stack.Peek()).Append(list.Count);
                    queue.Clear();
                    sb.Append((int)queue.Dequeue());
                    return sb.ToString();
                }
            }
            """;
        var before = ProgramRunner.Run(source);
        Assert.Equal("threw: System.InvalidOperationException", before);
        var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = BoxingFixer.GenericCollectionEquivalenceKey }.ApplyFixesAsync();
        Assert.Contains("new List<int>()", fixedSource, StringComparison.Ordinal);
        Assert.Contains("new Queue<int>()", fixedSource, StringComparison.Ordinal);
        Assert.Contains("new Stack<int>()", fixedSource, StringComparison.Ordinal);
        Assert.Equal(before, ProgramRunner.Run(fixedSource));
        Assert.Equal(ProgramRunner.Run(source.Replace("sb.Append((int)queue.Dequeue());", "", StringComparison.Ordinal)),
            ProgramRunner.Run(fixedSource.Replace("sb.Append((int)queue.Dequeue());", "", StringComparison.Ordinal)));
    }

    private static string Indent(string body) => string.Join("\n", body.Split('\n'), 0, body.Split('\n').Length).Replace("\n", "\n        ", StringComparison.Ordinal).Insert(0, "        ");
}
