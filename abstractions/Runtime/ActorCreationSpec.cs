namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Everything needed to create an actor, and to create it again after its pool restarts:
/// its uid, its class (as an Orleans grain type) and its constructor arguments.
/// </summary>
[GenerateSerializer, Alias("xoscar.ActorCreationSpec")]
internal sealed record ActorCreationSpec(
    [property: Id(0)] string Uid,
    [property: Id(1)] GrainType ActorType,
    [property: Id(2)] object?[] Args);
