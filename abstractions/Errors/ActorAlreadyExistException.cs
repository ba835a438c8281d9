namespace Xoscar.Orleans;

/// <summary>An actor with the same uid already exists in the pool the creation targeted.</summary>
[GenerateSerializer, Alias("xoscar.ActorAlreadyExistException")]
public sealed class ActorAlreadyExistException : XoscarException
{
    /// <summary>Creates the error for the actor <paramref name="actor"/>.</summary>
    public ActorAlreadyExistException(ActorId actor)
        : base($"Actor '{actor.Uid}' already exists in pool {actor.Address}.") => Actor = actor;

    /// <summary>The actor whose uid is taken.</summary>
    [Id(0)] public ActorId Actor { get; private set; }
}
