using System.Collections.Concurrent;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Makes grain references to actors, their control interface and pool grains for the façade and the runtime.
/// </summary>
/// <remarks>
/// Orleans' <see cref="IGrainFactory"/> resolves an interface's <see cref="GrainInterfaceType"/> from its attributes
/// on every <c>GetGrain&lt;T&gt;</c> and <c>AsReference&lt;T&gt;</c> (~10 µs of reflection); a creation, a destroy and
/// every batch would pay it several times. The interface types are resolved once here, and pool references (one
/// per address) are kept.
/// </remarks>
internal sealed class ActorReferences(IGrainFactory grains, GrainInterfaceTypeResolver interfaceTypes)
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _interfaceTypes = new();
    private readonly ConcurrentDictionary<string, IActorPoolGrain> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITransferGrain> _transfers = new(StringComparer.Ordinal);

    /// <summary>The grain factory the references come from.</summary>
    public IGrainFactory Grains => grains;

    /// <summary>A reference to grain <paramref name="id"/> typed as <typeparamref name="TInterface"/>.</summary>
    public TInterface Get<TInterface>(GrainId id) where TInterface : IAddressable =>
        (TInterface)grains.GetGrain(id, _interfaceTypes.GetOrAdd(typeof(TInterface), static (type, resolver) => resolver.GetGrainInterfaceType(type), interfaceTypes));

    /// <summary>The control interface of actor (or actor activation) <paramref name="id"/>.</summary>
    public IActorControl Control(GrainId id) => Get<IActorControl>(id);

    /// <summary>The pool grain of the pool at <paramref name="address"/>.</summary>
    public IActorPoolGrain Pool(string address) => _pools.GetOrAdd(address, static (key, factory) => factory.GetGrain<IActorPoolGrain>(key), grains);

    /// <summary>The transfer endpoint of the pool at <paramref name="address"/>.</summary>
    public ITransferGrain Transfers(string address) => _transfers.GetOrAdd(address, static (key, factory) => factory.GetGrain<ITransferGrain>(key), grains);
}
