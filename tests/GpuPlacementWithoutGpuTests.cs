using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>GPU placement on the shared cluster, whose pools are not GPU-bound.</summary>
public sealed class GpuPlacementWithoutGpuTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    [Fact]
    public async Task GPU_placement_without_GPU_pools_raises_a_typed_error_naming_the_pools_found()
    {
        var placement = new GpuPlacement(Fixture.Cluster.Client);

        var error = await Assert.ThrowsAsync<NoGpuPoolException>(() => placement.MostFreeMemoryAsync());

        Assert.Equal(new[] { $"{Pool0}: no GPU", $"{Pool1}: no GPU" }.Order(StringComparer.Ordinal), error.Found);
        Assert.Contains(Pool0, error.Message);
        Assert.Empty(await placement.ListAsync());
    }
}
