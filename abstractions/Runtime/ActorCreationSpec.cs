namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Everything needed to create an actor, and to create it again after its pool restarts:
/// its uid, its class (as an Orleans grain type) and its constructor arguments; for an actor placed by a strategy
/// that holds something for the actor's life (<see cref="GpuPool"/>, <see cref="IdleLabel"/>), that strategy.
/// </summary>
/// <param name="Uid">The actor's uid.</param>
/// <param name="ActorType">Its class, as an Orleans grain type.</param>
/// <param name="Args">Its constructor arguments.</param>
/// <param name="Placement">The strategy whose hold the actor keeps (a reservation, a slot): its pool tells the main pool when
/// the actor is destroyed, so that the hold is released, and a recovery takes it again. Null for any other actor.</param>
[GenerateSerializer, Alias("xoscar.ActorCreationSpec")]
internal sealed record ActorCreationSpec(
    [property: Id(0)] string Uid,
    [property: Id(1)] GrainType ActorType,
    [property: Id(2)] object?[] Args,
    [property: Id(3)] AllocationStrategy? Placement = null);
