using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using AllocAnalyzers.Tests.Catalog;
using Xunit;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// What the package may do inside a user's build. Both assemblies build with <c>EnforceExtendedAnalyzerRules</c> (RS1035 bans
/// file I/O and environment reads at compile time); these tests read the built assemblies' metadata so that nothing the
/// compiler's ban list misses (processes, sockets, reflection emit, the console, native code) can reach the package either,
/// and check that the package's build props only make properties visible to the analyzers.
/// </summary>
public sealed class PackageSafetyTests
{
    /// <summary>Namespaces no type of the package may refer to, and why.</summary>
    private static readonly (string Namespace, string Why)[] s_bannedNamespaces =
    {
        ("System.Net", "network I/O"),
        ("System.Reflection.Emit", "reflection emit"),
        ("System.Runtime.Loader", "loading assemblies"),
        ("System.IO.Pipes", "inter-process I/O"),
        ("System.IO.MemoryMappedFiles", "file I/O"),
    };

    /// <summary>Types no code of the package may refer to, and why.</summary>
    private static readonly (string Namespace, string Name, string Why)[] s_bannedTypes =
    {
        ("System.IO", "File", "file I/O"),
        ("System.IO", "FileInfo", "file I/O"),
        ("System.IO", "FileStream", "file I/O"),
        ("System.IO", "Directory", "file I/O"),
        ("System.IO", "DirectoryInfo", "file I/O"),
        ("System.IO", "StreamReader", "file I/O"),
        ("System.IO", "StreamWriter", "file I/O"),
        ("System.IO", "Path", "file paths"),
        ("System.Diagnostics", "Process", "starting processes"),
        ("System.Diagnostics", "ProcessStartInfo", "starting processes"),
        ("System", "Console", "writing to the build's console"),
        ("System", "AppDomain", "changing the host process"),
        ("System.Threading", "Thread", "threads of its own"),
        ("System.Runtime.InteropServices", "DllImportAttribute", "native code"),
        ("System.Runtime.InteropServices", "Marshal", "native memory"),
    };

    /// <summary>The only assemblies the package's assemblies may reference: the runtime's facade and the compiler's own.</summary>
    private static readonly string[] s_allowedReferencePrefixes =
    {
        "netstandard", "Microsoft.CodeAnalysis", "System.Collections.Immutable", "System.Reflection.Metadata",
        "System.Runtime", "System.Threading", "System.Memory", "AllocAnalyzers",
        "System.Composition.AttributedModel", // [ExportCodeFixProvider] and [Shared] on the fixers
    };

    public static TheoryData<string> PackageAssemblies() => new() { "AllocAnalyzers", "AllocAnalyzers.CodeFixes" };

    [Theory]
    [MemberData(nameof(PackageAssemblies))]
    public void Package_assembly_refers_to_no_banned_type(string assemblyName)
    {
        using var reader = OpenMetadata(assemblyName, out var metadata);
        var found = new List<string>();
        foreach (var handle in metadata.TypeReferences)
        {
            var reference = metadata.GetTypeReference(handle);
            var ns = metadata.GetString(reference.Namespace);
            var name = metadata.GetString(reference.Name);
            foreach (var (bannedNs, why) in s_bannedNamespaces)
            {
                if (ns == bannedNs || ns.StartsWith(bannedNs + ".", StringComparison.Ordinal))
                {
                    found.Add($"{ns}.{name} ({why})");
                }
            }

            foreach (var (bannedNs, bannedName, why) in s_bannedTypes)
            {
                if (ns == bannedNs && name == bannedName)
                {
                    found.Add($"{ns}.{name} ({why})");
                }
            }
        }

        // Compiler-generated iterators read Environment.CurrentManagedThreadId; nothing else of Environment may be used.
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference &&
                metadata.GetTypeReference((TypeReferenceHandle)member.Parent) is var parent &&
                metadata.GetString(parent.Namespace) == "System" && metadata.GetString(parent.Name) == "Environment" &&
                metadata.GetString(member.Name) is var memberName && memberName is not ("get_CurrentManagedThreadId" or "get_NewLine"))
            {
                found.Add($"System.Environment.{memberName} (reading the environment instead of .editorconfig)");
            }
        }

        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if ((method.Attributes & System.Reflection.MethodAttributes.PinvokeImpl) != 0)
            {
                found.Add($"P/Invoke {metadata.GetString(method.Name)} (native code)");
            }
        }

        Assert.True(found.Count == 0, $"{assemblyName}.dll refers to:\n" + string.Join("\n", found.Distinct()));
    }

    [Theory]
    [MemberData(nameof(PackageAssemblies))]
    public void Package_assembly_references_only_the_compiler_and_the_runtime_facade(string assemblyName)
    {
        using var reader = OpenMetadata(assemblyName, out var metadata);
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();

        Assert.Contains("netstandard", references);
        var unexpected = references.Where(r => !s_allowedReferencePrefixes.Any(p => r == p || r.StartsWith(p + ".", StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, $"{assemblyName}.dll references {string.Join(", ", unexpected)}");
    }

    [Fact]
    public void Analyzer_assembly_does_not_reference_the_workspaces_layer()
    {
        using var reader = OpenMetadata("AllocAnalyzers", out var metadata);
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();

        Assert.DoesNotContain(references, r => r.Contains("Workspaces", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_projects_build_with_the_analyzer_api_ban_list()
    {
        foreach (var project in new[] { "AllocAnalyzers", "AllocAnalyzers.CodeFixes" })
        {
            var text = File.ReadAllText(RuleCatalog.RepositoryFile("src", project, project + ".csproj"));
            Assert.Contains("<EnforceExtendedAnalyzerRules>true</EnforceExtendedAnalyzerRules>", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The props the package adds to every consuming project: items that make properties visible to analyzers, nothing else.</summary>
    [Fact]
    public void Build_props_only_make_properties_visible_to_the_analyzers()
    {
        var props = XDocument.Load(RuleCatalog.RepositoryFile("src", "AllocAnalyzers.Package", "build", "AllocAnalyzers.props"));
        var root = props.Root!;

        Assert.Equal("Project", root.Name.LocalName);
        Assert.Empty(root.Attributes());
        var groups = root.Elements().ToList();
        Assert.NotEmpty(groups);
        Assert.All(groups, group =>
        {
            Assert.Equal("ItemGroup", group.Name.LocalName);
            Assert.Empty(group.Attributes());
            Assert.All(group.Elements(), item =>
            {
                Assert.Equal("CompilerVisibleProperty", item.Name.LocalName);
                Assert.Equal(new[] { "Include" }, item.Attributes().Select(a => a.Name.LocalName));
            });
        });
    }

    private static PEReader OpenMetadata(string assemblyName, out MetadataReader metadata)
    {
        var assembly = assemblyName == "AllocAnalyzers" ? RuleCatalog.AnalyzerAssembly : RuleCatalog.CodeFixAssembly;
        var reader = new PEReader(File.OpenRead(assembly.Location));
        metadata = reader.GetMetadataReader();
        return reader;
    }
}
