using System.Collections.Concurrent;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The main pool's copy of the creation specs of the actors that live in recoverable sub pools (Xoscar's record of
/// allocated actors): what it needs to create them again, with the same uid and constructor arguments, after the
/// sub pool's process has died and been restarted.
/// </summary>
internal sealed class RecoverableActors
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Uid, GrainType ActorType), ActorCreationSpec>> _byPool = new(StringComparer.Ordinal);

    /// <summary>Records that the pool at <paramref name="address"/> created the actor of <paramref name="spec"/>.</summary>
    public void Record(string address, ActorCreationSpec spec) =>
        _byPool.GetOrAdd(address, _ => new())[(spec.Uid, spec.ActorType)] = spec;

    /// <summary>Forgets a destroyed actor.</summary>
    public void Forget(string address, string uid, GrainType actorType)
    {
        if (_byPool.TryGetValue(address, out var specs)) specs.TryRemove((uid, actorType), out _);
    }

    /// <summary>How many actors' specs are kept for the pool at <paramref name="address"/>.</summary>
    public int CountOf(string address) => _byPool.TryGetValue(address, out var specs) ? specs.Count : 0;

    /// <summary>How many actors' specs are kept, over all pools.</summary>
    public int Count => _byPool.Values.Sum(specs => specs.Count);

    /// <summary>Removes and returns the specs of every actor the pool at <paramref name="address"/> had.</summary>
    public IReadOnlyList<ActorCreationSpec> Take(string address) =>
        _byPool.TryRemove(address, out var specs) ? specs.Values.ToList() : [];
}
