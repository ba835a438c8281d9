namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The creation specs of the actors of this pool, one per uid. The pool grain adds them; an actor removes
/// its own when it is destroyed or fails to start, before its activation goes, so that no call can
/// re-activate it in between.
/// </summary>
internal interface IActorRegistry
{
    /// <summary>Removes the spec of <paramref name="uid"/> if it still describes an actor of <paramref name="actorType"/>, and returns it (null: there was none).</summary>
    ActorCreationSpec? Remove(string uid, GrainType actorType);

    /// <summary>
    /// Called by actor <paramref name="id"/> of <paramref name="actorType"/> once it has removed itself, with its spec (null
    /// where it had none left), on being destroyed: the pool publishes the event; a recoverable
    /// pool tells its main pool, which then no longer re-creates it, and so does any pool for an actor that held a
    /// placement (<see cref="ActorCreationSpec.Placement"/>), whose hold the main pool then releases.
    /// </summary>
    Task DestroyedAsync(ActorId id, GrainType actorType, ActorCreationSpec? spec);
}
