using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Placement;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// The device choice on inventories the simulated server cannot show: devices of several kinds on one host. No pools
/// run: the choice is a function of the inventory.
/// </summary>
public sealed class GpuChoiceTests
{
    private const long GiB = 1L << 30;

    private static GpuDeviceState Device(GpuDeviceKind kind, int index, int poolIndex, long memory = 8 * GiB)
    {
        var device = new GpuDeviceInfo(index, $"{kind} {index}", memory, kind, kind.ToString(), "none");
        var pool = new PoolConfig($"127.0.0.1:{20000 + poolIndex}", poolIndex, "gpu", PoolKind.Sub, 1, new Dictionary<string, string>(), 0, Gpu: new PoolGpu(device));
        return new GpuDeviceState(device, [pool], memory, DateTime.UtcNow, [], 0);
    }

    private static readonly IReadOnlyList<GpuDeviceState> CudaAndSimulatedZero =
        [Device(GpuDeviceKind.Cuda, 0, 1), Device(GpuDeviceKind.Cuda, 1, 2), Device(GpuDeviceKind.Simulated, 0, 3)];

    [Fact]
    public void Device_index_held_by_devices_of_two_kinds_is_refused_listing_every_device()
    {
        var error = Assert.Throws<ArgumentException>(() => GpuChoice.Device(GpuPool.OnDevice(0), CudaAndSimulatedZero));

        Assert.Contains("device index 0 is held by 2 devices", error.Message);
        Assert.All(CudaAndSimulatedZero, d => Assert.Contains(d.Device.ToString(), error.Message));
    }

    [Fact]
    public void Device_index_held_by_one_device_of_a_mixed_host_is_that_device()
    {
        Assert.Equal("cuda:1", GpuChoice.Device(GpuPool.OnDevice(1), CudaAndSimulatedZero).Device.Key);
    }

    [Fact]
    public void Gang_takes_its_devices_from_one_kind_only()
    {
        var devices = GpuChoice.Gang(new GpuGang(GpuPool.Any), 2, CudaAndSimulatedZero);

        Assert.Equal(["cuda:0", "cuda:1"], devices.Select(d => d.Device.Key));
    }

    [Fact]
    public void Gang_larger_than_any_kind_is_refused_though_the_host_has_enough_devices()
    {
        var error = Assert.Throws<NoGpuCapacityException>(() => GpuChoice.Gang(new GpuGang(GpuPool.Any), 3, CudaAndSimulatedZero));

        Assert.Contains("fewer than 3 devices of one kind", error.Message);
        Assert.Equal([1, 2, 3], error.GpuPools.Select(p => p.Index));
    }
}
