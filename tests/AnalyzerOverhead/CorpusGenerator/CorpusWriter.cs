using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>
/// Writes a class library of about <c>lines</c> lines of C#: modules of classes, each class a mix of
/// <see cref="OrdinaryMembers"/> with one of <see cref="Violations"/> every 350–650 lines.
/// Everything depends on the seed alone, so the same seed writes the same files byte for byte.
/// </summary>
internal sealed class CorpusWriter
{
    private static readonly string[] Roles =
    [
        "Service", "Processor", "Index", "Store", "Pipeline", "Aggregator", "Formatter", "Reader", "Planner", "Tracker",
    ];

    private static readonly string[] Usings =
    [
        "System", "System.Buffers", "System.Collections.Concurrent", "System.Collections.Generic", "System.Globalization",
        "System.IO", "System.Linq", "System.Text", "System.Threading", "System.Threading.Tasks", "Corpus.Shared",
    ];

    private readonly SeededRandom _random;
    private readonly int _targetLines;
    private readonly ulong _seed;
    private readonly int[] _cumulativeWeights;
    private readonly SortedDictionary<string, int> _violations = new(
        Violations.All.SelectMany(v => v.RuleIds).Distinct().ToDictionary(id => id, _ => 0),
        StringComparer.Ordinal);
    private int _lines;
    private int _files;
    private int _members;
    private int _nextViolationAt;
    private int _nextViolationRule;

    public CorpusWriter(int targetLines, ulong seed)
    {
        _targetLines = targetLines;
        _seed = seed;
        _random = new SeededRandom(seed);
        var sum = 0;
        _cumulativeWeights = OrdinaryMembers.All.Select(t => sum += t.Weight).ToArray();
        _nextViolationAt = _random.Next(350, 650);
    }

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteFile(directory, "Corpus.csproj", ProjectFile, countLines: false);

