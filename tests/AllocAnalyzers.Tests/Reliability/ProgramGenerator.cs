using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>A generated program: its source, and what it was built from (printed when a fix changes what it does).</summary>
internal sealed record GeneratedProgram(int Seed, int Index, string Source, IReadOnlyList<string> Features)
{
    /// <summary>Whether <c>Run()</c> ends its text with the counting pool's <c>|pool …</c> trailer.</summary>
    public bool UsesCountingPool => Source.Contains("class CountingPool", StringComparison.Ordinal);

    public override string ToString() => $"program {Index} of seed {Seed} ({string.Join(", ", Features)})";
}

/// <summary>
/// Generates small deterministic programs (<c>public static class Program { public static string Run() }</c>) full of
/// what ALLOC001–ALLOC003 report, in varied surroundings chosen to catch a fix that changes behaviour: length and
/// <c>foreach</c> uses, partial writes then whole reads (a pooled or reused array holds stale data), sizes that change
/// after the allocation, <c>break</c>/<c>continue</c>/<c>return</c>/exceptions inside the iteration, nested and sibling
/// loops reusing names, async loops, local functions and lambdas, and pool rentals returned without <c>finally</c>.
/// Program <c>i</c> of seed <c>s</c> is always the same text, so a finding is reproduced from two numbers.
/// </summary>
internal sealed class ProgramGenerator
{
    /// <summary>
    /// Patterns that hit an open bug, each with a skipped test in <see cref="FoundBugRegressionTests"/>. Left out unless
    /// asked for (<c>ALLOC_SOAK_KNOWN_BUGS=1</c>), so that CI keeps finding new bugs instead of failing on a known one.
    /// None is open: the two found so far (<see cref="FoundBugRegressionTests.ReuseIndexZeroOfEmptyArray"/>,
    /// <see cref="FoundBugRegressionTests.ReuseJaggedArrayDoesNotParse"/>) are fixed and their patterns generated again.
    /// </summary>
    public static readonly ImmutableArray<string> KnownBugs = ImmutableArray<string>.Empty;

    /// <summary>
    /// The rules whose patterns this generator writes. The fixes of other rules are tested differentially on the rule
    /// tests' runnable programs (<see cref="CorpusDifferentialTests"/>).
    /// </summary>
    public static readonly ImmutableHashSet<string> CoveredRules = ImmutableHashSet.Create(StringComparer.Ordinal, "ALLOC001", "ALLOC002", "ALLOC003", "ALLOC010", "ALLOC011");

    private readonly int _seed;
    private readonly bool _includeKnownBugs;
    private int _next;

    public ProgramGenerator(int seed, bool includeKnownBugs = false)
    {
        _seed = seed;
        _includeKnownBugs = includeKnownBugs;
    }

    public GeneratedProgram Next() => Generate(_seed, _next++, _includeKnownBugs);

    public static GeneratedProgram Generate(int seed, int index, bool includeKnownBugs = false) => new Writer(seed, index, includeKnownBugs).Write();

    /// <summary>An element type: how to make a value of it from an <c>int</c> expression, and how to fold one into an <c>int</c>.</summary>
    /// <param name="Id">A name usable in identifiers.</param>
    /// <param name="Primitive">A primitive or an enum: what a <c>stackalloc</c> may hold.</param>
    private sealed record Element(string Name, string Id, Func<string, string> Value, Func<string, string> Fold, bool Unmanaged, bool Primitive)
    {
        public bool IsReference => !Unmanaged;

        /// <summary><c>new T[size]</c>, written right for an element that is itself an array.</summary>
        public string NewArray(string size) => Name.EndsWith("[]", StringComparison.Ordinal) ? $"new {Name.Substring(0, Name.Length - 2)}[{size}][]" : $"new {Name}[{size}]";
    }

    private static readonly Element[] Elements =
    {
        new("byte", "Byte", k => $"(byte)(({k}) * 31 + 7)", x => $"{x}", true, true),
        new("int", "Int", k => $"(({k}) * 37 - 11)", x => $"{x}", true, true),
        new("char", "Char", k => $"(char)('a' + (({k}) & 15))", x => $"{x}", true, true),
        new("long", "Long", k => $"((long)({k}) * 100003L)", x => $"(int)({x} % 9973)", true, true),
        new("double", "Double", k => $"(({k}) * 0.25)", x => $"(int)({x} * 4)", true, true),
        new("bool", "Bool", k => $"(({k}) % 3 == 0)", x => $"({x} ? 1 : 0)", true, true),
        new("DayOfWeek", "Day", k => $"(DayOfWeek)((({k}) & 0x7fffffff) % 7)", x => $"(int){x}", true, true),
        new("string", "String", k => $"(\"s\" + ({k}))", x => $"({x} == null ? -1 : {x}.Length)", false, false),
        new("(int, int)", "Pair", k => $"(({k}), ({k}) * 2)", x => $"({x}.Item1 * 3 + {x}.Item2)", true, false),
        new("int?", "NullableInt", k => $"(({k}) % 2 == 0 ? (int?)null : ({k}))", x => $"({x} ?? -7)", true, false),
        new("int[]", "IntArray", k => $"new int[] {{ {k} }}", x => $"({x} == null ? -1 : {x}[0])", false, false),
    };

    private sealed class Writer
    {
        private readonly int _seed;
        private readonly int _index;
        private readonly bool _includeKnownBugs;
        private readonly Random _random;
        private readonly StringBuilder _body = new();
        private readonly List<string> _features = new();
        private readonly List<string> _helpers = new();
        private int _indent = 2;
        private int _names;
        private Scope _scope = new(null, "sb", "acc", "source", "sink", "random");
        private bool _async;
        private bool _iterator;
        // One entry per loop being written: whether it is an embedded statement (no block around it to declare in).
        private readonly Stack<bool> _loopEmbedded = new();
        private bool _countingPool;
        private bool _source;
        private bool _sink;
        private bool _randomBytes;

        public Writer(int seed, int index, bool includeKnownBugs)
        {
            _seed = seed;
            _index = index;
            _includeKnownBugs = includeKnownBugs;
            _random = new Random(unchecked(seed * 7919 + index * 104729));
        }

