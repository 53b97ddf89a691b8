using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// ALLOC010 and ALLOC011 gather the references to a collection member from operation actions that the compiler runs in
/// parallel for the members of a type, into one <see cref="MemberUses"/> without a lock. Every use added from any
/// thread must be there at the end, once, in source order, and the kinds seen must be exactly those added.
/// </summary>
public sealed class MemberUsesConcurrencyTests
{
    [Fact]
    public async Task UsesAddedFromManyThreadsAtOnceAreAllKept_InSourceOrder()
    {
        const int methods = 64;
        var source = new StringBuilder("using System.Collections.Generic;\nclass Cache\n{\n    private readonly Dictionary<int, int> _map = new();\n");
        for (var i = 0; i < methods; i++)
        {
            // Fills, reads and (in every fourth method) clears: three kinds, one reference each per line.
            source.Append("    public void M").Append(i).Append("() { _map[").Append(i).Append("] = 1; _ = _map.Count; ")
                  .Append(i % 4 == 0 ? "_map.Clear(); " : string.Empty).Append("}\n");
        }

        source.Append("}\n");
        var tree = CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Uses", new[] { tree }, References.For(ReferenceSet.Net80), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var model = compilation.GetSemanticModel(tree);
        var type = compilation.GetTypeByMetadataName("Cache")!;
        var field = type.GetMembers("_map").Single();
        var references = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .SelectMany(method => model.GetOperation(method)!.Descendants().OfType<IFieldReferenceOperation>())
            .ToList();
        Assert.Equal(methods * 2 + methods / 4, references.Count);

        var symbols = new CollectionSymbols(compilation);
        for (var round = 0; round < 20; round++)
        {
            var member = LongLivedCollections.AsCandidate(field, symbols)!;
            Assert.False(member.Has(CollectionUseKind.Fill));

            // Each thread adds every eighth reference, all threads released at once, in reverse order so that the
            // snapshot has to sort them.
            using var start = new ManualResetEventSlim(false);
            var threads = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(
                () =>
                {
                    start.Wait();
                    for (var i = references.Count - 1 - t; i >= 0; i -= 8)
                    {
                        member.Add(LongLivedCollections.Classify(references[i], type));
                    }
                },
                TaskCreationOptions.LongRunning)).ToArray();
            start.Set();
            await Task.WhenAll(threads);

            var uses = member.ToList();
            Assert.Equal(references.Select(r => r.Syntax.SpanStart), uses.Select(u => u.Position));
            Assert.True(member.Has(CollectionUseKind.Fill));
            Assert.True(member.Has(CollectionUseKind.Read));
            Assert.True(member.Has(CollectionUseKind.Clear));
            Assert.False(member.Has(CollectionUseKind.Remove));
            Assert.False(member.Has(CollectionUseKind.Trim));
            Assert.Equal(
                new Dictionary<CollectionUseKind, int> { [CollectionUseKind.Fill] = methods, [CollectionUseKind.Read] = methods, [CollectionUseKind.Clear] = methods / 4 },
                uses.GroupBy(u => u.Kind).ToDictionary(g => g.Key, g => g.Count()));
        }
    }
}
