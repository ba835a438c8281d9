namespace Xoscar.Orleans;

/// <summary>Options of the Xoscar runtime in a pool and of the façade.</summary>
public sealed class XoscarOptions
{
    /// <summary>
    /// Calls a stateful actor may hold queued for its lock before a <c>tell</c> to it waits to be accepted.
    /// This is the back-pressure that keeps a fast caller from burying an actor under an unbounded queue.
    /// </summary>
    public int MaxQueuedCallsPerActor { get; set; } = 10_000;

    /// <summary>
    /// The most tells one caller sends to one actor in one message. Tells to an actor travel one message at a time;
    /// those made meanwhile wait in the caller and go together in the next message.
    /// </summary>
    public int MaxPendingTellsPerCaller { get; set; } = 1_024;

    /// <summary>
    /// Whether a call that comes back to a stateful actor whose lock waits on it (A → B → A, or A → A) fails at once
    /// with a <see cref="CallCycleException"/> naming the cycle, instead of waiting for the lock forever. The chain of
    /// locked calls travels with every call an actor's method makes; turn it off only to save that on calls known
    /// never to cycle.
    /// </summary>
    public bool DetectCallCycles { get; set; } = true;

    /// <summary>
    /// How long a call may hold a stateful actor's lock before the pool logs a warning (event 4701) naming the actor,
    /// the method and how many calls wait, or a call that takes no lock (a stateless actor's, a <c>[NoLock]</c>
    /// method) may run before it logs one (event 4702): every such call, as it crosses the threshold (within a 32nd of
    /// it), and no shorter one; it warns again each time the time doubles. Null turns it off.
    /// </summary>
    public TimeSpan? SlowCallWarning { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the pool events stream carries every actor's creation and destruction (<see cref="PoolEventKind.ActorCreated"/>,
    /// <see cref="PoolEventKind.ActorDestroyed"/>); set in the main pool, which hosts the stream. Off by default: a
    /// service that creates an actor per request would put thousands of events a second on the stream, each kept in
    /// the main pool's memory for 10 s. Pool events, re-created actors, slow calls and call cycles always go on it.
    /// </summary>
    public bool ActorEvents { get; set; }

    /// <summary>
    /// Whether <see cref="Blob"/>s this process sends, and the large <c>byte[]</c>, <c>float[]</c>, <c>double[]</c> and
    /// <c>(ReadOnly)Memory&lt;byte&gt;</c> arguments and results of its calls to actors in other pools, go through shared
    /// memory. Set for pools on loopback addresses,
    /// whose peers are all on this machine; off by default elsewhere (a peer on another machine cannot read it).
    /// </summary>
    public bool SharedMemory { get; set; }

    /// <summary>
    /// The smallest <see cref="Blob"/>, or array argument or result in bytes, sent through shared memory; smaller ones
    /// travel in the message.
    /// </summary>
    public int SharedMemoryThreshold { get; set; } = 1 << 20;

    /// <summary>The most shared memory, in bytes, this process keeps for blobs it sends; beyond it blobs travel in the message.</summary>
    public long MaxSharedMemory { get; set; } = 1L << 30;

    /// <summary>
    /// How long a shared memory segment may carry no blob before this process deletes it (all but one), giving back
    /// the memory a burst of blobs took; readers unmap it too.
    /// </summary>
    public TimeSpan SharedMemoryIdleRelease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a pool gives the memory its process's native allocator holds free back to the system (Linux with
    /// glibc, which otherwise keeps what threads free in their arenas and lets a long-running pool's resident set
    /// creep up). Zero or <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    public TimeSpan NativeHeapTrimInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a call to a pool that is being recovered (its process died, <c>ActorPoolOptions.AutoRecover</c>) waits
    /// for it to come back, and for the actor called to be re-created, before it raises <see cref="PoolRecoveringException"/>.
    /// </summary>
    public TimeSpan RecoveryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a main pool samples the free memory of its GPU pools' devices for placement (<see cref="GpuPool"/>); a
    /// placement that finds no room samples again at once before it refuses.
    /// </summary>
    public TimeSpan GpuMemorySampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The cluster's secret: every connection — pool to pool, client to pool — proves it holds it before any message
    /// is accepted, and a peer that cannot is refused. Required with <c>AddXoscar()</c>, the same on every silo and
    /// client of the cluster (at least 16 characters; <c>ClusterSecret.Generate()</c> makes one). Actor pools and
    /// <c>ActorClient</c> set it themselves. Never logged.
    /// </summary>
    public string? ClusterSecret { get; set; }
}