        public GeneratedProgram Write()
        {
            if (_includeKnownBugs && !KnownBugs.IsEmpty)
            {
                _features.Add("known bugs' patterns included");
            }

            _async = Chance(0.25);
            if (_async)
            {
                _features.Add("async");
            }

            var segments = _random.Next(1, 4);
            for (var i = 0; i < segments; i++)
            {
                Segment(depth: 0, acc: "acc");
            }

            // With a random stream of its own, so the segments above are the same as before caches were generated.
            var caches = new CacheWriter(this, new Random(unchecked(_seed * 31337 + _index * 7)));
            if (caches.Chance(0.45))
            {
                caches.Write("acc");
            }

            Line("sb.Append(\"acc=\").Append(acc);");
            return new GeneratedProgram(_seed, _index, Assemble(), _features);
        }

        // ---- program text ----------------------------------------------------------------------------------------

        private string Assemble()
        {
            var catchInRun = Chance(0.6);
            _features.Add(catchInRun ? "exceptions caught in Run" : "exceptions escape Run");
            var call = _async ? "BodyAsync(sb).GetAwaiter().GetResult();" : "Body(sb);";
            var text = new StringBuilder();
            text.AppendLine("""
                using System;
                using System.Buffers;
                using System.Collections.Concurrent;
                using System.Collections.Generic;
                using System.IO;
                using System.Linq;
                using System.Text;
                using System.Threading.Tasks;

                """);
            if (_countingPool)
            {
                text.AppendLine("""
                    public sealed class CountingPool : ArrayPool<byte>
                    {
                        private readonly HashSet<byte[]> _rented = new(ReferenceEqualityComparer.Instance);

                        public int ReturnedTwice { get; private set; }

                        public int Outstanding => _rented.Count;

                        // Longer than asked and zeroed, like no real pool: reads past the requested length are deterministic.
                        public override byte[] Rent(int minimumLength)
                        {
                            var array = new byte[Math.Max(0, minimumLength) + 7];
                            _rented.Add(array);
                            return array;
                        }

                        public override void Return(byte[] array, bool clearArray = false)
                        {
                            if (!_rented.Remove(array)) ReturnedTwice++;
                        }
                    }

                    """);
            }

            text.AppendLine("public static class Program");
            text.AppendLine("{");
            if (_countingPool)
            {
                text.AppendLine("    private static readonly CountingPool Pool = new();");
                text.AppendLine();
            }

            text.AppendLine("    public static string Run()");
            text.AppendLine("    {");
            text.AppendLine("        var sb = new StringBuilder();");
            if (catchInRun)
            {
                text.AppendLine($"        try {{ {call} }}");
                text.AppendLine("        catch (Exception e) { sb.Append(\" caught \").Append(e.GetType().Name); }");
            }
            else
            {
                text.AppendLine($"        {call}");
            }

            text.AppendLine(_countingPool
                ? "        return sb.ToString() + \"|pool outstanding=\" + Pool.Outstanding + \" twice=\" + Pool.ReturnedTwice;"
                : "        return sb.ToString();");
            text.AppendLine("    }");
            text.AppendLine();
            text.AppendLine(_async ? "    private static async Task BodyAsync(StringBuilder sb)" : "    private static void Body(StringBuilder sb)");
            text.AppendLine("    {");
            if (_source)
            {
                text.AppendLine("        var source = new MemoryStream(Enumerable.Range(0, 300).Select(i => (byte)(i * 7 + 3)).ToArray());");
            }

            if (_sink)
            {
                text.AppendLine("        var sink = new MemoryStream();");
            }

            if (_randomBytes)
            {
                text.AppendLine("        var random = new Random(12345);");
            }

            text.AppendLine("        int acc = 0;");
            if (_async)
            {
                text.AppendLine("        await Task.Yield();");
            }

            text.Append(_body);
            text.AppendLine("    }");
            foreach (var helper in _helpers.Distinct())
            {
                text.AppendLine();
                text.AppendLine(helper);
            }

            text.AppendLine("}");
            return text.ToString();
        }

        private void Line(string line) => _body.Append(' ', _indent * 4).AppendLine(line);

        private void Open(string header)
        {
            Line(header);
            Line("{");
            _indent++;
            _scope = new Scope(_scope);
        }

        private void Close(string closing = "}")
        {
            _indent--;
            Line(closing);
            _scope = _scope.Parent!;
        }

        /// <summary>A name from <paramref name="candidates"/> that C# lets this scope declare, or a fresh one; declared here.</summary>
        private string Declare(string stem, params string[] candidates)
        {
            var free = candidates.Where(_scope.CanDeclare).ToArray();
            var name = free.Length > 0 && Chance(0.8) ? Pick(free) : Name(stem);
            _scope.Declare(name);
            return name;
        }

        private string Name(string stem) => stem + (_names++).ToString(CultureInfo.InvariantCulture);

        private bool Chance(double p) => _random.NextDouble() < p;

        private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

        private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

        // ---- segments ----------------------------------------------------------------------------------------------

        /// <summary>One self-contained piece of the body: a loop with an allocation or rental, possibly nested or in a function.</summary>
        private void Segment(int depth, string acc)
        {
            var loopStart = _body.Length;
            switch (_random.Next(depth == 0 ? 10 : 8))
            {
                case 0:
                case 1:
                case 2:
                    Loop(depth, acc, (index, size) => VariableSizeArray(index, size, acc, depth));
                    break;
                case 3:
                case 4:
                    Loop(depth, acc, (index, size) => FixedSizeArray(index, acc));
                    break;
                case 5:
                case 6:
                    Loop(depth, acc, (index, size) => Rental(index, size, acc, inLoop: true));
                    break;
                case 7:
                    // Nested: an outer loop whose body holds another segment and an array of its own.
                    _features.Add("nested loops");
                    Loop(depth, acc, (index, size) =>
                    {
                        if (Chance(0.5))
                        {
                            VariableSizeArray(index, size, acc, depth);
                        }

                        if (depth < 2)
                        {
                            Segment(depth + 1, acc);
                        }
                    });
                    break;
                case 8:
                    if (Chance(0.3))
                    {
                        IteratorSegment(acc);
                    }
                    else
                    {
                        FunctionSegment(acc);
                    }

                    break;
                default:
                    _features.Add("rental outside a loop");
                    Open("if (sb != null)");
                    Rental($"({acc} & 3)", N(_random.Next(1, 20)), acc, inLoop: false);
                    Close();
                    break;
            }

            if (Chance(0.3))
            {
                // A local after the loop with a name a hoisting fix would move before it.
                Open("if (sb != null)");
                var name = Declare("after", "buffer", "scratch", "counts", "rented");
                _features.Add("name reused after the loop");
                Line($"var {name} = \"after\";");
                Line($"{acc} += {name}.Length;");
                Close();
            }

            _ = loopStart;
        }

