using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Serializers;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Incoming calls: the lock of a stateful actor, the batch fallback, and errors made fit to travel back.
public abstract partial class ActorBase
{
    // The last method called and what it needs: a loop of calls to one method skips both look-ups.
    private System.Reflection.MethodInfo? _lastMethod;
    private CallKind _lastKind;
    private BatchMethod? _lastFallback;

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        var method = context.Request.GetMethod();
        if (!ReferenceEquals(method, _lastMethod))
        {
            _lastKind = CallKinds.Of(method);
            _lastFallback = BatchImplementations.IsEmpty ? null : BatchImplementations.TryGet(method, out var batch) ? batch : null;
            _lastMethod = method;
        }

        if (ActorTracing.Source.HasListeners()) return InvokeTracedAsync(context, method);
        return _lastKind <= CallKind.NoLock && Metrics.CallDuration.Enabled ? InvokeMeasuredAsync(context, method) : Dispatch(context);
    }

    // A method of the actor's interface, timed for the metrics while something listens.
    private async Task InvokeMeasuredAsync(IIncomingGrainCallContext context, System.Reflection.MethodInfo method)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await Dispatch(context);
        }
        catch (Exception error)
        {
            Metrics.RecordCall(ClassName, method, start, error);
            throw;
        }

        Metrics.RecordCall(ClassName, method, start, error: null);
    }

    // Routes a call by its kind (of the method last classified): to the lock, around it, or past it.
    private Task Dispatch(IIncomingGrainCallContext context)
    {
        var kind = _lastKind;
        var fallback = _lastFallback;
        if (CallChains) CallChain.Release();
        if (kind == CallKind.System) return CompleteAsync(context, context.Invoke(), fallback: null);
        ThrowIfDestroyed();
        if (!IsStateful || !kind.TakesLock())
        {
            return kind != CallKind.Control && Running is { } running ? InvokeWatched(context, kind, running, fallback) : InvokeUnlocked(context, kind, fallback);
        }

        var chain = CallChains ? CallChain.Current : null;
        if (chain is not null && CycleOf(chain, context.Request.GetMethodName()) is { } cycle) return Task.FromException(ForCaller(cycle));
        return kind == CallKind.ReleasesLock
            ? InvokeLockedAsync(context, Mailbox.EnterAsync(context.Request.GetCancellationToken()), chain, fallback, releasable: true)
            : InvokeLocked(context, chain, fallback);
    }

    private Task InvokeUnlocked(IIncomingGrainCallContext context, CallKind kind, BatchMethod? fallback) =>
        Workers > 1 && kind != CallKind.Control ? InvokeScaledOut(context, fallback) : CompleteAsync(context, context.Invoke(), fallback);

    // A call without the lock, recorded while it runs so that the pool can warn if it runs long.
    private Task InvokeWatched(IIncomingGrainCallContext context, CallKind kind, RunningCalls running, BatchMethod? fallback)
    {
        var slot = running.Enter(context.Request.GetMethod(), Environment.TickCount64);
        Task call;
        try
        {
            call = InvokeUnlocked(context, kind, fallback);
        }
        catch
        {
            running.Exit(slot);
            throw;
        }

        if (!call.IsCompleted) return ExitWhenDoneAsync(call, running, slot);
        running.Exit(slot);
        return call;
    }

    private static async Task ExitWhenDoneAsync(Task call, RunningCalls running, int slot)
    {
        try
        {
            await call;
        }
        finally
        {
            running.Exit(slot);
        }
    }

    // The common case (lock free, method completes synchronously) allocates nothing but the call chain (when cycles are detected).
    private Task InvokeLocked(IIncomingGrainCallContext context, CallChain? chain, BatchMethod? fallback)
    {
        var turn = Mailbox.EnterAsync(context.Request.GetCancellationToken());
        if (!turn.IsCompletedSuccessfully) return InvokeLockedAsync(context, turn, chain, fallback);
        Task invocation;
        BeginTurn(context.Request.GetMethod(), chain);
        try
        {
            ThrowIfDestroyed();
            invocation = context.Invoke();
        }
        catch (Exception error)
        {
            Mailbox.Exit();
            return Task.FromException(ForCaller(error));
        }

        if (!invocation.IsCompletedSuccessfully) return CompleteLockedAsync(context, invocation, fallback);
        Mailbox.Exit();
        return invocation;
    }

    // Waits for the lock, then runs the call. A [ReleasesLock] call's turn travels in its async flow, so that
    // ReleaseLockWhile can hand it back.
    private async Task InvokeLockedAsync(IIncomingGrainCallContext context, ValueTask entered, CallChain? chain, BatchMethod? fallback, bool releasable = false)
    {
        try
        {
            await entered;
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
        }

        var method = context.Request.GetMethod();
        var number = BeginTurn(method, chain);
        var turn = releasable ? LockTurn.Current = new LockTurn(Mailbox, number, method) : null;
        try
        {
            ThrowIfDestroyed();
            await CompleteAsync(context, context.Invoke(), fallback);
        }
        catch (ActorNotExistException error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
        }
        finally
        {
            if (turn is null) Mailbox.Exit();
            else turn.End();
        }
    }

    // A call arriving under a chain that holds this actor's lock now would wait for its own caller: a cycle.
    private CallCycleException? CycleOf(CallChain chain, string method)
    {
        var turn = Mailbox.Turn;
        if (turn == 0 || chain.Find(GrainContext.GrainId, turn) is not { } holder) return null;
        Metrics.RecordCycle(ClassName);
        var cycle = new CallCycleException(Id, chain.Cycle(holder, method));
        ServiceProvider.GetService<IPoolEventSink>()?.Publish(new PoolEvent(
            PoolEventKind.CallCycle, DateTime.UtcNow, Address, cycle.Message, Uid: Uid, ActorClass: ClassName, Method: $"{ClassName}.{method}"));
        return cycle;
    }

    // Marks the call just granted the lock as its holder and, when cycles are detected, adds its turn to the chain
    // of this async flow, which every call it makes carries on. Returns the turn. The chain needs no undoing: Orleans
    // runs each filter in an async method of its own, so the change never reaches the flow that sends the response.
    private long BeginTurn(System.Reflection.MethodInfo method, CallChain? chain)
    {
        var turn = Mailbox.BeginTurn(method);
        if (CallChains) CallChain.Hold(new CallChain(chain, GrainContext.GrainId, method.Name, turn));
        return turn;
    }

    private async Task CompleteLockedAsync(IIncomingGrainCallContext context, Task invocation, BatchMethod? fallback)
    {
        try
        {
            await CompleteAsync(context, invocation, fallback);
        }
        finally
        {
            Mailbox.Exit();
        }
    }

    // Awaits the method; a single implementation that is not written falls back to the batch one with a batch of one.
    private async Task CompleteAsync(IIncomingGrainCallContext context, Task invocation, BatchMethod? fallback)
    {
        try
        {
            try
            {
                await invocation;
            }
            catch (NotImplementedException) when (fallback is not null)
            {
                context.Result = (await fallback.InvokeAsync(this, context.Request)).GetValue(0);
            }
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
            throw;
        }
    }

    private Exception ForCaller(Exception error) =>
        PoolErrors.ForCaller(error, Address, ServiceProvider.GetRequiredService<ICodecProvider>());
}
