using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// Places a <see cref="PoolAddressPlacement"/> grain in the pool named by the address its key starts with.
/// Runs once per activation; later calls go to that activation through the grain directory. A pool that is not
/// running fails the call with <see cref="ServerClosedException"/>, saying how it ended where its main pool told, or,
/// while its main pool restarts it, with <see cref="PoolRecoveringException"/> (the caller's façade waits and retries).
/// </summary>
internal sealed class PoolAddressPlacementDirector(PoolObituaries obituaries, IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var address = ActorId.AddressOfGrainKey(target.GrainIdentity.Key.ToString()!);
        var silos = context.GetCompatibleSilos(target);
        foreach (var silo in silos)
        {
            // The compatible silos come from the cluster manifest, which learns of a death after the membership does.
            if (PoolAddresses.Of(silo) == address && membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Active) return Task.FromResult(silo);
        }

        if (obituaries.IsRecovering(address))
        {
            var key = target.GrainIdentity.Key.ToString()!;
            var uid = key.Contains('/') ? ActorId.FromGrainKey(key).Uid : null;
            throw new PoolRecoveringException(address, uid, $"Pool {address} is being recovered: {obituaries.Of(address)!.Describe()}");
        }

        throw new ServerClosedException(address,
            $"No actor pool is running at {address}; running pools: {string.Join(", ", silos.Select(PoolAddresses.Of))}. {obituaries.Of(address)?.Describe()}".TrimEnd());
    }
}
