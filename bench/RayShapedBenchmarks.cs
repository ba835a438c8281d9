using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// The shapes of Ray's core microbenchmark, which users compare actor frameworks by, each beside raw Orleans doing
/// the same work in the same pools: 1:1 calls with one outstanding (<c>ray_1_1_sync</c>) and with many outstanding from
/// one caller (<c>ray_1_1_async</c>), n callers × n actors across the sub pools (<c>ray_n_n_4</c>, <c>ray_n_n_16</c>),
/// creating actors (<c>ray_create</c>), putting a <see cref="Blob"/> to another pool (<c>ray_put_1MiB</c>,
/// <c>ray_put_64MiB</c>, against a raw <c>byte[]</c> call) and stream items (<c>ray_stream</c>). Ray's "tell until
/// processed" is <c>tell_cross</c> in <see cref="PoolBenchmarks"/>.
/// </summary>
public sealed class RayShapedBenchmarks(Measurement measure, BenchSettings settings)
{
    private const int Outstanding = 1_000;
    private const int StreamItems = 10_000;

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        if (settings.Only is { } only && !only.Any(r => r.StartsWith("ray_", StringComparison.Ordinal))) yield break;
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 2, ClusterId = "bench-ray", LogLevel = LogLevel.Error });
        var xo = pool.Context;
        var grains = pool.Services.GetRequiredService<IGrainFactory>();
        string[] subs = [pool.Addresses[1], pool.Addresses[2]];
        string RawKey(string address) => $"{address}/raw-{Guid.NewGuid():N}";

        var actor = await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: subs[0]);
        var raw = grains.GetGrain<IRawCounter>(RawKey(subs[0]));
        yield return await measure.CompareAsync("ray_1_1_sync", "calls/s",
            () => measure.SequentialAsync(() => actor.Add(1)),
            () => measure.SequentialAsync(() => raw.Add(1)));
        yield return await measure.CompareAsync("ray_1_1_async", "calls/s",
            async () => Outstanding * await measure.SequentialAsync(() => Task.WhenAll(Enumerable.Range(0, Outstanding).Select(_ => actor.Add(1)))),
            async () => Outstanding * await measure.SequentialAsync(() => Task.WhenAll(Enumerable.Range(0, Outstanding).Select(_ => raw.Add(1)))));

        foreach (var n in new[] { 4, 16 })
        {
            var actors = new IBenchCounter[n];
            var raws = new IRawCounter[n];
            for (var i = 0; i < n; i++)
            {
                actors[i] = await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: subs[i % 2]);
                raws[i] = grains.GetGrain<IRawCounter>(RawKey(subs[i % 2]));
            }

            yield return await measure.CompareAsync($"ray_n_n_{n}", "calls/s",
                () => NByNAsync(n, i => actors[i].Add(1)),
                () => NByNAsync(n, i => raws[i].Add(1)));
        }

        // Actors created 100 at a time into the sub pools, destroyed after the clock stops (raw: first calls activating
        // grains, deactivated after). Whole runs, not windows: a warm-up of 1,000, then three rounds a side.
        if (settings.Includes("ray_create"))
        {
            var creations = settings.Rounds >= 5 ? 10_000 : 2_000;
            async Task<double> CreateAsync(int count)
            {
                var created = new IBenchCounter[count];
                var seconds = await TimedAsync(count, async i => created[i] = await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: subs[i % 2]));
                await Parallel.ForEachAsync(created, new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (a, _) => await xo.DestroyActorAsync(a));
                return count / seconds;
            }

            async Task<double> ActivateAsync(int count)
            {
                var activated = new IRawSink[count];
                var seconds = await TimedAsync(count, async i => await (activated[i] = grains.GetGrain<IRawSink>(RawKey(subs[i % 2]))).Receive([]));
                await Parallel.ForEachAsync(activated, new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (g, _) => await g.Deactivate());
                return count / seconds;
            }

            await CreateAsync(1_000);
            await ActivateAsync(1_000);
            var ours = new List<double>();
            var baseline = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                ours.Add(await CreateAsync(creations));
                baseline.Add(await ActivateAsync(creations));
            }

            yield return new BenchRow("ray_create", "actors/s", ours.Order().ElementAt(1), baseline.Order().ElementAt(1));
        }

        var sink = await xo.CreateActorAsync<BenchSink, IBenchSink>(address: subs[0]);
        var rawSink = grains.GetGrain<IRawSink>(RawKey(subs[0]));
        foreach (var (name, bytes) in new[] { ("ray_put_1MiB", 1 << 20), ("ray_put_64MiB", 64 << 20) })
        {
            var payload = new byte[bytes];
            var blob = new Blob(payload);
            var put = await measure.CompareAsync(name, "GB/s",
                () => measure.SequentialAsync(() => sink.ReceiveBlob(blob)),
                () => measure.SequentialAsync(() => rawSink.Receive(payload)));
            yield return put is null ? null : put with { Value = put.Value * bytes / 1e9, Baseline = put.Baseline * bytes / 1e9 };
        }

        var streamer = await xo.CreateActorAsync<BenchStreamer, IBenchStreamer>(address: subs[0]);
        var rawStreamer = grains.GetGrain<IRawStreamer>(RawKey(subs[0]));
        yield return await measure.CompareAsync("ray_stream", "items/s",
            async () => StreamItems * await measure.SequentialAsync(async () => { await foreach (var _ in streamer.Count(StreamItems)) { } }),
            async () => StreamItems * await measure.SequentialAsync(async () => { await foreach (var _ in rawStreamer.Count(StreamItems)) { } }));
    }

    // n callers, each calling its own target one call after another, for one window.
    private async Task<double> NByNAsync(int n, Func<int, Task> call)
    {
        var counts = new long[n];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
        {
            while (clock.Elapsed < settings.Window)
            {
                await call(i);
                counts[i]++;
            }
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    // Seconds to run step(0..count-1), 100 at a time.
    private static async Task<double> TimedAsync(int count, Func<int, Task> step)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (i, _) => await step(i));
        return clock.Elapsed.TotalSeconds;
    }
}
