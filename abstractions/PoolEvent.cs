namespace Xoscar.Orleans;

/// <summary>What happened to a pool or an actor (see <see cref="PoolEvent"/>).</summary>
public enum PoolEventKind
{
    /// <summary>A pool started and joined its cluster (a sub pool's restart too).</summary>
    PoolStarted,

    /// <summary>A sub pool's process ended without being asked to; <see cref="PoolEvent.ExitCode"/> and <see cref="PoolEvent.Signal"/> say how.</summary>
    PoolDown,

    /// <summary>Its main pool is restarting a sub pool that went down.</summary>
    PoolRecovering,

    /// <summary>A sub pool that went down is back, its actors re-created.</summary>
    PoolRecovered,

    /// <summary>A sub pool that went down could not be recovered: calls to it fail.</summary>
    PoolFailed,

    /// <summary>An actor was created.</summary>
    ActorCreated,

    /// <summary>An actor was destroyed.</summary>
    ActorDestroyed,

    /// <summary>An actor of a pool that went down was created again in its restart.</summary>
    ActorRecreated,

    /// <summary>A call ran past <see cref="XoscarOptions.SlowCallWarning"/> (logged as well).</summary>
    SlowCall,

    /// <summary>A call was refused because it closed a cycle of locked calls (<see cref="CallCycleException"/>).</summary>
    CallCycle,
}

/// <summary>
/// One event of a cluster's pools and actors, as its main pool publishes them on the Orleans stream
/// <c>PoolEventStream</c> (read them with <see cref="IActorContext.WatchPoolEventsAsync"/>).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="TimeUtc">When it happened, in the pool where it did.</param>
/// <param name="Address">The pool it happened in (for a pool event, that pool).</param>
/// <param name="Description">What happened, in words: how a pool ended, how long a call ran, the cycle a call closed.</param>
/// <param name="Index">The pool's index (0 main, 1..n sub pools) where known.</param>
/// <param name="ProcessId">The pool's process (for a pool that went down, the one that ended).</param>
/// <param name="Cause">For a pool that went down, is being recovered, was recovered or failed: what brought it down (or what the recovery failed on).</param>
/// <param name="ExitCode">For a pool that went down, its process's exit code.</param>
/// <param name="Signal">For a pool whose process a signal ended, the signal (<c>SIGKILL</c>, ...).</param>
/// <param name="Uid">For an actor event, the actor's uid.</param>
/// <param name="ActorClass">For an actor event, the actor's class.</param>
/// <param name="Method">For a slow call or a call cycle, the method (<c>Interface.Method</c>).</param>
[GenerateSerializer, Immutable, Alias("xoscar.PoolEvent")]
public sealed record PoolEvent(
    [property: Id(0)] PoolEventKind Kind,
    [property: Id(1)] DateTime TimeUtc,
    [property: Id(2)] string Address,
    [property: Id(3)] string Description,
    [property: Id(4)] int? Index = null,
    [property: Id(5)] int? ProcessId = null,
    [property: Id(6)] string? Cause = null,
    [property: Id(7)] int? ExitCode = null,
    [property: Id(8)] string? Signal = null,
    [property: Id(9)] string? Uid = null,
    [property: Id(10)] string? ActorClass = null,
    [property: Id(11)] string? Method = null);
