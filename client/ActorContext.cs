using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Streams;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Transfers;

namespace Xoscar.Orleans;

/// <summary>The façade: each call routes to the pool grain of the target pool, as Xoscar's api.py routes to its pools.</summary>
internal sealed class ActorContext(
    ActorReferences references, GrainTypeResolver grainTypes, IDefaultPoolAddress defaultPool, TransferSender transfers, IServiceProvider services,
    TransferTargets? targets = null)
    : IActorContext
{
    public string DefaultAddress => defaultPool.Address
        ?? throw new ActorPoolNotStartedException("No default actor pool: this client is not inside a pool and XoscarOptions.DefaultAddress is not set; pass an address.");

    // Resolving a class's grain type reads its attributes; every creation of that class needs it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, GrainType> _actorTypes = new();

    public async Task<TRef> CreateActorAsync<TActor, TRef>(object?[]? args = null, string? uid = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor
    {
        var spec = Spec<TActor>(args, uid);
        var id = new ActorId(AddressOrDefault(address), spec.Uid);
        await Pool(id.Address).CreateActor(spec);
        return Reference<TRef>(spec.ActorType, id);
    }

    public async Task<TRef> CreateActorAsync<TActor, TRef>(AllocationStrategy strategy, object?[]? args = null, string? uid = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy is AddressSpecified specified) return await CreateActorAsync<TActor, TRef>(args, uid, PoolAddressFormat.Check(specified.Address, nameof(strategy)));
        var spec = Spec<TActor>(args, uid);
        var chosen = await Pool(AddressOrDefault(address)).AllocateActor(spec, strategy);
        return Reference<TRef>(spec.ActorType, new ActorId(chosen, spec.Uid));
    }

    public async Task<IReadOnlyList<TRef>> CreateGpuGangAsync<TActor, TRef>(GpuGang gang, IReadOnlyList<object?[]> args, IReadOnlyList<string>? uids = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(gang);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0) throw new ArgumentException("A gang has one member per argument list; none were given.", nameof(args));
        if (uids is not null && uids.Count != args.Count) throw new ArgumentException($"{uids.Count} uids for a gang of {args.Count} members: give one per member.", nameof(uids));
        if (uids?.GroupBy(u => u).FirstOrDefault(g => g.Count() > 1) is { } twice) throw new ArgumentException($"Uid '{twice.Key}' is given {twice.Count()} times.", nameof(uids));
        if (gang.Devices is { } devices && devices.Length != args.Count)
        {
            throw new ArgumentException($"{gang} names {devices.Length} devices for a gang of {args.Count} members: name one per member.", nameof(gang));
        }

        var specs = args.Select((a, rank) => Spec<TActor>(a, uids?[rank])).ToArray();
        var chosen = await Pool(AddressOrDefault(address)).AllocateGang(specs, gang);
        return specs.Select((spec, rank) => Reference<TRef>(spec.ActorType, new ActorId(chosen[rank], spec.Uid))).ToList();
    }

    public async Task<IReadOnlyList<PoolConfig>> GetPoolConfigAsync(string? address = null) =>
        await Pool(AddressOrDefault(address)).GetPoolConfigs();

    public async Task<TRef> ActorRefAsync<TRef>(string address, string uid) where TRef : IActor
    {
        PoolAddressFormat.Check(address, nameof(address));
        ActorUids.Check(uid, nameof(uid));
        var actorType = await Pool(address).LookupActor(uid, typeof(TRef));
        return Reference<TRef>(actorType, new ActorId(address, uid));
    }

    public Task<bool> HasActorAsync(IActor actor)
    {
        var (id, actorType) = Identify(actor);
        return Pool(id.Address).HasActor(id.Uid, actorType);
    }

    public Task KillActorAsync(IActor actor)
    {
        var (id, _) = Identify(actor);
        return Pool(DefaultAddress).KillSubPool(id.Address, id);   // any pool forwards it to the main pool
    }

    // Straight to the actor, not through its pool grain: it removes itself (an actor that does not exist cannot be
    // activated, so the call fails with ActorNotExistException).
    public Task DestroyActorAsync(IActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return references.Control(actor.GetGrainId()).Destroy();
    }

    // A subscription whose events wait here for the loop over them: a loop that falls behind holds back its own
    // deliveries (Orleans retries them), never the pools that publish.
    public async IAsyncEnumerable<PoolEvent> WatchPoolEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var provider = services.GetKeyedService<IStreamProvider>(PoolEventStream.ProviderName) ?? throw new InvalidOperationException(
            $"This silo or client has no '{PoolEventStream.ProviderName}' stream provider, which pool events need: pools started by EmbeddedActorPool or ActorPool, and clients with AddXoscar, have it.");
        var events = Channel.CreateBounded<PoolEvent>(new BoundedChannelOptions(EventsAhead) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var subscription = await provider.GetStream<PoolEvent>(PoolEventStream.Id).SubscribeAsync(
            (poolEvent, _) => events.Writer.WriteAsync(poolEvent, cancellationToken).AsTask(),
            error =>
            {
                events.Writer.TryComplete(error);
                return Task.CompletedTask;
            },
            () =>
            {
                events.Writer.TryComplete();
                return Task.CompletedTask;
            });
        try
        {
            await foreach (var poolEvent in events.Reader.ReadAllAsync(cancellationToken)) yield return poolEvent;
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    // Events delivered and not yet taken by the loop over them.
    private const int EventsAhead = 1024;

    public BufferRef BufferRef(Memory<byte> buffer)
    {
        var pool = LocalTargets(nameof(BufferRef));
        return new BufferRef(pool.Address, pool.Add(buffer), buffer.Length);
    }

    public Memory<byte> GetBuffer(BufferRef buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var pool = LocalTargets(nameof(GetBuffer));
        if (buffer.Address != pool.Address) throw new ArgumentException($"The {buffer} is not in this pool ({pool.Address}); only its own pool can read it.", nameof(buffer));
        if (pool.TryGetBuffer(buffer.Id, out var memory)) return memory;
        if (pool.FindBlockTarget(buffer.Id) is not null) throw new ArgumentException($"The {buffer} is a device buffer: read it through its GpuBuffer.", nameof(buffer));
        throw new TransferTargetNotFoundException(pool.Address, buffer.Id, "buffer");
    }

    public FileObjectRef FileObjectRef(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("A file object ref needs a writable stream.", nameof(stream));
        var pool = LocalTargets(nameof(FileObjectRef));
        return new FileObjectRef(pool.Address, pool.Add(stream));
    }

    public Task CopyToAsync(IReadOnlyList<ReadOnlyMemory<byte>> sources, IReadOnlyList<BufferRef> targets, int? blockSize = null, CancellationToken cancellationToken = default) =>
        transfers.CopyAsync(sources, targets, blockSize, cancellationToken);

    public Task CopyToAsync(IReadOnlyList<Stream> sources, IReadOnlyList<FileObjectRef> targets, int? blockSize = null, CancellationToken cancellationToken = default) =>
        transfers.CopyAsync(sources, targets, blockSize, cancellationToken);

    private TransferTargets LocalTargets(string what) => targets ?? throw new InvalidOperationException(
        $"{what} needs a pool in this process: copies are received by pools, and this is a client. Register the target inside an actor or in a pool's process.");

    private ActorCreationSpec Spec<TActor>(object?[]? args, string? uid)
    {
        if (uid is not null) ActorUids.Check(uid, nameof(uid));
        return new ActorCreationSpec(uid ?? Guid.NewGuid().ToString("N"), _actorTypes.GetOrAdd(typeof(TActor), static (type, resolver) => resolver.GetGrainType(type), grainTypes), args ?? []);
    }

    private IActorPoolGrain Pool(string address) => references.Pool(address);

    // An address given is checked as the caller's; the default was checked where it was configured.
    private string AddressOrDefault(string? address) => address is null ? DefaultAddress : PoolAddressFormat.Check(address, nameof(address));

    private TRef Reference<TRef>(GrainType actorType, ActorId id) where TRef : IActor =>
        references.Get<TRef>(GrainId.Create(actorType, id.ToGrainKey()));

    private static (ActorId Id, GrainType ActorType) Identify(IActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var grainId = actor.GetGrainId();
        return (ActorId.FromGrainKey(grainId.Key.ToString()!), grainId.Type);
    }
}
