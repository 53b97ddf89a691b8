using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Threading.Tasks;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>
/// The compiler is the ground truth for ALLOC020–ALLOC022: a corpus of closure shapes in hot code is compiled (Release,
/// portable PDB in memory), every <c>newobj</c> of a compiler-generated closure class and every uncached delegate
/// <c>newobj</c> (over a lambda, a local function or an instance method group) is found and mapped to source through its sequence point, and each must
/// be reported, while every ALLOC020/ALLOC021 diagnostic must sit on one. docs/rules/ALLOC020.md quotes the figures.
/// </summary>
public sealed class ClosureIlAgreementTests
{
    private readonly ITestOutputHelper _output;

    public ClosureIlAgreementTests(ITestOutputHelper output) => _output = output;

    private const string Corpus = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class HotPathAttribute : Attribute { }

        [HotPath]
        class Corpus
        {
            int _offset;
            static bool IsEven(int x) => x % 2 == 0;

            int LoopVariable(List<int> list, int[] values)
            {
                var total = 0;
                foreach (var value in values)
                {
                    total += list.Count(x => x > value);
                }
                return total;
            }

            int OuterLocal(List<int> list, int[] values, int limit)
            {
                var total = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    total += list.Count(x => x > limit);
                }
                return total;
            }

            int ForVariable(List<int> list, int n)
            {
                var total = 0;
                for (int i = 0; i < n; i++)
                {
                    total += list.Count(x => x > i);
                }
                return total;
            }

            int ThisOnly(List<int> list) => list.Count(x => x > _offset);

            int NotCapturing(List<int> list) => list.Count(x => x > 2) + list.Count(static x => x > 3);

            int Constant(List<int> list)
            {
                const int k = 4;
                return list.Count(x => x > k);
            }

            int StaticMethodGroup(List<int> list) => list.Count(IsEven);

            bool IsAboveOffset(int x) => x > _offset;

            int InstanceMethodGroup(List<int> list, int[] values)
            {
                var total = 0;
                foreach (var value in values)
                {
                    total += list.Count(IsAboveOffset) + value;
                }
                return total;
            }

            int LocalFunctionCalled(int a)
            {
                int Add(int x) => x + a;
                return Add(1) + Add(2);
            }

            int LocalFunctionAsDelegate(List<int> list, int a)
            {
                bool Above(int x) => x > a;
                return list.Count(Above);
            }

            string Branch(ConcurrentDictionary<string, string> cache, string key, string prefix, bool miss)
            {
                if (miss)
                {
                    return cache.GetOrAdd(key, k => prefix + k);
                }
                return key;
            }

            int CatchBranch(List<int> list, int limit)
            {
                try
                {
                    return list[0];
                }
                catch (ArgumentOutOfRangeException)
                {
                    return list.Count(x => x > limit);
                }
            }

            int OnlyInvoked(int[] values)
            {
                var total = 0;
                foreach (var value in values)
                {
                    Func<int, int> scale = x => x * value;
                    total += scale(2);
                }
                return total;
            }

            int AnonymousMethod(List<int> list, int limit) => list.Count(delegate (int x) { return x > limit; });

            int Nested(List<List<int>> lists, int limit)
            {
                var total = 0;
                foreach (var inner in lists)
                {
                    total += inner.Count(x => inner.Any(y => y + x > limit));
                }
                return total;
            }

            int TwoScopes(List<int> list, int[] values, int limit)
            {
                var total = 0;
                foreach (var value in values)
                {
                    total += list.Count(x => x > value && x < limit);
                }
                return total;
            }

            int SharedClosure(List<int> list, int limit)
            {
                return list.Count(x => x > limit) + list.Count(x => x < limit);
            }

            int ParallelBody(int[] values, int limit)
            {
                var total = 0;
                Parallel.For(0, values.Length, i =>
                {
                    var local = values[i];
                    Interlocked.Add(ref total, values.Count(x => x > local + limit));
                });
                return total;
            }

            bool WhileCondition(List<int> list, int limit)
            {
                var n = 0;
                while (list.Any(x => x > limit + n))
                {
                    n++;
                }
                return n > 0;
            }

