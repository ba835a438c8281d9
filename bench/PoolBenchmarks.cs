using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// An actor pool of processes: how long it takes to start (<c>pool_start</c>, main pool + 2 sub pool processes,
/// until every pool accepts actors, vs three plain Orleans silos in one process), and calls from the main pool to
/// a sub pool's process through the façade vs raw Orleans grains in that same process (<c>_cross</c>).
/// </summary>
public sealed class PoolBenchmarks(Measurement measure, BenchSettings settings)
{
    private const int PayloadBytes = 64 << 20;
    private const int TellBurst = 1000;
    private const int BatchSize = 1000;

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        var starts = new List<double>();
        var rawStarts = new List<double>();
        ActorPool? pool = null;
        for (var i = 0; i < (settings.Includes("pool_start") ? Math.Max(1, settings.Rounds / 2) : 1); i++)
        {
            if (pool is not null) await pool.DisposeAsync();
            var clock = Stopwatch.StartNew();
            // Error level: a stopping pool warns about gossip to sub pools that stopped a moment earlier, which would break up the table.
            pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 2, ClusterId = "bench-pool", LogLevel = LogLevel.Error });
            starts.Add(clock.Elapsed.TotalSeconds);
            if (settings.Includes("pool_start")) rawStarts.Add(await RawClusterStart.MeasureAsync());
        }

        await using var started = pool!;
        if (settings.Includes("pool_start")) yield return new BenchRow("pool_start", "s", Median(starts), Median(rawStarts));

        var xo = started.Context;
        var grains = started.Services.GetRequiredService<IGrainFactory>();
        var sub = started.Addresses[1];
        string RawKey() => $"{sub}/raw-{Guid.NewGuid():N}";

        var stateful = await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: sub);
        var raw = grains.GetGrain<IRawCounter>(RawKey());
        yield return await measure.CompareAsync("seq_send_cross", "calls/s",
            () => measure.SequentialAsync(() => stateful.Add(1)),
            () => measure.SequentialAsync(() => raw.Add(1)));

        yield return await measure.CompareAsync("conc100_stateful_cross", "calls/s",
            () => measure.ConcurrentAsync(100, () => stateful.Add(1)),
            () => measure.ConcurrentAsync(100, () => raw.Add(1)));

        // Tells until all are processed: a send after the tells sees them all. Baseline: one-way calls in the same
        // number, then a wait until the grain has counted them (one-way calls are not ordered with a later call).
        yield return await measure.CompareAsync("tell_cross", "calls/s",
            async () => TellBurst * await measure.SequentialAsync(async () =>
            {
                var tells = new Task[TellBurst];
                for (var i = 0; i < TellBurst; i++) tells[i] = stateful.Tell(a => a.Add(1)).AsTask();
                await Task.WhenAll(tells);
                await stateful.Add(0);
            }),
            async () => TellBurst * await measure.SequentialAsync(async () =>
            {
                var target = await raw.Add(0) + TellBurst;
                for (var i = 0; i < TellBurst; i++) _ = raw.AddOneWay(1);
                await raw.WaitFor(target);
            }));

        // A batch of 1000 calls vs one raw grain call carrying the 1000 arguments as a list: written over the
        // argument list (what the raw call does too), and as 1000 delayed calls (Xoscar's form, a call object each).
        var ones = Enumerable.Repeat(1, BatchSize).ToArray();
        yield return await measure.CompareAsync("batch1000_cross", "calls/s",
            async () => BatchSize * await measure.SequentialAsync(() => stateful.Batch(ones, (a, n) => a.Add(n))),
            async () => BatchSize * await measure.SequentialAsync(() => raw.AddAll(ones)));
        yield return await measure.CompareAsync("batch1000_delay_cross", "calls/s",
            async () => BatchSize * await measure.SequentialAsync(() => stateful.Batch(ones.Select(n => stateful.Delay(a => a.Add(n))).ToList())),
            async () => BatchSize * await measure.SequentialAsync(() => raw.AddAll(ones)));

        var stateless = await xo.CreateActorAsync<BenchStatelessCounter, IBenchStatelessCounter>(address: sub);
        var rawReentrant = grains.GetGrain<IRawReentrantCounter>(RawKey());
        yield return await measure.CompareAsync("conc100_stateless_cross", "calls/s",
            () => measure.ConcurrentAsync(100, () => stateless.Add(1)),
            () => measure.ConcurrentAsync(100, () => rawReentrant.Add(1)));

        yield return await measure.CompareAsync("create_destroy_cross", "actors/s",
            () => measure.SequentialAsync(async () => await xo.DestroyActorAsync(await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: sub))),
            () => measure.SequentialAsync(async () =>
            {
                var grain = grains.GetGrain<IRawSink>(RawKey());
                await grain.Receive([]);
                await grain.Deactivate();
            }));

        yield return await measure.CompareAsync("create_destroy_conc100_cross", "actors/s",
            () => measure.ConcurrentAsync(100, async () => await xo.DestroyActorAsync(await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: sub))),
            () => measure.ConcurrentAsync(100, async () =>
            {
                var grain = grains.GetGrain<IRawSink>(RawKey());
                await grain.Receive([]);
                await grain.Deactivate();
            }));

        // 64 MiB to an actor in another pool: as a Blob, and as a plain byte[] argument (both through shared memory:
        // the array by LargeArrayFilter); the baseline is raw Orleans sending the byte[] in the message.
        var payload = new byte[PayloadBytes];
        var blob = new Blob(payload);
        var sink = await xo.CreateActorAsync<BenchSink, IBenchSink>(address: sub);
        var rawSink = grains.GetGrain<IRawSink>(RawKey());
        var bytes = await measure.CompareAsync("bytes_64MiB_cross", "MiB/s",
            () => measure.SequentialAsync(() => sink.ReceiveBlob(blob)),
            () => measure.SequentialAsync(() => rawSink.Receive(payload)));
        yield return bytes is null ? null : bytes with { Value = bytes.Value * 64, Baseline = bytes.Baseline * 64 };
        var array = await measure.CompareAsync("bytes_64MiB_array_cross", "MiB/s",
            () => measure.SequentialAsync(() => sink.Receive(payload)),
            () => measure.SequentialAsync(() => rawSink.Receive(payload)));
        yield return array is null ? null : array with { Value = array.Value * 64, Baseline = array.Baseline * 64 };
        // With the parameter [Immutable], Orleans' proxy passes the caller's array on instead of copying it first (it
        // copies a byte[] argument with a static call no copier registration replaces): what a user who marks it gets.
        var shared = await measure.CompareAsync("bytes_64MiB_immutable_cross", "MiB/s",
            () => measure.SequentialAsync(() => sink.ReceiveShared(payload)),
            () => measure.SequentialAsync(() => rawSink.ReceiveShared(payload)));
        yield return shared is null ? null : shared with { Value = shared.Value * 64, Baseline = shared.Baseline * 64 };

        // The same 64 MiB copied into a buffer the sink registered (Xoscar's copy_to), in 4 MiB blocks.
        var target = await sink.CreateBuffer(PayloadBytes);
        var copy = await measure.CompareAsync("copy_to_64MiB_cross", "MiB/s",
            () => measure.SequentialAsync(() => xo.CopyToAsync([payload], [target])),
            () => measure.SequentialAsync(() => rawSink.Receive(payload)));
        yield return copy is null ? null : copy with { Value = copy.Value * 64, Baseline = copy.Baseline * 64 };
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
