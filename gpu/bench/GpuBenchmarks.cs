using ILGPU;
using Xoscar.Orleans.Bench;

namespace Xoscar.Orleans.Gpu.Bench;

/// <summary>
/// A GPU actor against the same ILGPU work done directly on the pool's accelerator, and buffer hand-offs within a
/// pool against across pools. Every figure is taken after its result was checked against a CPU reference.
/// </summary>
public sealed class GpuBenchmarks(EmbeddedGpuPool main, EmbeddedGpuPool second, GpuBenchSizes sizes, Measurement measure)
{
    private const float A = 2f;

    /// <summary>Checks, then measures; yields one row per measurement.</summary>
    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        var gpu = main.Gpu;
        var actor = await main.Context.CreateActorAsync<GpuBenchActor, IGpuBenchActor>(uid: "bench-saxpy");
        var local = await main.Context.CreateActorAsync<GpuBenchActor, IGpuBenchActor>(uid: "bench-local");
        var remote = await main.Context.CreateActorAsync<GpuBenchActor, IGpuBenchActor>(uid: "bench-remote", address: second.Address);
        await actor.Prepare(sizes.Saxpy, sizes.Launch);
        var stride = Math.Max(1, sizes.Saxpy / 4096);
        var (x, y) = (BenchData.X(sizes.Saxpy), BenchData.Y(sizes.Saxpy));

        await actor.Saxpy(A);
        Check("saxpy through the actor", Enumerable.Range(0, (sizes.Saxpy + stride - 1) / stride).Select(i => A * x[i * stride] + y[i * stride]).ToArray(), await actor.SampleY(stride));

        using var dx = gpu.Upload<float>(x);
        using var dy = gpu.Upload<float>(y);
        using var small = gpu.Upload<float>(BenchData.X(sizes.Launch));
        var saxpy = gpu.Kernels.Load<float, ArrayView<float>, ArrayView<float>>(StandardKernels.Saxpy);
        var add = gpu.Kernels.Load<ArrayView<float>, float>(StandardKernels.AddScalar);
        gpu.Run(a => { saxpy(sizes.Saxpy, A, dx.View, dy.View); a.Synchronize(); });
        var direct = dy.ToArray();
        Check("saxpy launched directly", Enumerable.Range(0, sizes.Saxpy).Select(i => A * x[i] + y[i]).ToArray(), direct);

        using var handed = gpu.Upload<float>(BenchData.Y(sizes.HandOff));
        var pointer = handed.DevicePointer;
        Check("hand-off within the pool keeps the device pointer", [pointer], [await local.Touch(handed)]);
        Check("hand-off across pools arrives equal", BenchData.Y(sizes.HandOff), await remote.Read(handed));
        var hostBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(BenchData.Y(sizes.HandOff).AsSpan()).ToArray();
        var target = await remote.HoldTarget(sizes.HandOff);
        await main.Context.CopyToAsync([hostBytes], [target]);
        Check("copy_to into a device buffer of the other pool arrives equal", BenchData.Y(sizes.HandOff), await remote.ReadTarget());
        target = await remote.HoldTarget(sizes.HandOff);
        await main.Gpu.CopyToAsync([handed], [target]);
        Check("copy_to from a device buffer into a device buffer of the other pool arrives equal", BenchData.Y(sizes.HandOff), await remote.ReadTarget());
        var (ledger0, ledger1) = (main.Gpu.Ledger.LiveBuffers, second.Gpu.Ledger.LiveBuffers);

        var saxpyBytes = 3.0 * sizeof(float) * sizes.Saxpy;
        yield return await measure.CompareAsync("gpu-saxpy-actor", "GB/s",
            async () => await measure.SequentialAsync(() => actor.Saxpy(A)) * saxpyBytes / 1e9,
            async () => await measure.SequentialAsync(() =>
            {
                gpu.Run(a => { saxpy(sizes.Saxpy, A, dx.View, dy.View); a.Synchronize(); });
                return Task.CompletedTask;
            }) * saxpyBytes / 1e9);

        yield return await measure.CompareAsync("gpu-launch-actor", "us",
            async () => 1e6 / await measure.SequentialAsync(actor.Launch),
            async () => 1e6 / await measure.SequentialAsync(() =>
            {
                gpu.Run(a => { add(sizes.Launch, small.View, 1f); a.Synchronize(); });
                return Task.CompletedTask;
            }));

