using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// A pool chosen by <see cref="PoolAllocator"/> for one creation, and what the actor holds there (if anything):
/// <see cref="Release"/> it if the creation fails. Once the actor exists, its hold is released when the actor is destroyed.
/// </summary>
internal sealed class PoolAllocation(string address, ActorCreationSpec spec, PlacementHold? hold = null, Action? release = null)
{
    private Action? _release = release;

    /// <summary>The chosen pool.</summary>
    public string Address { get; } = address;

    /// <summary>The spec to create the actor from: the one asked, with the strategy whose hold it keeps.</summary>
    public ActorCreationSpec Spec { get; } = spec;

    /// <summary>The actor was created: from now on its hold may be checked for an actor gone unannounced.</summary>
    public void Confirm()
    {
        if (hold is not null) hold.Created = true;
    }

    /// <summary>Gives the hold back: the actor was not created, or is gone. Idempotent.</summary>
    public void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
