using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The creation specs of this pool's actors, by uid. A spec is present from the moment a creation is accepted
/// until the actor is destroyed or its creation fails; an activation can be made only from a present spec.
/// Specs are kept whole (uid, class, constructor arguments) so that a restarted pool can re-create its actors.
/// </summary>
internal sealed class ActorRegistry(IServiceProvider services) : IActorRegistry
{
    private readonly ConcurrentDictionary<string, ActorCreationSpec> _specs = new(StringComparer.Ordinal);
    private volatile bool _recovering = services.GetService<PoolIdentity>()?.Recovering == true;

    /// <summary>Whether this pool is a restart whose actors its main pool is still re-creating.</summary>
    public bool Recovering => _recovering;

    /// <summary>The main pool has re-created every actor it could: a uid without a spec is now simply not there.</summary>
    public void EndRecovery() => _recovering = false;

    /// <summary>The error for a call to <paramref name="actor"/>, which has no spec here: it does not exist, or is not back yet.</summary>
    public XoscarException Missing(ActorId actor) => _recovering
        ? new PoolRecoveringException(actor.Address, actor.Uid, $"Pool {actor.Address} is being recovered and actor '{actor.Uid}' has not been re-created yet.")
        : new ActorNotExistException(actor);

    /// <summary>Adds <paramref name="spec"/> unless its uid is taken.</summary>
    public bool TryAdd(ActorCreationSpec spec) => _specs.TryAdd(spec.Uid, spec);

    /// <summary>The spec of <paramref name="uid"/>, if it describes an actor of <paramref name="actorType"/>.</summary>
    public bool TryGet(string uid, GrainType actorType, [NotNullWhen(true)] out ActorCreationSpec? spec)
    {
        if (_specs.TryGetValue(uid, out spec) && spec.ActorType.Equals(actorType)) return true;
        spec = null;
        return false;
    }

    /// <summary>The spec of <paramref name="uid"/>, whatever its class.</summary>
    public bool TryGet(string uid, [NotNullWhen(true)] out ActorCreationSpec? spec) => _specs.TryGetValue(uid, out spec);

    /// <inheritdoc />
    public ActorCreationSpec? Remove(string uid, GrainType actorType) =>
        TryGet(uid, actorType, out var spec) && _specs.TryRemove(new KeyValuePair<string, ActorCreationSpec>(uid, spec)) ? spec : null;

    /// <summary>Called once actor <paramref name="id"/> was created from <paramref name="spec"/>: a recoverable pool tells its main pool, which re-creates it after a restart.</summary>
    public Task CreatedAsync(ActorId id, ActorCreationSpec spec) =>
        RecoverablePoolsMain(id, "record") is { } main ? main.RecordActor(id.Address, spec) : Task.CompletedTask;

    /// <inheritdoc />
    public Task DestroyedAsync(ActorId id, GrainType actorType, ActorCreationSpec? spec)
    {
        var actorClass = ClassOf(actorType);
        services.GetRequiredService<IPoolEventSink>().Publish(new PoolEvent(
            PoolEventKind.ActorDestroyed, DateTime.UtcNow, id.Address, $"actor '{id.Uid}' ({actorClass}) was destroyed", Uid: id.Uid, ActorClass: actorClass));
        if (spec is null) return Task.CompletedTask;
        var main = RecoverablePoolsMain(id, "forget") ?? (spec.Placement is null ? null : PlacingMain());
        return main?.ForgetActor(id.Address, id.Uid, actorType) ?? Task.CompletedTask;
    }

    // The main pool that placed an actor keeps what it holds (a GPU reservation, an idle slot) until it hears of its end.
    private IActorPoolGrain? PlacingMain() =>
        services.GetRequiredService<PoolDirectory>().Main?.Address is { } main ? services.GetRequiredService<ActorReferences>().Pool(main) : null;

    /// <summary>
    /// The actors whose uids come after <paramref name="after"/> (all when null), the first <paramref name="take"/> in
    /// ordinal order, with their class names; and how many actors the pool has.
    /// </summary>
    public ActorPage Page(string? after, int take)
    {
        var classes = services.GetRequiredService<GrainClassMap>();
        var page = _specs.Values
            .Where(s => after is null || string.CompareOrdinal(s.Uid, after) > 0)
            .OrderBy(s => s.Uid, StringComparer.Ordinal)
            .Take(take)
            .Select(s => new ActorListing(s.Uid, ClassOf(s.ActorType, classes)))
            .ToArray();
        return new ActorPage(_specs.Count, page);
    }

    /// <summary>The class name of actors of <paramref name="actorType"/> (the grain type where the class is not loaded here).</summary>
    public string ClassOf(GrainType actorType, GrainClassMap? classes = null) =>
        (classes ?? services.GetRequiredService<GrainClassMap>()).TryGetGrainClass(actorType, out var actorClass) ? actorClass.Name : actorType.ToString()!;

    // The main pool keeping this pool's actors, or null where this pool is not recoverable. Services are resolved when
    // needed: the registry is made while the silo's grain types are configured, before its grain factory.
    private IActorPoolGrain? RecoverablePoolsMain(ActorId id, string what)
    {
        if (services.GetService<PoolIdentity>() is not { Recoverable: true }) return null;
        var main = services.GetRequiredService<PoolDirectory>().Main?.Address
            ?? throw new ServerClosedException("main", $"Pool {id.Address} cannot reach its main pool to {what} actor '{id.Uid}'.");
        return services.GetRequiredService<ActorReferences>().Pool(main);
    }

    /// <summary>The number of actors in this pool.</summary>
    public int Count => _specs.Count;
}
