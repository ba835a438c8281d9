using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class TellTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task Send_after_tell_sees_the_tells_effect()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), Pool1);

        await counter.Tell(c => c.AddSlowly(7, 100));

        Assert.Equal(7, await counter.Value());
    }

    [Fact]
    public async Task Tells_run_in_the_order_they_were_accepted()
    {
        var recorder = await Xo.CreateActorAsync<Recorder, IRecorder>(null, NewUid(), Pool0);

        for (var i = 0; i < 20; i++)
        {
            var entry = i.ToString();
            await recorder.Tell(r => r.Record(entry));
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString()), await recorder.Entries());
    }

    [Fact]
    public async Task Burst_of_tells_made_without_waiting_runs_in_the_order_made()
    {
        var recorder = await Xo.CreateActorAsync<Recorder, IRecorder>(null, NewUid(), Pool1);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => recorder.Tell(r => r.Record(i.ToString())).AsTask()));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString()), await recorder.Entries());
    }

    [Fact]
    public async Task Tell_error_is_logged_with_actor_pool_and_method()
    {
        var uid = NewUid();
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, uid, Pool1);
        var logged = Fixture.Logs.WaitForAsync(line => line.Contains(uid));

        await gate.Tell(g => g.Fail("told to fail"));

        var line = await logged.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(Pool1, line);
        Assert.Contains(nameof(IGate.Fail), line);
        Assert.Contains("told to fail", line);
    }

    [Fact]
    public async Task Tell_to_a_destroyed_actor_raises_ActorNotExist()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), Pool0);
        await Xo.DestroyActorAsync(counter);

        await Assert.ThrowsAsync<ActorNotExistException>(() => counter.Tell(c => c.Add(1)).AsTask());
    }

    [Fact]
    public async Task Tell_lambda_that_calls_nothing_is_refused_before_sending()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), Pool0);

        var error = Assert.Throws<ArgumentException>(() => { _ = counter.Tell(_ => { }); });

        Assert.Equal("call", error.ParamName);
    }

    [Fact]
    public async Task Tells_wait_for_room_when_the_actors_queue_is_full_and_none_is_lost()
    {
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, NewUid(), Pool1);
        await gate.Tell(g => g.Hold());
        var capacity = ClusterFixture.MailboxCapacity;
        for (var i = 0; i < capacity; i++) await gate.Tell(g => g.Count());

        var overflow = gate.Tell(g => g.Count()).AsTask();
        var finished = await Task.WhenAny(overflow, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.NotSame(overflow, finished);

        await gate.Release();
        await overflow;
        Assert.Equal(capacity + 1, await gate.Counted());
    }
}
