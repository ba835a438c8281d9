namespace Xoscar.Orleans.Runtime;

/// <summary>
/// What one pool keeps now for its actors, calls and transfers, and what its process holds: each count must come
/// back to where it was once the actors it was kept for are gone, however many came and went (the churn tests and
/// the benchmark's soak read it).
/// </summary>
[GenerateSerializer, Immutable, Alias("xoscar.PoolFootprint")]
internal sealed record PoolFootprint
{
    /// <summary>The pool's process.</summary>
    [Id(0)] public int ProcessId { get; init; }

    /// <summary>Creation specs of the pool's actors (<c>ActorRegistry</c>).</summary>
    [Id(1)] public int Actors { get; init; }

    /// <summary>Orleans' activations in the pool: actors, their scale-out workers, system and pool grains.</summary>
    [Id(2)] public int Activations { get; init; }

    /// <summary>Activations the pool's grain directory records.</summary>
    [Id(3)] public int DirectoryEntries { get; init; }

    /// <summary>Pools the pool's directory cache knows the silo of (one entry per pool, none per actor).</summary>
    [Id(4)] public int DirectoryCachePools { get; init; }

    /// <summary>Entries of Orleans' directory cache for grains not placed by pool address.</summary>
    [Id(5)] public int OtherDirectoryCacheEntries { get; init; }

    /// <summary>Activations whose locks or unlocked calls the slow-call watch follows.</summary>
    [Id(6)] public int WatchedActivations { get; init; }

    /// <summary>Actors that tells from this process are queued for.</summary>
    [Id(7)] public int TellOutboxes { get; init; }

    /// <summary>Registered copy targets (buffers, streams) not yet swept.</summary>
    [Id(8)] public int TransferTargets { get; init; }

    /// <summary>Actors of recoverable sub pools whose specs this (main) pool keeps to re-create them.</summary>
    [Id(9)] public int RecoverableActors { get; init; }

    /// <summary>Other processes' shared memory segments the pool has mapped.</summary>
    [Id(10)] public int MappedSegments { get; init; }

    /// <summary>The managed heap after a full, compacting collection, in bytes.</summary>
    [Id(11)] public long HeapBytes { get; init; }

    /// <summary>Generation 2 after that collection, in bytes.</summary>
    [Id(12)] public long Gen2Bytes { get; init; }

    /// <summary>The large object heap after that collection, in bytes.</summary>
    [Id(13)] public long LargeObjectHeapBytes { get; init; }

    /// <summary>The process's resident set, in bytes.</summary>
    [Id(14)] public long ResidentBytes { get; init; }

    /// <summary>The process's threads.</summary>
    [Id(15)] public int Threads { get; init; }

    /// <summary>Memory the garbage collector has committed (the managed heap and its free space, kept for reuse), in bytes.</summary>
    [Id(17)] public long CommittedBytes { get; init; }

    /// <summary>The part of the resident set in shared memory (the pool's own and mapped segments), in bytes; 0 where the OS does not say.</summary>
    [Id(18)] public long SharedResidentBytes { get; init; }

    /// <summary>How long the garbage collector has paused the process since it started, but for the collections footprints forced.</summary>
    [Id(16)] public TimeSpan GcPauses { get; init; }
}
