using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Configuration;
using Orleans.GrainDirectory;
using Orleans.Metadata;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The pool's endpoint for creating, finding and destroying its actors (what Xoscar's pool does with
/// Create/Destroy/HasActor messages). Reentrant: its bookkeeping is synchronous, so creations of different
/// actors overlap while each waits for its actor's constructor and post-create hook. Its interface is internal, not
/// private: a request may come from any holder of the cluster's secret, so every argument is checked here.
/// </summary>
[Reentrant, KeepAlive, PoolAddressPlacement, GrainDirectory(PoolAddressPlacement.DirectoryName), GrainType("xoscar.pool")]
internal sealed class ActorPoolGrain(
    ActorRegistry registry, ActorReferences references, GrainClassMap grainClasses, PoolDirectory pools, PoolAllocator allocator, RecoverableActors recoverable,
    PoolObituaries obituaries, IClusterMembershipService membership, PoolCallers callers, IPoolEventSink events)
    : Grain, IActorPoolGrain, IIncomingGrainCallFilter
{
    // The caller of the request running in this flow, as Orleans tells it: the pool grain is reentrant, so not a field.
    private static readonly AsyncLocal<GrainId?> Caller = new();

    private string Address => this.GetPrimaryKeyString();

    // Async, so that the caller set here stays within this request's flow.
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        Caller.Value = context.SourceId;
        await context.Invoke();
    }

    // Where the pool looked, and what to do: the usual cause is a pool started without the assembly of the class.
    private string NotLoaded(GrainType actorType)
    {
        var searched = ServiceProvider.GetRequiredService<IOptions<GrainTypeOptions>>().Value.Classes
            .Where(c => typeof(ActorBase).IsAssignableFrom(c) && c.Assembly != typeof(ActorPoolGrain).Assembly)
            .Select(c => c.Assembly.GetName().Name).Distinct().Order(StringComparer.Ordinal).ToList();
        return $"Actor class '{actorType}' is not an actor class loaded in pool {Address} (process {Environment.ProcessId}), whose actor classes " +
            $"come from {(searched.Count == 0 ? "no assembly" : string.Join(", ", searched))}. Start the pool with --assembly PATH naming the " +
            "assembly that defines the class (xoscar-pool loads only the assemblies it is given; ActorPool gives its sub pools those of its caller).";
    }

    // Uids are checked here too: a request may come from anywhere, not only through the façade.
    public async Task CreateActor(ActorCreationSpec spec)
    {
        var id = new ActorId(Address, ActorUids.Check(Check(spec).Uid, "uid"));
        if (!grainClasses.TryGetGrainClass(spec.ActorType, out var actorClass) || !typeof(ActorBase).IsAssignableFrom(actorClass))
        {
            throw new ArgumentException(NotLoaded(spec.ActorType), nameof(spec));
        }

        using var span = ActorTracing.Source.HasListeners() ? ActorTracing.Start(TraceKind.Create, null, id, actorClass.Name) : null;
        if (!registry.TryAdd(spec))
        {
            var taken = new ActorAlreadyExistException(id);
            ActorTracing.Failed(span, taken);
            throw taken;
        }

        try
        {
            await InitializeAsync(references.Control(GrainId.Create(spec.ActorType, id.ToGrainKey())));
        }
        catch (Exception error)
        {
            // Constructor or post-create hook failed: no half-created actor stays behind.
            registry.Remove(spec.Uid, spec.ActorType);
            ActorTracing.Failed(span, error);
            throw;
        }

        await registry.CreatedAsync(id, spec);
        // A pool being recovered gets its actors back from its main pool.
        var (kind, what) = registry.Recovering ? (PoolEventKind.ActorRecreated, "re-created") : (PoolEventKind.ActorCreated, "created");
        events.Publish(new PoolEvent(kind, DateTime.UtcNow, Address, $"actor '{spec.Uid}' ({actorClass.Name}) was {what}", Uid: spec.Uid, ActorClass: actorClass.Name));
    }

    // A call to the uid that came just before its spec (a caller of a recovering pool, or of an actor being created) made
    // an activation that found no spec and is failing: the post-create call may reach it and get its refusal. The
    // refusal says the actor is missing, which it no longer is; once that activation is gone, a new one is made.
    private static async Task InitializeAsync(IActorControl actor)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await actor.Initialize();
                return;
            }
            catch (Exception error) when (error is ActorNotExistException or PoolRecoveringException && attempt < 5)
            {
                await Task.Delay(attempt * 5);
            }
        }
    }

    public Task Ping() => Task.CompletedTask;

    public Task<GrainType> LookupActor(string uid, Type refType)
    {
        ActorUids.Check(uid, nameof(uid));
        ArgumentNullException.ThrowIfNull(refType);
        if (!refType.IsInterface || !typeof(IActor).IsAssignableFrom(refType))
        {
            throw new ArgumentException($"{refType.FullName} is not an actor interface (one that extends IActor); actor '{uid}' in pool {Address} cannot be referenced as one.", nameof(refType));
        }

        if (!registry.TryGet(uid, out var spec)) throw registry.Missing(new ActorId(Address, uid));
        if (grainClasses.TryGetGrainClass(spec.ActorType, out var actorClass) && !refType.IsAssignableFrom(actorClass))
        {
            throw new InvalidCastException($"Actor '{uid}' in pool {Address} is a {actorClass.FullName}, which does not implement {refType.FullName}.");
        }

        return Task.FromResult(spec.ActorType);
    }

    public Task<bool> HasActor(string uid, GrainType actorType) =>
        registry.TryGet(ActorUids.Check(uid, nameof(uid)), CheckActorType(actorType, nameof(actorType)), out _) ? Task.FromResult(true)
        : registry.Recovering ? Task.FromException<bool>(registry.Missing(new ActorId(Address, uid)))   // the caller waits for the answer
        : Task.FromResult(false);

    public Task EndRecovery()
    {
        registry.EndRecovery();
        return Task.CompletedTask;
    }

    public Task RecordPoolRecovered(string address)
    {
        obituaries.Recovered(PoolAddressFormat.Check(address, nameof(address)));
        return Task.CompletedTask;
    }

    public Task RecordActor(string address, ActorCreationSpec spec)
    {
        PoolAddressFormat.Check(address, nameof(address));
        ActorUids.Check(Check(spec).Uid, "uid");
        CheckActorType(spec.ActorType, nameof(spec));
        recoverable.Record(address, spec);
        return Task.CompletedTask;
    }

    public Task ForgetActor(string address, string uid, GrainType actorType)
    {
        recoverable.Forget(PoolAddressFormat.Check(address, nameof(address)), ActorUids.Check(uid, nameof(uid)), CheckActorType(actorType, nameof(actorType)));
        return Task.CompletedTask;
    }

    public async Task RecordPoolDeath(PoolObituary obituary)
    {
        ArgumentNullException.ThrowIfNull(obituary);
        PoolAddressFormat.Check(obituary.Address, nameof(obituary));
        if (obituary.Ending is null || obituary.LastLines is null) throw new ArgumentException($"The obituary of pool {obituary.Address} says neither how it ended nor its last lines.", nameof(obituary));
        obituaries.Record(obituary);
        // The main pool declared it dead before telling: once this pool's view has it dead too, calls placed here fail
        // with the obituary rather than being sent to the dead process.
        if (membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && PoolAddresses.Of(m.SiloAddress) == obituary.Address))
        {
            await membership.Refresh();
        }
    }

    public async Task<string> AllocateActor(ActorCreationSpec spec, AllocationStrategy strategy)
    {
        ActorUids.Check(Check(spec).Uid, "uid");
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy is AddressSpecified specified) PoolAddressFormat.Check(specified.Address, "address");
        var main = pools.Main
            ?? throw new ActorPoolNotStartedException($"Pool {Address} belongs to no actor pool with a main pool; allocation strategy {strategy} needs one (ActorPool.CreateAsync).");
        if (main.Address != Address) return await Pool(main.Address).AllocateActor(spec, strategy);

        var allocation = allocator.TryAllocate(strategy, spec);
        if (allocation is null && strategy is IdleLabel idle)
        {
            await FreeSlotsOfDestroyedActors(idle);
            allocation = allocator.TryAllocate(strategy, spec);
        }

        if (allocation is null) throw new NoIdleSlotException($"No idle actor pool for allocation strategy {strategy}: every pool labelled so holds an actor of that mark.");
        try
        {
            await Pool(allocation.Address).CreateActor(spec);
        }
        catch
        {
            allocation.Release();
            throw;
        }

        allocation.Confirm();
        return allocation.Address;
    }

    public Task PublishEvents(PoolEvent[] published)
    {
        foreach (var poolEvent in published) events.Publish(poolEvent);
        return Task.CompletedTask;
    }

    public Task<ActorPage> ListActors(string? after, int take)
    {
        if (take is < 1 or > IActorPoolGrain.MaxActorPage)
        {
            throw new ArgumentOutOfRangeException(nameof(take), take, $"A page of pool {Address}'s actors holds 1 to {IActorPoolGrain.MaxActorPage} actors.");
        }

        return Task.FromResult(registry.Page(after, take));
    }

    public Task<PoolFootprint> GetFootprint(bool collect) => Task.FromResult(PoolFootprints.Take(ServiceProvider, collect));

    public Task<PoolConfig[]> GetPoolConfigs() => Task.FromResult(pools.ActorPoolOf(pools.Local).ToArray());

    // The kill is recorded with its caller as Orleans names it, never as the request names it.
    public Task KillSubPool(string address, ActorId actor) => KillAsync(address, actor, callers.Describe(Caller.Value));

    public Task KillSubPoolFor(string address, ActorId actor, string caller)
    {
        if (!PoolCallers.IsPool(Caller.Value))
        {
            throw new ArgumentException($"KillSubPoolFor passes on a kill from one pool to its main pool; {callers.Describe(Caller.Value)} is not a pool (KillSubPool names its caller itself).", nameof(caller));
        }

        ArgumentNullException.ThrowIfNull(caller);
        return KillAsync(address, actor, caller);
    }

    private async Task KillAsync(string address, ActorId actor, string caller)
    {
        PoolAddressFormat.Check(address, nameof(address));
        ActorUids.Check(actor.Uid, nameof(actor));
        // The kill is recorded as being for this actor: it must be one of the pool killed, not a name of the caller's choosing.
        if (actor.Address != address)
        {
            throw new ArgumentException($"Actor {PrintableText.Quote(actor.Uid)} lives in pool {PrintableText.Quote(actor.Address ?? "")}, not in pool {address}, which was asked to be killed for it.", nameof(actor));
        }

        var target = pools.Pools().FirstOrDefault(p => p.Address == address)
            ?? throw new ServerClosedException(address, $"Actor '{actor.Uid}' lives in pool {address}, which is not running; the pools are {string.Join(", ", pools.Pools().Select(p => p.Address))}. {obituaries.Of(address)?.Describe()}".TrimEnd());
        if (target.Kind == PoolKind.Main)
        {
            throw new ArgumentException($"Actor '{actor.Uid}' lives in the main pool {address}; killing an actor kills its sub pool's process, and the main pool cannot be killed.", nameof(actor));
        }

        // The sub pool's own main pool kills it: the process is on its host, and that main pool supervises it.
        if (target.MainAddress is null)
        {
            throw new ActorPoolNotStartedException($"Actor '{actor.Uid}' lives in pool {address}, which belongs to no actor pool with a main pool to kill it (ActorPool.CreateAsync).");
        }

        if (target.MainAddress != Address)
        {
            await Pool(target.MainAddress).KillSubPoolFor(address, actor, caller);
            return;
        }

        Process process;
        try
        {
            process = Process.GetProcessById(target.ProcessId);
        }
        catch (ArgumentException)
        {
            return;   // already gone: the supervisor takes it from here, as for any death
        }

        using (process)
        {
            obituaries.Killing(address, $"was killed by KillActorAsync from {caller} on actor '{actor.Uid}'");
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                obituaries.TakeKilling(address);   // it ended by itself meanwhile: its own end is the one to tell
                return;
            }

            await process.WaitForExitAsync();   // SIGKILL cannot be refused: it ends at once
        }
    }

    private IActorPoolGrain Pool(string address) => references.Pool(address);

    private ActorCreationSpec Check(ActorCreationSpec? spec) =>
        spec ?? throw new ArgumentNullException(nameof(spec), $"A creation spec is needed (pool {Address}).");

    // An actor's grain type names a class; which one is the business of the pool the actor lives in.
    private GrainType CheckActorType(GrainType actorType, string argument) =>
        actorType.IsDefault ? throw new ArgumentException($"An actor class is needed (pool {Address}).", argument) : actorType;

    private async Task FreeSlotsOfDestroyedActors(IdleLabel strategy)
    {
        foreach (var slot in allocator.HeldSlots(strategy))
        {
            bool exists;
            try
            {
                exists = await Pool(slot.Address).HasActor(slot.Actor.Uid, slot.Actor.ActorType);
            }
            catch (Exception error) when (error is ServerClosedException or SiloUnavailableException)
            {
                exists = false;   // its pool is gone, and the actor with it
            }

            if (!exists) allocator.Free(strategy, slot);
        }
    }
}
