using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// <c>AddXoscar()</c> in an existing Orleans application (the shared cluster is plain Orleans silos with it): the
/// application's own grains keep working beside actors, use the façade from DI, and call actors and are called by them.
/// </summary>
public sealed class ExistingOrleansAppTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private IPlainRelay Relay() => Fixture.Cluster.Client.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IPlainRelay>(NewUid());

    [Fact]
    public async Task Plain_grain_creates_an_actor_through_the_facade_and_calls_it()
    {
        var relay = Relay();

        var counter = await relay.CreateCounter(Pool1, 40);

        Assert.Equal(Pool1, counter.GetActorId().Address);
        Assert.Equal(42, await relay.Add(counter, 2));
        Assert.Equal(43, await counter.Add(1));
    }

    [Fact]
    public async Task Actor_calls_a_plain_grain_that_calls_another_actor()
    {
        var user = await Xo.CreateActorAsync<GrainUser, IGrainUser>(address: Pool0);
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([1], address: Pool1);

        Assert.Equal(6, await user.AddThrough(Relay(), counter, 5));
    }

    [Fact]
    public async Task A_call_back_through_a_plain_grain_into_a_locked_actor_fails_at_once()
    {
        var user = await Xo.CreateActorAsync<GrainUser, IGrainUser>(null, "bouncer", Pool0);

        var error = await Assert.ThrowsAsync<CallCycleException>(() => user.Bounce(Relay()).WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal([$"bouncer@{Pool0}.Bounce", $"bouncer@{Pool0}.Ping"], error.Chain);
    }
}
