using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Tells: accepted into the actor's order at once, run later, their replies dropped and their errors logged.
public abstract partial class ActorBase
{
    ValueTask IActorControl.Tell(Immutable<IInvokable[]> calls)
    {
        var invokables = calls.Value;
        for (var i = 0; i < invokables.Length; i++)
        {
            var invokable = invokables[i];
            var accepted = Accept(invokable.GetMethod(), () => RunToldAsync(invokable), invokable.GetMethodName());
            if (!accepted.IsCompletedSuccessfully) return AcceptRestAsync(accepted, invokables, i + 1);
        }

        return ValueTask.CompletedTask;
    }

    // The queue was full: the rest are accepted one by one as room frees up, still in their order.
    private async ValueTask AcceptRestAsync(ValueTask accepting, IInvokable[] invokables, int next)
    {
        await accepting;
        for (var i = next; i < invokables.Length; i++)
        {
            var invokable = invokables[i];
            await Accept(invokable.GetMethod(), () => RunToldAsync(invokable), invokable.GetMethodName());
        }
    }

    ValueTask IActorControl.TellBatch(BatchPayload calls)
    {
        var method = BatchedMethod(calls);
        return Accept(method, () => RunBatchAsync(method, calls), calls.Template.GetMethodName());
    }

    // Queues the work in the actor's order now (that is the acceptance the caller waits for), runs it later.
    private ValueTask Accept(System.Reflection.MethodInfo method, Func<Task> work, string name)
    {
        ThrowIfDestroyed();
        var kind = CallKinds.Of(method);
        if (!IsStateful || !kind.TakesLock())
        {
            _ = RunAcceptedAsync(work, name, kind, ValueTask.CompletedTask);
            return ValueTask.CompletedTask;
        }

        var room = Mailbox.WaitForRoomAsync();
        if (room.IsCompletedSuccessfully)
        {
            _ = RunAcceptedAsync(work, name, kind, Mailbox.EnterAsync());
            return ValueTask.CompletedTask;
        }

        return AcceptWhenRoomAsync(work, name, kind, room);
    }

    private async ValueTask AcceptWhenRoomAsync(Func<Task> work, string name, CallKind kind, ValueTask room)
    {
        await room;
        ThrowIfDestroyed();
        _ = RunAcceptedAsync(work, name, kind, Mailbox.EnterAsync());
    }

    private async Task RunAcceptedAsync(Func<Task> work, string name, CallKind kind, ValueTask entered)
    {
        await entered;
        var turn = IsStateful && kind.TakesLock() ? new LockTurn(Mailbox) : null;
        if (kind == CallKind.ReleasesLock) LockTurn.Current = turn;
        try
        {
            if (_destroyed)
            {
                LogTellDropped(Logger, name, Uid, Address);
                return;
            }

            await work();
        }
        catch (Exception error)
        {
            LogTellFailed(Logger, error, name, Uid, Address);
        }
        finally
        {
            turn?.End();
        }
    }

    private async Task RunToldAsync(IInvokable invokable)
    {
        try
        {
            await RunCapturedAsync(invokable);
        }
        finally
        {
            invokable.Dispose();
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Tell {Method} to actor '{Uid}' in pool {Address} failed; the error was dropped with the reply.")]
    private static partial void LogTellFailed(ILogger logger, Exception error, string method, string uid, string address);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Tell {Method} to actor '{Uid}' in pool {Address} was accepted but the actor was destroyed before it ran.")]
    private static partial void LogTellDropped(ILogger logger, string method, string uid, string address);
}
