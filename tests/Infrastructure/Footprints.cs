using System.Diagnostics;
using System.Diagnostics.Metrics;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// Churn and its residue: cycles of create → send → tell → batch → destroy, and the check that the pools' footprints
/// came back to where they were.
/// </summary>
internal static class Footprints
{
    /// <summary>
    /// Orleans' cache kept an entry per grain a pool called in another pool; ours keeps one per pool. Loose: the
    /// test process also hosts other fixtures' pools.
    /// </summary>
    public const int DirectoryCacheBound = 100;

    /// <summary>One actor's life: created in <paramref name="address"/>, sent to, told, batched, destroyed.</summary>
    public static async Task CycleAsync<TActor>(IActorContext xo, string address, int i) where TActor : ActorBase, IChurned
    {
        var actor = await xo.CreateActorAsync<TActor, IChurned>([i], address: address);
        Assert.Equal(i + 1, await actor.Add(1));
        await actor.Tell(a => a.Add(1));
        Assert.Equal([i + 3, i + 4], await actor.Batch([1, 1], (a, n) => a.Add(n)));
        await xo.DestroyActorAsync(actor);
    }

    // Which grains a pool has activations of, for the message of a count that did not come back.
    private static async Task<string> ActivationsByTypeAsync(ActorReferences references, string address)
    {
        var management = references.Grains.GetGrain<IManagementGrain>(0);
        var statistics = await management.GetSimpleGrainStatistics();
        return string.Join(", ", statistics.Where(s => s.SiloAddress.ToString().Contains(address, StringComparison.Ordinal))
            .Select(s => $"{s.GrainType} × {s.ActivationCount}"));
    }

    /// <summary>The footprints of the pools at <paramref name="addresses"/>, after a full collection in each.</summary>
    public static Task<PoolFootprint[]> OfAsync(ActorReferences references, IEnumerable<string> addresses) =>
        Task.WhenAll(addresses.Select(a => references.Pool(a).GetFootprint(collect: true)));

    /// <summary>
    /// Asserts that every per-actor count of each pool is back to (or below) <paramref name="before"/>, that their
    /// directory caches stay small, and, for <paramref name="isolated"/> pools (processes that run nothing else), that
    /// their heaps grew by less than <paramref name="heapBound"/> bytes.
    /// </summary>
    public static async Task AssertNothingLeftAsync(ActorReferences references, IReadOnlyList<string> addresses, PoolFootprint[] before, Func<string, bool> isolated, long heapBound = 4 << 20)
    {
        // A destroy completes before its activation has finished going: give the pools a moment to settle.
        var after = await OfAsync(references, addresses);
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(10) && !after.Zip(before).All(p => Settled(p.First, p.Second)); await Task.Delay(100))
        {
            after = await OfAsync(references, addresses);
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var (now, then, pool) = (after[i], before[i], $"pool {addresses[i]} (pid {after[i].ProcessId})");
            Assert.True(now.Actors <= then.Actors, $"{pool}: {now.Actors} actor specs, {then.Actors} before");
            if (now.Activations > then.Activations) Assert.Fail($"{pool}: {now.Activations} activations, {then.Activations} before; by grain type now: {await ActivationsByTypeAsync(references, addresses[i])}");
            Assert.True(now.DirectoryEntries <= then.DirectoryEntries, $"{pool}: {now.DirectoryEntries} directory entries, {then.DirectoryEntries} before");
            Assert.True(now.WatchedActivations <= then.WatchedActivations, $"{pool}: {now.WatchedActivations} watched activations, {then.WatchedActivations} before");
            Assert.True(now.TellOutboxes <= then.TellOutboxes, $"{pool}: {now.TellOutboxes} tell outboxes, {then.TellOutboxes} before");
            Assert.True(now.RecoverableActors <= then.RecoverableActors, $"{pool}: {now.RecoverableActors} recoverable specs, {then.RecoverableActors} before");
            Assert.True(now.DirectoryCachePools + now.OtherDirectoryCacheEntries <= DirectoryCacheBound,
                $"{pool}: its directory cache holds {now.DirectoryCachePools} pools and {now.OtherDirectoryCacheEntries} other grains");
            if (isolated(addresses[i]))
            {
                Assert.True(now.HeapBytes - then.HeapBytes < heapBound, $"{pool}: its heap grew from {then.HeapBytes} to {now.HeapBytes} bytes");
            }
        }
    }

    /// <summary>Orleans' own gauge <c>orleans-directory-cache-size</c>, as published by the Orleans meter of the services that own <paramref name="meters"/>.</summary>
    public static long DirectoryCacheSize(IMeterFactory meters)
    {
        long size = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name == "orleans-directory-cache-size" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => size = Math.Max(size, 0) + value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.True(size >= 0, "These services publish no orleans-directory-cache-size gauge.");
        return size;
    }

    private static bool Settled(PoolFootprint now, PoolFootprint then) =>
        now.Actors <= then.Actors && now.Activations <= then.Activations && now.DirectoryEntries <= then.DirectoryEntries && now.WatchedActivations <= then.WatchedActivations;
}
