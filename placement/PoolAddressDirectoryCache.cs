using System.Diagnostics.CodeAnalysis;
using Orleans.GrainDirectory;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// A silo's cache of where grains live, in place of Orleans' LRU cache (which serves every grain with a custom
/// directory): one entry per <em>pool</em> for grains of <see cref="PoolAddressGrainDirectory"/>, an LRU cache for any
/// other grain.
/// </summary>
/// <remarks>
/// An actor's key names its pool, so once the silo at that pool's endpoint is known, every actor of the pool lives
/// there: nothing about it needs remembering per actor. Orleans' cache remembered each actor this silo ever called
/// in another pool (about 0.3 KiB each, up to <c>GrainDirectoryOptions.CacheSize</c> = a million) and nothing
/// removed an entry when the actor was destroyed: a pool that creates and destroys actors in its sub pools grew by
/// one entry per actor. Here memory follows the number of pools. The first call into a pool still goes through
/// placement (<see cref="PoolAddressPlacementDirector"/>), which tells this cache the pool's silo; a pool's entry goes
/// when the membership no longer has its silo active, so a restarted pool (same endpoint, a new silo) is placed
/// afresh.
/// </remarks>
internal sealed class PoolAddressDirectoryCache(PoolAddressedGrains poolAddressed, IClusterMembershipService membership, IGrainDirectoryCache others)
    : IGrainDirectoryCache, IAsyncDisposable
{
    private readonly Lock _writing = new();
    private Pool[] _pools = [];

    /// <summary>How many pools have an entry: what this cache keeps for actors, whatever their number.</summary>
    public int PoolCount => Volatile.Read(ref _pools).Length;

    /// <summary>How many entries the cache keeps for other grains.</summary>
    public int OtherCount => others.KeyValues.Count();

    /// <inheritdoc />
    public void AddOrUpdate(GrainAddress value, int version)
    {
        if (!IsPoolAddressed(value.GrainId.Type))
        {
            others.AddOrUpdate(value, version);
            return;
        }

        if (value.SiloAddress is not { } silo) return;
        var address = PoolAddressOf(value.GrainId);
        if (Find(address) is { } known && known.Silo.Equals(silo)) return;   // the common case: a pool already known
        lock (_writing)
        {
            var pools = _pools;
            var index = IndexOf(pools, address);
            var pool = new Pool(address.ToArray(), silo, value.MembershipVersion);
            Volatile.Write(ref _pools, index < 0 ? [.. pools, pool] : [.. pools[..index], pool, .. pools[(index + 1)..]]);
        }
    }

    /// <inheritdoc />
    public bool LookUp(GrainId key, [NotNullWhen(true)] out GrainAddress? result, out int version)
    {
        if (!IsPoolAddressed(key.Type)) return others.LookUp(key, out result, out version);
        if (Find(PoolAddressOf(key)) is { } pool)
        {
            result = new GrainAddress { GrainId = key, SiloAddress = pool.Silo, MembershipVersion = pool.Version };
            version = (int)pool.Version.Value;
            return true;
        }

        result = null;
        version = 0;
        return false;
    }

    /// <inheritdoc />
    public bool Remove(GrainId key) => IsPoolAddressed(key.Type) ? ForgetIfGone(key) : others.Remove(key);

    /// <inheritdoc />
    public bool Remove(GrainAddress key) => IsPoolAddressed(key.GrainId.Type) ? ForgetIfGone(key.GrainId) : others.Remove(key);

    /// <inheritdoc />
    public void Clear()
    {
        lock (_writing) Volatile.Write(ref _pools, []);
        others.Clear();
    }

    /// <inheritdoc />
    /// <remarks>Only the other grains' entries: a pool's entry stands for all of its grains.</remarks>
    public IEnumerable<(GrainAddress ActivationAddress, int Version)> KeyValues => others.KeyValues;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => others switch
    {
        IAsyncDisposable disposable => disposable.DisposeAsync(),
        _ => default,
    };

    // Orleans removes an entry when an activation goes (the actor's own pool), when a message bounces, and when the
    // entry's silo has died. Only the last says something about the pool: any other actor of it still lives there.
    private bool ForgetIfGone(GrainId key)
    {
        var address = PoolAddressOf(key);
        if (Find(address) is not { } pool || membership.CurrentSnapshot.GetSiloStatus(pool.Silo) == SiloStatus.Active) return false;
        lock (_writing)
        {
            var pools = _pools;
            var index = IndexOf(pools, address);
            if (index < 0 || !pools[index].Silo.Equals(pool.Silo)) return false;
            Volatile.Write(ref _pools, [.. pools[..index], .. pools[(index + 1)..]]);
            return true;
        }
    }

    private Pool? Find(ReadOnlySpan<byte> address)
    {
        var pools = Volatile.Read(ref _pools);
        var index = IndexOf(pools, address);
        return index < 0 ? null : pools[index];
    }

    private static int IndexOf(Pool[] pools, ReadOnlySpan<byte> address)
    {
        for (var i = 0; i < pools.Length; i++)
        {
            if (address.SequenceEqual(pools[i].Address)) return i;
        }

        return -1;
    }

    // The key's pool address, as UTF-8: "address/uid" for an actor, "address" for a pool's own grains.
    private static ReadOnlySpan<byte> PoolAddressOf(GrainId grain)
    {
        var key = grain.Key.AsSpan();
        var separator = key.IndexOf((byte)'/');
        return separator < 0 ? key : key[..separator];
    }

    private bool IsPoolAddressed(GrainType type) => poolAddressed.Contains(type);

    /// <summary>A pool: its address (UTF-8, as actor keys start with it), the silo there, and the membership version it was learnt at.</summary>
    private sealed record Pool(byte[] Address, SiloAddress Silo, MembershipVersion Version);
}
