using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace AllocAnalyzers.Tests.Harness;

/// <summary>The target framework a test compiles against.</summary>
public enum ReferenceSet
{
    Net80,
    /// <summary>.NET 10, from the SDK's own reference pack.</summary>
    Net100,
    /// <summary>netstandard2.0 alone: no System.Buffers, no spans.</summary>
    NetStandard20,
    Net472,
}

/// <summary>Offline reference assemblies for test compilations.</summary>
public static class References
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_net80 = new(() => Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>().ToImmutableArray());
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_netStandard20 = new(() => Basic.Reference.Assemblies.NetStandard20.References.All.Cast<MetadataReference>().ToImmutableArray());
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_net472 = new(() => Basic.Reference.Assemblies.Net472.References.All.Cast<MetadataReference>().ToImmutableArray());
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_net100 = new(LoadNet100);
    private static readonly Lazy<MetadataReference> s_systemBuffers = new(BuildSystemBuffers);

    public static ImmutableArray<MetadataReference> For(ReferenceSet set) => set switch
    {
        ReferenceSet.Net80 => s_net80.Value,
        ReferenceSet.Net100 => s_net100.Value,
        ReferenceSet.NetStandard20 => s_netStandard20.Value,
        ReferenceSet.Net472 => s_net472.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(set)),
    };

    /// <summary>
    /// A System.Buffers for netstandard2.0 with the public surface of <c>ArrayPool&lt;T&gt;</c>, as the System.Buffers
    /// package adds it (built here so the tests need no extra download).
    /// </summary>
    public static MetadataReference SystemBuffers => s_systemBuffers.Value;

    private static ImmutableArray<MetadataReference> LoadNet100()
    {
        // The SDK that runs the tests carries the .NET 10 reference pack next to the runtime.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var refDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs, "10.*").OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "ref", "net10.0")).FirstOrDefault(Directory.Exists)
            : null;
        if (refDirectory is null)
        {
            throw new InvalidOperationException($"No .NET 10 reference pack under '{packs}'.");
        }

        return Directory.GetFiles(refDirectory, "*.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static MetadataReference BuildSystemBuffers()
    {
        const string source = """
            namespace System.Buffers
            {
                public abstract class ArrayPool<T>
                {
                    public static ArrayPool<T> Shared { get; } = new SharedPool();
                    public static ArrayPool<T> Create() => new SharedPool();
                    public abstract T[] Rent(int minimumLength);
                    public abstract void Return(T[] array, bool clearArray = false);

                    private sealed class SharedPool : ArrayPool<T>
                    {
                        public override T[] Rent(int minimumLength) => new T[minimumLength];
                        public override void Return(T[] array, bool clearArray = false) { }
                    }
                }
            }
            """;
        var compilation = CSharpCompilation.Create(
            "System.Buffers",
            new[] { CSharpSyntaxTree.ParseText(source) },
            s_netStandard20.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, options: new EmitOptions());
        if (!result.Success)
        {
            throw new InvalidOperationException("System.Buffers stub did not compile: " + string.Join(Environment.NewLine, result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
