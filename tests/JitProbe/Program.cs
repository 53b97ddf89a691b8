using System;
using System.Runtime.CompilerServices;
using System.Threading;

// Bytes allocated per call or iteration, after the methods have been promoted to optimized code.
// The .NET 10 JIT stack-allocates a small constant-size array that does not escape the method, but only when the
// allocation is not inside a loop; in a loop every iteration still allocates on the heap.
Console.WriteLine($".NET {Environment.Version}");
Measure("new byte[16] once per call (no loop)", n => { int s = 0; for (int i = 0; i < n; i++) s += Once(i); return s; });
Measure("new byte[16] per loop iteration", InLoop16);
Measure("new int[16] per loop iteration", InLoopInts);
Measure("new[] { i, 2, 3, 4 } per loop iteration", InLoopInitializer);
Measure("new byte[512] per loop iteration", InLoop512);

[MethodImpl(MethodImplOptions.NoInlining)] // keeps the allocation out of the caller's loop
static int Once(int i)
{
    var a = new byte[16];
    a[0] = (byte)i;
    return a[0] + a.Length;
}

static int InLoop16(int n) { int s = 0; for (int i = 0; i < n; i++) { var a = new byte[16]; a[0] = (byte)i; s += a[0] + a.Length; } return s; }
static int InLoopInts(int n) { int s = 0; for (int i = 0; i < n; i++) { var a = new int[16]; for (int j = 0; j < a.Length; j++) a[j] = i + j; s += a[3]; } return s; }
static int InLoopInitializer(int n) { int s = 0; for (int i = 0; i < n; i++) { var a = new[] { i, 2, 3, 4 }; s += a[0] + a[3]; } return s; }
static int InLoop512(int n) { int s = 0; for (int i = 0; i < n; i++) { var a = new byte[512]; a[i & 511] = 1; s += a[0]; } return s; }

[MethodImpl(MethodImplOptions.NoInlining)]
static void Measure(string name, Func<int, int> body)
{
    for (var warm = 0; warm < 200; warm++) body(1_000);
    Thread.Sleep(300); // let tiered compilation install the optimized code
    for (var warm = 0; warm < 200; warm++) body(1_000);
    var before = GC.GetAllocatedBytesForCurrentThread();
    body(100_000);
    var after = GC.GetAllocatedBytesForCurrentThread();
    Console.WriteLine($"{name,-42} {(after - before) / 100_000.0,8:F1} B");
}
