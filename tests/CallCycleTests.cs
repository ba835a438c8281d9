using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// A call back into a stateful actor whose lock waits on it fails at once with the cycle named (Xoscar waits
/// forever); calls that only look alike — released lock, no lock, tells, no cycle at all — run.
/// </summary>
public sealed class CallCycleTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    // Far below the cluster's 15 s response timeout: a cycle that waited for the lock would fail this bound.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private Task<ICycler> Stateful(string pool, string? uid = null) => Xo.CreateActorAsync<Cycler, ICycler>(null, uid ?? NewUid(), pool);

    private Task<ICycler> Stateless(string pool) => Xo.CreateActorAsync<StatelessCycler, ICycler>(null, NewUid(), pool);

    [Fact]
    public async Task A_locked_method_calling_its_own_actor_fails_at_once_naming_the_cycle()
    {
        var a = await Stateful(Pool0, "self-caller");

        var error = await Assert.ThrowsAsync<CallCycleException>(() => a.VisitSelf().WaitAsync(Bound));

        Assert.Equal(new ActorId(Pool0, "self-caller"), error.Actor);
        Assert.Equal([$"self-caller@{Pool0}.VisitSelf", $"self-caller@{Pool0}.Echo"], error.Chain);
    }

    [Fact]
    public async Task A_call_back_into_a_locked_actor_across_pools_fails_at_once_with_the_chain_in_call_order()
    {
        var a = await Stateful(Pool0, "a");
        var b = await Stateful(Pool1, "b");

        var error = await Assert.ThrowsAsync<CallCycleException>(() => a.Visit([a, b, a], 1).WaitAsync(Bound));

        Assert.Equal([$"a@{Pool0}.Visit", $"b@{Pool1}.Visit", $"a@{Pool0}.Visit"], error.Chain);
        Assert.Contains("a@", error.Message);
        Assert.Contains($"[address={Pool0}", error.Message);   // raised in a's pool, named once however far it travelled
    }

    [Fact]
    public async Task A_cycle_through_a_stateless_actor_is_detected()
    {
        var a = await Stateful(Pool0);
        var relay = await Stateless(Pool1);

        var error = await Assert.ThrowsAsync<CallCycleException>(() => a.Visit([a, relay, a], 1).WaitAsync(Bound));

        Assert.Equal(2, error.Chain.Length);   // the stateless relay holds no lock: it is not a link
    }

    [Fact]
    public async Task The_actor_still_works_after_a_cycle_was_refused()
    {
        var a = await Stateful(Pool0);
        var b = await Stateful(Pool1);
        await Assert.ThrowsAsync<CallCycleException>(() => a.Visit([a, b, a], 1).WaitAsync(Bound));

        Assert.Equal("hello", await a.Echo("hello").WaitAsync(Bound));
    }

    [Fact]
    public async Task A_batch_back_into_a_locked_actor_fails_at_once()
    {
        var a = await Stateful(Pool1);

        var error = await Assert.ThrowsAsync<CallCycleException>(() => a.BatchSelf().WaitAsync(Bound));

        Assert.EndsWith(".Echo", error.Chain[^1]);
    }

    [Fact]
    public async Task A_stream_whose_producer_calls_back_into_its_locked_consumer_fails_at_once()
    {
        var consumer = await Stateful(Pool0, "consumer");
        var producer = await Stateful(Pool1, "producer");

        var error = await Assert.ThrowsAsync<CallCycleException>(() => consumer.ConsumeFrom(producer).WaitAsync(Bound));

        Assert.Equal(new ActorId(Pool0, "consumer"), error.Actor);
    }

    [Fact]
    public async Task A_stream_whose_producer_calls_back_into_a_stateless_consumer_is_no_cycle()
    {
        var consumer = await Stateless(Pool0);
        var producer = await Stateful(Pool1, "free-producer");

        Assert.Equal("free-producer", await consumer.ConsumeFrom(producer).WaitAsync(Bound));
    }

    [Fact]
    public async Task Visiting_the_same_actors_without_coming_back_is_no_cycle()
    {
        var a = await Stateful(Pool0, "p");
        var b = await Stateful(Pool1, "q");
        var c = await Stateful(Pool0, "r");

        Assert.Equal("p q r", await a.Visit([a, b, c], 1).WaitAsync(Bound));
        Assert.Equal("q p r", await b.Visit([b, a, c], 1).WaitAsync(Bound));   // a and b in the other order, one call later
    }

    [Fact]
    public async Task Coming_back_while_the_lock_is_released_is_no_cycle()
    {
        var a = await Stateful(Pool0, "m");
        var b = await Stateful(Pool1, "n");

        Assert.Equal("m n m", await a.VisitReleased([a, b, a], 1).WaitAsync(Bound));
    }

    [Fact]
    public async Task A_tell_is_no_cycle_its_work_waits_for_the_lock_instead()
    {
        var a = await Stateful(Pool0, "teller");
        var b = await Stateful(Pool1, "told");

        await a.TellVisit([a, b, a], 1).WaitAsync(Bound);

        Assert.Equal("told teller", await b.LastVisit().WaitAsync(Bound));
    }

    [Fact]
    public async Task A_cycle_in_told_work_is_refused_and_logged_as_the_tell_failed()
    {
        var a = await Stateful(Pool0, "loop-a");
        var b = await Stateful(Pool1, "loop-b");

        await a.Tell(x => x.Visit([a, b, a], 1));

        await Assert.ThrowsAsync<CallCycleException>(() => a.LastVisit().WaitAsync(Bound));
        var logged = await Fixture.Logs.WaitForAsync(line => line.Contains("[1001]") && line.Contains("loop-a")).WaitAsync(Bound);
        Assert.Contains(nameof(CallCycleException), logged);
    }
}
