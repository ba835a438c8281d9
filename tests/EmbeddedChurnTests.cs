using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Pools in one process (embedded pools) keep nothing of actors that came and went either.</summary>
public sealed class EmbeddedChurnTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task Ten_thousand_creations_and_destroys_across_embedded_pools_leave_nothing_behind()
    {
        var references = Fixture.Cluster.Client.ServiceProvider.GetRequiredService<ActorReferences>();
        string[] pools = [Fixture.Pool0, Fixture.Pool1];
        var before = await Footprints.OfAsync(references, pools);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async caller =>
        {
            for (var i = 0; i < 1_000; i++) await Footprints.CycleAsync<Churned>(Xo, pools[(caller + i) % 2], i);
        }));

        await Footprints.AssertNothingLeftAsync(references, pools, before, isolated: _ => false);
    }
}
