using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class GpuPlacementTests(GpuClusterFixture fixture) : GpuClusterTest(fixture)
{
    private GpuPlacement Placement => new(Fixture.Cluster.Client);

    [Fact]
    public async Task Placement_lists_both_GPU_pools_with_their_devices()
    {
        var pools = await Placement.ListAsync();

        Assert.Equal(new[] { Pool0, Pool1 }.Order(StringComparer.Ordinal), pools.Select(p => p.Address));
        Assert.All(pools, p => Assert.Equal(GpuDeviceKind.Cpu, p.Device.Kind));
    }

    [Fact]
    public async Task Most_free_memory_picks_the_pool_whose_device_holds_less()
    {
        var holder0 = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var holder1 = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);
        var gap = Math.Abs(Fixture.Gpu(0).FreeMemoryBytes - Fixture.Gpu(1).FreeMemoryBytes);
        try
        {
            await holder1.Hold(gap + (1 << 20));
            await holder0.Drop();
            Assert.True(Fixture.Gpu(0).FreeMemoryBytes > Fixture.Gpu(1).FreeMemoryBytes);
            Assert.Equal(Pool0, await Placement.MostFreeMemoryAsync());

            await holder1.Drop();
            await holder0.Hold(gap + (1 << 20));
            Assert.True(Fixture.Gpu(1).FreeMemoryBytes > Fixture.Gpu(0).FreeMemoryBytes);
            Assert.Equal(Pool1, await Placement.MostFreeMemoryAsync(GpuDeviceKind.Cpu));
        }
        finally
        {
            await holder0.Drop();
            await holder1.Drop();
        }
    }

    [Fact]
    public async Task An_actor_created_at_the_chosen_address_runs_in_that_GPU_pool()
    {
        var address = await Placement.AnyAsync();
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), address);

        Assert.Contains(address, new[] { Pool0, Pool1 });
        Assert.Equal(new[] { 3f }, await worker.Saxpy(1f, [1f], [2f]));
    }

    [Fact]
    public async Task Device_index_finds_the_CPU_pools_and_a_missing_CUDA_device_names_every_pool()
    {
        Assert.Equal(new[] { Pool0, Pool1 }.Min(StringComparer.Ordinal), await Placement.OnDeviceAsync(0, GpuDeviceKind.Cpu));

        var error = await Assert.ThrowsAsync<NoGpuPoolException>(() => Placement.OnDeviceAsync(5));

        Assert.Contains("on Cuda device 5", error.Message);
        Assert.Equal(2, error.Found.Length);
        Assert.All(error.Found, f => Assert.Contains("cpu '", f));
    }
}
