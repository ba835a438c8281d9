namespace Xoscar.Orleans;

/// <summary>
/// The actor was never created in that pool, or it was destroyed. Raised by <c>ActorRefAsync</c>,
/// <c>DestroyActorAsync</c> and by any call through a reference whose actor does not exist.
/// </summary>
[GenerateSerializer, Alias("xoscar.ActorNotExistException")]
public sealed class ActorNotExistException : XoscarException
{
    /// <summary>Creates the error for the actor <paramref name="actor"/>.</summary>
    public ActorNotExistException(ActorId actor)
        : base($"Actor '{actor.Uid}' does not exist in pool {actor.Address}.") => Actor = actor;

    /// <summary>The actor that was asked for.</summary>
    [Id(0)] public ActorId Actor { get; private set; }
}