        /// <summary>A local function or lambda that holds a loop, called from the body.</summary>
        private void FunctionSegment(string outerAcc)
        {
            var inner = Name("inner");
            var function = Name("Local");
            var lambda = Chance(0.5);
            if (!lambda)
            {
                _features.Add("loop in a local function");
                Open($"int {function}(int limit)");
            }
            else
            {
                _features.Add("loop in a lambda");
                Open($"Func<int, int> {function} = limit =>");
            }

            Line($"int {inner} = 0;");
            var wasAsync = _async;
            _async = false;
            Loop(1, inner, (index, size) =>
            {
                switch (_random.Next(3))
                {
                    case 0:
                        VariableSizeArray(index, $"({size} + limit)", inner, 1);
                        break;
                    case 1:
                        FixedSizeArray(index, inner);
                        break;
                    default:
                        Rental(index, $"({size} + limit)", inner, inLoop: true);
                        break;
                }
            }, limit: "limit");
            _async = wasAsync;
            Line($"return {inner};");
            Close(lambda ? "};" : "}");
            Line($"{outerAcc} += {function}({N(_random.Next(1, 4))});");
        }

        /// <summary>An iterator local function whose loop allocates, enumerated partly, so its state machine is disposed early.</summary>
        private void IteratorSegment(string outerAcc)
        {
            _features.Add("loop in an iterator");
            var function = Name("Sequence");
            var inner = Name("inner");
            Open($"IEnumerable<int> {function}(int limit)");
            Line($"int {inner} = 0;");
            var wasAsync = _async;
            _async = false;
            _iterator = true;
            Loop(1, inner, (index, size) =>
            {
                if (Chance(0.5))
                {
                    VariableSizeArray(index, $"({size} + limit)", inner, 1);
                }
                else
                {
                    FixedSizeArray(index, inner);
                }

                Line($"yield return {inner};");
            }, limit: "limit");
            _iterator = false;
            _async = wasAsync;
            Close();
            Line($"foreach (var value in {function}({N(_random.Next(1, 5))}).Take({N(_random.Next(1, 4))})) {outerAcc} = {outerAcc} * 3 + value;");
        }

        /// <summary>
        /// A loop of a random kind; <paramref name="body"/> writes its iteration with the iteration's index and a size
        /// (an expression, which may be negative, zero or large).
        /// </summary>
        private void Loop(int depth, string acc, Action<string, string> body, string? limit = null)
        {
            var count = limit ?? N(_random.Next(1, 6));
            var index = Name("i");
            string size;
            switch (_random.Next(5))
            {
                case 0:
                    _features.Add("for");
                    if (Chance(0.2))
                    {
                        // The loop is the embedded statement of an if: a fix cannot declare anything just before it.
                        _features.Add("loop as an embedded statement");
                        Line("if (sb.Length >= 0)");
                        _loopEmbedded.Push(true);
                    }
                    else
                    {
                        _loopEmbedded.Push(false);
                    }

                    Open($"for (int {index} = 0; {index} < {count}; {index}++)");
                    size = SizeFrom(index);
                    break;
                case 1:
                {
                    _features.Add("foreach over sizes");
                    _loopEmbedded.Push(false);
                    var sizes = Enumerable.Range(0, _random.Next(2, 6)).Select(_ => SizeLiteral()).ToList();
                    var element = Name("size");
                    var counter = Name("n");
                    Line($"int {counter} = 0;");
                    Open($"foreach (var {element} in new[] {{ {string.Join(", ", sizes)} }})");
                    Line($"int {index} = {counter}++;");
                    size = element;
                    break;
                }

                case 2:
                {
                    _features.Add("while");
                    _loopEmbedded.Push(false);
                    var counter = Name("w");
                    Line($"int {counter} = 0;");
                    Open($"while ({counter} < {count})");
                    Line($"int {index} = {counter}++;");
                    size = SizeFrom(index);
                    break;
                }

                case 3:
                {
                    _features.Add("do");
                    _loopEmbedded.Push(false);
                    var counter = Name("d");
                    Line($"int {counter} = 0;");
                    Open("do");
                    Line($"int {index} = {counter}++;");
                    size = SizeFrom(index);
                    body(index, size);
                    Close($"}} while ({counter} < {count});");
                    _loopEmbedded.Pop();
                    return;
                }

                default:
                {
                    _features.Add("foreach over words");
                    _loopEmbedded.Push(false);
                    var word = Name("word");
                    var counter = Name("n");
                    Line($"int {counter} = 0;");
                    Open($"foreach (var {word} in new[] {{ \"alpha\", \"\", \"be\", \"gamma-ray\", \"d\" }})");
                    Line($"int {index} = {counter}++;");
                    size = $"{word}.Length";
                    break;
                }
            }

            body(index, size);
            Close();
            _loopEmbedded.Pop();
        }

        /// <summary>Whether a declaration can go just before the loop being written.</summary>
        private bool CanInsertBeforeLoop => _loopEmbedded.Count > 0 && !_loopEmbedded.Peek();

        private string SizeFrom(string index) => _random.Next(6) switch
        {
            0 => $"{index} + 1",
            1 => $"{index} * 2",
            2 => $"({index} * 7) % 5",
            3 => $"{index} + {N(_random.Next(1, 40))}",
            4 => $"{index} * {index} + 3",
            _ => $"{N(_random.Next(60, 3000))} - {index}",
        };

        private string SizeLiteral()
        {
            var roll = _random.Next(20);
            return roll switch
            {
                0 => "0",
                1 => "-1",
                2 => N(_random.Next(1000, 5000)),
                _ => N(_random.Next(1, 70)),
            };
        }

