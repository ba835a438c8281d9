using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class GpuBufferTests(GpuClusterFixture fixture) : GpuClusterTest(fixture)
{
    [Fact]
    public async Task Buffer_passed_between_actors_of_one_pool_keeps_its_identity_and_device_pointer()
    {
        var (handOff, data) = await HandOffAsync(workerPool: Pool0);

        Assert.NotEqual(0, handOff.SentPointer);
        Assert.Equal(handOff.SentPointer, handOff.SeenPointer);
        Assert.True(handOff.SameObjectBack);
        Assert.Equal(data, handOff.Returned);
    }

    [Fact]
    public async Task Buffer_passed_to_another_pool_arrives_as_an_equal_copy_on_that_pools_device()
    {
        var (handOff, data) = await HandOffAsync(workerPool: Pool1);

        Assert.NotEqual(0, handOff.SeenPointer);
        Assert.NotEqual(handOff.SentPointer, handOff.SeenPointer);
        Assert.False(handOff.SameObjectBack);
        Assert.Equal(data, handOff.Returned);
    }

    [Fact]
    public async Task Large_buffer_crosses_pools_through_shared_memory_and_back_with_equal_elements()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);
        var x = Ramp(100_000, 1f);
        var y = Ramp(100_000, 2f);

        using var result = await worker.SaxpyBuffers(2f, GpuBuffer<float>.FromHost(x), GpuBuffer<float>.FromHost(y));

        Assert.Equal(x.Zip(y, (xi, yi) => 2f * xi + yi), result.ToArray());
    }

    [Fact]
    public async Task Buffer_returned_to_a_client_without_a_GPU_arrives_host_side_with_equal_elements()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);
        var data = Ramp(512, 0.125f);

        using var buffer = await worker.Upload(data);

        Assert.False(buffer.IsOnDevice);
        Assert.Equal(data.Length, buffer.Length);
        Assert.Equal(data, buffer.ToArray());
    }

    [Fact]
    public async Task Host_side_buffer_sent_by_a_client_is_uploaded_and_computed_on()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var x = Ramp(128, 1f);
        var y = Ramp(128, 2f);

        using var result = await worker.SaxpyBuffers(3f, GpuBuffer<float>.FromHost(x), GpuBuffer<float>.FromHost(y));

        Assert.Equal(x.Zip(y, (xi, yi) => 3f * xi + yi), result.ToArray());
    }

    [Fact]
    public async Task Buffers_of_different_lengths_raise_the_typed_mismatch_error_naming_expected_and_actual()
    {
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<GpuBufferMismatchException>(() =>
            worker.SaxpyBuffers(1f, GpuBuffer<float>.FromHost(Ramp(64, 1f)), GpuBuffer<float>.FromHost(Ramp(32, 1f))));

        Assert.Equal("GpuBuffer<Single>[64]", error.Expected);
        Assert.Equal("GpuBuffer<Single>[32]", error.Actual);
    }

    [Fact]
    public void Buffer_read_as_another_element_type_raises_the_typed_mismatch_error()
    {
        var serializer = Fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var bytes = serializer.SerializeToArray(GpuBuffer<float>.FromHost(Ramp(16, 1f)));

        var error = Assert.Throws<GpuBufferMismatchException>(() => serializer.Deserialize<GpuBuffer<int>>(bytes));

        Assert.Equal("GpuBuffer<Int32>[16]", error.Expected);
        Assert.StartsWith("GpuBuffer<Single>[16]", error.Actual);
    }

    [Fact]
    public void Dispose_frees_the_device_memory_at_once_and_only_once()
    {
        var gpu = Fixture.Gpu(0);
        var (buffers, bytes) = (gpu.Ledger.LiveBuffers, gpu.Ledger.LiveBytes);

        var buffer = gpu.Upload<float>(Ramp(1000, 2f));
        Assert.Equal((buffers + 1, bytes + 4000), (gpu.Ledger.LiveBuffers, gpu.Ledger.LiveBytes));
        buffer.Dispose();
        buffer.Dispose();

        Assert.Equal((buffers, bytes), (gpu.Ledger.LiveBuffers, gpu.Ledger.LiveBytes));
        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.View);
    }

    [Fact]
    public async Task A_thousand_calls_passing_buffers_leave_every_pools_ledger_where_it_started()
    {
        var local = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool0);
        var remote = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), Pool1);
        var relay = await Xo.CreateActorAsync<GpuRelay, IGpuRelay>(null, NewUid(), Pool0);
        var (ledger0, ledger1) = (Fixture.Gpu(0).Ledger, Fixture.Gpu(1).Ledger);
        var (buffers0, bytes0, buffers1, bytes1) = (ledger0.LiveBuffers, ledger0.LiveBytes, ledger1.LiveBuffers, ledger1.LiveBytes);
        var (allocations0, allocations1) = (ledger0.TotalAllocations, ledger1.TotalAllocations);
        var data = Ramp(64, 0.5f);

        Assert.Equal(data, await relay.CopyRepeatedly(local, data, 500));
        Assert.Equal(data, await relay.CopyRepeatedly(remote, data, 500));

        Assert.Equal((buffers0, bytes0), (ledger0.LiveBuffers, ledger0.LiveBytes));
        Assert.Equal((buffers1, bytes1), (ledger1.LiveBuffers, ledger1.LiveBytes));
        Assert.True(ledger0.TotalAllocations - allocations0 >= 1001, "pool 0 allocated for the calls");
        Assert.True(ledger1.TotalAllocations - allocations1 >= 1000, "pool 1 allocated for the calls");
    }

    [Fact]
    public void A_copy_a_gateway_pool_makes_while_forwarding_a_buffer_is_freed_once_forwarded()
    {
        var gateway = Fixture.Services(0).GetRequiredService<Serializer>();
        var ledger = Fixture.Gpu(0).Ledger;
        var (buffers, bytes) = (ledger.LiveBuffers, ledger.LiveBytes);
        var data = Ramp(10_000, 1f);

        // What a gateway pool does with a call for another pool: reads the message (the codec puts the buffer on its
        // device), then writes it again for the pool it is for.
        var arrived = gateway.Deserialize<GpuBuffer<float>>(gateway.SerializeToArray(GpuBuffer<float>.FromHost(data)));
        Assert.Equal((buffers + 1, bytes + 40_000), (ledger.LiveBuffers, ledger.LiveBytes));
        var forwarded = gateway.SerializeToArray(arrived);

        Assert.Equal((buffers, bytes), (ledger.LiveBuffers, ledger.LiveBytes));
        using var received = Fixture.Services(1).GetRequiredService<Serializer>().Deserialize<GpuBuffer<float>>(forwarded)!;
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public void A_copy_that_code_used_is_not_freed_by_sending_it_on()
    {
        var pool = Fixture.Services(0).GetRequiredService<Serializer>();
        var arrived = pool.Deserialize<GpuBuffer<float>>(pool.SerializeToArray(GpuBuffer<float>.FromHost(Ramp(10, 1f))))!;
        _ = arrived.DevicePointer;

        pool.SerializeToArray(arrived);

        Assert.False(arrived.IsDisposed);
        arrived.Dispose();
    }

    /// <summary>A relay in pool 0 hands a buffer of non-zero data to a worker in <paramref name="workerPool"/>.</summary>
    private async Task<(GpuHandOff HandOff, float[] Data)> HandOffAsync(string workerPool)
    {
        var relay = await Xo.CreateActorAsync<GpuRelay, IGpuRelay>(null, NewUid(), Pool0);
        var worker = await Xo.CreateActorAsync<GpuWorker, IGpuWorker>(null, NewUid(), workerPool);
        var data = Ramp(256, 1.5f);
        return (await relay.HandOff(worker, data), data);
    }
}
