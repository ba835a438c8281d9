using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Xoscar.Orleans.Silo.Runtime;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>A pool names its callers as Orleans knows them (the call's source), for what it records, such as a kill.</summary>
public sealed class PoolCallersTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private PoolCallers Callers => Fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<PoolCallers>();

    [Fact]
    public async Task An_actor_is_named_by_its_uid_and_pool()
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>([0], "named-caller", Pool1);

        Assert.Equal($"actor 'named-caller' of pool {Pool1}", Callers.Describe(counter.GetGrainId()));
    }

    [Fact]
    public void A_pools_own_process_outside_its_actors_is_named_by_the_pool()
    {
        var silo = Fixture.Cluster.Silos[1].SiloAddress;

        Assert.Equal($"the process of pool {Pool1} (not one of its actors)", Callers.Describe(GrainId.Create("sys.client", "hosted-" + silo.ToParsableString())));
    }

    [Fact]
    public void A_client_is_named_by_its_id_and_a_pool_by_its_address()
    {
        Assert.Equal("client 5f0c", Callers.Describe(GrainId.Create("sys.client", "5f0c")));
        Assert.Equal($"pool {Pool0}", Callers.Describe(GrainId.Create("xoscar.pool", Pool0)));
        Assert.Equal("an unknown caller", Callers.Describe(null));
    }
}
