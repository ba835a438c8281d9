using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Serializers;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Incoming calls: the lock of a stateful actor, the batch fallback, and errors made fit to travel back.
public abstract partial class ActorBase
{
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        var method = context.Request.GetMethod();
        var kind = CallKinds.Of(method);
        if (kind == CallKind.System) return CompleteAsync(context, context.Invoke(), fallback: null);
        ThrowIfDestroyed();
        var fallback = BatchImplementations.IsEmpty ? null : BatchImplementations.TryGet(method, out var batch) ? batch : null;
        if (!IsStateful || !kind.TakesLock()) return CompleteAsync(context, context.Invoke(), fallback);
        return kind == CallKind.ReleasesLock ? InvokeInTurnAsync(context, fallback) : InvokeLocked(context, fallback);
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

    private async Task InvokeLockedAsync(IIncomingGrainCallContext context, ValueTask turn, BatchMethod? fallback)
    {
        try
        {
            await turn;
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
        }

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
            Mailbox.Exit();
        }
    }

    // A [ReleasesLock] call: its turn travels in its async flow, so ReleaseLockWhile can hand it back.
    private async Task InvokeInTurnAsync(IIncomingGrainCallContext context, BatchMethod? fallback)
    {
        try
        {
            await Mailbox.EnterAsync(context.Request.GetCancellationToken());
        }
        catch (Exception error)
        {
            ExceptionDispatchInfo.Throw(ForCaller(error));
        }

        var turn = LockTurn.Current = new LockTurn(Mailbox);
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
            turn.End();
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
                context.Result = (await fallback.InvokeAsync(this, [context.Request]))[0];
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
