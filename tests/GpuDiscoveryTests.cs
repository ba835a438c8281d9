using Xoscar.Orleans.Gpu;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class GpuDiscoveryTests
{
    [Fact]
    public void Discovery_lists_the_CPU_accelerator_as_the_fallback_device()
    {
        var devices = GpuDevices.Discover();

        var cpu = Assert.Single(devices, d => d.Kind == GpuDeviceKind.Cpu);
        Assert.Equal(0, cpu.Index);
        Assert.Equal("cpu", cpu.Spec);
        Assert.Equal("cpu", cpu.Architecture);
        Assert.Equal("none", cpu.Library);
        Assert.True(cpu.MemoryBytes > 0);
        Assert.False(string.IsNullOrWhiteSpace(cpu.Name));
    }

    [Fact]
    public void Auto_picks_a_CUDA_device_when_there_is_one_and_the_CPU_accelerator_otherwise()
    {
        var devices = GpuDevices.Discover();

        var chosen = GpuDevices.Select(devices, "auto");

        Assert.Equal(devices.Any(d => d.Kind == GpuDeviceKind.Cuda) ? GpuDeviceKind.Cuda : GpuDeviceKind.Cpu, chosen.Kind);
    }

    [Fact]
    public void Asking_for_a_device_that_does_not_exist_names_the_devices_found()
    {
        var devices = GpuDevices.Discover();

        var error = Assert.Throws<GpuDeviceNotFoundException>(() => GpuDevices.Select(devices, "cuda:97"));

        Assert.Equal("cuda:97", error.Requested);
        Assert.Contains("cpu '", error.Message);
    }

    [Fact]
    public void Discovery_logs_each_device_found_with_its_event_id()
    {
        var log = new GpuLogEvents();

        var devices = GpuDevices.Discover(log);

        var found = log.Entries.Where(e => e.EventId == 5100).Select(e => e.Message).ToList();
        Assert.Equal(devices.Count, found.Count);
        Assert.Contains(found, m => m.Contains("cpu 'CPUAccelerator'"));
        Assert.Contains(log.Entries, e => e.EventId is 5101 or 5102);
    }
}
