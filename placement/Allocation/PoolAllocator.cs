using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// The main pool's choice of a pool for each allocation strategy (Xoscar's <c>allocate_strategy.py</c>, and GPU
/// placement), and the record of what placed actors hold: <see cref="IdleLabel"/> slots and <see cref="GpuPool"/>
/// reservations. Choosing and taking happen under one lock, so concurrent creations never take the same slot nor
/// over-commit a device. Holds follow the actor's life: released when it is destroyed (its pool tells), when its
/// creation fails, and when its pool ends; kept while its pool is recovered, and taken back as the actor is re-created.
/// </summary>
internal sealed partial class PoolAllocator(PoolDirectory directory, GpuMemorySamples samples, ILogger<PoolAllocator> logger)
{
    private readonly List<PlacementHold> _holds = [];
    private readonly Lock _gate = new();

    /// <summary>Chooses a pool for <paramref name="spec"/> by <paramref name="strategy"/> and takes what the actor holds there.</summary>
    /// <exception cref="NoIdleSlotException">No pool fits the strategy.</exception>
    /// <exception cref="NoGpuCapacityException">No GPU pool can hold the <see cref="GpuPool"/> request.</exception>
    /// <exception cref="ArgumentException">The strategy is unknown, or names a device index held by several devices.</exception>
    public PoolAllocation Allocate(AllocationStrategy strategy, ActorCreationSpec spec)
    {
        var pools = Pools();
        var allocation = strategy switch
        {
            AddressSpecified s => new PoolAllocation(s.Address, spec),
            MainPool => Single(pools.Where(p => p.Kind == PoolKind.Main), strategy, spec),
            ProcessIndex s => Single(pools.Where(p => p.Index == s.Index), strategy, spec),
            RandomPool => Random(pools, strategy, spec),
            RandomSubPool => Random(pools.Where(p => p.Kind == PoolKind.Sub), strategy, spec),
            RandomLabel s => Random(pools.Where(p => p.Label == s.Label), strategy, spec),
            CorePool s => Random(pools.Where(p => p.Core is { } core && (s.Core is null || s.Core == core)), strategy, spec),
            IdleLabel s => Claim(s, pools, spec),
            GpuPool s => Reserve(s, pools, spec),
            _ => throw new ArgumentException($"Unknown allocation strategy {strategy}.", nameof(strategy)),
        };
        LogAllocated(logger, spec.Uid, allocation.Address, strategy);
        return allocation;
    }

    /// <summary>Chooses a device for each of <paramref name="specs"/> as <paramref name="gang"/> says and reserves them all, or none.</summary>
    /// <exception cref="NoGpuCapacityException">There are not that many devices that can hold a member.</exception>
    public IReadOnlyList<PoolAllocation> AllocateGang(GpuGang gang, IReadOnlyList<ActorCreationSpec> specs)
    {
        var pools = Pools();
        lock (_gate)
        {
            var devices = GpuChoice.Gang(gang, specs.Count, GpuInventory.Of(pools, samples, _holds));
            return devices.Select((device, rank) => Take(device.LeastHeldPool().Address, gang.Each, specs[rank], device)).ToList();
        }
    }

    /// <summary>
    /// As the recovery of the pool at <paramref name="address"/> re-creates the actor of <paramref name="spec"/>: takes back
    /// the hold it kept, or, where it has none, takes one in that pool afresh.
    /// </summary>
    /// <exception cref="NoGpuCapacityException">Its reservation no longer fits that pool's device.</exception>
    /// <exception cref="NoIdleSlotException">Its slot in that pool is taken.</exception>
    public PoolAllocation Retake(string address, ActorCreationSpec spec)
    {
        lock (_gate)
        {
            if (_holds.FirstOrDefault(h => h.Recovering && h.Of(address, spec.Uid, spec.ActorType)) is { } kept)
            {
                kept.Recovering = false;
                kept.Created = false;
                return new PoolAllocation(address, spec, kept, () => Remove(kept));
            }
        }

        var pool = Pools().Where(p => p.Address == address).ToList();
        return spec.Placement switch
        {
            IdleLabel s => Claim(s, pool, spec),
            GpuPool s => Reserve(s, pool, spec),
            _ => new PoolAllocation(address, spec),
        };
    }

    /// <summary>Releases the hold of actor <paramref name="uid"/> of the pool at <paramref name="address"/>: it was destroyed.</summary>
    public void Release(string address, string uid, GrainType actorType)
    {
        lock (_gate) _holds.RemoveAll(h => h.Of(address, uid, actorType));
    }

