using Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// A pool chosen by <see cref="PoolAllocator"/> for one creation. For <see cref="IdleLabel"/> it also holds the
/// pool's slot: <see cref="Confirm"/> once the actor exists, <see cref="Release"/> if its creation failed.
/// </summary>
internal sealed class PoolAllocation(string address, Action<PoolAllocation>? release)
{
    /// <summary>The chosen pool.</summary>
    public string Address { get; } = address;

    /// <summary>Whether the actor now exists (a confirmed slot is freed only when the actor is found gone).</summary>
    public bool Created { get; private set; }

    /// <summary>The uid and class of the actor that holds the slot.</summary>
    public (string Uid, GrainType ActorType) Actor { get; init; }

    /// <summary>Marks the actor as created.</summary>
    public void Confirm() => Created = true;

    /// <summary>Gives the slot back: the actor was not created.</summary>
    public void Release() => release?.Invoke(this);
}
