using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Analysis;

/// <summary>
/// The framework symbols the rules ask about, looked up once per compilation. A missing type is null and the
/// questions that need it answer "no".
/// </summary>
internal sealed class KnownSymbols
{
    private readonly Dictionary<INamedTypeSymbol, string[]> _borrowingMethods = new(SymbolEqualityComparer.Default);

    public KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
        GC = compilation.GetTypeByMetadataName("System.GC");
        Array = compilation.GetTypeByMetadataName("System.Array");
        Span = compilation.GetTypeByMetadataName("System.Span`1");
        ReadOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        Memory = compilation.GetTypeByMetadataName("System.Memory`1");
        ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
        ArraySegment = compilation.GetTypeByMetadataName("System.ArraySegment`1");
        MemoryStream = compilation.GetTypeByMetadataName("System.IO.MemoryStream");
        MemoryExtensions = compilation.GetTypeByMetadataName("System.MemoryExtensions");
        ArrayPool = compilation.GetTypeByMetadataName("System.Buffers.ArrayPool`1");

        // APIs that read or write the array during the call and keep no reference to it afterwards.
        // Asynchronous ones borrow only when awaited within the iteration.
        AddBorrower("System.IO.Stream", "Read", "Write", "ReadAsync", "WriteAsync", "ReadExactly", "ReadExactlyAsync", "ReadAtLeast", "ReadAtLeastAsync");
        AddBorrower("System.IO.BinaryReader", "Read");
        AddBorrower("System.IO.BinaryWriter", "Write");
        AddBorrower("System.IO.TextReader", "Read", "ReadBlock", "ReadAsync", "ReadBlockAsync");
        AddBorrower("System.IO.TextWriter", "Write", "WriteLine", "WriteAsync", "WriteLineAsync");
        AddBorrower("System.IO.File", "WriteAllBytes", "WriteAllBytesAsync");
        AddBorrower("System.Console", "Write", "WriteLine");
        AddBorrower("System.Array", "Copy", "ConstrainedCopy", "Clear", "Fill", "Reverse", "Sort", "IndexOf", "LastIndexOf", "BinarySearch");
        AddBorrower("System.Buffer", "BlockCopy", "ByteLength", "GetByte", "SetByte");
        AddBorrower("System.Text.Encoding", "GetBytes", "GetString", "GetChars", "GetByteCount", "GetCharCount");
        AddBorrower("System.Text.Encoder", "GetBytes", "GetByteCount", "Convert");
        AddBorrower("System.Text.Decoder", "GetChars", "GetCharCount", "Convert");
        AddBorrower("System.Text.StringBuilder", "Append", "Insert");
        AddBorrower("System.String", ".ctor", "Join", "Concat");
        AddBorrower("System.BitConverter", "ToBoolean", "ToChar", "ToDouble", "ToHalf", "ToInt16", "ToInt32", "ToInt64", "ToSingle", "ToString", "ToUInt16", "ToUInt32", "ToUInt64", "TryWriteBytes");
        AddBorrower("System.Convert", "ToBase64String", "ToBase64CharArray", "ToHexString", "ToHexStringLower", "FromBase64CharArray", "TryToBase64Chars");
        AddBorrower("System.Random", "NextBytes");
        AddBorrower("System.Security.Cryptography.RandomNumberGenerator", "GetBytes", "GetNonZeroBytes", "Fill");
        AddBorrower("System.Security.Cryptography.HashAlgorithm", "ComputeHash", "TransformBlock", "TransformFinalBlock", "TryComputeHash", "HashData", "TryHashData");
        AddBorrower("System.Net.Sockets.Socket", "Send", "Receive", "SendTo", "ReceiveFrom", "SendAsync", "ReceiveAsync");
        AddBorrower("System.Runtime.InteropServices.Marshal", "Copy");
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol? GC { get; }
    public INamedTypeSymbol? Array { get; }
    public INamedTypeSymbol? Span { get; }
    public INamedTypeSymbol? ReadOnlySpan { get; }
    public INamedTypeSymbol? Memory { get; }
    public INamedTypeSymbol? ReadOnlyMemory { get; }
    public INamedTypeSymbol? ArraySegment { get; }
    public INamedTypeSymbol? MemoryStream { get; }
    public INamedTypeSymbol? MemoryExtensions { get; }
    public INamedTypeSymbol? ArrayPool { get; }

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
            if (_borrowingMethods.TryGetValue(type.OriginalDefinition, out var names) &&
                System.Array.IndexOf(names, method.Name) >= 0)
            {
                return true;
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

    private void AddBorrower(string metadataName, params string[] methods)
    {
        if (Compilation.GetTypeByMetadataName(metadataName) is { } type)
        {
            _borrowingMethods[type] = methods;
        }
    }
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
