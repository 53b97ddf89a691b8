// Benchmark case for ALLOC031. GridVisits.Before.cs is the code as written; every other GridVisits.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
#nullable enable // as in the benchmark project, so the fix writes Equals(object? obj)
using System;
using System.Collections.Generic;

namespace AllocAnalyzers.Benchmarks.AfterImplementIEquatable;

public struct GridPoint : IEquatable<GridPoint>
{
    public int X;
    public int Y;

    public bool Equals(GridPoint other) => X == other.X && Y == other.Y;
    public override bool Equals(object? obj) => obj is GridPoint other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(X, Y);
}

public static class GridVisits
{
    /// <summary>Walks the given steps over a grid and counts the cells visited for the first time.</summary>
    public static long Run(int[] steps)
    {
        var visited = new HashSet<GridPoint>();
        var at = new GridPoint();
        long fresh = 0;
        foreach (var step in steps)
        {
            switch (step & 3)
            {
                case 0: at.X++; break;
                case 1: at.X--; break;
                case 2: at.Y++; break;
                default: at.Y--; break;
            }

            if (visited.Add(at))
            {
                fresh++;
            }
        }

        return fresh;
    }
}
