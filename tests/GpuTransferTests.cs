using System.Runtime.InteropServices;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Copies into device buffers a GPU actor registered (Xoscar's copy_to of GPU buffers).</summary>
public sealed class GpuTransferTests(GpuClusterFixture fixture) : GpuClusterTest(fixture)
{
    [Fact]
    public async Task Floats_copied_in_blocks_into_a_device_buffer_arrive_equal()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);
        var data = Ramp(100_000, 0.25f);
        var target = await worker.HoldTarget(data.Length);

        // 64 KiB blocks: through shared memory (the fixture's threshold is 1 KiB), the last one a remainder.
        await Xo.CopyToAsync([MemoryMarshal.AsBytes(data.AsSpan()).ToArray()], [target], blockSize: 64 << 10);

        Assert.Equal(data, await worker.ReadTarget());
    }

    [Fact]
    public async Task Small_blocks_in_the_message_land_at_their_offsets_on_the_device()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var data = Ramp(300, 3f);
        var target = await worker.HoldTarget(400);

        await Xo.CopyToAsync([MemoryMarshal.AsBytes(data.AsSpan()).ToArray()], [target], blockSize: 100);

        var device = await worker.ReadTarget();
        Assert.Equal(data, device[..300]);
        Assert.Equal(1600, target.Length);
    }

    [Theory]
    [InlineData(64 << 10)]   // through shared memory, straight from the device into the segment
    [InlineData(512)]        // in the message
    public async Task Device_buffer_copied_into_a_device_buffer_of_another_pool_arrives_equal(int blockSize)
    {
        var (sender, receiver) = (await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0), await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1));
        var data = Ramp(20_000, 0.5f);
        var target = await receiver.HoldTarget(data.Length);

        await sender.CopyUploaded(data, target, blockSize);

        Assert.Equal(data, await receiver.ReadTarget());
    }

    [Fact]
    public async Task Device_buffer_copied_into_a_device_buffer_of_its_own_pool_arrives_equal()
    {
        var (sender, receiver) = (await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1), await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1));
        var data = Ramp(20_000, 1.5f);
        var target = await receiver.HoldTarget(data.Length);

        await sender.CopyUploaded(data, target, 16 << 10);

        Assert.Equal(data, await receiver.ReadTarget());
    }

    [Fact]
    public async Task Device_buffer_copied_into_a_host_buffer_of_another_pool_arrives_equal()
    {
        var sender = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var receiver = await Xo.CreateActorAsync<Transferer, ITransferer>(null, NewUid(), Pool1);
        var data = Ramp(20_000, 2.5f);
        var targets = await receiver.CreateBuffers([data.Length * sizeof(float)]);

        await sender.CopyUploaded(data, targets[0], 16 << 10);

        Assert.Equal(MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), (await receiver.ReadBuffers(targets))[0]);
    }

    [Fact]
    public async Task Host_side_buffer_cannot_be_registered_as_a_copy_target()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);

        var error = await Assert.ThrowsAsync<ArgumentException>(worker.RegisterHostSide);

        Assert.Contains("host-side", error.Message);
    }
}
