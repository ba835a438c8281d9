using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>GPU-bound sub pool processes: the fixture's second sub pool owns ILGPU's CPU accelerator.</summary>
public sealed class GpuPoolProcessTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    [Fact]
    public async Task Pool_config_names_the_device_of_the_gpu_pool_only()
    {
        var configs = await Xo.GetPoolConfigAsync();

        Assert.Null(configs[0].Device);
        Assert.Null(configs[1].Device);
        Assert.StartsWith("cpu 'CPUAccelerator'", configs[2].Device);
        Assert.Equal([null, null, GpuDeviceKind.Cpu], configs.Select(c => c.Gpu?.Device.Kind));
    }

    [Fact]
    public async Task Gpu_pool_strategy_finds_the_gpu_sub_pool()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(GpuPool.Any);

        Assert.Equal(Pool.Addresses[2], worker.GetActorId().Address);
        await Xo.DestroyActorAsync(worker);
    }

    [Fact]
    public async Task Gpu_actor_in_a_gpu_sub_pool_runs_its_kernel()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(GpuPool.MostFreeMemory);
        float[] x = [1, 2, 3, 4], y = [10, 20, 30, 40];

        var result = await worker.Saxpy(2, x, y);

        Assert.Equal([12f, 24f, 36f, 48f], result);
    }

    [Fact]
    public void Gpu_pools_for_all_devices_add_one_sub_pool_per_device()
    {
        var options = new ActorPoolOptions { SubPools = 1, Labels = ["main", "cpu-work"] }.UseGpuPools("all");

        Assert.Equal(2, options.SubPools);
        Assert.Equal([null, GpuDevices.HasCuda() ? "cuda:0" : "cpu"], options.Gpus!);
        Assert.Equal(["main", "cpu-work", null], options.Labels!);
    }

    [Fact]
    public void Gpu_pool_for_a_device_that_is_not_there_is_refused_naming_the_devices_found()
    {
        var error = Assert.Throws<GpuDeviceNotFoundException>(() => new ActorPoolOptions().UseGpuPools("cuda:7"));

        Assert.Contains("cuda:7", error.Message);
    }
}
