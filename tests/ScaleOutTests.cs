using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Orleans.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ScaleOutTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task Calls_to_a_scaled_out_actor_spread_over_its_activations_in_its_pool_with_one_identity()
    {
        var recorder = await Xo.CreateActorAsync<Recorder, IRecorder>(null, NewUid(), Pool0);
        var uid = NewUid();
        var cruncher = await Xo.CreateActorAsync<Cruncher, ICruncher>(["fast", recorder], uid, Pool1);

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cruncher.Crunch(20)));

        Assert.Equal(4, reports.Select(r => r.Activation).Distinct().Count());
        Assert.All(reports, r => Assert.Equal(new ActorId(Pool1, uid), r.Actor));
        Assert.All(reports, r => Assert.Equal("fast", r.Setting));
        Assert.Equal(["post-create"], await recorder.Entries());
    }

    [Fact]
    public async Task Destroying_a_scaled_out_actor_removes_every_activation()
    {
        var recorder = await Xo.CreateActorAsync<Recorder, IRecorder>(null, NewUid(), Pool0);
        var uid = NewUid();
        var cruncher = await Xo.CreateActorAsync<Cruncher, ICruncher>(["x", recorder], uid, Pool1);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cruncher.Crunch(1)));
        var management = Fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        async Task<int> Activations() => (await management.GetActiveGrains(cruncher.GetGrainId().Type)).Count(g => g.Key.ToString()!.Contains(uid));
        Assert.Equal(4, await Activations());

        await Xo.DestroyActorAsync(cruncher);

        Assert.Equal(["post-create", "pre-destroy"], await recorder.Entries());
        for (var i = 0; i < 4; i++) await Assert.ThrowsAsync<ActorNotExistException>(() => cruncher.Crunch(1));
        // Deactivation is asynchronous: wait, bounded, for the last activation to go.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); await Activations() > 0 && DateTime.UtcNow < deadline;) await Task.Delay(50);
        Assert.Equal(0, await Activations());
    }

    [Fact]
    public async Task Scale_out_on_a_stateful_actor_is_refused_at_creation()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Xo.CreateActorAsync<ScaledCounter, IScaledCounter>(null, NewUid(), Pool0));

        Assert.Contains(nameof(ScaledCounter), error.Message);
    }
}
