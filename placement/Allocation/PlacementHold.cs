using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// What one placed actor holds for its life, in its main pool's <see cref="PoolAllocator"/>: an <see cref="IdleLabel"/>
/// slot of its pool, or a <see cref="GpuPool"/> reservation on its pool's device. Taken when the actor is placed;
/// released when it is destroyed, its creation fails or its pool ends; kept while its pool is recovered.
/// </summary>
internal sealed class PlacementHold(string address, ActorCreationSpec spec, AllocationStrategy strategy)
{
    /// <summary>The shares of a whole device: shares are counted in millionths, so that fractions add up exactly.</summary>
    public const long WholeDevice = 1_000_000;

    /// <summary>The actor's pool.</summary>
    public string Address { get; } = address;

    /// <summary>The actor's uid.</summary>
    public string Uid { get; } = spec.Uid;

    /// <summary>The actor's class.</summary>
    public GrainType ActorType { get; } = spec.ActorType;

    /// <summary>The strategy the actor was placed by.</summary>
    public AllocationStrategy Strategy { get; } = strategy;

    /// <summary>For a GPU reservation, the device (<c>GpuDeviceInfo.Key</c>); else null.</summary>
    public string? Device { get; init; }

    /// <summary>Device memory reserved, in bytes.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>The share of the device reserved, in millionths.</summary>
    public long Shares { get; init; }

    /// <summary>Whether the actor exists (its creation or re-creation completed): only then can its absence mean it is gone.</summary>
    public bool Created
    {
        get => Volatile.Read(ref _created);
        set => Volatile.Write(ref _created, value);
    }

    private bool _created;

    /// <summary>Whether the actor's pool died and is being recovered: the hold waits for the actor's re-creation.</summary>
    public bool Recovering { get; set; }

    /// <summary>Whether this is the hold of actor <paramref name="uid"/> of <paramref name="actorType"/> in the pool at <paramref name="address"/>.</summary>
    public bool Of(string address, string uid, GrainType actorType) => Address == address && Uid == uid && ActorType.Equals(actorType);

    /// <summary>The share <paramref name="fraction"/> of a device in millionths.</summary>
    public static long SharesOf(double fraction) => (long)Math.Round(fraction * WholeDevice);

    /// <summary>The hold as <see cref="PoolGpu.Reservations"/> shows it.</summary>
    public GpuReservation ToReservation() => new(Address, Uid, MemoryBytes, (double)Shares / WholeDevice, Recovering);
}
