using Microsoft.Extensions.Logging.Abstractions;
using Xoscar.Orleans.Gpu;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The simulated device inventory: CPU-accelerator devices with an index and memory of their own.</summary>
public sealed class SimulatedGpuDeviceTests
{
    [Theory]
    [InlineData("sim:3:2GiB", 3, 2L << 30)]
    [InlineData("sim:0:512MiB", 0, 512L << 20)]
    [InlineData("SIM:1:1048576", 1, 1L << 20)]
    public void Simulated_device_spec_names_its_index_and_memory(string spec, int index, long memory)
    {
        var device = GpuDevices.Select([], spec);

        Assert.Equal((index, memory, GpuDeviceKind.Simulated, $"Simulated GPU {index}"), (device.Index, device.MemoryBytes, device.Kind, device.Name));
        Assert.Equal(device, GpuDevices.Select([], device.Spec));
        Assert.Equal(device.Spec, GpuDevices.SimulatedSpec(index, memory));
    }

    [Theory]
    [InlineData("sim:1")]
    [InlineData("sim:x:1GiB")]
    [InlineData("sim:1:0")]
    [InlineData("sim:1:lots")]
    public void Malformed_simulated_device_spec_is_refused_naming_the_form(string spec)
    {
        var error = Assert.Throws<ArgumentException>(() => GpuDevices.Select([], spec));

        Assert.Contains("sim:INDEX:MEMORY", error.Message);
    }

    [Fact]
    public void Simulated_device_holds_its_pool_to_its_memory_size()
    {
        using var gpu = new GpuAccelerator("sim:4:1MiB", NullLogger.Instance);
        using var most = gpu.Allocate<byte>(768 << 10);

        var error = Assert.Throws<GpuOutOfMemoryException>(() => gpu.Allocate<byte>(512 << 10));

        Assert.Equal(512 << 10, error.RequestedBytes);
        Assert.Equal(256 << 10, error.FreeBytes);
        Assert.Equal(256 << 10, gpu.FreeMemoryBytes);
        Assert.Equal(1, gpu.Ledger.LiveBuffers);
    }
}
