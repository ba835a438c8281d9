using System.Diagnostics;
using Orleans.Concurrency;
using Orleans.GrainDirectory;
using Orleans.Metadata;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The pool's endpoint for creating, finding and destroying its actors (what Xoscar's pool does with
/// Create/Destroy/HasActor messages). Reentrant: its bookkeeping is synchronous, so creations of different
/// actors overlap while each waits for its actor's constructor and post-create hook.
/// </summary>
[Reentrant, KeepAlive, PoolAddressPlacement, GrainDirectory(PoolAddressPlacement.DirectoryName), GrainType("xoscar.pool")]
internal sealed class ActorPoolGrain(
    ActorRegistry registry, ActorReferences references, GrainClassMap grainClasses, PoolDirectory pools, PoolAllocator allocator, RecoverableActors recoverable,
    PoolObituaries obituaries, IClusterMembershipService membership, IPoolEventSink events)
    : Grain, IActorPoolGrain
{
    private string Address => this.GetPrimaryKeyString();

    // Uids are checked here too: a request may come from anywhere, not only through the façade.
    public async Task CreateActor(ActorCreationSpec spec)
    {
        var id = new ActorId(Address, ActorUids.Check(spec.Uid, "uid"));
        if (!grainClasses.TryGetGrainClass(spec.ActorType, out var actorClass) || !typeof(ActorBase).IsAssignableFrom(actorClass))
        {
            throw new ArgumentException($"Actor class '{spec.ActorType}' is not an actor class loaded in pool {Address}.", nameof(spec));
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
        if (!registry.TryGet(uid, out var spec)) throw registry.Missing(new ActorId(Address, uid));
        if (grainClasses.TryGetGrainClass(spec.ActorType, out var actorClass) && !refType.IsAssignableFrom(actorClass))
        {
            throw new InvalidCastException($"Actor '{uid}' in pool {Address} is a {actorClass.FullName}, which does not implement {refType.FullName}.");
        }

        return Task.FromResult(spec.ActorType);
    }

    public Task<bool> HasActor(string uid, GrainType actorType) =>
        registry.TryGet(ActorUids.Check(uid, nameof(uid)), actorType, out _) ? Task.FromResult(true)
        : registry.Recovering ? Task.FromException<bool>(registry.Missing(new ActorId(Address, uid)))   // the caller waits for the answer
        : Task.FromResult(false);

    public Task EndRecovery()
    {
        registry.EndRecovery();
        return Task.CompletedTask;
    }

    public Task RecordPoolRecovered(string address)
    {
        obituaries.Recovered(address);
        return Task.CompletedTask;
    }

    public Task RecordActor(string address, ActorCreationSpec spec)
    {
        recoverable.Record(address, spec);
        return Task.CompletedTask;
    }

    public Task ForgetActor(string address, string uid, GrainType actorType)
    {
        recoverable.Forget(address, uid, actorType);
        return Task.CompletedTask;
    }

    public async Task RecordPoolDeath(PoolObituary obituary)
    {
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
        ActorUids.Check(spec.Uid, "uid");
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

    public async Task KillSubPool(string address, ActorId actor)
    {
        // The kill is recorded as being for this actor: it must be one of the pool killed, not a name of the caller's choosing.
        if (actor.Address != address)
        {
            throw new ArgumentException($"Actor '{actor.Uid}' lives in pool {actor.Address}, not in pool {address}, which was asked to be killed for it.", nameof(actor));
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
            await Pool(target.MainAddress).KillSubPool(address, actor);
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
            obituaries.Killing(address, $"was killed by KillActorAsync on actor '{actor.Uid}'");
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