    /// <summary>
    /// The <paramref name="strategy"/> slots whose actors were created: where none is idle, some of those actors may be
    /// gone without their pool telling (the news lost on the way), which only asking their pools finds out.
    /// </summary>
    public IReadOnlyList<PlacementHold> CreatedSlots(IdleLabel strategy)
    {
        lock (_gate) return _holds.Where(h => h.Created && !h.Recovering && strategy.Equals(h.Strategy)).ToList();
    }

    /// <summary>Releases <paramref name="hold"/>: its actor is gone.</summary>
    public void Release(PlacementHold hold) => Remove(hold);

    /// <summary>
    /// The pool at <paramref name="address"/> ended with its actors: their holds are released, or, where it is being
    /// <paramref name="recovered"/> with its actors, kept for their re-creation.
    /// </summary>
    public void PoolEnded(string address, bool recovered)
    {
        lock (_gate)
        {
            if (!recovered) _holds.RemoveAll(h => h.Address == address);
            else foreach (var hold in _holds.Where(h => h.Address == address)) hold.Recovering = true;
        }
    }

    /// <summary>The recovery of the pool at <paramref name="address"/> is over: holds of actors it did not re-create are released.</summary>
    public void RecoveryEnded(string address)
    {
        lock (_gate) _holds.RemoveAll(h => h.Address == address && h.Recovering);
    }

    /// <summary><paramref name="pools"/> with each GPU pool's device figures: free memory as sampled, reservations, what is available.</summary>
    public IReadOnlyList<PoolConfig> Describe(IReadOnlyList<PoolConfig> pools)
    {
        IReadOnlyList<GpuDeviceState> devices;
        lock (_gate) devices = GpuInventory.Of(pools, samples, _holds);
        var byDevice = devices.ToDictionary(d => d.Device.Key, d => d.Describe());
        return pools.Select(p => p.Gpu is { } gpu ? p with { Gpu = byDevice[gpu.Device.Key] } : p).ToList();
    }

    // The main pool decides for its own actor pool: the pools of other hosts' actor pools have main pools of their own.
    private List<PoolConfig> Pools() => directory.ActorPoolOf(directory.Local).Where(p => p.Index >= 0).ToList();

    private PoolAllocation Claim(IdleLabel strategy, List<PoolConfig> pools, ActorCreationSpec spec)
    {
        var labelled = pools.Where(p => p.Label == strategy.Label).ToList();
        if (labelled.Count == 0) throw NoPool(strategy);
        lock (_gate)
        {
            var idle = labelled.FirstOrDefault(p => !_holds.Any(h => h.Address == p.Address && strategy.Equals(h.Strategy)))
                ?? throw new NoIdleSlotException(
                    $"No idle actor pool for allocation strategy {strategy}: every pool labelled so ({string.Join(", ", labelled.Select(p => p.Address))}) holds an actor of that mark.");
            return Take(idle.Address, strategy, spec, device: null);
        }
    }

    private PoolAllocation Reserve(GpuPool request, List<PoolConfig> pools, ActorCreationSpec spec)
    {
        lock (_gate)
        {
            var device = GpuChoice.Device(request, GpuInventory.Of(pools, samples, _holds));
            return Take(device.LeastHeldPool().Address, request, spec, device);
        }
    }

    // Called under the lock.
    private PoolAllocation Take(string address, AllocationStrategy strategy, ActorCreationSpec spec, GpuDeviceState? device)
    {
        var gpu = strategy as GpuPool;
        var hold = new PlacementHold(address, spec, strategy)
        {
            Device = device?.Device.Key,
            MemoryBytes = gpu?.MemoryBytes ?? 0,
            Shares = PlacementHold.SharesOf(gpu?.Share ?? 0),
        };
        _holds.Add(hold);
        return new PoolAllocation(address, spec with { Placement = strategy }, hold, () => Remove(hold));
    }

    private void Remove(PlacementHold hold)
    {
        lock (_gate) _holds.Remove(hold);
    }

    private static PoolAllocation Single(IEnumerable<PoolConfig> pools, AllocationStrategy strategy, ActorCreationSpec spec) =>
        new(pools.FirstOrDefault()?.Address ?? throw NoPool(strategy), spec);

    private static PoolAllocation Random(IEnumerable<PoolConfig> pools, AllocationStrategy strategy, ActorCreationSpec spec)
    {
        var candidates = pools.ToList();
        if (candidates.Count == 0) throw NoPool(strategy);
        return new PoolAllocation(candidates[System.Random.Shared.Next(candidates.Count)].Address, spec);
    }

    private static NoIdleSlotException NoPool(AllocationStrategy strategy) =>
        new($"No actor pool fits allocation strategy {strategy}.");

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug, Message = "Actor {Uid} goes to pool {Address} by {Strategy}")]
    private static partial void LogAllocated(ILogger logger, string uid, string address, AllocationStrategy strategy);
}
