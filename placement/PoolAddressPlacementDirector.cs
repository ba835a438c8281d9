using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// Places a <see cref="PoolAddressPlacement"/> grain in the pool named by the address its key starts with.
/// Runs once per activation; later calls go to that activation through the grain directory. A pool that is not
/// running fails the call with <see cref="ServerClosedException"/>, saying how it ended where its main pool told, or,
/// while its main pool restarts it, with <see cref="PoolRecoveringException"/> (the caller's façade waits and retries).
/// A pool that has just joined, active in the membership but not yet in this silo's cluster manifest, is waited for.
/// </summary>
internal sealed class PoolAddressPlacementDirector(PoolObituaries obituaries, IClusterMembershipService membership) : IPlacementDirector
{
    // How long a pool that membership shows active may be missing from this silo's cluster manifest (it joined a moment
    // ago and its grain types are still being fetched) before the call fails.
    private static readonly TimeSpan ManifestWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ManifestPoll = TimeSpan.FromMilliseconds(20);

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var address = ActorId.AddressOfGrainKey(target.GrainIdentity.Key.ToString()!);
        if (Compatible(target, context, address) is { } silo) return Task.FromResult(silo);
        return ActiveSilo(address) is { } joined ? AfterManifestAsync(target, context, address, joined) : Task.FromException<SiloAddress>(NotRunning(target, context, address));
    }

    // The compatible silos come from the cluster manifest, which learns of a death after the membership does.
    private SiloAddress? Compatible(PlacementTarget target, IPlacementContext context, string address)
    {
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (PoolAddresses.Of(silo) == address && membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Active) return silo;
        }

        return null;
    }

    private SiloAddress? ActiveSilo(string address) =>
        membership.CurrentSnapshot.Members.Values.FirstOrDefault(m => m.Status == SiloStatus.Active && PoolAddresses.Of(m.SiloAddress) == address)?.SiloAddress;

    // A pool that joined a moment ago is active before this silo has its manifest: wait for it rather than call the pool gone.
    private async Task<SiloAddress> AfterManifestAsync(PlacementTarget target, IPlacementContext context, string address, SiloAddress joined)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < ManifestWait; await Task.Delay(ManifestPoll))
        {
            if (Compatible(target, context, address) is { } silo) return silo;
            if (membership.CurrentSnapshot.GetSiloStatus(joined) != SiloStatus.Active) break;
        }

        if (Compatible(target, context, address) is { } found) return found;
        if (membership.CurrentSnapshot.GetSiloStatus(joined) == SiloStatus.Active)
        {
            throw new ServerClosedException(address,
                $"The actor pool at {address} is running but does not host {target.GrainIdentity.Type} (its grain types, as this pool knows them after {ManifestWait.TotalSeconds:0} s).");
        }

        throw NotRunning(target, context, address);
    }

    private Exception NotRunning(PlacementTarget target, IPlacementContext context, string address)
    {
        if (obituaries.IsRecovering(address))
        {
            var key = target.GrainIdentity.Key.ToString()!;
            var uid = key.Contains('/') ? ActorId.FromGrainKey(key).Uid : null;
            return new PoolRecoveringException(address, uid, $"Pool {address} is being recovered: {obituaries.Of(address)!.Describe()}");
        }

        var silos = context.GetCompatibleSilos(target);
        return new ServerClosedException(address,
            $"No actor pool is running at {address}; running pools: {string.Join(", ", silos.Select(PoolAddresses.Of))}. {obituaries.Of(address)?.Describe()}".TrimEnd());
    }
}