        private string Cond(string index) => _random.Next(3) switch
        {
            0 => $"{index} == {N(_random.Next(0, 4))}",
            1 => $"{index} % {N(_random.Next(2, 4))} == 1",
            _ => $"{index} > {N(_random.Next(1, 5))}",
        };

        /// <summary>A jump or exception, on a condition, in the middle of an iteration (or of a block, without the loop jumps).</summary>
        private void ControlFlow(string index, string acc, bool inLoop = true)
        {
            switch (_random.Next(inLoop ? 0 : 2, 7))
            {
                case 0:
                    _features.Add("continue");
                    Line($"if ({Cond(index)}) continue;");
                    break;
                case 1 when Chance(0.3):
                    _features.Add("switch with break and continue");
                    Line($"switch ({index} % 3) {{ case 0: {acc} += 2; break; case 1: continue; default: break; }}");
                    break;
                case 1:
                    _features.Add("break");
                    Line($"if ({Cond(index)}) break;");
                    break;
                case 2:
                    if (_iterator)
                    {
                        Line($"if ({Cond(index)}) yield break;");
                    }
                    else if (acc == "acc")
                    {
                        _features.Add("return");
                        Line($"if ({Cond(index)}) {{ sb.Append(\"early \").Append({acc}); return; }}");
                    }
                    else
                    {
                        Line($"if ({Cond(index)}) return {acc};");
                    }

                    break;
                case 3:
                    _features.Add("throw");
                    Line($"if ({Cond(index)}) throw new InvalidOperationException(\"stop \" + {index});");
                    break;
                case 4:
                    _features.Add("divide by zero");
                    Line($"{acc} += 100 / ({index} - {N(_random.Next(1, 4))});");
                    break;
                case 5:
                    _features.Add("caught exception in the iteration");
                    Line($"try {{ if ({Cond(index)}) throw new FormatException(); {acc} += 1; }} catch (FormatException) {{ {acc} += 1000; }}");
                    break;
                default:
                    if (_async)
                    {
                        _features.Add("await in the iteration");
                        Line("await Task.Yield();");
                    }

                    break;
            }
        }

        // ---- ALLOC001: variable-size arrays ------------------------------------------------------------------------

        // Where an open bug's pattern is written, it is filtered unless _includeKnownBugs; while arrays of arrays broke the
        // reuse fix, this was Elements.Where(e => _includeKnownBugs || !e.Name.EndsWith("[]")).
        private Element[] VariableSizeElements => Elements;

        private void VariableSizeArray(string index, string size, string acc, int depth)
        {
            var element = Pick(VariableSizeElements);
            var name = Declare("tmp", "buffer", "scratch", "data");
            var sizeExpression = size;
            string? shift = null;
            if (CanInsertBeforeLoop && Chance(0.2))
            {
                // The size's inputs change after the allocation: a rewrite must read the size once.
                shift = Name("shift");
                _features.Add("size changes after the allocation");
                InsertBeforeLoop($"int {shift} = 0;");
                sizeExpression = $"{size} + {shift}";
            }

            if (Chance(0.15) && _scope.CanDeclare(name + "Length"))
            {
                // The name a fix gives its size local, already taken.
                _scope.Declare(name + "Length");
                _features.Add("name of the size local taken");
                Line($"int {name}Length = -5;");
                Line($"{acc} += {name}Length;");
            }

            var allocation = _random.Next(8) switch
            {
                0 => $"GC.AllocateArray<{element.Name}>({sizeExpression})",
                1 when element.Unmanaged => $"GC.AllocateUninitializedArray<{element.Name}>({sizeExpression})",
                _ => element.NewArray(sizeExpression),
            };
            var uninitialized = allocation.StartsWith("GC.AllocateUninitializedArray", StringComparison.Ordinal);
            _features.Add($"ALLOC001 {element.Name}[] via {allocation.Split('(', '[')[0]}");
            switch (_random.Next(10))
            {
                case < 6:
                    Line($"var {name} = {allocation};");
                    break;
                case < 9:
                    Line($"{element.Name}[] {name} = {allocation};");
                    break;
                default:
                    _features.Add("declared, then assigned");
                    Line($"{element.Name}[] {name};");
                    Line($"{name} = {allocation};");
                    break;
            }

            if (shift is not null)
            {
                Line($"{shift}++;");
            }

            if (uninitialized)
            {
                // Its contents are undefined until written, so the program writes them first.
                Line($"for (int k = 0; k < {name}.Length; k++) {name}[k] = {element.Value("k")};");
            }

            ArrayUses(element, name, index, acc, fixedLength: null, PickUses(element));
            if (Chance(0.1))
            {
                _features.Add("array passed straight to a call");
                Line($"{acc} += {SpanHelper(element)}({element.NewArray(size)});");
            }

            if (Chance(0.15))
            {
                // A second array sized by the first one's length: after a rewrite, that length must still be the size.
                _features.Add("second array sized by the first's Length");
                var second = Declare("tmp", "copy", "twin");
                var secondElement = Pick(VariableSizeElements);
                Line($"var {second} = {secondElement.NewArray($"{name}.Length + 1")};");
                Line($"for (int k = 0; k < {second}.Length; k++) {second}[k] = {secondElement.Value("k")};");
                Line($"foreach (var x in {second}) {acc} = {acc} * 7 + {secondElement.Fold("x")};");
            }
        }

