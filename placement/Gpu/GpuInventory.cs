using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Placement;

/// <summary>The devices of a host's GPU pools, with their samples and holds: what GPU placement decides on.</summary>
internal static class GpuInventory
{
    /// <summary>
    /// The devices of the GPU pools among <paramref name="pools"/> (pools of one actor pool, so of one host), in kind
    /// and index order, from the pools' latest samples and the holds of the actors placed on them.
    /// </summary>
    public static IReadOnlyList<GpuDeviceState> Of(IReadOnlyList<PoolConfig> pools, GpuMemorySamples samples, IReadOnlyList<PlacementHold> holds) =>
        pools.Where(p => p.Gpu is not null)
            .GroupBy(p => p.Gpu!.Device.Key)
            .Select(device => State(device.OrderBy(p => p.Index).ToList(), samples, holds.Where(h => h.Device == device.Key).ToList()))
            .OrderBy(d => d.Device.Kind)
            .ThenBy(d => d.Device.Index)
            .ToList();

    private static GpuDeviceState State(IReadOnlyList<PoolConfig> pools, GpuMemorySamples samples, IReadOnlyList<PlacementHold> holds)
    {
        var device = pools[0].Gpu!.Device;
        var sampled = pools.Select(p => samples.Latest(p.Address)).OfType<GpuMemorySamples.Taken>().ToList();
        long? free = sampled.Count == 0 ? null
            // The driver's figure is the device's; elsewhere each pool counts only its own buffers.
            : device.Kind == GpuDeviceKind.Cuda ? sampled.Min(s => s.Sample.FreeBytes)
            : device.MemoryBytes - sampled.Sum(s => s.Sample.LiveBytes);
        var unused = holds.Sum(h => Math.Max(0, h.MemoryBytes - AllocatedBy(h, samples)));
        return new GpuDeviceState(device, pools, free, sampled.Count == 0 ? null : sampled.Min(s => s.At), holds, unused);
    }

    private static long AllocatedBy(PlacementHold hold, GpuMemorySamples samples) =>
        !hold.Recovering && samples.Latest(hold.Address) is { } taken && taken.Sample.ByActor.TryGetValue(hold.Uid, out var bytes) ? bytes : 0;
}
