namespace Xoscar.Orleans.Runtime;

/// <summary>
/// A pool's own endpoint, keyed by the pool address and placed in that pool: it keeps the pool's creation
/// specs (uid uniqueness, constructor arguments) and routes creations to the actor; an actor destroys itself.
/// </summary>
[Alias("xoscar.IActorPoolGrain")]
internal interface IActorPoolGrain : IGrainWithStringKey
{
    /// <summary>Creates an actor in this pool from <paramref name="spec"/>.</summary>
    [Alias("CreateActor")] Task CreateActor(ActorCreationSpec spec);

    /// <summary>The grain type of the actor <paramref name="uid"/>, checked to implement <paramref name="refType"/>.</summary>
    [Alias("LookupActor")] Task<GrainType> LookupActor(string uid, Type refType);

    /// <summary>Answers at once: the main pool's sign that this pool's process still serves calls.</summary>
    [Alias("Ping")] Task Ping();

    /// <summary>Whether the actor <paramref name="uid"/> exists in this pool as an actor of <paramref name="actorType"/>.</summary>
    [Alias("HasActor")] Task<bool> HasActor(string uid, GrainType actorType);

    /// <summary>
    /// Creates an actor from <paramref name="spec"/> in the pool <paramref name="strategy"/> chooses and returns that
    /// pool's address. The main pool decides; any other pool passes the request on to it.
    /// </summary>
    [Alias("AllocateActor")] Task<string> AllocateActor(ActorCreationSpec spec, AllocationStrategy strategy);

    /// <summary>Every pool of this pool's cluster, in index order.</summary>
    [Alias("GetPoolConfigs")] Task<PoolConfig[]> GetPoolConfigs();

    /// <summary>
    /// Has the main pool SIGKILL the sub pool at <paramref name="address"/> for <paramref name="actor"/>, one of its
    /// actors; calls to its actors then say so, naming the caller as Orleans knows it.
    /// </summary>
    [Alias("KillSubPool")] Task KillSubPool(string address, ActorId actor);

    /// <summary>On the main pool: <see cref="KillSubPool"/> passed on by another pool, for <paramref name="caller"/> (its caller, in words); only pools may.</summary>
    [Alias("KillSubPoolFor")] Task KillSubPoolFor(string address, ActorId actor, string caller);

    /// <summary>On the main pool: the recoverable sub pool at <paramref name="address"/> created the actor of <paramref name="spec"/>.</summary>
    [Alias("RecordActor")] Task RecordActor(string address, ActorCreationSpec spec);

    /// <summary>On the main pool: the recoverable sub pool at <paramref name="address"/> destroyed the actor <paramref name="uid"/>.</summary>
    [Alias("ForgetActor")] Task ForgetActor(string address, string uid, GrainType actorType);

    /// <summary>
    /// What this pool keeps now for actors, calls and transfers, and what its process holds (after a full garbage
    /// collection where <paramref name="collect"/>): for the churn tests and the benchmark's soak.
    /// </summary>
    [Alias("GetFootprint")] Task<PoolFootprint> GetFootprint(bool collect);

    /// <summary>On a restarted pool: its main pool has re-created its actors; a uid it does not have is no longer awaited.</summary>
    [Alias("EndRecovery")] Task EndRecovery();

    /// <summary>The pool at <paramref name="address"/> is back after its process died: calls to it no longer wait.</summary>
    [Alias("RecordPoolRecovered")] Task RecordPoolRecovered(string address);

    /// <summary>A sub pool of the cluster ended without being asked to: calls to its actors will say how.</summary>
    [Alias("RecordPoolDeath")] Task RecordPoolDeath(PoolObituary obituary);

    /// <summary>On the main pool: events of one of its sub pools, to publish on the pool events stream in this order.</summary>
    [Alias("PublishEvents")] Task PublishEvents(PoolEvent[] events);

    /// <summary>
    /// The first <paramref name="take"/> (1..<see cref="MaxActorPage"/>) of this pool's actors whose uids come after
    /// <paramref name="after"/> in ordinal order (from the first when null), and how many it has.
    /// </summary>
    [Alias("ListActors")] Task<ActorPage> ListActors(string? after, int take);

    /// <summary>The most actors one <see cref="ListActors"/> returns.</summary>
    const int MaxActorPage = 500;
}