            void Event(Action<int> sink, int[] values)
            {
                foreach (var value in values)
                {
                    sink(value);
                    Action a = () => sink(value);
                    ThreadPool.QueueUserWorkItem(_ => a());
                }
            }
        }
        """;

    private sealed record Allocation(string Kind, string Method, int StartLine, int StartColumn, int EndLine, int EndColumn, string? ClosureType, string? TargetType)
    {
        public bool Contains(FileLinePositionSpan span)
        {
            var line = span.StartLinePosition.Line + 1;
            var column = span.StartLinePosition.Character + 1;
            return (line > StartLine || line == StartLine && column >= StartColumn) && (line < EndLine || line == EndLine && column < EndColumn);
        }

        public override string ToString() => FormattableString.Invariant($"{Kind} in {Method} at {StartLine}:{StartColumn}-{EndLine}:{EndColumn} ({ClosureType ?? TargetType})");
    }

    [Fact]
    public async Task EveryClosureAndDelegateAllocation_IsReported_AndEveryDiagnosticSitsOnOne()
    {
        var tree = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(Corpus, System.Text.Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), path: "Corpus.cs");
        var compilation = CSharpCompilation.Create("Corpus", new[] { tree }, References.For(ReferenceSet.Net80),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        var allocations = Allocations(compilation);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new CapturingLambdaAnalyzer(), new ClosureOnUnusedPathAnalyzer(), new InvokedDelegateLocalAnalyzer());
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();

        bool IsReported(Allocation allocation) => allocation.Kind == "delegate"
            ? diagnostics.Any(d => allocation.Contains(d.Location.GetLineSpan()))
            : allocations.Any(d => d.Kind == "delegate" && d.TargetType is { } target && (target == allocation.ClosureType || HoldsClosure(target, allocation.ClosureType!)) && IsReported(d));

        var unreported = allocations.Where(a => !IsReported(a)).ToList();
        var unfounded = diagnostics.Where(d => d.Id is "ALLOC020" or "ALLOC021" && !allocations.Any(a => a.Kind == "delegate" && a.Contains(d.Location.GetLineSpan()))).ToList();

        _output.WriteLine(FormattableString.Invariant($"{allocations.Count} allocations ({allocations.Count(a => a.Kind == "closure")} closures, {allocations.Count(a => a.Kind == "delegate")} delegates), {allocations.Count - unreported.Count} reported; {diagnostics.Length} diagnostics, {diagnostics.Length - unfounded.Count} on an allocation"));
        foreach (var allocation in allocations)
        {
            _output.WriteLine("  " + allocation);
        }

        foreach (var diagnostic in diagnostics)
        {
            _output.WriteLine("  " + diagnostic);
        }

        Assert.True(unreported.Count == 0, "Not reported: " + string.Join("; ", unreported));
        Assert.True(unfounded.Count == 0, "Reported without an allocation: " + string.Join("; ", unfounded));
        Assert.True(allocations.Count(a => a.Kind == "closure") >= 12 && allocations.Count(a => a.Kind == "delegate") >= 15, "The corpus lost its allocations: " + allocations.Count);

        // The shapes that allocate nothing (non-capturing, static, constants, static method groups, local functions called directly) are not reported.
        foreach (var method in new[] { "NotCapturing", "Constant", "StaticMethodGroup", "LocalFunctionCalled" })
        {
            Assert.DoesNotContain(allocations, a => a.Method == method);
            var body = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method);
            Assert.DoesNotContain(diagnostics, d => body.Span.Contains(d.Location.SourceSpan));
        }

        // ALLOC021: the closure of the branch's lambda is allocated outside the branch.
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "ALLOC021"))
        {
            var lambdaLine = diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;
            Assert.Contains(allocations, a => a.Kind == "closure" && a.StartLine < lambdaLine - 1);
        }

        // Whether one closure class holds another (the inner scope's closure points at the outer one).
        bool HoldsClosure(string holder, string held) => _closureFields.TryGetValue(holder, out var fields) && fields.Any(f => f == held || HoldsClosure(f, held));
    }

    private readonly Dictionary<string, List<string>> _closureFields = new();

    private List<Allocation> Allocations(CSharpCompilation compilation)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        pe.Position = 0;
        pdb.Position = 0;
        using var peReader = new PEReader(pe);
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = peReader.GetMetadataReader();
        var debug = pdbProvider.GetMetadataReader();

        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var name = reader.GetString(type.Name);
            if (name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal))
            {
                _closureFields[name] = type.GetFields().Select(f => reader.GetFieldDefinition(f).DecodeSignature(new TypeNames(reader), null)).ToList();
            }
        }

        var allocations = new List<Allocation>();
        foreach (var methodHandle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(methodHandle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var il = peReader.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? Array.Empty<byte>();
            var points = debug.GetMethodDebugInformation(methodHandle.ToDebugInformationHandle()).GetSequencePoints().Where(p => !p.IsHidden).ToList();
            var methodName = reader.GetString(method.Name);
            var instructions = Decode(il);
            for (var i = 0; i < instructions.Count; i++)
            {
                var (offset, opCode, token) = instructions[i];
                if (opCode != OpCodes.Newobj)
                {
                    continue;
                }

                var ctorType = DeclaringTypeName(reader, MetadataTokens.EntityHandle(token));
                string? kind = null;
                string? closureType = null;
                string? targetType = null;
                if (ctorType.StartsWith("<>c__DisplayClass", StringComparison.Ordinal))
                {
                    kind = "closure";
                    closureType = ctorType;
                }
                else if (i > 0 && instructions[i - 1].OpCode == OpCodes.Ldftn)
                {
                    var target = MetadataTokens.EntityHandle(instructions[i - 1].Token);
                    var targetName = target.Kind == HandleKind.MethodDefinition ? reader.GetString(reader.GetMethodDefinition((MethodDefinitionHandle)target).Name) : "";
                    targetType = DeclaringTypeName(reader, target);
                    var cached = i + 2 < instructions.Count && instructions[i + 1].OpCode == OpCodes.Dup && instructions[i + 2].OpCode == OpCodes.Stsfld;
                    if (!cached)
                    {
                        kind = "delegate";
                    }
                }

                if (kind is null)
                {
                    continue;
                }

                var point = points.LastOrDefault(p => p.Offset <= offset);
                if (point.Document.IsNil)
                {
                    point = points.FirstOrDefault();
                }

                allocations.Add(new Allocation(kind, OwnerMethod(reader, method, methodName), point.StartLine, point.StartColumn, point.EndLine, point.EndColumn, closureType, targetType));
            }
        }

        return allocations;
    }

    /// <summary>The source method an IL method belongs to: lambdas and local functions are named <c>&lt;Owner&gt;b__…</c> / <c>&lt;Owner&gt;g__…</c>.</summary>
    private static string OwnerMethod(MetadataReader reader, MethodDefinition method, string name) =>
        name.StartsWith('<') && name.IndexOf('>') > 1 ? name.Substring(1, name.IndexOf('>') - 1) : name;

    private static string DeclaringTypeName(MetadataReader reader, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                return reader.GetString(reader.GetTypeDefinition(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()).Name);
            case HandleKind.MemberReference:
                var parent = reader.GetMemberReference((MemberReferenceHandle)handle).Parent;
                return parent.Kind switch
                {
                    HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name),
                    HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
                    HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(new TypeNames(reader), null),
                    _ => "",
                };
            case HandleKind.MethodSpecification:
                return DeclaringTypeName(reader, reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return "";
        }
    }

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static List<(int Offset, OpCode OpCode, int Token)> Decode(byte[] il)
    {
        var result = new List<(int, OpCode, int)>();
        for (var position = 0; position < il.Length;)
        {
            var offset = position;
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = s_opCodes[value];
            var token = 0;
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, position);
                    position += 4 + 4 * count;
                    break;
                default:
                    token = BitConverter.ToInt32(il, position);
                    position += 4;
                    break;
            }

            result.Add((offset, opCode, token));
        }

        return result;
    }

    /// <summary>Type names from signatures: enough to tell closure classes and delegate types apart.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        private readonly MetadataReader _reader;

        public TypeNames(MetadataReader reader) => _reader = reader;

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index.ToString(CultureInfo.InvariantCulture);
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index.ToString(CultureInfo.InvariantCulture);
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => _reader.GetString(_reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => _reader.GetString(_reader.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "spec";
    }
}
