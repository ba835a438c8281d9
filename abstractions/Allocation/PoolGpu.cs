using System.Globalization;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// A GPU pool's device as its main pool's placement sees it (<see cref="PoolConfig.Gpu"/>): what the device is, its
/// memory as last sampled, and what the actors placed on it by <see cref="GpuPool"/> reserve. Pools bound to one device
/// show the same figures.
/// </summary>
/// <param name="Device">The device: index, name, kind, architecture, total memory.</param>
/// <param name="FreeMemoryBytes">Free device memory as last sampled (the driver's figure on CUDA; on the CPU accelerator and simulated devices, memory less what the pools' buffers hold); null until the first sample.</param>
/// <param name="SampledAt">When that sample was taken (UTC), or null.</param>
/// <param name="ReservedMemoryBytes">Memory reserved by the device's actors.</param>
/// <param name="ReservedShare">The fraction of the device reserved by its actors.</param>
/// <param name="AvailableMemoryBytes">Memory free and not reserved: what a <see cref="GpuPool.WithMemory"/> request can still take.</param>
/// <param name="Reservations">The device's actors placed by <see cref="GpuPool"/>, with what each reserves.</param>
[GenerateSerializer, Immutable, Alias("xoscar.PoolGpu")]
public sealed record PoolGpu(
    [property: Id(0)] GpuDeviceInfo Device,
    [property: Id(1)] long? FreeMemoryBytes = null,
    [property: Id(2)] DateTime? SampledAt = null,
    [property: Id(3)] long ReservedMemoryBytes = 0,
    [property: Id(4)] double ReservedShare = 0,
    [property: Id(5)] long AvailableMemoryBytes = 0,
    [property: Id(6)] IReadOnlyList<GpuReservation>? Reservations = null)
{
    /// <summary>The device and its figures in words, as errors name them.</summary>
    public override string ToString()
    {
        var free = FreeMemoryBytes is { } bytes ? Sizes.Of(bytes) + " free" : "not sampled yet";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Device.Spec} '{Device.Name}' ({Sizes.Of(Device.MemoryBytes)}): {free}, {Sizes.Of(AvailableMemoryBytes)} available, {Sizes.Of(ReservedMemoryBytes)} and share {ReservedShare:0.###} reserved by {Reservations?.Count ?? 0} actors");
    }
}