        var handOffBytes = (double)handed.LengthInBytes;
        yield return await measure.CompareAsync("gpu-handoff-same/x", "GB/s",
            async () => await measure.SequentialAsync(() => local.Touch(handed)) * handOffBytes / 1e9,
            async () => await measure.SequentialAsync(() => remote.Touch(handed)) * handOffBytes / 1e9);

        // What the copy across pools costs against the same bytes moved device → host → device by hand in one process.
        yield return await measure.CompareAsync("gpu-handoff-x/copy", "GB/s",
            async () => await measure.SequentialAsync(() => remote.Touch(handed)) * handOffBytes / 1e9,
            async () => await measure.SequentialAsync(() =>
            {
                using var copy = second.Gpu.Upload<float>(handed.ToArray());
                return Task.CompletedTask;
            }) * handOffBytes / 1e9);
        // Host bytes into a device buffer of the other pool (Xoscar's copy_to) vs the same bytes uploaded by hand there.
        yield return await measure.CompareAsync("gpu-copyto-x/upload", "GB/s",
            async () => await measure.SequentialAsync(() => main.Context.CopyToAsync([hostBytes], [target])) * handOffBytes / 1e9,
            async () => await measure.SequentialAsync(() =>
            {
                using var upload = second.Gpu.Upload<byte>(hostBytes);
                return Task.CompletedTask;
            }) * handOffBytes / 1e9);
        // A device buffer into a device buffer of the other pool (copy_to) vs the same buffer handed to an actor there.
        yield return await measure.CompareAsync("gpu-copyto-dev-x/handoff", "GB/s",
            async () => await measure.SequentialAsync(() => main.Gpu.CopyToAsync([handed], [target])) * handOffBytes / 1e9,
            async () => await measure.SequentialAsync(() => remote.Touch(handed)) * handOffBytes / 1e9);
        Console.WriteLine($"transfers: shared memory mappings page-locked for GPU copies: main pool {main.Gpu.PinnedMappings}, second pool {second.Gpu.PinnedMappings}");

        Check("hand-offs left no buffer behind", [ledger0, ledger1], [main.Gpu.Ledger.LiveBuffers, second.Gpu.Ledger.LiveBuffers]);
        await actor.Release();

        // Device memory back after a destroy: an actor of the other pool allocates buffers it never disposes; its
        // destruction frees them (once its activation ends, just after the destroy returns).
        var hoarder = await main.Context.CreateActorAsync<GpuBenchActor, IGpuBenchActor>(uid: "bench-hoarder", address: second.Address);
        var (liveBefore, freeBefore) = (second.Gpu.Ledger.LiveBytes, second.Gpu.FreeMemoryBytes);
        await hoarder.Hoard(sizes.HandOff, 4);
        var held = freeBefore - second.Gpu.FreeMemoryBytes;
        await main.Context.DestroyActorAsync(hoarder);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (second.Gpu.Ledger.LiveBytes != liveBefore) await Task.Delay(10, deadline.Token);
        }

        Check("a destroyed actor's forgotten buffers are freed", [liveBefore], [second.Gpu.Ledger.LiveBytes]);
        const double MiB = 1 << 20;
        yield return new BenchRow("gpu-memory-back/held", "MiB", (second.Gpu.FreeMemoryBytes - freeBefore + held) / MiB, held / MiB);
    }

    private static void Check<T>(string what, T[] expected, T[] actual)
    {
        var tolerance = 1e-4;
        var bad = expected.Length != actual.Length
            ? 0
            : Enumerable.Range(0, expected.Length).Count(i => Math.Abs(Convert.ToDouble(expected[i]) - Convert.ToDouble(actual[i])) > tolerance * Math.Max(1, Math.Abs(Convert.ToDouble(expected[i]))));
        if (expected.Length != actual.Length || bad > 0)
            throw new InvalidOperationException($"check failed: {what} ({expected.Length} expected, {actual.Length} got, {bad} elements differ)");
        Console.WriteLine($"check ok: {what} ({expected.Length} elements)");
    }
}
