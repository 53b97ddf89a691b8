using System.Collections.Generic;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>What a member template needs from the class it is written into: randomness and names not yet taken.</summary>
internal sealed class MemberContext
{
    private static readonly string[] Nouns =
    [
        "Order", "Invoice", "Customer", "Shipment", "Sensor", "Frame", "Packet", "Ledger", "Report", "Session",
        "Metric", "Document", "Tile", "Route", "Batch", "Account", "Payment", "Record", "Segment", "Token",
        "Message", "Event", "Snapshot", "Profile", "Quote", "Asset", "Channel", "Entry", "Window", "Sample",
    ];

    private readonly HashSet<string> _taken = new();

    public MemberContext(SeededRandom random, string className)
    {
        Random = random;
        ClassName = className;
    }

    public SeededRandom Random { get; }

    public string ClassName { get; }

    /// <summary>A member name made of <paramref name="verb"/> and a noun, unique in the class.</summary>
    public string Name(string verb, string suffix = "")
    {
        var name = verb + Random.Pick(Nouns) + suffix;
        var candidate = name;
        for (var i = 2; !_taken.Add(candidate); i++)
        {
            candidate = verb + Random.Pick(Nouns) + i + suffix;
        }

        return candidate;
    }

    public string Noun() => Random.Pick(Nouns);

    public int Int(int minInclusive, int maxExclusive) => Random.Next(minInclusive, maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => Random.Pick(items);
}
