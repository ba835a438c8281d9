namespace Xoscar.Orleans;

/// <summary>What one actor placed by <see cref="GpuPool"/> holds on its device, for its life.</summary>
/// <param name="Address">The actor's pool.</param>
/// <param name="Uid">The actor's uid.</param>
/// <param name="MemoryBytes">Device memory reserved for it.</param>
/// <param name="Share">The fraction of the device reserved for it.</param>
/// <param name="Recovering">Whether its pool died and is being recovered: the reservation is kept for the actor's re-creation.</param>
[GenerateSerializer, Immutable, Alias("xoscar.GpuReservation")]
public sealed record GpuReservation(
    [property: Id(0)] string Address,
    [property: Id(1)] string Uid,
    [property: Id(2)] long MemoryBytes,
    [property: Id(3)] double Share,
    [property: Id(4)] bool Recovering = false);
