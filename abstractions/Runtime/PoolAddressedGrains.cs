using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Which grain types are Xoscar's: actors, and the pool and transfer grains, all kept in the pools' own directory
/// (<see cref="PoolAddressPlacement"/>). Their keys name their pool; the directory cache and the façade's error
/// translation treat them alike.
/// </summary>
internal sealed class PoolAddressedGrains(IServiceProvider services)
{
    private readonly ConcurrentDictionary<GrainType, bool> _known = new();
    private GrainPropertiesResolver? _properties;

    /// <summary>Whether grains of <paramref name="type"/> live in the pool their key names.</summary>
    public bool Contains(GrainType type)
    {
        if (_known.TryGetValue(type, out var known)) return known;
        // Resolved when first needed: the directory cache that asks is made before the silo's manifest.
        _properties ??= services.GetRequiredService<GrainPropertiesResolver>();
        // A type the cluster manifest does not list yet is not remembered: it may be ours once the manifest has it.
        if (!_properties.TryGetGrainProperties(type, out var properties)) return false;
        var ours = properties.Properties.TryGetValue(WellKnownGrainTypeProperties.GrainDirectory, out var directory)
            && directory == PoolAddressPlacement.DirectoryName;
        return _known.GetOrAdd(type, ours);
    }
}
