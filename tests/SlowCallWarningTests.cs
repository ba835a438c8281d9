using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// A pool warns of a call that holds a stateful actor's lock past <see cref="XoscarOptions.SlowCallWarning"/> — every
/// such call, and no shorter one — and watches the locks of its live actors only.
/// </summary>
public sealed class SlowCallWarningTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_call_holding_the_lock_too_long_is_logged_by_its_pool_with_the_calls_waiting_behind_it()
    {
        var uid = NewUid();
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, uid, Pool1);
        var holding = gate.Hold();
        var waiting = gate.Hold();   // the two may arrive in either order: one holds, the other waits

        var warning = await Fixture.Logs.WaitForAsync(line => line.Contains("[4701]") && line.Contains(uid)).WaitAsync(Bound);
        await gate.Release();
        await Task.WhenAll(holding, waiting).WaitAsync(Bound);

        Assert.Contains($"in pool {Pool1}: IGate.Hold has held the actor's lock", warning);
        Assert.Contains("1 calls wait", warning);
    }

    [Fact]
    public async Task Of_ten_calls_holding_the_lock_past_the_threshold_and_ten_ending_before_it_exactly_the_ten_are_logged()
    {
        // A pool of its own, with a threshold long enough that on a busy machine a call of 1.2 or 0.8 times it stays
        // on its side of it, and a warning comes well before the call it names ends.
        var threshold = TimeSpan.FromSeconds(2);
        var logs = new PoolLogs();
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
        {
            ClusterId = "slow-call-test",
            Configure = o => o.SlowCallWarning = threshold,
            ConfigureSilo = silo => silo.Services.AddLogging(l => l.AddProvider(logs)),
        });
        var longCalls = await CountersAsync(pool.Context, "long");
        var shortCalls = await CountersAsync(pool.Context, "short");

        await Task.WhenAll(
            longCalls.Select(c => c.Counter.AddSlowly(1, (int)(threshold.TotalMilliseconds * 1.2)).AsTask())
                .Concat(shortCalls.Select(c => c.Counter.AddSlowly(1, (int)(threshold.TotalMilliseconds * 0.8)).AsTask())))
            .WaitAsync(Bound);

        var warnings = logs.Lines.Where(line => line.Contains("[4701]")).ToList();
        Assert.Equal(10, warnings.Count);
        Assert.All(longCalls, c => Assert.Single(warnings, w => w.Contains($"Actor '{c.Uid}'") && w.Contains("ICounter.AddSlowly has held the actor's lock for 2.")));
    }

    private static async Task<List<(string Uid, ICounter Counter)>> CountersAsync(IActorContext xo, string kind)
    {
        var counters = new List<(string, ICounter)>();
        for (var i = 0; i < 10; i++)
        {
            var uid = $"{kind}-{i}";
            counters.Add((uid, await xo.CreateActorAsync<Counter, ICounter>([0], uid)));
        }

        return counters;
    }

    [Fact]
    public async Task A_stateless_actors_call_running_too_long_is_logged_by_its_pool_with_the_calls_running()
    {
        var uid = NewUid();
        var gate = await Xo.CreateActorAsync<StatelessGate, IStatelessGate>(null, uid, Pool1);
        var first = gate.Hold();
        var second = gate.Hold();

        var warning = await Fixture.Logs.WaitForAsync(line => line.Contains("[4702]") && line.Contains(uid) && line.Contains("2 calls run")).WaitAsync(Bound);
        await gate.Release();
        await Task.WhenAll(first, second).WaitAsync(Bound);

        Assert.Contains($"in pool {Pool1}: IStatelessGate.Hold has run for", warning);
    }

    [Fact]
    public async Task A_no_lock_call_running_too_long_is_logged_by_its_pool()
    {
        var uid = NewUid();
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, uid, Pool1);
        var waiting = gate.Wait();

        var warning = await Fixture.Logs.WaitForAsync(line => line.Contains("[4702]") && line.Contains(uid)).WaitAsync(Bound);
        await gate.Release();
        await waiting.WaitAsync(Bound);

        Assert.Contains("IGate.Wait has run for", warning);
        Assert.Contains("without the lock", warning);
    }

    [Fact]
    public async Task A_destroyed_actor_is_no_longer_watched_by_its_pool()
    {
        var watch = ((InProcessSiloHandle)Fixture.Cluster.Silos[1]).ServiceProvider.GetRequiredService<LockWatch>();
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, NewUid(), Pool1);
        await gate.Count();   // its first locked call gives it a lock to watch
        Assert.True(watch.IsWatching(gate.GetActorId()));

        await Xo.DestroyActorAsync(gate);

        // Deactivation follows the destroy on the pool's own schedule; nothing announces it.
        using var deadline = new CancellationTokenSource(Bound);
        while (watch.IsWatching(gate.GetActorId())) await Task.Delay(20, deadline.Token);
    }
}