        /// <summary>Between two and six uses of an array, with stale-content traps: partial writes followed by whole reads.</summary>
        private void ArrayUses(Element element, string name, string index, string acc, int? fixedLength, Uses kind)
        {
            _features.Add(kind switch { Uses.SpanLike => "span-like uses only", Uses.Fixable => "fixable uses", _ => "any uses" });
            var allowed = kind switch
            {
                // Indexing, Length, foreach and span parameters: what a stackalloc'd span supports too.
                Uses.SpanLike => new[] { 0, 2, 4, 5, 6, 7, 10 },
                // Uses the fixes can bound or prove (no own T[] method, no index they cannot prove inside the size), and
                // a few that only look harmless: length through patterns, ?., GetLength, interpolation.
                Uses.Fixable => new[] { 0, 1, 2, 4, 5, 6, 7, 10, 13, 14, 15, 0, 1, 2, 4, 5, 6, 7, 10, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 },
                _ => Enumerable.Range(0, 23).ToArray(),
            };
            var uses = _random.Next(2, 7);
            for (var u = 0; u < uses; u++)
            {
                if (Chance(0.25))
                {
                    ControlFlow(index, acc);
                }

                var fold = element.Fold("x");
                switch (Pick(allowed))
                {
                    case 0:
                        Line($"for (int k = 0; k < {name}.Length; k++) {name}[k] = {element.Value($"k + {index}")};");
                        break;
                    case 1:
                        Line($"Array.Fill({name}, {element.Value(index)});");
                        break;
                    case 2:
                        _features.Add("partial write");
                        Line($"if ({name}.Length > 0) {name}[0] = {element.Value($"{index} + 5")};");
                        break;
                    case 3:
                        _features.Add("partial write");
                        Line($"for (int k = 0; k < {name}.Length / 2; k++) {name}[k] = {element.Value($"k * {index}")};");
                        break;
                    case 4:
                        _features.Add("whole read by foreach");
                        Line($"foreach (var x in {name}) {acc} = {acc} * 31 + {fold};");
                        break;
                    case 5:
                        _features.Add("whole read by index");
                        Line($"for (int k = 0; k < {name}.Length; k++) {acc} = {acc} * 17 + {element.Fold($"{name}[k]")};");
                        break;
                    case 6:
                        Line($"{acc} += {name}.Length;");
                        break;
                    case 7:
                        _features.Add("unguarded index 0");
                        Line($"{acc} += {element.Fold($"{name}[0]")};");
                        break;
                    case 8:
                        Line($"if ({name}.Length > 0) {acc} += {element.Fold($"{name}[{name}.Length - 1]")};");
                        break;
                    case 9:
                        _features.Add("index past the end");
                        Line($"try {{ {name}[{name}.Length] = {element.Value("1")}; }} catch (IndexOutOfRangeException) {{ {acc} += 7; }}");
                        break;
                    case 10:
                        Line($"{acc} += {SpanHelper(element)}({name});");
                        break;
                    case 11:
                        _features.Add("own method takes the array");
                        Line($"{acc} += {ArrayHelper(element)}({name});");
                        break;
                    case 12:
                        _features.Add("span view");
                        Line($"{{ Span<{element.Name}> view = {name}; {acc} += view.Length; if (view.Length > 1) view[1] = {element.Value(index)}; }}");
                        break;
                    case 13:
                        if (fixedLength is null && element.Name is "byte" or "int" or "long")
                        {
                            _features.Add("whole-array copy in");
                            Line($"Array.Copy(Enumerable.Range({index}, {name}.Length).Select(v => {element.Value("v")}).ToArray(), {name}, {name}.Length);");
                        }
                        else
                        {
                            Line($"Array.Clear({name});");
                        }

                        break;
                    case 16:
                        _features.Add("length in a property pattern");
                        Line($"{acc} += {name} is {{ Length: > 2 }} ? 11 : 5;");
                        break;
                    case 17:
                        _features.Add("list pattern");
                        {
                            // Pattern variables of an if condition belong to the enclosing block: fresh names.
                            var first = Name("first");
                            var last = Name("last");
                            Line($"if ({name} is [var {first}, .., var {last}]) {acc} = {acc} * 13 + {element.Fold(first)} - {element.Fold(last)};");
                        }

                        break;
                    case 18:
                        _features.Add("?.Length");
                        Line($"{acc} += {name}?.Length ?? -1;");
                        break;
                    case 19:
                        _features.Add("GetLength(0) and GetUpperBound(0)");
                        Line($"{acc} += {name}.GetLength(0) * 3 + {name}.GetUpperBound(0);");
                        break;
                    case 20:
                        _features.Add("length in an interpolated string");
                        Line($"sb.Append($\"[{{{name}.Length}}]\");");
                        break;
                    case 21:
                        _features.Add("range and index from end");
                        Line($"if ({name}.Length > 1) {{ {acc} += {name}[1..].Length + {element.Fold($"{name}[^1]")}; }}");
                        break;
                    case 22:
                        _features.Add("using declaration over the array");
                        if (element.Name == "byte")
                        {
                            Line($"using var {Name("stream")} = new MemoryStream({name});");
                        }
                        else
                        {
                            Line($"{acc} += {name}.AsSpan(0, {name}.Length / 2).Length;");
                        }

                        break;
                    default:
                        TypeSpecificUse(element, name, index, acc);
                        break;
                }
            }

            // Most iterations end by reading everything: what a stale array would change.
            if (Chance(0.7))
            {
                Line($"foreach (var x in {name}) {acc} = {acc} * 31 + {element.Fold("x")};");
            }

            Line($"sb.Append({acc}).Append(';');");
        }

        /// <summary>Which uses of an array to generate: anything, only what the fixes handle, or only what a span supports.</summary>
        private enum Uses
        {
            Any,
            Fixable,
            SpanLike,
        }

        private Uses PickUses(Element element) => _random.Next(10) switch
        {
            < 3 => Uses.Any,
            < 6 when element.Primitive => Uses.SpanLike,
            _ => Uses.Fixable,
        };

