using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Pool and actor events on the Orleans stream the main pool hosts: read through the façade, or by stream id from
/// Orleans code, in the order they happened.
/// </summary>
public sealed class PoolEventTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_killed_sub_pool_is_down_then_recovering_then_recovered_each_event_with_the_cause()
    {
        var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "pool-events-recovery", AutoRecover = SubPoolRecovery.Actors, Configure = o => o.ActorEvents = true });
        try
        {
            var sub = pool.Addresses[1];
            var victim = await pool.Context.CreateActorAsync<Counter, ICounter>([0], "victim", sub);
            var killed = pool.SubPoolProcessIds[0];
            await using var events = await EventReader.StartAsync(pool.Context);

            await pool.Context.KillActorAsync(victim);
            var seen = await events.UntilAsync(e => e.Kind == PoolEventKind.PoolRecovered && e.Address == sub);

            var ofPool = seen.Where(e => e.Address == sub && e.Kind is PoolEventKind.PoolDown or PoolEventKind.PoolRecovering or PoolEventKind.PoolRecovered).ToList();
            Assert.True(ofPool.Count == 3, $"read: {string.Join(", ", (await events.UntilAsync(e => e.Kind == PoolEventKind.PoolDown, TimeSpan.FromSeconds(5)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : seen)).Select(e => $"{e.Kind} {e.Address} {e.TimeUtc:HH:mm:ss.fff}"))}");
            Assert.Equal([PoolEventKind.PoolDown, PoolEventKind.PoolRecovering, PoolEventKind.PoolRecovered], ofPool.Select(e => e.Kind));
            Assert.All(ofPool, e => Assert.Equal($"was killed by KillActorAsync from the process of pool {pool.Addresses[0]} (not one of its actors) on actor 'victim'", e.Cause));
            var down = ofPool[0];
            Assert.Equal((killed, 128 + 9, "SIGKILL", 1), (down.ProcessId, down.ExitCode, down.Signal, down.Index));
            Assert.Equal(pool.SubPoolProcessIds[0], ofPool[2].ProcessId);
            // Re-created in the restarted sub pool, whose events reach the stream through the main pool: no order with the main pool's own.
            await events.UntilAsync(e => e.Kind == PoolEventKind.ActorRecreated && e.Uid == "victim" && e.ActorClass == nameof(Counter));
        }
        finally
        {
            await ProcessCleanup.StopAsync(pool);
        }
    }

    [Fact]
    public async Task Actors_created_and_destroyed_in_a_sub_pool_reach_an_external_clients_Orleans_subscription_by_stream_id()
    {
        var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "pool-events-client", Configure = o => o.ActorEvents = true });
        try
        {
            await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { $"127.0.0.1:{pool.GatewayPort}" }, ClusterId = "pool-events-client" });
            var received = new List<PoolEvent>();
            var destroyed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stream = client.Services.GetRequiredService<IClusterClient>().GetStreamProvider(PoolEventStream.ProviderName).GetStream<PoolEvent>(PoolEventStream.Id);
            var subscription = await stream.SubscribeAsync((e, _) =>
            {
                lock (received) received.Add(e);
                if (e is { Kind: PoolEventKind.ActorDestroyed, Uid: "evented" }) destroyed.TrySetResult();
                return Task.CompletedTask;
            });

            var actor = await client.Context.CreateActorAsync<Counter, ICounter>([0], "evented", pool.Addresses[1]);
            await client.Context.DestroyActorAsync(actor);
            await destroyed.Task.WaitAsync(Bound);
            await subscription.UnsubscribeAsync();

            PoolEvent[] ofActor;
            lock (received) ofActor = received.Where(e => e.Uid == "evented").ToArray();
            Assert.Equal([PoolEventKind.ActorCreated, PoolEventKind.ActorDestroyed], ofActor.Select(e => e.Kind));
            Assert.All(ofActor, e => Assert.Equal((pool.Addresses[1], nameof(Counter)), (e.Address, e.ActorClass)));
        }
        finally
        {
            await ProcessCleanup.StopAsync(pool);
        }
    }

    [Fact]
    public async Task A_slow_call_and_a_refused_call_cycle_are_events_naming_the_actor_and_method()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
        {
            ClusterId = "pool-events-calls", Configure = o => (o.SlowCallWarning, o.ActorEvents) = (TimeSpan.FromMilliseconds(200), true),
        });
        await using var events = await EventReader.StartAsync(pool.Context);
        var sleeper = await pool.Context.CreateActorAsync<Sleeper, ISleeper>(uid: "slow");
        var cycler = await pool.Context.CreateActorAsync<Cycler, ICycler>(uid: "cycling");

        var holding = sleeper.Hold();
        var slow = await events.UntilAsync(e => e.Kind == PoolEventKind.SlowCall);
        await sleeper.Release();
        await holding;
        await Assert.ThrowsAsync<CallCycleException>(() => cycler.VisitSelf());
        var cycle = await events.UntilAsync(e => e.Kind == PoolEventKind.CallCycle);

        Assert.Equal(("slow", nameof(Sleeper), "ISleeper.Hold", pool.Address), (slow[^1].Uid, slow[^1].ActorClass, slow[^1].Method, slow[^1].Address));
        Assert.Equal(("cycling", nameof(Cycler), "Cycler.Echo"), (cycle[^1].Uid, cycle[^1].ActorClass, cycle[^1].Method));   // the call refused: VisitSelf calls Echo on itself
        Assert.Contains("Call cycle", cycle[^1].Description);
    }

    [Fact]
    public async Task Without_actor_events_the_stream_carries_no_creations_or_destructions_but_slow_calls_still()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
        {
            ClusterId = "pool-events-quiet", Configure = o => o.SlowCallWarning = TimeSpan.FromMilliseconds(100),
        });
        using var stop = new CancellationTokenSource(Bound);
        var read = new List<PoolEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in pool.Context.WatchPoolEventsAsync(stop.Token))
            {
                lock (read) read.Add(e);
                if (e.Kind == PoolEventKind.SlowCall) return;
            }
        });

        while (!reading.IsCompleted)   // until the subscription is live: a slow call made after it is read
        {
            await pool.Context.DestroyActorAsync(await pool.Context.CreateActorAsync<Counter, ICounter>([0]));
            var sleeper = await pool.Context.CreateActorAsync<Sleeper, ISleeper>();   // a hold lasts one release
            var holding = sleeper.Hold();
            await Task.WhenAny(reading, Task.Delay(300));
            await sleeper.Release();
            await holding;
        }

        await reading;
        Assert.DoesNotContain(read, e => e.Kind is PoolEventKind.ActorCreated or PoolEventKind.ActorDestroyed);
        Assert.Contains(pool.Services.GetRequiredService<Silo.Runtime.PoolEventLog>().Latest(int.MaxValue), e => e.Kind == PoolEventKind.ActorCreated);
    }

    [Fact]
    public async Task Events_no_one_reads_are_dropped_and_the_main_pool_keeps_only_the_latest()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "pool-events-unread" });
        var log = pool.Services.GetRequiredService<Silo.Runtime.PoolEventLog>();

        for (var i = 0; i < Silo.Runtime.PoolEventLog.Kept + 50; i++)
        {
            await pool.Context.DestroyActorAsync(await pool.Context.CreateActorAsync<Counter, ICounter>([0], $"unread-{i}"));
        }

        var until = DateTime.UtcNow + Bound;
        while (log.Latest(int.MaxValue) is var latest && latest[^1].Uid != $"unread-{Silo.Runtime.PoolEventLog.Kept + 49}")
        {
            Assert.True(DateTime.UtcNow < until, "The last event did not reach the main pool's latest.");
            await Task.Delay(20);
        }

        Assert.Equal(Silo.Runtime.PoolEventLog.Kept, log.Latest(int.MaxValue).Count);
    }

    [Fact]
    public async Task The_streams_queue_subscriptions_and_storage_are_recorded_by_the_hub_itself_not_by_pools_that_may_die()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "pool-events-directory" });
        var grainTypes = pool.Services.GetRequiredService<global::Orleans.Metadata.GrainTypeResolver>();
        var resolvers = pool.Services.GetServices<global::Orleans.Runtime.GrainDirectory.IGrainDirectoryResolver>().ToList();
        var streaming = typeof(global::Orleans.Providers.MemoryStreamQueueGrain).Assembly;
        var storage = typeof(global::Orleans.Storage.MemoryGrainStorage).Assembly;
        Type[] grains = [typeof(global::Orleans.Providers.MemoryStreamQueueGrain), streaming.GetType("Orleans.Streams.PubSubRendezvousGrain", throwOnError: true)!, storage.GetType("Orleans.Storage.MemoryStorageGrain", throwOnError: true)!];

        foreach (var grain in grains)
        {
            var directory = resolvers.Select(r => r.TryResolveGrainDirectory(grainTypes.GetGrainType(grain), null, out var found) ? found : null).FirstOrDefault(d => d is not null);
            Assert.True(directory is Placement.PoolAddressGrainDirectory, $"{grain.Name} is in {directory?.GetType().Name ?? "Orleans' default directory"}");
        }
    }

    /// <summary>Reads the façade's events in the background from its creation on.</summary>
    private sealed class EventReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<PoolEvent> _seen = [];
        private readonly Task _reading;

        private EventReader(IActorContext context)
        {
            _reading = Task.Run(async () =>
            {
                var events = context.WatchPoolEventsAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
                try
                {
                    while (await events.MoveNextAsync())
                    {
                        lock (_seen) _seen.Add(events.Current);
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                }
                finally
                {
                    await events.DisposeAsync();
                }
            });
        }

        /// <summary>
        /// Starts reading and returns once the subscription is live: an actor created in the main pool from then on
        /// shows up (the first step of the loop subscribes, and says nothing when it has).
        /// </summary>
        public static async Task<EventReader> StartAsync(IActorContext context)
        {
            var reader = new EventReader(context);
            for (var attempt = 1; ; attempt++)
            {
                var uid = $"marker-{Guid.NewGuid():N}";
                await context.DestroyActorAsync(await context.CreateActorAsync<Counter, ICounter>([0], uid));
                try
                {
                    await reader.UntilAsync(e => e.Uid == uid, TimeSpan.FromSeconds(1));
                    return reader;
                }
                catch (TimeoutException) when (attempt < 30)
                {
                    // Not subscribed yet.
                }
            }
        }

        /// <summary>Every event read until one that <paramref name="last"/> accepts, which ends the list.</summary>
        public async Task<List<PoolEvent>> UntilAsync(Func<PoolEvent, bool> last, TimeSpan? within = null)
        {
            var until = DateTime.UtcNow + (within ?? Bound);
            while (true)
            {
                lock (_seen)
                {
                    var at = _seen.FindIndex(e => last(e));
                    if (at >= 0) return _seen.Take(at + 1).ToList();
                }

                if (_reading.IsFaulted) await _reading;
                if (DateTime.UtcNow > until) throw new TimeoutException($"No such event within {Bound}; read: {string.Join(", ", _seen.Select(e => e.Kind))}");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _reading;
            _stop.Dispose();
        }
    }
}
