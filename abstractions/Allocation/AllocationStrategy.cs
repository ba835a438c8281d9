namespace Xoscar.Orleans;

/// <summary>
/// How <c>CreateActorAsync</c> chooses the pool for a new actor (Xoscar's <c>allocate_strategy</c>). Every strategy
/// other than <see cref="AddressSpecified"/> is decided by the main pool of the cluster, one creation at a time, over
/// the pools it knows (their index, label and kind); the actor then lives at the chosen pool's address.
/// </summary>
/// <remarks>When no pool fits, the creation fails with <see cref="NoIdleSlotException"/> and creates nothing.</remarks>
[GenerateSerializer, Alias("xoscar.AllocationStrategy")]
public abstract record AllocationStrategy;