        private void TypeSpecificUse(Element element, string name, string index, string acc)
        {
            switch (element.Name)
            {
                case "byte":
                    switch (_random.Next(11))
                    {
                        case 0:
                            _features.Add("Convert.ToBase64String");
                            Line($"sb.Append(Convert.ToBase64String({name})).Append(',');");
                            break;
                        case 1:
                            _source = true;
                            _features.Add("Stream.Read");
                            Line($"{acc} += source.Read({name}, 0, {name}.Length);");
                            break;
                        case 2:
                            _source = true;
                            _features.Add("Stream.ReadExactly");
                            Line($"source.ReadExactly({name});");
                            break;
                        case 3:
                            _randomBytes = true;
                            _features.Add("Random.NextBytes");
                            Line($"random.NextBytes({name});");
                            break;
                        case 4:
                            _sink = true;
                            _features.Add("Stream.Write");
                            Line($"sink.Write({name}, 0, {name}.Length);");
                            Line($"{acc} += (int)sink.Length;");
                            break;
                        case 5:
                            _features.Add("MemoryStream over the array");
                            Line($"using (var ms = new MemoryStream({name})) {{ {acc} += (int)ms.Length * 3 + ms.ReadByte(); }}");
                            break;
                        case 6:
                            Line($"sb.Append(BitConverter.ToString({name})).Append(',');");
                            break;
                        case 7:
                            Line($"{acc} += {name}.AsSpan().IndexOf((byte)7) + 3 * Array.IndexOf({name}, (byte)0);");
                            break;
                        case 8:
                            Line($"sb.Append(Encoding.UTF8.GetString({name}).Length).Append(',');");
                            break;
                        case 9 when _async:
                            _source = true;
                            _features.Add("await ReadAsync");
                            Line($"{acc} += await source.ReadAsync({name}, 0, {name}.Length);");
                            break;
                        default:
                            Line($"Array.Reverse({name});");
                            break;
                    }

                    break;
                case "char":
                    switch (_random.Next(4))
                    {
                        case 0:
                            _features.Add("new string(char[])");
                            Line($"sb.Append(new string({name}).Replace('\\0', '0')).Append(',');");
                            break;
                        case 1:
                            Line($"{acc} += Array.IndexOf({name}, 'c');");
                            break;
                        case 2:
                            Line($"\"copied\".CopyTo(0, {name}, 0, Math.Min(6, {name}.Length));");
                            break;
                        default:
                            Line($"sb.Append({name}.AsSpan().ToString().Length).Append(',');");
                            break;
                    }

                    break;
                case "string":
                    switch (_random.Next(3))
                    {
                        case 0:
                            Line($"sb.Append(string.Join(\"/\", {name})).Append(',');");
                            break;
                        case 1:
                            Line($"Array.Sort({name}, StringComparer.Ordinal);");
                            break;
                        default:
                            Line($"{acc} += Array.IndexOf({name}, \"s3\");");
                            break;
                    }

                    break;
                default:
                    switch (_random.Next(4))
                    {
                        case 0:
                            _features.Add("Array.Sort");
                            Line($"Array.Sort({name});");
                            break;
                        case 1:
                            Line($"Array.Reverse({name});");
                            break;
                        case 2:
                            Line($"{acc} += Array.IndexOf({name}, {element.Value("2")});");
                            break;
                        default:
                            Line($"{name}.AsSpan().Reverse();");
                            break;
                    }

                    break;
            }
        }

        private string SpanHelper(Element element)
        {
            var name = "Fold" + element.Id + "s";
            _helpers.Add($$"""
                    private static int {{name}}(ReadOnlySpan<{{element.Name}}> values)
                    {
                        int result = values.Length;
                        foreach (var x in values) result = result * 7 + {{element.Fold("x")}};
                        return result;
                    }
                """);
            return name;
        }

        private string ArrayHelper(Element element)
        {
            var name = "Count" + element.Id + "s";
            _helpers.Add($$"""
                    private static int {{name}}({{element.Name}}[] values)
                    {
                        int result = 0;
                        for (int i = 0; i < values.Length; i++) result = result * 5 + {{element.Fold("values[i]")}};
                        return result;
                    }
                """);
            return name;
        }

        /// <summary>Puts a declaration before the loop being written (the line before its header).</summary>
        private void InsertBeforeLoop(string declaration)
        {
            // The loop header is the last line at one indent less than the current one that ends with ')' or 'do'.
            var text = _body.ToString();
            var lines = text.Split('\n').ToList();
            var outer = new string(' ', (_indent - 1) * 4);
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                if (lines[i].StartsWith(outer, StringComparison.Ordinal) && !lines[i].StartsWith(outer + " ", StringComparison.Ordinal) &&
                    (lines[i].TrimStart().StartsWith("for", StringComparison.Ordinal) || lines[i].TrimStart().StartsWith("while", StringComparison.Ordinal) ||
                     lines[i].TrimStart().StartsWith("do", StringComparison.Ordinal)))
                {
                    lines.Insert(i, outer + declaration);
                    _body.Clear().Append(string.Join('\n', lines));
                    return;
                }
            }

            throw new InvalidOperationException("No loop header to put a declaration before.");
        }

        // ---- ALLOC002: fixed-size arrays ---------------------------------------------------------------------------

        private void FixedSizeArray(string index, string acc)
        {
            var element = Pick(Elements);
            var name = Declare("fixed", "counts", "scratch", "digits");
            var length = Pick(1, 2, 4, 10, 16, 33, 200);
            string allocation;
            var readOnlyInitializer = false;
            switch (_random.Next(7))
            {
                case 0:
                case 1:
                {
                    // Constant contents, mostly only read: hoisted as it is.
                    var values = Enumerable.Range(0, Math.Min(length, 6)).Select(k => element.Value(N(k))).ToList();
                    allocation = Chance(0.5) ? $"new {element.Name}[] {{ {string.Join(", ", values)} }}" : $"new[] {{ {string.Join(", ", values)} }}";
                    readOnlyInitializer = Chance(0.8);
                    _features.Add("ALLOC002 initializer");
                    break;
                }

                case 2:
                {
                    // Contents from the iteration: not hoistable.
                    var values = Enumerable.Range(0, Math.Min(length, 4)).Select(k => element.Value($"{index} + {N(k)}")).ToList();
                    allocation = $"new {element.Name}[] {{ {string.Join(", ", values)} }}";
                    _features.Add("ALLOC002 initializer from the iteration");
                    break;
                }

                default:
                    allocation = element.NewArray(N(length));
                    _features.Add($"ALLOC002 {element.Name}[{length}]");
                    break;
            }

            Line($"var {name} = {allocation};");
            if (readOnlyInitializer)
            {
                Line($"foreach (var x in {name}) {acc} = {acc} * 31 + {element.Fold("x")};");
                Line($"{acc} += {element.Fold($"{name}[{index} % {name}.Length]")};");
                Line($"sb.Append({acc}).Append(';');");
                return;
            }

            if (element.Name == "int" && Chance(0.4))
            {
                _features.Add("histogram");
                Line($"{name}[{index} % {name}.Length]++;");
            }

            ArrayUses(element, name, index, acc, fixedLength: length, PickUses(element));
        }

