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

        var kind = _lastKind;
        var fallback = _lastFallback;
        if (kind == CallKind.System) return CompleteAsync(context, context.Invoke(), fallback: null);
        ThrowIfDestroyed();
        if (!IsStateful || !kind.TakesLock())
        {
            return Workers > 1 && kind != CallKind.Control ? InvokeScaledOut(context, fallback) : CompleteAsync(context, context.Invoke(), fallback);
        }

        return kind == CallKind.ReleasesLock
            ? InvokeLockedAsync(context, Mailbox.EnterAsync(context.Request.GetCancellationToken()), fallback, releasable: true)
            : InvokeLocked(context, fallback);
    }

    // The common case (lock free, method completes synchronously) adds no allocation to Orleans' own work.
    private Task InvokeLocked(IIncomingGrainCallContext context, BatchMethod? fallback)
    {
        var turn = Mailbox.EnterAsync(context.Request.GetCancellationToken());
        if (!turn.IsCompletedSuccessfully) return InvokeLockedAsync(context, turn, fallback);
        Task invocation;
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
    private async Task InvokeLockedAsync(IIncomingGrainCallContext context, ValueTask entered, BatchMethod? fallback, bool releasable = false)
    {
        try
        {
            await entered;
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
        }

        var turn = releasable ? LockTurn.Current = new LockTurn(Mailbox) : null;
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