        // Stop MSBuild from importing the settings of whatever folder the corpus is written under.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            WriteFile(directory, name, "<Project />\n", countLines: false);
        }

        WriteFile(Path.Combine(directory, "Shared"), "Shared.cs", SharedTypes, countLines: true);

        for (var module = 1; _lines < _targetLines; module++)
        {
            var moduleName = $"Module{module:D3}";
            var classNames = new HashSet<string>(StringComparer.Ordinal);
            var classes = _random.Next(8, 20);
            for (var i = 0; i < classes && _lines < _targetLines; i++)
            {
                var className = _random.Pick(OrdinaryNouns) + _random.Pick(Roles);
                for (var n = 2; !classNames.Add(className); n++)
                {
                    className = _random.Pick(OrdinaryNouns) + _random.Pick(Roles) + n.ToString(CultureInfo.InvariantCulture);
                }

                WriteFile(Path.Combine(directory, moduleName), className + ".cs", WriteClass(moduleName, className), countLines: true);
            }
        }

        var manifest = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"seed={_seed}\n")
            .Append(CultureInfo.InvariantCulture, $"lines={_lines}\n")
            .Append(CultureInfo.InvariantCulture, $"files={_files}\n")
            .Append(CultureInfo.InvariantCulture, $"members={_members}\n");
        foreach (var (rule, count) in _violations)
        {
            manifest.Append(CultureInfo.InvariantCulture, $"expected.{rule}={count}\n");
        }

        WriteFile(directory, "corpus.manifest", manifest.ToString(), countLines: false);
    }

    public int Lines => _lines;

    public IReadOnlyDictionary<string, int> ViolationCounts => _violations;

    private static readonly string[] OrdinaryNouns =
    [
        "Order", "Invoice", "Customer", "Shipment", "Sensor", "Frame", "Packet", "Ledger", "Report", "Session",
        "Metric", "Document", "Tile", "Route", "Batch", "Account", "Payment", "Catalog", "Warehouse", "Schedule",
    ];

    private string WriteClass(string moduleName, string className)
    {
        var writer = new CodeWriter();
        foreach (var name in Usings)
        {
            writer.Line($"using {name};");
        }

        writer.Line();
        writer.Line($"namespace Corpus.{moduleName};");
        writer.Line();
        writer.Write($$"""
            public sealed class {{className}}
            {
                private readonly Dictionary<string, int> _counts = new(StringComparer.OrdinalIgnoreCase);
                private readonly List<Order> _orders = new();
                private readonly HashSet<int> _seen = new();
                private readonly Cache<string, string> _cache = new(StringComparer.Ordinal);
                private readonly IClock _clock;
                private readonly int _threshold;

                public {{className}}(IClock clock, int threshold)
                {
                    _clock = clock ?? throw new ArgumentNullException(nameof(clock));
                    _threshold = threshold;
                }

                public override string ToString() =>
                    string.Create(CultureInfo.InvariantCulture, $"{{className}}: {_orders.Count} orders, {_counts.Count} words, {_seen.Count} seen, {_cache.Count} cached since {_clock.UtcNow:u}, threshold {_threshold}");

            """);

        var context = new MemberContext(_random, className);
        var classLines = _random.Next(120, 700);
        while (writer.Lines < classLines && _lines + writer.Lines < _targetLines)
        {
            string member;
            if (_lines + writer.Lines >= _nextViolationAt)
            {
                var (rules, write) = Violations.All[_nextViolationRule];
                _nextViolationRule = (_nextViolationRule + 1) % Violations.All.Count;
                foreach (var rule in rules)
                {
                    _violations[rule]++;
                }

                member = write(context);
                _nextViolationAt += _random.Next(350, 650);
            }
            else
            {
                member = PickOrdinary()(context);
            }

            writer.Write(member.TrimEnd('\n'));
            writer.Line();
            _members++;
        }

        writer.Line("}");
        return writer.ToString();
    }

    private Func<MemberContext, string> PickOrdinary()
    {
        var draw = _random.Next(0, _cumulativeWeights[^1]);
        var index = Array.FindIndex(_cumulativeWeights, w => draw < w);
        return OrdinaryMembers.All[index].Write;
    }

    private void WriteFile(string directory, string name, string text, bool countLines)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        if (countLines)
        {
            _lines += text.Count(ch => ch == '\n');
            _files++;
        }
    }

    private const string ProjectFile = """
        <Project Sdk="Microsoft.NET.Sdk">
          <!-- Written by tests/AnalyzerOverhead/CorpusGenerator: a class library of generated, realistic C#. -->
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>disable</ImplicitUsings>
            <LangVersion>latest</LangVersion>
            <RootNamespace>Corpus</RootNamespace>
            <Deterministic>true</Deterministic>
          </PropertyGroup>
        </Project>

        """;

    private const string SharedTypes = """
        using System;
        using System.Collections.Generic;

        namespace Corpus.Shared;

        public sealed record OrderLine(string Sku, int Quantity, decimal Price);

        public sealed record Order(int Id, string Customer, decimal Total, DateTime Created, IReadOnlyList<OrderLine> Lines);

        public sealed record Chunk(string Name, int Length, long Offset);

        public readonly record struct Measurement(string Sensor, double Value, DateTime At);

        public enum Priority
        {
            Low,
            Normal,
            High,
            Critical,
        }

        /// <summary>Marks code that runs on every request: AllocAnalyzers reports allocations there, not only in loops.</summary>
        [AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct)]
        public sealed class HotPathAttribute : Attribute
        {
        }

        public interface IClock
        {
            DateTime UtcNow { get; }
        }

        public sealed class SystemClock : IClock
        {
            public DateTime UtcNow => DateTime.UtcNow;
        }

        public static class Checksums
        {
            public static uint Fnv1a(ReadOnlySpan<byte> data)
            {
                var hash = 2166136261u;
                foreach (var b in data)
                {
                    hash = (hash ^ b) * 16777619u;
                }

                return hash;
            }
        }

        public sealed class Cache<TKey, TValue>
            where TKey : notnull
        {
            private readonly Dictionary<TKey, TValue> _entries;
            private readonly object _gate = new();

            public Cache(IEqualityComparer<TKey> comparer) => _entries = new Dictionary<TKey, TValue>(comparer);

            public int Count
            {
                get
                {
                    lock (_gate)
                    {
                        return _entries.Count;
                    }
                }
            }

            public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
            {
                ArgumentNullException.ThrowIfNull(factory);
                lock (_gate)
                {
                    if (!_entries.TryGetValue(key, out var value))
                    {
                        value = factory(key);
                        _entries.Add(key, value);
                    }

                    return value;
                }
            }

            public void Clear()
            {
                lock (_gate)
                {
                    _entries.Clear();
                    _entries.TrimExcess();
                }
            }
        }

        """;
}
