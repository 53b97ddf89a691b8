using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Tests.IlAgreement;

/// <summary>A statement (sequence point) of the source, with how many <c>box</c> instructions the compiler emitted for it.</summary>
internal sealed record SequencePointSite(SyntaxTree Tree, TextSpan Span, string Method)
{
    public int Boxes { get; set; }
}

/// <summary>
/// The compiler as ground truth: emits a compilation with a portable PDB in memory, decodes the IL of every method body
/// and maps each <c>box</c> instruction to the source statement it belongs to through the PDB's sequence points.
/// </summary>
internal static class IlBoxSites
{
    private static readonly Dictionary<short, OperandType> s_operandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private static readonly short s_box = OpCodes.Box.Value;

    /// <summary>Every non-hidden sequence point of the compilation, with its box count; <paramref name="unmapped"/> counts boxes outside any (compiler-generated code).</summary>
    public static List<SequencePointSite> Read(Compilation compilation, out int unmapped)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            throw new InvalidOperationException("Corpus does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        pe.Position = 0;
        pdb.Position = 0;
        using var peReader = new PEReader(pe);
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var metadata = peReader.GetMetadataReader();
        var debug = pdbProvider.GetMetadataReader();
        var trees = compilation.SyntaxTrees.ToDictionary(t => t.FilePath, StringComparer.Ordinal);

        var sites = new Dictionary<(SyntaxTree, TextSpan), SequencePointSite>();
        unmapped = 0;
        foreach (var handle in metadata.MethodDefinitions)
        {
            var definition = metadata.GetMethodDefinition(handle);
            var methodName = metadata.GetString(metadata.GetTypeDefinition(definition.GetDeclaringType()).Name) + "." + metadata.GetString(definition.Name);
            var points = debug.GetMethodDebugInformation(handle.ToDebugInformationHandle()).GetSequencePoints()
                .Select(p => (Point: p, Site: p.IsHidden ? null : SiteOf(p, debug, trees, sites, methodName)))
                .ToList();
            if (definition.RelativeVirtualAddress == 0)
            {
                continue;
            }

            foreach (var offset in BoxOffsets(peReader.GetMethodBody(definition.RelativeVirtualAddress).GetILBytes()!))
            {
                // A hidden point (code resumed after an await, branches joining) continues the statement before it.
                var owner = points.LastOrDefault(p => p.Point.Offset <= offset && p.Site is not null);
                if (owner.Site is { } site)
                {
                    site.Boxes++;
                }
                else
                {
                    unmapped++;
                }
            }
        }

        return sites.Values.ToList();
    }

    private static SequencePointSite SiteOf(SequencePoint point, MetadataReader debug, Dictionary<string, SyntaxTree> trees,
        Dictionary<(SyntaxTree, TextSpan), SequencePointSite> sites, string method)
    {
        var path = debug.GetString(debug.GetDocument(point.Document).Name);
        var tree = trees[path];
        var lines = tree.GetText().Lines;
        var start = lines[point.StartLine - 1].Start + point.StartColumn - 1;
        var end = lines[point.EndLine - 1].Start + point.EndColumn - 1;
        var span = TextSpan.FromBounds(start, end);
        if (!sites.TryGetValue((tree, span), out var site))
        {
            site = new SequencePointSite(tree, span, method);
            sites.Add((tree, span), site);
        }

        return site;
    }

    /// <summary>The IL offsets of the <c>box</c> instructions of one method body.</summary>
    private static IEnumerable<int> BoxOffsets(byte[] il)
    {
        var position = 0;
        while (position < il.Length)
        {
            var start = position;
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            if (value == s_box)
            {
                yield return start;
            }

            position += s_operandTypes[value] switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il.AsSpan(position, 4)),
                _ => 4,
            };
        }
    }
}
