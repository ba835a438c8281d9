using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class GpuEmbeddedPoolTests
{
    [Fact]
    public async Task Embedded_GPU_pool_binds_its_device_and_runs_GPU_actors()
    {
        await using var pool = await EmbeddedGpuPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "gpu-embedded-test" }, o => o.Device = "cpu");

        var worker = await pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>();

        Assert.Equal(pool.Address, worker.GetActorId().Address);
        Assert.Equal(GpuDeviceKind.Cpu, pool.Gpu.Device.Kind);
        Assert.Equal(new[] { 7f, 10f }, await worker.Saxpy(3f, [2f, 3f], [1f, 1f]));
    }

    [Fact]
    public async Task Pool_asking_for_a_missing_device_fails_to_start_naming_the_devices_found()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            EmbeddedGpuPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "gpu-missing-test" }, o => o.Device = "cuda:97"));

        var missing = Assert.IsType<GpuDeviceNotFoundException>(Unwrap(error));
        Assert.Equal("cuda:97", missing.Requested);
        Assert.Contains("cpu '", missing.Message);
    }

    private static Exception Unwrap(Exception error) =>
        error is GpuDeviceNotFoundException || error.InnerException is null ? error : Unwrap(error.InnerException);
}
