namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The creation specs of the actors of this pool, one per uid. The pool grain adds them; an actor removes
/// its own when it is destroyed or fails to start, before its activation goes, so that no call can
/// re-activate it in between.
/// </summary>
internal interface IActorRegistry
{
    /// <summary>Removes the spec of <paramref name="uid"/> if it still describes an actor of <paramref name="actorType"/>.</summary>
    void Remove(string uid, GrainType actorType);

    /// <summary>
    /// Called by actor <paramref name="id"/> once it has removed itself on being destroyed: a recoverable pool tells
    /// its main pool, which then no longer re-creates it.
    /// </summary>
    Task DestroyedAsync(ActorId id, GrainType actorType);
}
