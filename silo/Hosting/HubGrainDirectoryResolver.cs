using System.Diagnostics.CodeAnalysis;
using Orleans.GrainDirectory;
using Orleans.Metadata;
using Orleans.Providers;
using Orleans.Runtime.GrainDirectory;
using Orleans.Storage;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Puts the pool events stream's grains (its queue, its subscriptions and their storage) in the pools' own directory
/// (<see cref="PoolAddressGrainDirectory"/>) instead of Orleans' default one.
/// </summary>
/// <remarks>
/// Orleans' default directory spreads registrations over every pool, and when a pool leaves it deactivates each
/// activation whose registration that pool held. Killing a sub pool then deactivated, by chance of the hash, the hub's
/// memory queue (and with it the events waiting in it: those that told the pool was down) or its subscriptions'
/// storage. These grains live in the hub alone (<see cref="PoolEventHosting"/>), so the hub can answer for them itself,
/// as a pool does for its actors: other pools find nothing in their own directory and placement sends the call to the
/// hub, the only pool that may host them.
/// </remarks>
internal sealed class HubGrainDirectoryResolver(GrainTypeResolver grainTypes, PoolAddressGrainDirectory directory) : IGrainDirectoryResolver
{
    /// <summary>The assemblies whose grains are the stream's: Orleans' streaming, and its memory storage.</summary>
    public static readonly IReadOnlyList<System.Reflection.Assembly> Assemblies = [typeof(MemoryStreamQueueGrain).Assembly, typeof(MemoryGrainStorage).Assembly];

    private readonly HashSet<GrainType> _hubGrains = Assemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(IGrain).IsAssignableFrom(t) && !typeof(ISystemTarget).IsAssignableFrom(t))
        .Select(grainTypes.GetGrainType)
        .ToHashSet();

    /// <inheritdoc />
    public bool TryResolveGrainDirectory(GrainType grainType, GrainProperties? properties, [NotNullWhen(true)] out IGrainDirectory? grainDirectory)
    {
        grainDirectory = _hubGrains.Contains(grainType) ? directory : null;
        return grainDirectory is not null;
    }
}
