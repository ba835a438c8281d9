using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.GrainDirectory;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Orleans.Serialization.Serializers;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// What every actor has: its identity, its pool, its lifecycle hooks, a reference to itself and the façade.
/// Derive from <see cref="Actor"/> (stateful) or <see cref="StatelessActor"/>, and implement the actor's
/// interface (one that extends <see cref="IActor"/>).
/// </summary>
/// <remarks>
/// An actor is an Orleans grain that exists only once created (<see cref="IActorContext.CreateActorAsync{TActor, TRef}(object?[], string?, string?)"/>):
/// its constructor receives the creation arguments (mixed with DI services), it lives in the pool it was created
/// in until it is destroyed, and it is never collected for being idle.
/// </remarks>
[Reentrant, KeepAlive, PoolAddressPlacement, GrainDirectory(PoolAddressPlacement.DirectoryName)]
public abstract partial class ActorBase : Grain, IGrainBase, IActorControl, IIncomingGrainCallFilter
{
    private ActorId? _id;
    private IActorContext? _context;
    private ActorMailbox? _mailbox;
    private RunningCalls? _running;
    private bool _runningWatched = true;   // until the pool says it does not warn of slow calls
    private ILogger? _logger;
    private bool _destroyed;
    private XoscarOptions? _options;
    private ActorMetrics? _metrics;
    private string? _className;

    private protected ActorBase()
    {
    }

    /// <summary>Whether calls take the actor's lock (one at a time) or run concurrently.</summary>
    private protected abstract bool IsStateful { get; }

    /// <summary>The actor's identity: its pool address and uid.</summary>
    public ActorId Id => _id ??= ActorId.FromGrainKey(this.GetPrimaryKeyString());

    /// <summary>The actor's uid within its pool.</summary>
    public string Uid => Id.Uid;

    /// <summary>The address of the pool the actor lives in.</summary>
    public string Address => Id.Address;

    /// <summary>The façade, for creating, finding and destroying other actors from inside this one.</summary>
    protected IActorContext Context => _context ??= ServiceProvider.GetRequiredService<IActorContext>();

    /// <summary>The logger of this actor's class.</summary>
    protected ILogger Logger => _logger ??= ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(GetType());

    private XoscarOptions Options => _options ??= ServiceProvider.GetRequiredService<IOptions<XoscarOptions>>().Value;

    private ActorMailbox Mailbox => _mailbox ??= CreateMailbox();

    // The calls running without the lock, where the pool warns of slow calls; null where it does not.
    private RunningCalls? Running => _runningWatched ? _running ??= WatchRunningCalls() : null;

    private ActorMetrics Metrics => _metrics ??= ServiceProvider.GetRequiredService<ActorMetrics>();

    private string ClassName => _className ??= GetType().Name;

    /// <summary>Whether this actor's locked calls carry their chain (<see cref="XoscarOptions.DetectCallCycles"/>).</summary>
    private bool CallChains => Options.DetectCallCycles;

    /// <summary>A reference to this actor, typed as one of its interfaces (Xoscar's <c>self.ref()</c>).</summary>
    protected TRef Ref<TRef>() where TRef : IActor => ServiceProvider.GetRequiredService<ActorReferences>().Get<TRef>(GrainContext.GrainId);

    /// <summary>
    /// Runs once after the actor was constructed and before its creation completes (Xoscar's
    /// <c>__post_create__</c>). It may call other actors and this actor's own reference. If it throws,
    /// the creation fails with that error and the actor is removed.
    /// </summary>
    public virtual Task PostCreateAsync() => Task.CompletedTask;

    /// <summary>
    /// Runs when the actor is destroyed, before it is removed (Xoscar's <c>__pre_destroy__</c>). It may call
    /// other actors. If it throws, the destroy call fails with that error and the actor stays.
    /// </summary>
    public virtual Task PreDestroyAsync() => Task.CompletedTask;

    async Task IActorControl.Initialize()
    {
        try
        {
            await PostCreateAsync();
        }
        catch
        {
            Remove();
            throw;
        }
    }

    async Task IActorControl.Destroy()
    {
        using var span = ActorTracing.Source.HasListeners() ? ActorTracing.Start(TraceKind.Destroy, null, Id, ClassName) : null;
        try
        {
            await PreDestroyAsync();
            var spec = Remove();
            await ServiceProvider.GetRequiredService<IActorRegistry>().DestroyedAsync(Id, GrainContext.GrainId.Type, spec);
        }
        catch (Exception error)
        {
            ActorTracing.Failed(span, error);
            throw;
        }
    }

    // The spec goes first, then the activation: a call arriving in between finds no spec and fails as
    // ActorNotExist instead of re-creating the actor.
    private ActorCreationSpec? Remove()
    {
        var spec = ServiceProvider.GetRequiredService<IActorRegistry>().Remove(Uid, GrainContext.GrainId.Type);
        _destroyed = true;
        RetireWorkers();
        this.DeactivateOnIdle();
        return spec;
    }

    private ActorMailbox CreateMailbox()
    {
        var mailbox = new ActorMailbox(Options.MaxQueuedCallsPerActor);
        ServiceProvider.GetService<LockWatch>()?.Watch(this, Id, mailbox);
        return mailbox;
    }

    private RunningCalls? WatchRunningCalls()
    {
        if (ServiceProvider.GetService<LockWatch>() is not { Enabled: true } watch)
        {
            _runningWatched = false;
            return null;
        }

        var running = new RunningCalls();
        watch.Watch(this, Id, running);
        return running;
    }

    // Orleans calls this through the interface, so it runs whether or not a subclass overrides OnDeactivateAsync.
    Task IGrainBase.OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_mailbox is not null || _running is not null) ServiceProvider.GetService<LockWatch>()?.Forget(this);
        EndStreams();
        return OnDeactivateAsync(reason, cancellationToken);
    }

    private void ThrowIfDestroyed()
    {
        if (_destroyed) throw new ActorNotExistException(Id);
    }

}
