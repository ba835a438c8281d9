using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Which actor of a GPU pool owns each of its live buffers: the actor whose turn (or constructor) allocated it, or the
/// actor of this pool it was returned to. When an actor is destroyed, the buffers it still owns are freed, so that its
/// device memory comes back whatever the actor forgot. Buffers allocated outside an actor (by a client in the pool's
/// process, or on a thread of the actor's own) have no owner.
/// </summary>
internal sealed class GpuBufferOwners
{
    private readonly ConcurrentDictionary<GrainId, HashSet<IGpuBufferHandOff>> _byActor = new();

    /// <summary>The actor whose activation <paramref name="context"/> is (one marked with these owners), or null for any other grain or none.</summary>
    public GrainId? ActorOf(IGrainContext? context) => context?.GetComponent<GpuBufferOwners>() == this ? context.GrainId : null;

    /// <summary>Makes <paramref name="actor"/> the owner of <paramref name="buffer"/> (null: nobody), instead of its previous owner.</summary>
    public void Own(GrainId? actor, IGpuBufferHandOff buffer)
    {
        Disown(buffer);
        if (actor is not { } owner) return;
        var owned = _byActor.GetOrAdd(owner, _ => []);
        lock (owned)
        {
            owned.Add(buffer);
            buffer.Holder = owner;
        }
    }

    /// <summary>Forgets <paramref name="buffer"/>'s owner: it was freed, or is given away.</summary>
    public void Disown(IGpuBufferHandOff buffer)
    {
        if (buffer.Holder is not { } owner || !_byActor.TryGetValue(owner, out var owned)) return;
        lock (owned)
        {
            owned.Remove(buffer);
            buffer.Holder = null;
        }
    }

    /// <summary>The bytes each actor's buffers hold, by uid, for actors that hold any.</summary>
    public IReadOnlyDictionary<string, long> BytesByActor()
    {
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (actor, owned) in _byActor)
        {
            long sum;
            lock (owned) sum = owned.Sum(b => b.LengthInBytes);
            if (sum > 0) bytes[ActorId.FromGrainKey(actor.Key.ToString()!).Uid] = sum;
        }

        return bytes;
    }

    /// <summary>Frees every buffer <paramref name="actor"/> still owns: the actor is gone. Returns how many, and their bytes.</summary>
    public (int Buffers, long Bytes) FreeAll(GrainId actor)
    {
        if (!_byActor.TryRemove(actor, out var owned)) return (0, 0);
        List<IGpuBufferHandOff> buffers;
        lock (owned)
        {
            buffers = [.. owned];
            owned.Clear();
        }

        foreach (var buffer in buffers)
        {
            buffer.Holder = null;
            buffer.Dispose();
        }

        return (buffers.Count, buffers.Sum(b => b.LengthInBytes));
    }
}
