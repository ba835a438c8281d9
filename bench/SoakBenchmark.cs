using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// The soak (<c>--soak MINUTES</c>): a long-running service's churn, measured for memory and throughput. Callers in
/// this process loop over create → send → tell → batch → (every 10th cycle) a 2 MiB <see cref="Blob"/> → destroy,
/// into a sub pool of an <see cref="ActorPool"/>, then into an <see cref="EmbeddedActorPool"/> (each for the whole duration:
/// run side by side, the in-process loop starves the other on a small machine).
/// Every window it samples each process (resident set, managed heap after a full collection, gen2, LOH, threads,
/// GC pauses) and the cycles/s of each loop; at the end it compares the last sample with the one taken after the
/// warm-up.
/// </summary>
public sealed class SoakBenchmark(TimeSpan duration, string? only = null)
{
    private const int Callers = 20;
    private const int BlobEvery = 10;
    private const int BlobBytes = 2 << 20;
    private const double GrowthTargetMiB = 10;
    private const double ThroughputTarget = 0.9;

    /// <summary>How often the processes are sampled: 30 s, or 10 s in a run shorter than 5 minutes.</summary>
    private TimeSpan Window => duration < TimeSpan.FromMinutes(5) ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30);

    /// <summary>What growth is measured from: the sample after 2 minutes, or after a quarter of a run shorter than 8.</summary>
    private TimeSpan WarmUp => duration < TimeSpan.FromMinutes(8) ? duration / 4 : TimeSpan.FromMinutes(2);

    public async Task<IReadOnlyList<SoakRow>> RunAsync()
    {
        var phases = only is null ? $"{duration.TotalMinutes:0.#} min into a sub pool of an actor pool, then {duration.TotalMinutes:0.#} min into an embedded pool"
            : only == "sub" ? $"{duration.TotalMinutes:0.#} min into a sub pool of an actor pool" : $"{duration.TotalMinutes:0.#} min into an embedded pool";
        Console.WriteLine($"soak: {Callers} callers loop over create → send → tell → batch → (every {BlobEvery}th) a {BlobBytes >> 20} MiB blob → destroy;");
        Console.WriteLine($"  {phases}; sampled every {Window.TotalSeconds:0} s, growth from {WarmUp.TotalMinutes:0.#} min on");
        var rows = new List<SoakRow>();
        if (only is null or "sub") rows.AddRange(await SubPoolPhaseAsync());
        if (only is null or "embedded") rows.AddRange(await EmbeddedPhaseAsync());
        return rows;
    }

    private async Task<IReadOnlyList<SoakRow>> SubPoolPhaseAsync()
    {
        // Error level: the table is the output.
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 2, ClusterId = "soak", LogLevel = LogLevel.Error });
        Console.WriteLine($"sub pool phase: main pool {pool.Address} (this process, pid {Environment.ProcessId}); loop into sub pool 1 {pool.Addresses[1]} (pid {pool.SubPoolProcessIds[0]}); sub pool 2 idle");
        var samples = await PhaseAsync(pool.Context, pool.Addresses[1], pool.Services.GetRequiredService<ActorReferences>(), pool.Addresses, ["main", "sub1", "sub2"]);
        return Rows(samples, "sub", ["main", "sub1", "sub2"]);
    }

    private async Task<IReadOnlyList<SoakRow>> EmbeddedPhaseAsync()
    {
        await using var embedded = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "soak-embedded", LogLevel = LogLevel.Error });
        Console.WriteLine($"embedded phase: pool {embedded.Address} (this process); loop into itself");
        var samples = await PhaseAsync(embedded.Context, embedded.Address, embedded.Services.GetRequiredService<ActorReferences>(), [embedded.Address], ["embedded"]);
        return Rows(samples, "embedded", ["embedded"]);
    }

    // Runs the callers for the whole duration against the pool at target, sampling the pools at addresses each window.
    private async Task<List<Sample>> PhaseAsync(IActorContext xo, string target, ActorReferences references, IReadOnlyList<string> addresses, string[] names)
    {
        var loop = new Loop(xo, target);
        async Task<Sample> TakeAsync(double seconds) =>
            new(seconds, Interlocked.Read(ref loop.Cycles), Interlocked.Read(ref loop.Failures), await Task.WhenAll(addresses.Select(a => references.Pool(a).GetFootprint(collect: true))));

        Console.WriteLine($"{"t s",6} {"cycles/s",9} {"fails",5} | " + string.Join(" | ", names.Select(n => $"{n + " RSS",9} {"shm",6} {"heap",6} {"commit",6} {"gen2",6} {"LOH",6} {"thr",4} {"GC ms",6}")) + $" | {"cache",5} {"acts",5} {"specs",5}");
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var running = Enumerable.Range(0, Callers).Select(caller => loop.RunAsync(caller, stop.Token)).ToList();
        var samples = new List<Sample> { await TakeAsync(0) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Window, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var sample = await TakeAsync(clock.Elapsed.TotalSeconds);
            Print(sample, samples[^1]);
            samples.Add(sample);
        }

        await Task.WhenAll(running);
        return samples;
    }

    private static void Print(Sample now, Sample last)
    {
        const double MiB = 1 << 20;
        var pools = now.Pools.Zip(last.Pools, (p, before) => string.Create(CultureInfo.InvariantCulture,
            $"{p.ResidentBytes / MiB,9:F1} {p.SharedResidentBytes / MiB,6:F1} {p.HeapBytes / MiB,6:F1} {p.CommittedBytes / MiB,6:F1} {p.Gen2Bytes / MiB,6:F1} {p.LargeObjectHeapBytes / MiB,6:F1} {p.Threads,4} {(p.GcPauses - before.GcPauses).TotalMilliseconds,6:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{now.Seconds,6:F0} {(now.Cycles - last.Cycles) / (now.Seconds - last.Seconds),9:F0} {now.Failures,5} | {string.Join(" | ", pools)} | " +
            $"{now.Pools[0].DirectoryCachePools + now.Pools[0].OtherDirectoryCacheEntries,5} {now.Pools.Sum(p => p.Activations),5} {now.Pools.Sum(p => p.Actors),5}"));
    }

    private List<SoakRow> Rows(List<Sample> samples, string loop, string[] names)
    {
        const double MiB = 1 << 20;
        var warm = samples.FirstOrDefault(s => s.Seconds >= WarmUp.TotalSeconds) ?? samples[^1];
        var last = samples[^1];
        var rows = new List<SoakRow>();
        for (var i = 0; i < names.Length; i++)
        {
            rows.Add(SoakRow.Below($"soak_rss_growth_mib_{names[i]}", "MiB", (last.Pools[i].ResidentBytes - warm.Pools[i].ResidentBytes) / MiB, GrowthTargetMiB));
            rows.Add(SoakRow.Info($"soak_shm_rss_growth_mib_{names[i]}", "MiB", (last.Pools[i].SharedResidentBytes - warm.Pools[i].SharedResidentBytes) / MiB));
            rows.Add(SoakRow.Below($"soak_heap_growth_mib_{names[i]}", "MiB", (last.Pools[i].HeapBytes - warm.Pools[i].HeapBytes) / MiB, GrowthTargetMiB));
        }

        // Throughput: the median window of the run's end against the median window after the warm-up (the very first is
        // JIT and start-up). Medians of a sixth of the windows each (at least 3): one 30 s window on a shared machine
        // swings by a fifth either way.
        var first = samples.IndexOf(warm);
        var rates = samples.Skip(first).Zip(samples.Skip(first + 1), Rate).ToList();
        var span = Math.Max(3, rates.Count / 6);
        var firstRate = rates.Count == 0 ? 0 : Median(rates.Take(span));
        var lastRate = rates.Count == 0 ? 0 : Median(rates.Skip(Math.Max(0, rates.Count - span)));
        rows.Add(SoakRow.AtLeast($"soak_throughput_last_vs_first_{loop}", "ratio", firstRate == 0 ? 0 : lastRate / firstRate, ThroughputTarget));
        rows.Add(SoakRow.Info($"soak_cycles_per_s_{loop}", "cycles/s", last.Cycles / last.Seconds));
        var gcShare = (last.Pools[0].GcPauses - warm.Pools[0].GcPauses).TotalSeconds / (last.Seconds - warm.Seconds);
        rows.Add(SoakRow.None($"soak_failed_cycles_{loop}", "cycles", last.Failures));
        rows.Add(SoakRow.Info($"soak_gc_pause_share_{names[0]}", "ratio", double.IsFinite(gcShare) ? gcShare : 0));
        return rows;
    }

    private static double Rate(Sample from, Sample to) => (to.Cycles - from.Cycles) / (to.Seconds - from.Seconds);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Sample(double Seconds, long Cycles, long Failures, PoolFootprint[] Pools);

    /// <summary>Callers that churn actors in one pool.</summary>
    private sealed class Loop(IActorContext xo, string address)
    {
        public long Cycles;
        public long Failures;

        public async Task RunAsync(int caller, CancellationToken stop)
        {
            var blob = new Blob(new byte[BlobBytes]);
            int[] batch = [1, 1, 1, 1];
            for (var cycle = 0; !stop.IsCancellationRequested; cycle++)
            {
                try
                {
                    var actor = await xo.CreateActorAsync<BenchCounter, IBenchCounter>(address: address);
                    await actor.Add(1);
                    await actor.Tell(a => a.Add(1));
                    await actor.Batch(batch, (a, n) => a.Add(n));
                    if (cycle % BlobEvery == caller % BlobEvery) await actor.Receive(blob);
                    await xo.DestroyActorAsync(actor);
                    Interlocked.Increment(ref Cycles);
                }
                catch (Exception error)
                {
                    if (Interlocked.Increment(ref Failures) <= 5) Console.Error.WriteLine($"soak: a cycle into {address} failed: {error.GetType().Name}: {error.Message}");
                }
            }
        }
    }
}

/// <summary>A soak figure and its target.</summary>
public sealed record SoakRow(string Name, string Unit, double Value, string Target, bool Met)
{
    public static SoakRow Below(string name, string unit, double value, double limit) =>
        new(name, unit, value, string.Create(CultureInfo.InvariantCulture, $"< {limit}"), value < limit);

    public static SoakRow None(string name, string unit, double value) => new(name, unit, value, "= 0", value == 0);

    public static SoakRow AtLeast(string name, string unit, double value, double floor) =>
        new(name, unit, value, string.Create(CultureInfo.InvariantCulture, $">= {floor}"), value >= floor);

    public static SoakRow Info(string name, string unit, double value) => new(name, unit, value, "", true);
}
