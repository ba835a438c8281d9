using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The pools of this silo's cluster as this silo sees them now: the active silos of the membership, each
/// described by its Xoscar metadata. Synchronous, so that an allocation decision reads one consistent view.
/// </summary>
internal sealed class PoolDirectory(IClusterMembershipService membership, ILocalSiloDetails local, IServiceProvider services)
{
    private readonly ISiloMetadataCache? _cache = services.GetService<ISiloMetadataCache>();
    private readonly ImmutableDictionary<string, string> _own = services.GetRequiredService<IOptions<SiloMetadata>>().Value.Metadata;

    /// <summary>Every active pool, in index order; a pool without Xoscar metadata has index -1 and comes first.</summary>
    public IReadOnlyList<PoolConfig> Pools() =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => Describe(m.SiloAddress))
            .OrderBy(p => p.Index)
            .ThenBy(p => p.Address, StringComparer.Ordinal)
            .ToList();

    /// <summary>This pool's own config.</summary>
    public PoolConfig Local => Describe(local.SiloAddress);

    private PoolConfig Describe(SiloAddress silo)
    {
        var address = PoolAddresses.Of(silo);
        var isLocal = silo.Equals(local.SiloAddress);
        var metadata = isLocal ? _own : _cache?.GetSiloMetadata(silo).Metadata ?? ImmutableDictionary<string, string>.Empty;
        return PoolMetadata.Read(address, metadata)
            ?? new PoolConfig(address, -1, null, PoolKind.Main, isLocal ? Environment.ProcessId : 0, ImmutableDictionary<string, string>.Empty);
    }
}
