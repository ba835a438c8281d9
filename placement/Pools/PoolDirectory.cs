using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// The pools of this silo's cluster as this silo sees them now: the active silos of the membership, each
/// described by its Xoscar metadata. Synchronous, so that an allocation decision reads one consistent view.
/// </summary>
internal sealed class PoolDirectory(IClusterMembershipService membership, IClusterManifestProvider manifests, ILocalSiloDetails local, IServiceProvider services)
{
    private readonly ISiloMetadataCache? _cache = services.GetService<ISiloMetadataCache>();
    private readonly ImmutableDictionary<string, string> _own = services.GetRequiredService<IOptions<SiloMetadata>>().Value.Metadata;

    /// <summary>Every active pool, in index order; a pool without Xoscar metadata has index -1 and comes first.</summary>
    public IReadOnlyList<PoolConfig> Pools() => Members().Select(m => m.Config).ToList();

    /// <summary>
    /// The main pool of this pool's actor pool; for a pool without metadata, the first main pool of the cluster. Null
    /// when there is none.
    /// </summary>
    public PoolConfig? Main => Local.MainAddress is { } main
        ? Pools().FirstOrDefault(p => p.Address == main)
        : Pools().FirstOrDefault(p => p.Kind == PoolKind.Main && p.Index == 0);

    /// <summary>
    /// The pools of the actor pool <paramref name="pool"/> belongs to (one main pool and its sub pools, started
    /// together on one host), in index order; for a pool without metadata, every pool of the cluster.
    /// </summary>
    public IReadOnlyList<PoolConfig> ActorPoolOf(PoolConfig pool) =>
        pool.MainAddress is { } main ? Pools().Where(p => p.MainAddress == main).ToList() : Pools();

    /// <summary>This pool's own config.</summary>
    public PoolConfig Local => Describe(local.SiloAddress);

    private IEnumerable<(SiloAddress Silo, PoolConfig Config)> Members() =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => (m.SiloAddress, Describe(m.SiloAddress)))
            .OrderBy(m => m.Item2.Index)
            .ThenBy(m => m.Item2.Address, StringComparer.Ordinal);

    private PoolConfig Describe(SiloAddress silo)
    {
        var address = PoolAddresses.Of(silo);
        var isLocal = silo.Equals(local.SiloAddress);
        var metadata = isLocal ? _own : _cache?.GetSiloMetadata(silo).Metadata ?? ImmutableDictionary<string, string>.Empty;
        return PoolMetadata.Read(address, metadata)
            ?? new PoolConfig(address, -1, null, PoolKind.Main, isLocal ? Environment.ProcessId : 0, ImmutableDictionary<string, string>.Empty, 0);
    }

    /// <summary>
    /// Completes once the pools that actors can be placed in from this silo — active, with Xoscar metadata, and in
    /// the cluster manifest (which placement consults) — satisfy <paramref name="ready"/>.
    /// </summary>
    public async Task WaitForPoolsAsync(Func<IReadOnlyList<PoolConfig>, bool> ready, CancellationToken cancellationToken)
    {
        // Metadata and manifests reach this silo shortly after the membership change, with no one event to await.
        while (!ready(Members().Where(m => m.Config.Index >= 0 && manifests.Current.Silos.ContainsKey(m.Silo)).Select(m => m.Config).ToList()))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