        // ---- ALLOC003: rentals -------------------------------------------------------------------------------------

        private void Rental(string index, string size, string acc, bool inLoop)
        {
            var counting = Chance(0.35);
            var element = counting ? Elements[0] : Pick(Elements.Where(e => e.Name is "byte" or "int" or "char" or "string").ToArray());
            string pool;
            if (counting)
            {
                _countingPool = true;
                pool = "Pool";
                _features.Add("rental from a counting pool");
            }
            else if (Chance(0.7) || (inLoop && !CanInsertBeforeLoop))
            {
                pool = $"ArrayPool<{element.Name}>.Shared";
                _features.Add($"rental of {element.Name}[] from the shared pool");
            }
            else
            {
                pool = Name("pool");
                _features.Add($"rental of {element.Name}[] from a created pool");
                if (inLoop)
                {
                    InsertBeforeLoop($"var {pool} = ArrayPool<{element.Name}>.Create();");
                }
                else
                {
                    Line($"var {pool} = ArrayPool<{element.Name}>.Create();");
                }
            }

            var name = Declare("rent", "rented", "buffer", "lease");
            // The requested size, never negative, stored so that the program reads only what it wrote.
            var requested = Name("want");
            Line($"int {requested} = Math.Abs({size}) % 100;");
            if (Chance(0.2))
            {
                _features.Add("rental assigned to a declared local");
                Line($"{element.Name}[] {name};");
                Line($"{name} = {pool}.Rent({requested});");
            }
            else
            {
                Line($"var {name} = {pool}.Rent({requested});");
            }

            if (Chance(0.3))
            {
                ControlFlow(index, acc, inLoop);
            }

            Line($"for (int k = 0; k < {requested}; k++) {name}[k] = {element.Value($"k + {index}")};");
            if (Chance(0.4))
            {
                ControlFlow(index, acc, inLoop);
            }

            Line(Chance(0.5)
                ? $"for (int k = 0; k < {requested}; k++) {acc} = {acc} * 31 + {element.Fold($"{name}[k]")};"
                : $"foreach (var x in {name}.AsSpan(0, {requested})) {acc} = {acc} * 31 + {element.Fold("x")};");
            if (counting && Chance(0.5))
            {
                // Reads the rented length: reported, fixed by "Use the requested length", which changes this on purpose.
                _features.Add("rented length read (behaviour-changing fix)");
                Line(Chance(0.5)
                    ? $"foreach (var x in {name}) {acc} = {acc} * 3 + x;"
                    : $"sb.Append(Convert.ToBase64String({name})).Append(',');");
            }

            if (Chance(0.3))
            {
                ControlFlow(index, acc, inLoop);
            }

            string? total = null;
            if (Chance(0.3))
            {
                // Declared between Rent and Return, used after the Return: a rewrite must keep it in scope.
                total = Name("total");
                _features.Add("local declared before the Return, used after it");
                Line($"int {total} = {acc} + {requested};");
            }

            var clear = element.IsReference || Chance(0.3) ? ", clearArray: true" : "";
            var how = _random.Next(20);
            if (how == 0)
            {
                _features.Add("returned on one branch only");
                Line($"if ({Cond(index)}) {pool}.Return({name}{clear});");
            }
            else if (how == 1)
            {
                _features.Add("returned on both branches");
                Line($"if ({Cond(index)}) {{ {pool}.Return({name}{clear}); }} else {{ {acc} += 1; {pool}.Return({name}{clear}); }}");
            }
            else if (how < 18)
            {
                Line($"{pool}.Return({name}{clear});");
                if (inLoop && Chance(0.2))
                {
                    ControlFlow(index, acc, inLoop);
                }
            }
            else
            {
                _features.Add("rental never returned");
            }

            if (Chance(0.3))
            {
                Line($"{acc} += {requested};");
            }

            if (total is not null)
            {
                Line($"{acc} += {total};");
            }

            Line($"sb.Append({acc}).Append(';');");
        }

        /// <summary>
        /// A long-lived collection in a class of its own (what ALLOC010 and ALLOC011 report): filled, evicted and/or cleared,
        /// refilled and read back through lookups, its count and sometimes an enumeration; static or not, readonly or not,
        /// under a lock or not, handed out or not, so that each fix is offered in some programs and refused in others.
        /// </summary>
        private sealed class CacheWriter
        {
            private readonly Writer _writer;
            private readonly Random _random;

            public CacheWriter(Writer writer, Random random)
            {
                _writer = writer;
                _random = random;
            }

            public bool Chance(double p) => _random.NextDouble() < p;

            private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

