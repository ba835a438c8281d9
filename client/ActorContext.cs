using Orleans.Metadata;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>The façade: each call routes to the pool grain of the target pool, as Xoscar's api.py routes to its pools.</summary>
internal sealed class ActorContext(IGrainFactory grains, GrainTypeResolver grainTypes, IDefaultPoolAddress defaultPool) : IActorContext
{
    public string DefaultAddress => defaultPool.Address
        ?? throw new ActorPoolNotStartedException("No default actor pool: this client is not inside a pool and XoscarOptions.DefaultAddress is not set; pass an address.");

    public async Task<TRef> CreateActorAsync<TActor, TRef>(object?[]? args = null, string? uid = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor
    {
        if (uid is { Length: 0 }) throw new ArgumentException("An actor uid must not be empty.", nameof(uid));
        var id = new ActorId(address ?? DefaultAddress, uid ?? Guid.NewGuid().ToString("N"));
        var actorType = grainTypes.GetGrainType(typeof(TActor));
        await Pool(id.Address).CreateActor(new ActorCreationSpec(id.Uid, actorType, args ?? []));
        return Reference<TRef>(actorType, id);
    }

    public async Task<TRef> ActorRefAsync<TRef>(string address, string uid) where TRef : IActor
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentException.ThrowIfNullOrEmpty(uid);
        var actorType = await Pool(address).LookupActor(uid, typeof(TRef));
        return Reference<TRef>(actorType, new ActorId(address, uid));
    }

    public Task<bool> HasActorAsync(IActor actor)
    {
        var (id, actorType) = Identify(actor);
        return Pool(id.Address).HasActor(id.Uid, actorType);
    }

    public Task DestroyActorAsync(IActor actor)
    {
        var (id, actorType) = Identify(actor);
        return Pool(id.Address).DestroyActor(id.Uid, actorType);
    }

    private IActorPoolGrain Pool(string address) => grains.GetGrain<IActorPoolGrain>(address);

    private TRef Reference<TRef>(GrainType actorType, ActorId id) where TRef : IActor =>
        grains.GetGrain<TRef>(GrainId.Create(actorType, id.ToGrainKey()));

    private static (ActorId Id, GrainType ActorType) Identify(IActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var grainId = actor.GetGrainId();
        return (ActorId.FromGrainKey(grainId.Key.ToString()!), grainId.Type);
    }
}
