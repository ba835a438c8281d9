using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ConcurrencyTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task Stateful_actor_never_runs_two_calls_at_once()
    {
        var probe = await Xo.CreateActorAsync<StatefulProbe, IOverlapProbe>(null, NewUid(), Pool1);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => probe.Work(2)));

        Assert.Equal(1, await probe.MaxOverlap());
    }

    [Fact]
    public async Task Stateless_actor_runs_calls_concurrently()
    {
        var probe = await Xo.CreateActorAsync<StatelessProbe, IOverlapProbe>(null, NewUid(), Pool1);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => probe.Work(50)));

        Assert.True(await probe.MaxOverlap() > 1);
    }

    [Fact]
    public async Task No_lock_method_runs_while_another_call_holds_the_lock()
    {
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, NewUid(), Pool0);
        var holding = gate.Hold();

        await gate.Release();

        await holding.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
