using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The main pool's choice of a pool for each allocation strategy (Xoscar's <c>allocate_strategy.py</c>), and the
/// record of which pools hold an <see cref="IdleLabel"/> slot. Choosing and claiming happen under one lock, so
/// concurrent <see cref="IdleLabel"/> creations never take the same slot.
/// </summary>
internal sealed partial class PoolAllocator(PoolDirectory directory, ILogger<PoolAllocator> logger)
{
    private readonly Dictionary<IdleLabel, List<PoolAllocation>> _slots = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// Chooses a pool for <paramref name="spec"/>; null when the strategy is <see cref="IdleLabel"/> and every pool
    /// with its label holds a slot (some may be stale: see <see cref="HeldSlots"/>).
    /// </summary>
    /// <exception cref="NoIdleSlotException">No pool fits the strategy at all.</exception>
    public PoolAllocation? TryAllocate(AllocationStrategy strategy, ActorCreationSpec spec)
    {
        // The main pool decides for its own actor pool: the pools of other hosts' actor pools have main pools of their own.
        var pools = directory.ActorPoolOf(directory.Local).Where(p => p.Index >= 0).ToList();
        var allocation = strategy switch
        {
            AddressSpecified s => new PoolAllocation(s.Address, null),
            MainPool => Single(pools.Where(p => p.Kind == PoolKind.Main), strategy),
            ProcessIndex s => Single(pools.Where(p => p.Index == s.Index), strategy),
            RandomPool => Random(pools, strategy),
            RandomSubPool => Random(pools.Where(p => p.Kind == PoolKind.Sub), strategy),
            RandomLabel s => Random(pools.Where(p => p.Label == s.Label), strategy),
            CorePool s => Random(pools.Where(p => p.Core is { } core && (s.Core is null || s.Core == core)), strategy),
            IdleLabel s => Claim(s, pools.Where(p => p.Label == s.Label).ToList(), spec),
            _ => throw new ArgumentException($"Unknown allocation strategy {strategy}.", nameof(strategy)),
        };
        if (allocation is not null) LogAllocated(logger, spec.Uid, allocation.Address, strategy);
        return allocation;
    }

    /// <summary>The slots of <paramref name="strategy"/> whose actors were created: candidates to check for destroyed actors.</summary>
    public IReadOnlyList<PoolAllocation> HeldSlots(IdleLabel strategy)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(strategy, out var held) ? held.Where(a => a.Created).ToList() : [];
        }
    }

    /// <summary>Frees a slot whose actor no longer exists.</summary>
    public void Free(IdleLabel strategy, PoolAllocation slot)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(strategy, out var held)) held.Remove(slot);
        }
    }

    private PoolAllocation? Claim(IdleLabel strategy, List<PoolConfig> labelled, ActorCreationSpec spec)
    {
        if (labelled.Count == 0) throw NoPool(strategy);
        lock (_gate)
        {
            if (!_slots.TryGetValue(strategy, out var held)) _slots[strategy] = held = [];
            var idle = labelled.FirstOrDefault(p => held.All(a => a.Address != p.Address));
            if (idle is null) return null;
            var slot = new PoolAllocation(idle.Address, s => Free(strategy, s)) { Actor = (spec.Uid, spec.ActorType) };
            held.Add(slot);
            return slot;
        }
    }

    private static PoolAllocation Single(IEnumerable<PoolConfig> pools, AllocationStrategy strategy) =>
        new(pools.FirstOrDefault()?.Address ?? throw NoPool(strategy), null);

    private static PoolAllocation Random(IEnumerable<PoolConfig> pools, AllocationStrategy strategy)
    {
        var candidates = pools.ToList();
        if (candidates.Count == 0) throw NoPool(strategy);
        return new PoolAllocation(candidates[System.Random.Shared.Next(candidates.Count)].Address, null);
    }

    private static NoIdleSlotException NoPool(AllocationStrategy strategy) =>
        new($"No actor pool fits allocation strategy {strategy}.");

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug, Message = "Actor {Uid} goes to pool {Address} by {Strategy}")]
    private static partial void LogAllocated(ILogger logger, string uid, string address, AllocationStrategy strategy);
}
