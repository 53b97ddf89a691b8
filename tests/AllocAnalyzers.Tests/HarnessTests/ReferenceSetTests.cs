using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>A test compiles against the reference set it names, plus its additional references.</summary>
public sealed class ReferenceSetTests
{
    private const string RentsFromArrayPool = """
        using System.Buffers;

        class C
        {
            byte[] M(int n) => ArrayPool<byte>.Shared.Rent(n);
        }
        """;

    [Theory]
    [InlineData(ReferenceSet.Net80, true)]
    [InlineData(ReferenceSet.Net100, true)]
    [InlineData(ReferenceSet.NetStandard20, false)]
    [InlineData(ReferenceSet.Net472, false)]
    public void ArrayPool_IsDefinedExactlyWhereTheFrameworkHasIt(ReferenceSet set, bool hasArrayPool)
    {
        var compilation = CSharpCompilation.Create("Probe", references: References.For(set));

        Assert.Equal(hasArrayPool, compilation.GetTypeByMetadataName("System.Buffers.ArrayPool`1") is not null);
    }

    [Fact]
    public void SystemBuffers_AddsArrayPoolToNetStandard20()
    {
        var compilation = CSharpCompilation.Create("Probe", references: References.For(ReferenceSet.NetStandard20).Add(References.SystemBuffers));

        Assert.NotNull(compilation.GetTypeByMetadataName("System.Buffers.ArrayPool`1"));
    }

    [Fact]
    public async Task Fails_WhenCodeUsesArrayPool_OnNetStandard20()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer> { TestCode = RentsFromArrayPool, ReferenceSet = ReferenceSet.NetStandard20 };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("unexpected: CS0234", failure.Message);
    }

    [Fact]
    public Task Passes_WhenCodeUsesArrayPool_OnNetStandard20WithSystemBuffers() => new AnalyzerTest<FortyTwoAnalyzer>
    {
        TestCode = RentsFromArrayPool,
        ReferenceSet = ReferenceSet.NetStandard20,
        AdditionalReferences = { References.SystemBuffers },
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.Net80)]
    [InlineData(ReferenceSet.Net100)]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public void EveryReferenceSet_CompilesASimpleClassWithoutErrors(ReferenceSet set)
    {
        var compilation = CSharpCompilation.Create(
            "Probe",
            new[] { CSharpSyntaxTree.ParseText("class C { string M(object o) => o.ToString() + System.Math.Max(1, 2); }") },
            References.For(set),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
