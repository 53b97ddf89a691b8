// Benchmark case for ALLOC030. ShapeAreas.Before.cs is the code as written; every other ShapeAreas.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
namespace AllocAnalyzers.Benchmarks.AfterGenericParameter;

public interface IShape
{
    long Area();
}

public struct Rectangle : IShape
{
    public int Width;
    public int Height;

    public long Area() => (long)Width * Height;
}

public static class ShapeAreas
{
    /// <summary>Sums the areas of rectangles built from pairs of values, through a helper that takes any shape.</summary>
    public static long Run(int[] values)
    {
        long total = 0;
        for (var i = 1; i < values.Length; i++)
        {
            var rectangle = new Rectangle { Width = values[i - 1], Height = values[i] + 1 };
            total += Weigh(rectangle);
        }

        return total;
    }

    private static long Weigh<TShape>(TShape shape) where TShape : IShape => shape.Area() * 3 + 1;
}
