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

    [Fact]
    public async Task Host_side_buffer_cannot_be_registered_as_a_copy_target()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);

        var error = await Assert.ThrowsAsync<ArgumentException>(worker.RegisterHostSide);

        Assert.Contains("host-side", error.Message);
    }
}
