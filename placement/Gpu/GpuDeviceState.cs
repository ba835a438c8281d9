using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// One device of a host as its main pool's placement sees it at one moment: the GPU pools bound to it, its memory as
/// they last sampled it, and the holds of the actors placed on it.
/// </summary>
/// <param name="Device">The device.</param>
/// <param name="Pools">The GPU pools bound to it, in index order.</param>
/// <param name="FreeBytes">Free memory as last sampled, or null before any of its pools was.</param>
/// <param name="SampledAt">When the oldest sample used was taken, or null.</param>
/// <param name="Holds">The holds of its actors.</param>
/// <param name="UnusedReservedBytes">Memory reserved and not (yet) allocated by the actors that reserved it.</param>
internal sealed record GpuDeviceState(
    GpuDeviceInfo Device, IReadOnlyList<PoolConfig> Pools, long? FreeBytes, DateTime? SampledAt, IReadOnlyList<PlacementHold> Holds, long UnusedReservedBytes)
{
    /// <summary>Memory reserved by the device's actors.</summary>
    public long ReservedBytes => Holds.Sum(h => h.MemoryBytes);

    /// <summary>Shares of the device reserved, in millionths.</summary>
    public long ReservedShares => Holds.Sum(h => h.Shares);

    /// <summary>
    /// Memory a new reservation can take: no more than the device's memory less what is reserved, nor than what is free
    /// less what actors reserved and have not allocated yet (memory they did allocate is in neither figure twice).
    /// </summary>
    public long AvailableBytes => Math.Max(0, Math.Min(Device.MemoryBytes - ReservedBytes, (FreeBytes ?? Device.MemoryBytes) - UnusedReservedBytes));

    /// <summary>Shares of the device not reserved, in millionths.</summary>
    public long AvailableShares => PlacementHold.WholeDevice - ReservedShares;

    /// <summary>Whether the device can hold <paramref name="bytes"/> and <paramref name="shares"/> more.</summary>
    public bool Fits(long bytes, long shares) => bytes <= AvailableBytes && shares <= AvailableShares;

    /// <summary>The pool to place an actor on the device in: the one with the fewest placed actors, then the lowest index.</summary>
    public PoolConfig LeastHeldPool() => Pools.OrderBy(p => Holds.Count(h => h.Address == p.Address)).ThenBy(p => p.Index).First();

    /// <summary>The device and its figures, as <see cref="PoolConfig.Gpu"/> shows them.</summary>
    public PoolGpu Describe() => new(
        Device, FreeBytes, SampledAt, ReservedBytes, (double)ReservedShares / PlacementHold.WholeDevice, AvailableBytes, Holds.Select(h => h.ToReservation()).ToList());

    /// <summary>The device's pools with its figures, as errors show them.</summary>
    public IEnumerable<PoolConfig> DescribePools()
    {
        var gpu = Describe();
        return Pools.Select(p => p with { Gpu = gpu });
    }
}
