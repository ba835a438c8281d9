using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Orleans.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class LifecycleTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task Hooks_call_other_actors_and_their_own_reference()
    {
        var recorder = await Xo.CreateActorAsync<Recorder, IRecorder>(null, NewUid(), Pool0);
        var uid = NewUid();
        var actor = await Xo.CreateActorAsync<Lifecycle, ILifecycle>([recorder], uid, Pool1);

        await Xo.DestroyActorAsync(actor);

        Assert.Equal([$"create {uid}", $"destroy {uid}"], await recorder.Entries());
    }

    [Fact]
    public async Task Destroyed_actor_is_gone_and_stale_references_raise_ActorNotExist()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), Pool1);
        Assert.True(await Xo.HasActorAsync(counter));

        await Xo.DestroyActorAsync(counter);

        Assert.False(await Xo.HasActorAsync(counter));
        await Assert.ThrowsAsync<ActorNotExistException>(() => counter.Add(1));
        await Assert.ThrowsAsync<ActorNotExistException>(() => Xo.DestroyActorAsync(counter));
    }

    [Fact]
    public async Task Re_creating_a_destroyed_uid_makes_old_references_work_again()
    {
        var uid = NewUid();
        var stale = await Xo.CreateActorAsync<Counter, ICounter>([5], uid, Pool0);
        await Xo.DestroyActorAsync(stale);
        await Assert.ThrowsAsync<ActorNotExistException>(() => stale.Value());

        await Xo.CreateActorAsync<Counter, ICounter>([50], uid, Pool0);

        Assert.Equal(51, await stale.Add(1));
    }

    [Fact]
    public async Task Idle_actor_is_not_collected()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], NewUid(), Pool1);
        await counter.Add(5);

        await Fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(5, await counter.Value());
    }

    [Fact]
    public async Task Pre_destroy_error_propagates_and_the_actor_stays()
    {
        var actor = await Xo.CreateActorAsync<Failing, IFailing>(["pre-destroy"], NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Xo.DestroyActorAsync(actor));

        Assert.Contains("pre-destroy refused", error.Message);
        Assert.True(await Xo.HasActorAsync(actor));
        Assert.Equal("ok", await actor.Ok());
    }
}
