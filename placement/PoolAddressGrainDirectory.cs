using System.Collections.Concurrent;
using Orleans.GrainDirectory;
using Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// The grain directory of actors and pool grains (and of the pool events stream's grains, which live in the main pool
/// alone): each pool records the activations it hosts, and nobody else.
/// </summary>
/// <remarks>
/// An actor's key names its pool (<c>address/uid</c>) and <see cref="PoolAddressPlacement"/> never puts it anywhere
/// else, so where it lives needs no cluster-wide look-up: Orleans' default directory would spend a round trip to
/// another pool on most activations, most first calls and many deactivations. Here a pool answers for its own
/// grains and says "not here" for the rest; a call to another pool's actor then goes to that pool (the placement
/// director picks it), which finds or activates the actor itself. One activation per actor still holds: only its own
/// pool can host it, and a pool's catalog keeps one activation per grain.
/// </remarks>
internal sealed class PoolAddressGrainDirectory(ILocalSiloDetails silo) : IGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _activations = new();

    /// <summary>How many activations the pool records now.</summary>
    public int Count => _activations.Count;

    /// <inheritdoc />
    public Task<GrainAddress?> Register(GrainAddress address) => Register(address, null);

    /// <inheritdoc />
    public Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress)
    {
        if (!silo.SiloAddress.Equals(address.SiloAddress))
        {
            throw new InvalidOperationException($"Pool {silo.SiloAddress} was asked to record {address.GrainId}, which lives in pool {address.SiloAddress}.");
        }

        var registered = _activations.AddOrUpdate(
            address.GrainId,
            static (_, added) => added.Address,
            static (_, existing, added) => added.Previous is { } previous && existing.Matches(previous) ? added.Address : existing,
            (Address: address, Previous: previousAddress));
        return Task.FromResult<GrainAddress?>(registered);
    }

    /// <inheritdoc />
    public Task Unregister(GrainAddress address)
    {
        if (_activations.TryGetValue(address.GrainId, out var existing) && existing.Matches(address))
        {
            _activations.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, existing));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<GrainAddress?> Lookup(GrainId grainId) => Task.FromResult(_activations.GetValueOrDefault(grainId));

    /// <inheritdoc />
    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;   // it records only its own pool's activations
}
