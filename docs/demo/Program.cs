using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Demo;

/// <summary>
/// `dotnet build docs/demo` reports ALLOC001 and ALLOC002 on the methods marked "reported" and stays silent on the others.
/// </summary>
internal static class Program
{
    private static byte[]? s_lastFrame;

    private static void Main()
    {
        var frames = CreateFrames("alpha", "beta", "gamma");
        Console.WriteLine($"sum of frame bytes: {SumFrames(new MemoryStream(frames))}");
        Console.WriteLine($"reversed: {string.Join(" ", ReverseNames(new[] { "alpha", "beta", "gamma" }))}");
        Console.WriteLine($"most common digit per number: {string.Join(" ", MostCommonDigits(new[] { 1223, 90009, 4 }))}");
        KeepLastFrame(new MemoryStream(frames));
        Console.WriteLine($"last frame: {Encoding.ASCII.GetString(s_lastFrame ?? Array.Empty<byte>())}");
        Console.WriteLine($"first frame starting with 'b': {Encoding.ASCII.GetString(FindFrame(new MemoryStream(frames), 'b') ?? Array.Empty<byte>())}");
    }

    /// <summary>Each text as one frame: a length byte, then the ASCII bytes.</summary>
    private static byte[] CreateFrames(params string[] texts)
    {
        var stream = new MemoryStream();
        foreach (var text in texts)
        {
            stream.WriteByte((byte)text.Length);
            stream.Write(Encoding.ASCII.GetBytes(text));
        }

        return stream.ToArray();
    }

    // Reported: a new array of a different size on every iteration, dropped at its end.
    // The fix rents it from ArrayPool<byte>.Shared and returns it in a finally block.
    private static long SumFrames(Stream stream)
    {
        var sum = 0L;
        int length;
        while ((length = stream.ReadByte()) > 0)
        {
            var frame = new byte[length];
            var read = stream.Read(frame, 0, frame.Length);
            for (var i = 0; i < read; i++)
            {
                sum += frame[i];
            }
        }

        return sum;
    }

    // Reported: the string constructor copies the characters and keeps no reference to the array.
    private static List<string> ReverseNames(string[] names)
    {
        var result = new List<string>();
        foreach (var name in names)
        {
            var characters = new char[name.Length];
            for (var i = 0; i < name.Length; i++)
            {
                characters[i] = char.ToUpperInvariant(name[name.Length - 1 - i]);
            }

            result.Add(new string(characters, 0, name.Length));
        }

        return result;
    }

    // Reported (ALLOC002): the same ten counters are allocated again for every number.
    // The fixes declare them once before the loop (cleared per number) or as a stackalloc'd span before the loop.
    private static List<int> MostCommonDigits(int[] numbers)
    {
        var result = new List<int>();
        foreach (var number in numbers)
        {
            var counts = new int[10];
            for (var rest = number; rest > 0; rest /= 10)
            {
                counts[rest % 10]++;
            }

            var best = 0;
            for (var digit = 1; digit < counts.Length; digit++)
            {
                if (counts[digit] > counts[best])
                {
                    best = digit;
                }
            }

            result.Add(best);
        }

        return result;
    }

    // Not reported: the array is stored in a field, so it outlives the iteration and a pool could not take it back.
    private static void KeepLastFrame(Stream stream)
    {
        int length;
        while ((length = stream.ReadByte()) > 0)
        {
            var frame = new byte[length];
            if (stream.Read(frame, 0, frame.Length) < length)
            {
                break;
            }

            s_lastFrame = frame;
        }
    }

    // Not reported: the array is returned to the caller, who owns it from then on.
    private static byte[]? FindFrame(Stream stream, char marker)
    {
        int length;
        while ((length = stream.ReadByte()) > 0)
        {
            var frame = new byte[length];
            var read = stream.Read(frame, 0, frame.Length);
            if (read == length && frame[0] == marker)
            {
                return frame;
            }
        }

        return null;
    }
}
