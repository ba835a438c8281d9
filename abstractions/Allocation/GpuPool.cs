using System.Globalization;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// A GPU pool (one bound to a device: <c>ActorPoolOptions.Gpus</c>, <c>UseGpuPools</c>), chosen by the main pool among
/// the GPU pools of its actor pool, with a reservation for the actor's life: <see cref="MemoryBytes"/> of its device's
/// memory and a <see cref="Share"/> of the device. Reservations are taken atomically as the actor is placed (concurrent
/// creations never over-commit a device), released when it is destroyed, its creation fails or its pool dies, and taken
/// again when a recovery re-creates it. A request no GPU pool can hold fails with <see cref="NoGpuCapacityException"/>
/// before anything is created.
/// </summary>
/// <remarks>
/// A device's memory counts as available when it is free (as its pools last sampled it) and not reserved: memory an
/// actor reserved and has not allocated yet is not available to others, memory it allocated counts once. Shares are
/// logical (Ray's fractional <c>num_gpus</c>): the shares of a device's actors add up to at most 1, whatever memory they
/// use. Pools bound to one device share its memory and shares.
/// </remarks>
[GenerateSerializer, Immutable, Alias("xoscar.GpuPool")]
public sealed record GpuPool : AllocationStrategy
{
    /// <summary>A GPU pool on <paramref name="device"/> (any device when null) that can hold the reservation.</summary>
    /// <param name="device">The device's index (CUDA ordinal, or a simulated device's index); null: any device.</param>
    /// <param name="memoryBytes">Device memory to reserve for the actor, in bytes; 0: none.</param>
    /// <param name="share">The fraction of the device to reserve, 0 &lt; share ≤ 1; 0: none.</param>
    /// <param name="pick">Which device to take among those that can hold it.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index or a size is negative, the share is not within [0, 1], or the pick is not one of <see cref="GpuPick"/>.</exception>
    public GpuPool(int? device = null, long memoryBytes = 0, double share = 0, GpuPick pick = GpuPick.Any)
    {
        if (device < 0) throw new ArgumentOutOfRangeException(nameof(device), device, "A device index is 0 or more.");
        if (memoryBytes < 0) throw new ArgumentOutOfRangeException(nameof(memoryBytes), memoryBytes, "Memory to reserve is 0 bytes or more.");
        if (!(share >= 0 && share <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "A share of a device is within [0, 1] (0: none).");
        if (!Enum.IsDefined(pick)) throw new ArgumentOutOfRangeException(nameof(pick), pick, $"A pick is one of {string.Join(", ", Enum.GetNames<GpuPick>())}.");
        Device = device;
        MemoryBytes = memoryBytes;
        Share = share;
        Pick = pick;
    }

    /// <summary>Any GPU pool (at random), reserving nothing.</summary>
    public static GpuPool Any { get; } = new();

    /// <summary>The GPU pool whose device has the most memory free and not reserved, reserving nothing.</summary>
    public static GpuPool MostFreeMemory { get; } = new(pick: GpuPick.MostFreeMemory);

    /// <summary>A GPU pool on device <paramref name="index"/>. An index no device has, or one several devices of the host have (of different kinds), is refused with the list of devices.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static GpuPool OnDevice(int index) => new(device: index);

    /// <summary>A GPU pool whose device has <paramref name="bytes"/> of memory free and not reserved; the actor reserves them.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is not positive.</exception>
    public static GpuPool WithMemory(long bytes) => bytes > 0
        ? new(memoryBytes: bytes)
        : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "Memory to reserve is more than 0 bytes.");

    /// <summary>A GPU pool with <paramref name="fraction"/> of its device not reserved; the actor reserves it (several actors per device).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not within (0, 1].</exception>
    public static GpuPool WithShare(double fraction) => fraction is > 0 and <= 1
        ? new(share: fraction)
        : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A share of a device is within (0, 1].");

    /// <summary>The device's index, or null for any device.</summary>
    [Id(0)] public int? Device { get; }

    /// <summary>Device memory reserved for the actor, in bytes (0: none).</summary>
    [Id(1)] public long MemoryBytes { get; }

    /// <summary>The fraction of the device reserved for the actor (0: none).</summary>
    [Id(2)] public double Share { get; }

    /// <summary>Which device to take among those that can hold the request.</summary>
    [Id(3)] public GpuPick Pick { get; }

    /// <summary>The request in words, as errors and logs name it.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Device is { } device) parts.Add($"device {device}");
        if (MemoryBytes > 0) parts.Add(Sizes.Of(MemoryBytes));
        if (Share > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"share {Share:0.###}"));
        if (Pick != GpuPick.Any) parts.Add(Pick == GpuPick.MostFreeMemory ? "most free memory" : "packed");
        return $"GpuPool({(parts.Count == 0 ? "any" : string.Join(", ", parts))})";
    }
}
