using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
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
/// An actor is an Orleans grain that exists only once created (<see cref="IActorContext.CreateActorAsync{TActor,TRef}"/>):
/// its constructor receives the creation arguments (mixed with DI services), it lives in the pool it was created
/// in until it is destroyed, and it is never collected for being idle.
/// </remarks>
[Reentrant, KeepAlive, PoolAddressPlacement]
public abstract partial class ActorBase : Grain, IActorControl, IIncomingGrainCallFilter
{
    private ActorId? _id;
    private IActorContext? _context;
    private ActorMailbox? _mailbox;
    private ILogger? _logger;
    private bool _destroyed;

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

    private ActorMailbox Mailbox => _mailbox ??= new ActorMailbox(ServiceProvider.GetRequiredService<IOptions<XoscarOptions>>().Value.MaxQueuedCallsPerActor);

    /// <summary>A reference to this actor, typed as one of its interfaces (Xoscar's <c>self.ref()</c>).</summary>
    protected TRef Ref<TRef>() where TRef : IActor => this.AsReference<TRef>();

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

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        var kind = CallKinds.Of(context.Request.GetMethod());
        if (kind == CallKind.Locked && IsStateful) return InvokeLocked(context);
        if (kind != CallKind.System) ThrowIfDestroyed();
        return InvokeAsync(context);
    }

    private async Task InvokeAsync(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
            throw;
        }
    }

    // The common case (lock free, method completes synchronously) adds no allocation to Orleans' own work.
    private Task InvokeLocked(IIncomingGrainCallContext context)
    {
        var mailbox = Mailbox;
        var turn = mailbox.EnterAsync();
        if (!turn.IsCompletedSuccessfully) return InvokeLockedAsync(context, turn);
        Task invocation;
        try
        {
            ThrowIfDestroyed();
            invocation = context.Invoke();
        }
        catch (Exception error)
        {
            mailbox.Exit();
            return Task.FromException(ForCaller(error));
        }

        if (!invocation.IsCompleted) return CompleteLockedAsync(invocation);
        mailbox.Exit();
        return invocation.IsCompletedSuccessfully ? invocation : CompleteLockedAsync(invocation, exited: true);
    }

    private async Task InvokeLockedAsync(IIncomingGrainCallContext context, ValueTask turn)
    {
        await turn;
        try
        {
            ThrowIfDestroyed();
            await context.Invoke();
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
            throw;
        }
        finally
        {
            Mailbox.Exit();
        }
    }

    private async Task CompleteLockedAsync(Task invocation, bool exited = false)
    {
        try
        {
            await invocation;
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
            throw;
        }
        finally
        {
            if (!exited) Mailbox.Exit();
        }
    }

    private Exception ForCaller(Exception error) =>
        PoolErrors.ForCaller(error, Address, ServiceProvider.GetRequiredService<ICodecProvider>());

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
        await PreDestroyAsync();
        Remove();
    }

    ValueTask IActorControl.Tell(Immutable<IInvokable> call)
    {
        ThrowIfDestroyed();
        var invokable = call.Value;
        if (!IsStateful || CallKinds.Of(invokable.GetMethod()) != CallKind.Locked)
        {
            _ = RunTellAsync(invokable, locked: false, ValueTask.CompletedTask);
            return ValueTask.CompletedTask;
        }

        var room = Mailbox.WaitForRoomAsync();
        if (room.IsCompletedSuccessfully)
        {
            _ = RunTellAsync(invokable, locked: true, Mailbox.EnterAsync());
            return ValueTask.CompletedTask;
        }

        return AcceptWhenRoomAsync(invokable, room);
    }

    private async ValueTask AcceptWhenRoomAsync(IInvokable invokable, ValueTask room)
    {
        await room;
        ThrowIfDestroyed();
        _ = RunTellAsync(invokable, locked: true, Mailbox.EnterAsync());
    }

    // Runs an accepted tell in the actor's order; its reply is dropped and its error logged, as in Xoscar.
    private async Task RunTellAsync(IInvokable invokable, bool locked, ValueTask turn)
    {
        await turn;
        try
        {
            if (_destroyed)
            {
                LogTellDropped(Logger, invokable.GetMethodName(), Uid, Address);
                return;
            }

            invokable.SetTarget(GrainContext);
            var response = await invokable.Invoke();
            if (response.Exception is { } error)
            {
                LogTellFailed(Logger, error, invokable.GetMethodName(), Uid, Address);
            }

            response.Dispose();
        }
        catch (Exception error)
        {
            LogTellFailed(Logger, error, invokable.GetMethodName(), Uid, Address);
        }
        finally
        {
            if (locked) Mailbox.Exit();
            invokable.Dispose();
        }
    }

    // The spec goes first, then the activation: a call arriving in between finds no spec and fails as
    // ActorNotExist instead of re-creating the actor.
    private void Remove()
    {
        ServiceProvider.GetRequiredService<IActorRegistry>().Remove(Uid, GrainContext.GrainId.Type);
        _destroyed = true;
        this.DeactivateOnIdle();
    }

    private void ThrowIfDestroyed()
    {
        if (_destroyed) throw new ActorNotExistException(Id);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Tell {Method} to actor '{Uid}' in pool {Address} failed; the error was dropped with the reply.")]
    private static partial void LogTellFailed(ILogger logger, Exception error, string method, string uid, string address);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Tell {Method} to actor '{Uid}' in pool {Address} was accepted but the actor was destroyed before it ran.")]
    private static partial void LogTellDropped(ILogger logger, string method, string uid, string address);
}
