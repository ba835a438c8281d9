using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// A pool that creates and destroys actors for weeks keeps nothing of them: after thousands of creations and destroys,
/// every per-actor structure of the calling pool and of the actors' pools is back where it was.
/// </summary>
public sealed class ActorChurnTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    private const int Cycles = 10_000;

    private string SubPool => Pool.Addresses[1];

    private string GpuPool => Pool.Addresses[2];

    private ActorReferences References => Pool.Services.GetRequiredService<ActorReferences>();

    [Fact]
    public async Task Ten_thousand_sequential_creations_and_destroys_in_a_sub_pool_leave_nothing_behind()
    {
        var before = await FootprintsAsync();

        for (var i = 0; i < Cycles; i++) await Footprints.CycleAsync<Churned>(Xo, SubPool, i);

        await AssertNothingLeftAsync(before);
    }

    [Fact]
    public async Task Ten_thousand_creations_and_destroys_by_100_concurrent_callers_leave_nothing_behind()
    {
        var before = await FootprintsAsync();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            for (var i = 0; i < Cycles / 100; i++) await Footprints.CycleAsync<Churned>(Xo, SubPool, i);
        }));

        await AssertNothingLeftAsync(before);
    }

    [Fact]
    public async Task Stateless_scaled_out_and_gpu_actors_leave_nothing_behind()
    {
        var before = await FootprintsAsync();

        for (var i = 0; i < 1_000; i++)
        {
            await Footprints.CycleAsync<StatelessChurned>(Xo, SubPool, i);
            await Footprints.CycleAsync<ScaledOutChurned>(Xo, SubPool, i);
            var gpu = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(address: GpuPool);
            Assert.Equal(new[] { 3f }, await gpu.Saxpy(1, [1], [2]));
            await Xo.DestroyActorAsync(gpu);
        }

        await AssertNothingLeftAsync(before);
    }

    [Fact]
    public async Task Failed_creations_stale_references_cancelled_calls_and_abandoned_streams_leave_nothing_behind()
    {
        var before = await FootprintsAsync();

        for (var i = 0; i < 500; i++)
        {
            await Assert.ThrowsAsync<FormatException>(() => Xo.CreateActorAsync<Failing, IFailing>(["ctor"], address: SubPool));
            await Assert.ThrowsAsync<InvalidDataException>(() => Xo.CreateActorAsync<Failing, IFailing>(["post-create"], address: SubPool));

            var destroyed = await Xo.CreateActorAsync<Churned, IChurned>([i], address: SubPool);
            await Xo.DestroyActorAsync(destroyed);
            await Assert.ThrowsAsync<ActorNotExistException>(() => destroyed.Add(1));

            var sleeper = await Xo.CreateActorAsync<Sleeper, ISleeper>(address: SubPool);
            using (var cancel = new CancellationTokenSource())
            {
                var sleeping = sleeper.SleepOrThrow(cancel.Token);
                await sleeper.Started();
                await cancel.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping);
            }

            await Xo.DestroyActorAsync(sleeper);

            var producer = await Xo.CreateActorAsync<Producer, IProducer>(address: SubPool);
            await foreach (var _ in producer.CountSlowly(1_000, 1)) break;
            await Xo.DestroyActorAsync(producer);
        }

        await AssertNothingLeftAsync(before);
    }

    [Fact]
    public async Task A_client_outside_the_pools_that_churns_actors_leaves_nothing_behind_in_itself_or_the_pools()
    {
        await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { $"127.0.0.1:{Pool.GatewayPort}" }, ClusterId = "pool-processes-test" });
        var before = await FootprintsAsync();

        for (var i = 0; i < 2_000; i++) await Footprints.CycleAsync<Churned>(client.Context, SubPool, i);

        await AssertNothingLeftAsync(before);
        Assert.Equal(0, client.Services.GetRequiredService<TellSender>().Outboxes);
    }

    [Fact]
    public async Task A_disposed_client_is_not_kept_alive_by_the_tells_and_batches_it_made()
    {
        var services = await UseClientOnceAsync();

        for (var i = 0; i < 10 && services.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(100);   // the client's last timers and connections wind down
        }

        Assert.False(services.IsAlive, "The disposed client's services are still reachable.");
    }

    // In a method of its own, so that nothing of the client stays in the test's locals.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task<WeakReference> UseClientOnceAsync()
    {
        var client = await ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { $"127.0.0.1:{Pool.GatewayPort}" }, ClusterId = "pool-processes-test" });
        await Footprints.CycleAsync<Churned>(client.Context, SubPool, 1);
        var services = new WeakReference(client.Services);
        await client.DisposeAsync();
        return services;
    }

    // The GPU pool's grain exists from the main pool's first memory sample on (a pool-wide grain, not per actor): a
    // sample taken now makes it exist before the count, however long the pools have run.
    private async Task<PoolFootprint[]> FootprintsAsync()
    {
        await Pool.Services.GetRequiredService<Placement.GpuMemorySamples>().SampleAllAsync();
        return await Footprints.OfAsync(References, Pool.Addresses);
    }

    private async Task AssertNothingLeftAsync(PoolFootprint[] before)
    {
        await Footprints.AssertNothingLeftAsync(References, Pool.Addresses, before, isolated: address => address != Pool.Address);
        Assert.InRange(Footprints.DirectoryCacheSize(Pool.Services.GetRequiredService<IMeterFactory>()), 0, Footprints.DirectoryCacheBound);
    }
}
