using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.ArrayPoolMisuseAnalyzer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC003: what is reported about arrays rented from an ArrayPool&lt;T&gt;, and what is not.</summary>
public sealed class ArrayPoolMisuseTests
{
    // ---- returned twice ----------------------------------------------------------------------------------------

    [Fact]
    public Task Reports_WhenReturnedTwiceInSequence() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
                }
        """, ReturnedTwice(0));

    [Fact]
    public Task Reports_ThePageExampleOfADoubleReturn() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    Process(buffer, size);
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                finally
                {
                    {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
                }
        """, members: """
            private static void Process(byte[] data, int count) => Console.WriteLine(data[count - 1]);
        """, ReturnedTwice(0));

    [Fact]
    public Task Reports_WhenReturnedOnOneBranchAndAgainAfterIt() => Reports("""
                var buffer = {|#1:ArrayPool<byte>.Shared.Rent(size)|};
                stream.Write(buffer, 0, size);
                if (flag)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
        """, ReturnedTwice(0), NotReturned(1));

    [Fact]
    public Task DoesNotReport_WhenReturnedOnceInEachBranchOfAnIf() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                if (flag)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                else
                {
                    buffer[0] = 1;
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task Reports_WhenReturnedInTheTryAndAgainInTheFinally() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                finally
                {
                    {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
                }
        """, ReturnedTwice(0));

    [Fact]
    public Task Reports_WhenReturnedWithClearArrayAndAgain() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                buffer[0] = 1;
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
        """, ReturnedTwice(0));

    [Fact]
    public Task Reports_WhenRentedBeforeALoopAndReturnedInIt() => Reports("""
                var buffer = {|#2:ArrayPool<byte>.Shared.Rent(size)|};
                for (int i = 0; i < size; i++)
                {
                    {|#0:buffer|}[0] = (byte)i;
                    {|#1:ArrayPool<byte>.Shared.Return(buffer)|};
                }
        """, UsedAfterReturn(0), ReturnedTwice(1), NotReturned(2));

    [Fact]
    public Task DoesNotReport_WhenRentedAndReturnedInEachIteration() => NoDiagnostic("""
                for (int i = 0; i < 3; i++)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    buffer[0] = (byte)i;
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task DoesNotReport_WhenTheLocalIsRentedAgainAfterItsReturn() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                buffer[0] = 1;
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(size * 2);
                buffer[0] = 2;
                ArrayPool<byte>.Shared.Return(buffer);
        """);

    [Fact]
    public Task DoesNotReport_WhenTheFinallyReturnsOnlyWhatIsStillHeld() => NoDiagnostic("""
                byte[] buffer = null;
                try
                {
                    buffer = ArrayPool<byte>.Shared.Rent(size);
                    stream.Write(buffer, 0, size);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    stream.Flush();
                }
                finally
                {
                    if (buffer != null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
        """);

    [Fact]
    public Task DoesNotReport_StackallocOrRentWithAConditionalReturn() => NoDiagnostic("""
                byte[] rented = null;
                Span<byte> span = size <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(size));
                try
                {
                    span = span.Slice(0, size);
                    stream.ReadExactly(span);
                    stream.Write(span);
                }
                finally
                {
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }
                }
        """);

    // ---- used after return -------------------------------------------------------------------------------------

    [Fact]
    public Task Reports_ElementAccessAfterReturn() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                buffer[0] = 1;
                ArrayPool<byte>.Shared.Return(buffer);
                Console.WriteLine({|#0:buffer|}[0]);
        """, UsedAfterReturn(0));

    [Fact]
    public Task Reports_PassingToACallAfterReturn() => Reports("""
                var buffer = {|#1:ArrayPool<byte>.Shared.Rent(size)|};
                stream.Read(buffer, 0, size);
                ArrayPool<byte>.Shared.Return(buffer);
                stream.Write({|#0:buffer|}, 0, size);
        """, UsedAfterReturn(0), NotReturned(1));

    [Fact]
    public Task Reports_UseAfterReturnOnOnePath() => Reports("""
                var buffer = {|#1:ArrayPool<byte>.Shared.Rent(size)|};
                if (flag)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                {|#0:buffer|}[0] = 1;
        """, UsedAfterReturn(0), NotReturned(1));

    [Fact]
    public Task DoesNotReport_UsesBeforeReturn() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    buffer[0] ^= 0xFF;
                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task DoesNotReport_NullTestsAndAssignmentsAfterReturn() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                buffer[0] = 1;
                ArrayPool<byte>.Shared.Return(buffer);
                if (buffer != null)
                {
                    buffer = null;
                }

                Console.WriteLine(buffer is null);
        """);

    // ---- the rented length -------------------------------------------------------------------------------------

    [Fact]
    public Task Reports_LengthAsTheCountOfAWrite() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write(buffer, 0, {|#0:buffer.Length|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, LengthAsDataLength(0));

    [Fact]
    public Task DoesNotReport_AnArrayPassedWithItsCount_InAnIntegerRightAfterIt_WhateverItsName() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    client.Send(buffer, size);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, parameters: ", System.Net.Sockets.UdpClient client");

    [Fact]
    public async Task Reports_LengthAsTheCount_InAnIntegerRightAfterTheArray_WhateverItsName()
    {
        // UdpClient.Send(byte[] dgram, int bytes): the integer after the array bounds it, whatever it is called.
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        var buffer = ArrayPool<byte>.Shared.Rent(size);
                        try
                        {
                            stream.ReadExactly(buffer, 0, size);
                            client.Send(buffer, {|#0:buffer.Length|});
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                """, "", "void", ", System.Net.Sockets.UdpClient client"),
        };
        test.ExpectedDiagnostics.Add(LengthAsDataLength(0));
        await test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_AViewOfTheWholeArrayKeptInALocal_ItIsReadThroughSlices() => NoDiagnostic("""
                Span<byte> buffer = stackalloc byte[16];
                var rented = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    buffer = rented;
                    var whole = rented.AsSpan();
                    stream.Write(buffer.Slice(0, stream.Read(buffer)));
                    stream.Write(whole.Slice(0, size));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
        """);

    [Fact]
    public Task DoesNotReport_AnElementValueOfAGenericMethod_AsACount() => NoDiagnostic("""
                var buffer = ArrayPool<int>.Shared.Rent(size);
                try
                {
                    Array.Fill(buffer, 0, 0, size);
                    Console.WriteLine(Array.IndexOf(buffer, buffer.Length, 0, size));
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task Reports_AsSpanWithoutBounds() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write({|#0:buffer.AsSpan()|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, WholeArray(0));

    [Fact]
    public Task Reports_WholeArrayToBase64() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    Console.WriteLine(Convert.ToBase64String({|#0:buffer|}));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, WholeArray(0));

    [Fact]
    public Task Reports_ForEachOverTheRentedArray() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    int sum = 0;
                    foreach (var b in {|#0:buffer|})
                    {
                        sum += b;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, WholeArray(0));

    [Fact]
    public Task Reports_WholeArrayConvertedToASpanThatIsWritten() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write({|#0:buffer|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, WholeArray(0));

    [Theory]
    [InlineData("stream.Write(buffer, 0, size);")]
    [InlineData("stream.Write(buffer.AsSpan(0, size));")]
    [InlineData("Console.WriteLine(Convert.ToBase64String(buffer, 0, size));")]
    [InlineData("foreach (var b in buffer.AsSpan(0, size)) Console.Write(b);")]
    [InlineData("int read = stream.Read(buffer, 0, buffer.Length); stream.Write(buffer, 0, read);")]
    [InlineData("int read = stream.Read(buffer); stream.Write(buffer, 0, read);")]
    [InlineData("Array.Clear(buffer, 0, buffer.Length);")]
    [InlineData("Array.Copy(new byte[size], buffer, size);")]
    [InlineData("if (buffer.Length < size) throw new InvalidOperationException();")]
    [InlineData("Random.Shared.NextBytes(buffer);")]
    [InlineData("System.Text.Encoding.UTF8.GetBytes(\"text\", buffer);")]
    public Task DoesNotReport_BoundedOrFillingUses(string use) => NoDiagnostic($$"""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    {{use}}
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task Reports_LengthOfTheSourceOfACopy_NotOfTheDestination() => Reports("""
                var source = ArrayPool<byte>.Shared.Rent(size);
                var target = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    Buffer.BlockCopy(source, 0, target, 0, {|#0:source.Length|});
                    Array.Copy(source, target, target.Length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(target);
                    ArrayPool<byte>.Shared.Return(source);
                }
        """, LengthAsDataLength(0, "source"));

    // ---- not returned ------------------------------------------------------------------------------------------

    [Fact]
    public Task ReportsInfo_WhenNeverReturned() => Reports("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                stream.Write(buffer, 0, size);
        """, NotReturned(0));

    [Fact]
    public Task ReportsInfo_WhenReturnedWithoutFinallyWhileCallsHappenInBetween() => Reports("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                stream.ReadExactly(buffer, 0, size);
                ArrayPool<byte>.Shared.Return(buffer);
        """, NotReturned(0));

    [Fact]
    public Task DoesNotReport_WhenReturnedWithoutFinallyAndNothingInBetweenCanThrow() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                buffer[0] = 1;
                ArrayPool<byte>.Shared.Return(buffer);
        """);

    [Fact]
    public Task ReportsInfo_WhenAnEarlyReturnSkipsTheReturn() => Reports("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                buffer[0] = 1;
                if (flag)
                {
                    return;
                }

                ArrayPool<byte>.Shared.Return(buffer);
        """, NotReturned(0));

    [Fact]
    public Task DoesNotReport_WhenReturnedInFinally() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    if (flag)
                    {
                        return;
                    }

                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task DoesNotReport_WhenACatchAllReturnsAndRethrows() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                ArrayPool<byte>.Shared.Return(buffer);
        """);

    [Fact]
    public Task ReportsInfo_WhenACatchRethrowsWithoutReturning() => Reports("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                try
                {
                    stream.Write(buffer, 0, size);
                }
                catch (IOException)
                {
                    throw;
                }

                ArrayPool<byte>.Shared.Return(buffer);
        """, NotReturned(0));

    [Fact]
    public Task ReportsInfo_WhenRentedInALoopAndReturnedAfterIt() => Reports("""
                byte[] buffer = null;
                for (int i = 0; i < 3; i++)
                {
                    buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                    buffer[0] = (byte)i;
                }

                if (buffer != null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, NotReturned(0));

    [Fact]
    public Task DoesNotReport_WhenReturnedFromTheMethod() => NoDiagnostic("""
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    stream.ReadExactly(buffer, 0, size);
                    return buffer;
            """, returnType: "byte[]");

    [Theory]
    [InlineData("_field = buffer;")]
    [InlineData("_list.Add(buffer);")]
    [InlineData("Keep(buffer);")]
    [InlineData("_field = Identity(buffer);")]
    [InlineData("var other = buffer; _field = other;")]
    [InlineData("_action = () => Console.WriteLine(buffer[0]);")]
    [InlineData("_memory = buffer.AsMemory(0, size);")]
    [InlineData("_segments.Add(new ArraySegment<byte>(buffer, 0, size));")]
    public Task DoesNotReport_WhenOwnershipIsTransferred(string transfer) => NoDiagnostic($$"""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                stream.ReadExactly(buffer, 0, size);
                {{transfer}}
        """, members: """
            private byte[] _field;
            private Memory<byte> _memory;
            private Action _action;
            private readonly List<byte[]> _list = new();
            private readonly List<ArraySegment<byte>> _segments = new();

            private void Keep(byte[] array) => _field = array;

            private static byte[] Identity(byte[] array) => array;
        """);

    [Fact]
    public Task ReportsInfo_WhenPassedToAMethodThatOnlyReadsIt() => Reports("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                Console.WriteLine(Sum(buffer, size));
        """, members: """
            private static int Sum(byte[] data, int count)
            {
                int sum = 0;
                for (int i = 0; i < count; i++) sum += data[i];
                return sum;
            }
        """, NotReturned(0));

    [Fact]
    public Task DoesNotReport_WhenAHelperReturnsItToThePool() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                buffer[0] = 1;
                Release(buffer);
        """, members: """
            private static void Release(byte[] array) => ArrayPool<byte>.Shared.Return(array);
        """);

    // ---- another pool ------------------------------------------------------------------------------------------

    [Fact]
    public Task Reports_WhenRentedFromACreatedPoolAndReturnedToShared() => Reports("""
                var pool = ArrayPool<byte>.Create();
                var buffer = pool.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
                }
        """, Diagnostic("ALLOC003").WithLocation(0).WithArguments("Array 'buffer' is returned to a different pool than 'pool' it was rented from"));

    [Fact]
    public Task Reports_WhenRentedFromSharedAndReturnedToAPoolFieldCreatedForIt() => Reports("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    {|#0:s_pool.Return(buffer)|};
                }
        """, members: """
            private static readonly ArrayPool<byte> s_pool = ArrayPool<byte>.Create(1024, 4);
        """, OtherPool(0));

    [Fact]
    public Task DoesNotReport_WhenACreatedPoolInAFieldRentsAndReturns() => NoDiagnostic("""
                var buffer = _pool.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    _pool.Return(buffer);
                }
        """, members: """
            private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create();
        """);

    [Theory]
    [InlineData("var pool = ArrayPool<byte>.Shared;", "pool", "ArrayPool<byte>.Shared")]
    [InlineData("", "_pool", "ArrayPool<byte>.Shared")]
    [InlineData("", "poolParameter", "ArrayPool<byte>.Shared")]
    [InlineData("", "_sharedPool", "ArrayPool<byte>.Shared")]
    public Task DoesNotReport_WhenThePoolsMayBeTheSame(string declaration, string rentFrom, string returnTo) => NoDiagnostic($$"""
                {{declaration}}
                var buffer = {{rentFrom}}.Rent(size);
                try
                {
                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    {{returnTo}}.Return(buffer);
                }
        """, members: """
            private ArrayPool<byte> _pool = ArrayPool<byte>.Create();
            private readonly ArrayPool<byte> _sharedPool = ArrayPool<byte>.Shared;
        """, parameters: ", ArrayPool<byte> poolParameter");

    // ---- functions and targets ---------------------------------------------------------------------------------

    [Fact]
    public Task Reports_InLambdasAndLocalFunctions() => Reports("""
                Action inLambda = () =>
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    ArrayPool<byte>.Shared.Return(buffer);
                    {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
                };
                inLambda();
                Local();

                void Local()
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    ArrayPool<byte>.Shared.Return(buffer);
                    Console.WriteLine({|#1:buffer|}[0]);
                }
        """, ReturnedTwice(0), UsedAfterReturn(1));

    [Fact]
    public Task Reports_InTopLevelStatements()
    {
        var test = new AnalyzerOnly
        {
            OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
            TestCode = """
                using System;
                using System.Buffers;

                var buffer = ArrayPool<byte>.Shared.Rent(args.Length);
                ArrayPool<byte>.Shared.Return(buffer);
                Console.WriteLine({|#0:buffer|}.Length);
                """,
        };
        test.ExpectedDiagnostics.Add(UsedAfterReturn(0));
        return test.RunAsync();
    }

    [Fact]
    public Task Reports_InConstructorsAccessorsAndAsyncMethods() => Reports("""
                    _ = flag;
            """, members: """
            public C(int size)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                ArrayPool<byte>.Shared.Return(buffer);
                {|#0:ArrayPool<byte>.Shared.Return(buffer)|};
            }

            public int Length
            {
                get
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(16);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return {|#1:buffer|}.Length;
                }
            }

            public async System.Threading.Tasks.Task<int> ReadAsync(Stream stream, int size)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    int read = await stream.ReadAsync(buffer, 0, buffer.Length);
                    await stream.WriteAsync({|#2:buffer.AsMemory()|});
                    return read;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        """, ReturnedTwice(0), UsedAfterReturn(1), WholeArray(2));

    [Fact]
    public Task DoesNotReport_AcrossSwitchLockUsingAndFilteredCatches() => NoDiagnostic("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    switch (size)
                    {
                        case 0:
                            return;
                        default:
                            lock (buffer)
                            {
                                using (var copy = new MemoryStream())
                                {
                                    copy.Write(buffer, 0, size);
                                }
                            }

                            break;
                    }
                }
                catch (IOException e) when (e.HResult != 0)
                {
                    Console.WriteLine(e.Message);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task Reports_OnNetStandard20WithTheSystemBuffersPackage()
    {
        var test = new AnalyzerOnly
        {
            ReferenceSet = ReferenceSet.NetStandard20,
            TestCode = """
                using System.Buffers;

                class C
                {
                    void M(System.IO.Stream stream, int size)
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(size);
                        try
                        {
                            stream.Write(buffer, 0, {|#0:buffer.Length|});
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            {|#1:ArrayPool<byte>.Shared.Return(buffer)|};
                        }
                    }
                }
                """,
        };
        test.AdditionalReferences.Add(References.SystemBuffers);
        test.ExpectedDiagnostics.Add(LengthAsDataLength(0));
        test.ExpectedDiagnostics.Add(ReturnedTwice(1));
        return test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_APoolOfTheUsersOwn_WhenTheFrameworkHasNoArrayPool()
    {
        // netstandard2.0 without the System.Buffers package: no System.Buffers.ArrayPool<T>, so a class of the same name and
        // shape in another namespace is not taken for one, misused or not.
        var test = new AnalyzerOnly
        {
            ReferenceSet = ReferenceSet.NetStandard20,
            TestCode = """
                namespace MyPools
                {
                    public abstract class ArrayPool<T>
                    {
                        public static ArrayPool<T> Shared => null;
                        public abstract T[] Rent(int minimumLength);
                        public abstract void Return(T[] array, bool clearArray = false);
                    }
                }

                class C
                {
                    void M(System.IO.Stream stream, int size)
                    {
                        var buffer = MyPools.ArrayPool<byte>.Shared.Rent(size);
                        stream.Write(buffer, 0, buffer.Length);
                        MyPools.ArrayPool<byte>.Shared.Return(buffer);
                        MyPools.ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
                """,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_TheCodeOfAlloc001sRentalFix() => NoDiagnostic("""
                foreach (var name in new[] { "a", "bc" })
                {
                    int bufferLength = name.Length;
                    var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                    try
                    {
                        Array.Clear(buffer, 0, bufferLength);
                        stream.ReadExactly(buffer.AsSpan(0, bufferLength));
                        foreach (var b in buffer.AsSpan(0, bufferLength)) Console.Write(b);
                        stream.Write(buffer, 0, bufferLength);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
        """);

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static string Wrap(string body, string members, string returnType, string parameters) => $$"""
        using System;
        using System.Buffers;
        using System.Collections.Generic;
        using System.IO;

        class C
        {
            {{returnType}} M(Stream stream, int size, bool flag{{parameters}})
            {
        {{body}}
            }

        {{members}}
        }
        """;

    private static Task NoDiagnostic(string body, string members = "", string returnType = "void", string parameters = "") =>
        new AnalyzerOnly { TestCode = Wrap(body, members, returnType, parameters) }.RunAsync();

    private static Task Reports(string body, params DiagnosticResult[] expected) => Reports(body, "", expected);

    private static Task Reports(string body, string members, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerOnly { TestCode = Wrap(body, members, "void", "") };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult ReturnedTwice(int key, string name = "buffer", string pool = "ArrayPool<byte>.Shared") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"Array '{name}' rented from {pool} is returned twice on some path");

    private static DiagnosticResult UsedAfterReturn(int key, string name = "buffer") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"Array '{name}' is used after it was returned to the pool");

    private static DiagnosticResult LengthAsDataLength(int key, string name = "buffer", string size = "size") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"'{name}.Length' is the rented length, which is at least the requested '{size}' and usually more");

    private static DiagnosticResult WholeArray(int key, string name = "buffer", string size = "size") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"Array '{name}' is used with its rented length, which is at least the requested '{size}' and usually more");

    private static DiagnosticResult NotReturned(int key, string name = "buffer", string pool = "ArrayPool<byte>.Shared") =>
        Diagnostic("ALLOC003").WithLocation(key).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments($"Array '{name}' rented from {pool} is not returned on some path");

    private static DiagnosticResult OtherPool(int key, string name = "buffer", string pool = "ArrayPool<byte>.Shared") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"Array '{name}' is returned to a different pool than '{pool}' it was rented from");
    // ---- The shortcut past the path walk ---------------------------------------------------------------------

    /// <summary>
    /// A function whose every rental is returned in its own <c>finally</c> skips the control-flow graph and the path
    /// walk. Over every source of the rule tests, plus shapes near the shortcut's edge, it must find exactly what the
    /// full analysis finds, and be taken often enough to matter.
    /// </summary>
    [Fact]
    public void PathWalkShortcut_FindsWhatTheFullAnalysisFinds()
    {
        var sources = Reliability.FuzzCorpus.HarvestRuleTestSources().Select(s => s.Text).Concat(ShortcutEdges).ToList();
        var references = References.For(ReferenceSet.Net80);
        var (bodies, shortcuts, misuses) = (0, 0, 0);
        foreach (var source in sources)
        {
            var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest));
            var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Shortcut", new[] { tree }, references, new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var model = compilation.GetSemanticModel(tree);
            var known = new AllocAnalyzers.Analysis.KnownSymbols(compilation);
            var seenRoots = new System.Collections.Generic.HashSet<SyntaxNode>();
            foreach (var call in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                if (model.GetOperation(call) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation ||
                    !AllocAnalyzers.Analysis.PoolRentals.IsRent(invocation, known))
                {
                    continue;
                }

                IOperation root = invocation;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                if (!seenRoots.Add(root.Syntax))
                {
                    continue;
                }

                var none = AllocAnalyzers.Options.NonRetainingMethods.None;
                var full = AllocAnalyzers.Analysis.PoolRentals.FindMisusesAround(invocation, known, none, allowShortcut: false, out _, System.Threading.CancellationToken.None);
                var quick = AllocAnalyzers.Analysis.PoolRentals.FindMisusesAround(invocation, known, none, allowShortcut: true, out var taken, System.Threading.CancellationToken.None);
                Assert.True(Describe(full) == Describe(quick), $"The shortcut found\n{Describe(quick)}\nwhere the full analysis found\n{Describe(full)}\nin\n{root.Syntax}");
                bodies++;
                shortcuts += taken;
                misuses += full.Count;
            }
        }

        // The corpus holds both kinds: bodies the shortcut takes, and bodies with misuses it must leave to the walk.
        Assert.True(shortcuts >= 20 && misuses >= 50 && bodies > shortcuts, $"{bodies} bodies with rentals, {shortcuts} functions shortcut, {misuses} misuses");

        static string Describe(System.Collections.Generic.List<AllocAnalyzers.Analysis.RentalMisuse> found) => string.Join(
            "\n",
            found.Select(m => $"{m.Kind} of '{m.Rental.Local.Name}' at {m.At.Span} ({m.At}){(m.ReachedByOtherRentals ? ", several rentals" : "")}").Order(System.StringComparer.Ordinal));
    }

    /// <summary>Shapes at the shortcut's edge: each differs from "rent; try { uses } finally { Return }" in one way.</summary>
    private static readonly string[] ShortcutEdges =
    [
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); return b[0]; } finally { ArrayPool<byte>.Shared.Return(b); }"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, b.Length); return b[0]; } finally { ArrayPool<byte>.Shared.Return(b); }"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b); return b[0]; } finally { ArrayPool<byte>.Shared.Return(b); }"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Shared.Return(b); } return b[0];"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); ArrayPool<byte>.Shared.Return(b); } finally { ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Create().Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } finally { s.Flush(); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); s.Flush(); try { s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } catch (IOException) { b[0] = 1; } finally { ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); b = new byte[1]; } finally { ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); _keep = b; } finally { ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b.AsSpan()); } finally { ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Shared.Return(b); ArrayPool<byte>.Shared.Return(b); } return 0;"),
        Edge("var b = ArrayPool<byte>.Shared.Rent(n); var c = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Shared.Return(b); } return c[0];"),
        Edge("for (var i = 0; i < n; i++) { var b = ArrayPool<byte>.Shared.Rent(n); try { s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Shared.Return(b, clearArray: true); } } return 0;"),
        Edge("for (var i = 0; i < n; i++) { var b = ArrayPool<byte>.Shared.Rent(n); try { if (i == 2) break; s.ReadExactly(b, 0, n); } finally { ArrayPool<byte>.Shared.Return(b); } } return 0;"),
    ];

    private static string Edge(string body) => $$"""
        using System;
        using System.Buffers;
        using System.IO;
        class C
        {
            private byte[] _keep = Array.Empty<byte>();
            int M(Stream s, int n)
            {
                {{body}}
            }
        }
        """;
}
