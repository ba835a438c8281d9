using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// Creates actors where the main pool's <see cref="PoolAllocator"/> places them: the choice and its hold first, then
/// the creation in the chosen pool, and the hold given back if that fails. GPU placements decide on sampled device
/// memory: pools never sampled are sampled first, and all of them again before a request is refused.
/// </summary>
internal sealed partial class ActorPlacement(PoolAllocator allocator, GpuMemorySamples samples, ActorReferences references, ILogger<ActorPlacement> logger)
{
    /// <summary>Creates the actor of <paramref name="spec"/> in the pool <paramref name="strategy"/> chooses; returns that pool's address.</summary>
    public async Task<string> CreateAsync(ActorCreationSpec spec, AllocationStrategy strategy)
    {
        var allocation = strategy is IdleLabel idle ? await ClaimAsync(idle, spec) : await AllocateAsync(() => allocator.Allocate(strategy, spec), strategy is GpuPool);
        await CreateOrReleaseAsync(allocation);
        return allocation.Address;
    }

    /// <summary>
    /// Creates one actor per spec on its own device as <paramref name="gang"/> says, all or nothing: if any creation fails,
    /// the members created are destroyed, every reservation is released, and the first failure (by rank) is raised.
    /// </summary>
    public async Task<string[]> CreateGangAsync(IReadOnlyList<ActorCreationSpec> specs, GpuGang gang)
    {
        var allocations = await AllocateAsync(() => allocator.AllocateGang(gang, specs), gpu: true);
        var creations = allocations.Select(a => references.Pool(a.Address).CreateActor(a.Spec)).ToList();
        try
        {
            // Completes once every creation has, raising the first failure by rank.
            await Task.WhenAll(creations);
            foreach (var allocation in allocations) allocation.Confirm();
            return allocations.Select(a => a.Address).ToArray();
        }
        catch (Exception error)
        {
            var failed = creations.FindIndex(c => !c.IsCompletedSuccessfully);
            LogGangUndone(logger, allocations.Count, allocations[failed].Spec.Uid, allocations[failed].Address, error.Message);
            await Task.WhenAll(allocations.Where((_, rank) => creations[rank].IsCompletedSuccessfully).Select(DestroyAsync));
            foreach (var allocation in allocations) allocation.Release();
            throw;
        }
    }

    /// <summary>Re-creates the actor of <paramref name="spec"/> in the recovered pool at <paramref name="address"/>, taking its hold back first.</summary>
    public async Task RecreateAsync(string address, ActorCreationSpec spec) => await CreateOrReleaseAsync(allocator.Retake(address, spec));

    private async Task<T> AllocateAsync<T>(Func<T> allocate, bool gpu)
    {
        if (!gpu) return allocate();
        await samples.SampleUnsampledAsync();
        try
        {
            return allocate();
        }
        catch (NoGpuCapacityException)
        {
            // Memory freed since the last sample (buffers of an actor just destroyed) is seen before refusing.
            await samples.SampleAllAsync();
            try
            {
                return allocate();
            }
            catch (NoGpuCapacityException refused)
            {
                LogRefused(logger, refused.Requested, refused.Message);
                throw;
            }
        }
    }

    // Where every slot is held, the created slots' actors are asked for before refusing: one may be gone unannounced.
    private async Task<PoolAllocation> ClaimAsync(IdleLabel strategy, ActorCreationSpec spec)
    {
        try
        {
            return allocator.Allocate(strategy, spec);
        }
        catch (NoIdleSlotException) when (allocator.CreatedSlots(strategy).Count > 0)
        {
            await Task.WhenAll(allocator.CreatedSlots(strategy).Select(async slot =>
            {
                if (!await ExistsAsync(slot)) allocator.Release(slot);
            }));
            return allocator.Allocate(strategy, spec);
        }
    }

    private async Task<bool> ExistsAsync(PlacementHold slot)
    {
        try
        {
            return await references.Pool(slot.Address).HasActor(slot.Uid, slot.ActorType);
        }
        catch (Exception error) when (error is ServerClosedException or SiloUnavailableException)
        {
            return false;   // its pool is gone, and the actor with it
        }
    }

    private async Task CreateOrReleaseAsync(PoolAllocation allocation)
    {
        try
        {
            await references.Pool(allocation.Address).CreateActor(allocation.Spec);
        }
        catch
        {
            allocation.Release();
            throw;
        }

        allocation.Confirm();
    }

    // A member of an undone gang goes the way any actor is destroyed (its pre-destroy hook runs, its buffers are freed).
    private async Task DestroyAsync(PoolAllocation allocation)
    {
        var id = new ActorId(allocation.Address, allocation.Spec.Uid);
        try
        {
            await references.Control(GrainId.Create(allocation.Spec.ActorType, id.ToGrainKey())).Destroy();
        }
        catch (Exception error)
        {
            LogMemberNotDestroyed(logger, error, id.Uid, id.Address);
        }
    }

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "GPU placement of {Requested} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string requested, string reason);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Warning,
        Message = "A gang of {Members} GPU actors was undone: member {Uid} could not be created in pool {Address} ({Reason}); the others were destroyed and every reservation released")]
    private static partial void LogGangUndone(ILogger logger, int members, string uid, string address, string reason);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Error, Message = "Member {Uid} of an undone gang could not be destroyed in pool {Address}")]
    private static partial void LogMemberNotDestroyed(ILogger logger, Exception error, string uid, string address);
}
