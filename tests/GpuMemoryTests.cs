using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>GPU memory discipline on the simulated server: what a destroyed actor held comes back; running out is a typed error.</summary>
public sealed class GpuMemoryTests(SimulatedGpuFixture fixture) : SimulatedGpuTest(fixture)
{
    private const long MiB = 1 << 20;

    [Fact]
    public async Task Destroying_a_GPU_actor_frees_the_buffers_it_still_holds_and_its_device_memory_comes_back()
    {
        var gpu = Fixture.Gpu(1);
        var (liveBefore, freeBefore) = (gpu.Ledger.LiveBytes, gpu.FreeMemoryBytes);
        var hoarder = await CreateAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(0), ["hoarder", 8 * MiB, false]);
        await hoarder.Keep(16 * MiB);
        Assert.Equal(liveBefore + 24 * MiB, gpu.Ledger.LiveBytes);

        // The actor's activation ends just after the destroy returns: its buffers go with it.
        var freed = Fixture.BuffersFreedWithAsync(hoarder.GetActorId().Uid);
        await DestroyAsync(hoarder);
        await freed.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(liveBefore, gpu.Ledger.LiveBytes);
        Assert.Equal(freeBefore, gpu.FreeMemoryBytes);
    }

    [Fact]
    public async Task A_buffer_handed_to_another_actor_of_the_pool_is_freed_with_that_actor()
    {
        var gpu = Fixture.Gpu(1);
        var liveBefore = gpu.Ledger.LiveBytes;
        var worker = await CreateAsync<GpuWorker, IGpuWorker>(GpuPool.OnDevice(0));
        var relay = await CreateAsync<GpuRelay, IGpuRelay>(GpuPool.OnDevice(0));

        await relay.KeepFrom(worker, [1f, 2f, 3f]);
        await DestroyAsync(worker);
        Assert.Equal(new[] { 1f, 2f, 3f }, await relay.Kept());
        Assert.Equal(liveBefore + 3 * sizeof(float), gpu.Ledger.LiveBytes);
        var freed = Fixture.BuffersFreedWithAsync(relay.GetActorId().Uid);
        await DestroyAsync(relay);
        await freed.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(liveBefore, gpu.Ledger.LiveBytes);
    }

    [Fact]
    public async Task Running_out_of_device_memory_is_a_typed_error_naming_pool_device_and_bytes_and_the_pool_keeps_serving()
    {
        var worker = await CreateAsync<GpuWorker, IGpuWorker>(GpuPool.OnDevice(0));

        var error = await Assert.ThrowsAsync<GpuOutOfMemoryException>(() => worker.Hold(100 * MiB));

        Assert.Equal(Fixture.Address(1), error.Address);
        Assert.StartsWith("sim:0:67108864 'Simulated GPU 0'", error.Device);
        Assert.Equal(100 * MiB, error.RequestedBytes);
        Assert.Contains($"GPU pool {Fixture.Address(1)} cannot allocate 100 MiB", error.Message);
        await worker.Hold(MiB);
        Assert.Equal(new[] { 7f, 10f }, await worker.Saxpy(3f, [2f, 3f], [1f, 1f]));
    }
}
