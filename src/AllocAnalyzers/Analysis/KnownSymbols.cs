using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Analysis;

/// <summary>
/// The framework symbols the rules ask about, each looked up once per compilation, when first asked for. A missing type is null and the
/// questions that need it answer "no".
/// </summary>
internal sealed class KnownSymbols
{
    /// <summary>
    /// APIs that read or write the array during the call and keep no reference to it afterwards, by the metadata name
    /// of their type. Asynchronous ones borrow only when awaited within the iteration.
    /// </summary>
    private static readonly ImmutableArray<(string MetadataName, string Name, string[] Methods)> Borrowers = ImmutableArray.Create(
        Borrower("System.IO.Stream", "Read", "Write", "ReadAsync", "WriteAsync", "ReadExactly", "ReadExactlyAsync", "ReadAtLeast", "ReadAtLeastAsync"),
        Borrower("System.IO.BinaryReader", "Read"),
        Borrower("System.IO.BinaryWriter", "Write"),
        Borrower("System.IO.TextReader", "Read", "ReadBlock", "ReadAsync", "ReadBlockAsync"),
        Borrower("System.IO.TextWriter", "Write", "WriteLine", "WriteAsync", "WriteLineAsync"),
        Borrower("System.IO.File", "WriteAllBytes", "WriteAllBytesAsync"),
        Borrower("System.Console", "Write", "WriteLine"),
        Borrower("System.Array", "Copy", "ConstrainedCopy", "Clear", "Fill", "Reverse", "Sort", "IndexOf", "LastIndexOf", "BinarySearch"),
        Borrower("System.Buffer", "BlockCopy", "ByteLength", "GetByte", "SetByte"),
        Borrower("System.Text.Encoding", "GetBytes", "GetString", "GetChars", "GetByteCount", "GetCharCount"),
        Borrower("System.Text.Encoder", "GetBytes", "GetByteCount", "Convert"),
        Borrower("System.Text.Decoder", "GetChars", "GetCharCount", "Convert"),
        Borrower("System.Text.StringBuilder", "Append", "Insert"),
        Borrower("System.String", ".ctor", "Join", "Concat"),
        Borrower("System.BitConverter", "ToBoolean", "ToChar", "ToDouble", "ToHalf", "ToInt16", "ToInt32", "ToInt64", "ToSingle", "ToString", "ToUInt16", "ToUInt32", "ToUInt64", "TryWriteBytes"),
        Borrower("System.Convert", "ToBase64String", "ToBase64CharArray", "ToHexString", "ToHexStringLower", "FromBase64CharArray", "TryToBase64Chars"),
        Borrower("System.Random", "NextBytes"),
        Borrower("System.Security.Cryptography.RandomNumberGenerator", "GetBytes", "GetNonZeroBytes", "Fill"),
        Borrower("System.Security.Cryptography.HashAlgorithm", "ComputeHash", "TransformBlock", "TransformFinalBlock", "TryComputeHash", "HashData", "TryHashData"),
        Borrower("System.Net.Sockets.Socket", "Send", "Receive", "SendTo", "ReceiveFrom", "SendAsync", "ReceiveAsync"),
        Borrower("System.Runtime.InteropServices.Marshal", "Copy"));

    // Each type is looked up on first use (LazySymbol): most compilations need few of these types (a compilation start
    // that looked them all up cost each analyzer about 3 ms at 50K lines).
    private readonly object?[] _borrowerTypes = new object?[Borrowers.Length];
    private object? _gc, _array, _span, _readOnlySpan, _memory, _readOnlyMemory, _arraySegment, _memoryStream, _memoryExtensions, _arrayPool;

    public KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol? GC => Resolve(ref _gc, "System.GC");
    public INamedTypeSymbol? Array => Resolve(ref _array, "System.Array");
    public INamedTypeSymbol? Span => Resolve(ref _span, "System.Span`1");
    public INamedTypeSymbol? ReadOnlySpan => Resolve(ref _readOnlySpan, "System.ReadOnlySpan`1");
    public INamedTypeSymbol? Memory => Resolve(ref _memory, "System.Memory`1");
    public INamedTypeSymbol? ReadOnlyMemory => Resolve(ref _readOnlyMemory, "System.ReadOnlyMemory`1");
    public INamedTypeSymbol? ArraySegment => Resolve(ref _arraySegment, "System.ArraySegment`1");
    public INamedTypeSymbol? MemoryStream => Resolve(ref _memoryStream, "System.IO.MemoryStream");
    public INamedTypeSymbol? MemoryExtensions => Resolve(ref _memoryExtensions, "System.MemoryExtensions");
    public INamedTypeSymbol? ArrayPool => Resolve(ref _arrayPool, "System.Buffers.ArrayPool`1");

    /// <summary>Per-compilation cache of "does this source parameter let its argument escape?".</summary>
    internal ConcurrentDictionary<IParameterSymbol, bool> ParameterEscapes { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Whether <paramref name="method"/> is a framework API that uses an array argument only during the call.</summary>
    public bool IsBorrowingApi(IMethodSymbol method)
    {
        while (method.OverriddenMethod is { } overridden)
        {
            method = overridden;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            // The name first, so that only a type named like a borrower is looked up and compared.
            for (var i = 0; i < Borrowers.Length; i++)
            {
                if (type.Name == Borrowers[i].Name &&
                    IsType(type.OriginalDefinition, Resolve(ref _borrowerTypes[i], Borrowers[i].MetadataName)) &&
                    System.Array.IndexOf(Borrowers[i].Methods, method.Name) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>What kind of view over an array a type is, if any.</summary>
    public ArrayViewKind GetViewKind(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return ArrayViewKind.None;
        }

        var definition = named.OriginalDefinition;
        if (IsType(definition, Span) || IsType(definition, ReadOnlySpan))
        {
            return ArrayViewKind.Span;
        }

        if (IsType(definition, Memory) || IsType(definition, ReadOnlyMemory))
        {
            return ArrayViewKind.Memory;
        }

        if (IsType(definition, ArraySegment))
        {
            return ArrayViewKind.Segment;
        }

        return IsType(definition, MemoryStream) ? ArrayViewKind.Stream : ArrayViewKind.None;
    }

    public static bool IsType(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    private static (string MetadataName, string Name, string[] Methods) Borrower(string metadataName, params string[] methods) =>
        (metadataName, metadataName.Substring(metadataName.LastIndexOf('.') + 1), methods);

    private INamedTypeSymbol? Resolve(ref object? slot, string metadataName) => LazySymbol.Resolve(Compilation, ref slot, metadataName);
}

/// <summary>A value that refers to an array's storage without copying it.</summary>
internal enum ArrayViewKind
{
    None,
    /// <summary>The array itself.</summary>
    Array,
    /// <summary><c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>: a ref struct, so it cannot reach the heap.</summary>
    Span,
    /// <summary><c>Memory&lt;T&gt;</c> or <c>ReadOnlyMemory&lt;T&gt;</c>.</summary>
    Memory,
    /// <summary><c>ArraySegment&lt;T&gt;</c>.</summary>
    Segment,
    /// <summary>A <c>MemoryStream</c> over the array.</summary>
    Stream,
}