            public void Write(string acc)
            {
                var kind = _random.Next(7);
                var isStatic = Chance(0.25);
                var field = isStatic ? "s_items" : "_items";
                var locked = kind == 6 ? Chance(0.7) : Chance(0.2);
                var readOnly = Chance(kind == 6 ? 0.25 : 0.4);
                var enumerated = Chance(0.3);
                var handedOut = Chance(0.15);
                var (type, creation, fill, remove, removeReturnsBool, probe, fold) = kind switch
                {
                    0 => ("Dictionary<int, string>", "new Dictionary<int, string>()", $"{field}[k] = \"v\" + k", $"{field}.Remove(k)", true, $"{field}.TryGetValue(k, out var v) ? v.Length : -1", "pair.Key * 7 + pair.Value.Length"),
                    1 => ("HashSet<string>", "new HashSet<string>(StringComparer.OrdinalIgnoreCase)", $"{field}.Add(\"K\" + k)", $"{field}.Remove(\"k\" + k)", true, $"{field}.Contains(\"k\" + k) ? 1 : 0", "pair.Length * 3 + pair[pair.Length - 1]"),
                    2 => ("List<int>", "new List<int>()", $"{field}.Add(k)", $"{field}.Remove(k)", true, $"{field}.IndexOf(k)", "pair"),
                    3 => ("SortedList<int, int>", "new SortedList<int, int>()", $"{field}[k] = -k", $"{field}.Remove(k)", true, $"{field}.IndexOfKey(k)", "pair.Key ^ pair.Value"),
                    4 => ("Queue<int>", "new Queue<int>()", $"{field}.Enqueue(k)", $"{field}.Dequeue()", false, $"{field}.Contains(k) ? 1 : 0", "pair"),
                    5 => ("Stack<int>", "new Stack<int>()", $"{field}.Push(k)", $"{field}.Pop()", false, $"{field}.Contains(k) ? 1 : 0", "pair"),
                    _ => ("ConcurrentDictionary<int, int>", "new ConcurrentDictionary<int, int>()", $"{field}[k] = k * 3", $"{field}.TryRemove(k, out _)", true, $"{field}.TryGetValue(k, out var v) ? v : -1", "pair.Key + pair.Value"),
                };

                // A ConcurrentDictionary is cleared only sometimes: its Clear() shrinks, which ALLOC011 then does not report.
                var evicts = kind is not (4 or 5) && (kind == 6 || Chance(0.6));
                var clears = kind != 6 ? !evicts || Chance(0.5) : Chance(0.15);
                var name = _writer.Name("Cache");
                var modifiers = (isStatic ? "static " : "") + (readOnly ? "readonly " : "");
                var gate = isStatic ? "s_gate" : "_gate";
                string Guarded(string statement) => locked ? $"lock ({gate}) {{ {statement} }}" : statement;

                var members = new List<string>
                {
                    $"        private {modifiers}{type} {field} = {creation};",
                };
                if (locked)
                {
                    members.Add($"        private {(isStatic ? "static " : "")}readonly object {gate} = new object();");
                }

                members.Add("");
                members.Add($"        public int Count => {field}.Count;");
                members.Add($"        public int Probe(int k) => {probe};");
                members.Add($"        public void Fill(int k) {{ {Guarded(fill + ";")} }}");
                if (evicts)
                {
                    var emptyGuard = kind is 4 or 5 ? $"if ({field}.Count == 0) return false; " : "";
                    members.Add(Pick(0, 1, 2) switch
                    {
                        0 => $$"""
                                    public bool Evict(int k)
                                    {
                                        {{emptyGuard}}{{Guarded(remove + ";")}}
                                        return true;
                                    }
                            """,
                        1 when removeReturnsBool && !locked => $$"""
                                    public bool Evict(int k)
                                    {
                                        if ({{remove}})
                                        {
                                            return true;
                                        }

                                        return false;
                                    }
                            """,
                        _ when removeReturnsBool && !locked => $$"""
                                    public bool Evict(int k)
                                    {
                                        return {{remove}};
                                    }
                            """,
                        _ => $$"""
                                    public bool Evict(int k)
                                    {
                                        {{emptyGuard}}{{Guarded(remove + ";")}}
                                        return false;
                                    }
                            """,
                    });
                }

                if (clears)
                {
                    members.Add(Pick(0, 1, 2) switch
                    {
                        0 when !locked => $"        public void Reset() => {field}.Clear();",
                        1 => $$"""
                                    public void Reset(bool really = true)
                                    {
                                        if (really) {{Guarded(field + ".Clear();")}}
                                    }
                            """,
                        _ => $$"""
                                    public void Reset(bool really = true)
                                    {
                                        {{Guarded(field + ".Clear();")}}
                                    }
                            """,
                    });
                }

                if (enumerated)
                {
                    members.Add($$"""
                                public int Fold()
                                {
                                    int result = 0;
                                    foreach (var pair in {{field}}) result = unchecked(result * 31 + {{fold}});
                                    return result;
                                }
                        """);
                }

                if (handedOut)
                {
                    members.Add($"        public object Items => {field};");
                }

                _writer._helpers.Add($"    private sealed class {name}\n    {{\n{string.Join("\n", members)}\n    }}");
                _writer._features.Add($"cache: {type}{(isStatic ? " static" : "")}{(readOnly ? " readonly" : "")}{(locked ? " locked" : "")}{(evicts ? " evicted" : "")}{(clears ? " cleared" : "")}{(enumerated ? " enumerated" : "")}{(handedOut ? " handed out" : "")}");

                var local = _writer.Name("cache");
                var entries = _random.Next(20, 3_000);
                _writer.Open("if (sb != null)");
                _writer.Line($"var {local} = new {name}();");
                _writer.Line($"for (int k = 0; k < {N(entries)}; k++) {local}.Fill(k * 3 % {N(entries + 17)});");
                if (evicts)
                {
                    _writer.Line($"for (int k = 0; k < {N(_random.Next(entries / 2, entries + 10))}; k++) {acc} += {local}.Evict(k * 7 % {N(entries + 17)}) ? 1 : 0;");
                }

                _writer.Line($"{acc} = {acc} * 31 + {local}.Count;");
                if (clears)
                {
                    _writer.Line($"{local}.Reset();");
                }

                _writer.Line($"for (int k = 0; k < {N(_random.Next(0, 40))}; k++) {local}.Fill(k * 11 + 5);");
                _writer.Line($"for (int k = 0; k < 60; k += 3) {acc} = {acc} * 7 + {local}.Probe(k);");
                _writer.Line($"{acc} = {acc} * 31 + {local}.Count;");
                if (enumerated)
                {
                    _writer.Line($"{acc} = {acc} * 17 + {local}.Fold();");
                }

                if (handedOut)
                {
                    _writer.Line($"{acc} += {local}.Items == null ? 0 : 1;");
                }

                _writer.Close();
            }
        }
    }

    /// <summary>
    /// Which names a block may declare: C# forbids a local that an enclosing block declares, or that a nested block
    /// declares, before or after.
    /// </summary>
    private sealed class Scope
    {
        private readonly HashSet<string> _own = new(StringComparer.Ordinal);
        private readonly HashSet<string> _inside = new(StringComparer.Ordinal);

        public Scope(Scope? parent, params string[] names)
        {
            Parent = parent;
            foreach (var name in names)
            {
                Declare(name);
            }
        }

        public Scope? Parent { get; }

        public bool CanDeclare(string name)
        {
            if (_inside.Contains(name))
            {
                return false;
            }

            for (var scope = Parent; scope is not null; scope = scope.Parent)
            {
                if (scope._own.Contains(name))
                {
                    return false;
                }
            }

            return true;
        }

        public void Declare(string name)
        {
            _own.Add(name);
            for (var scope = this; scope is not null; scope = scope.Parent)
            {
                scope._inside.Add(name);
            }
        }
    }
}
