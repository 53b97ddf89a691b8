using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Demo;

/// <summary>
/// `dotnet build docs/demo` reports ALLOC001 on the two methods marked "reported" and stays silent on the others.
/// </summary>
internal static class Program
{
    private static byte[]? s_lastFrame;

    private static void Main()
    {
        var frames = CreateFrames("alpha", "beta", "gamma");
        Console.WriteLine($"sum of frame bytes: {SumFrames(new MemoryStream(frames))}");
        Console.WriteLine($"reversed: {string.Join(" ", ReverseNames(new[] { "alpha", "beta", "gamma" }))}");
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
