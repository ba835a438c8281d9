using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Tells: accepted into the actor's order at once, run later, their replies dropped and their errors logged.
public abstract partial class ActorBase
{
    ValueTask IActorControl.Tell(Immutable<IInvokable[]> calls, CancellationToken cancellationToken)
    {
        var invokables = ActorRequests.Check(calls.Value, this, nameof(calls));
        var works = new (MethodInfo Method, Func<Task> Work)[invokables.Length];
        for (var i = 0; i < invokables.Length; i++)
        {
            var invokable = invokables[i];
            works[i] = (invokable.GetMethod(), () => RunToldAsync(invokable));
        }

        return Accept(works, batched: 0, cancellationToken);
    }

    ValueTask IActorControl.TellBatch(BatchPayload calls, CancellationToken cancellationToken)
    {
        var method = BatchedMethod(calls);
        return Accept([(method, () => RunBatchAsync(method, calls))], calls.Count, cancellationToken);
    }

    // Waits until the queue has room for all the locked work, then queues all of it at once, in order: that is the
    // acceptance the caller waits for. The work runs later. Batched: the calls of a told batch (one work), or 0 for tells.
    private ValueTask Accept((MethodInfo Method, Func<Task> Work)[] works, int batched, CancellationToken cancellationToken)
    {
        ThrowIfDestroyed();
        var locked = IsStateful ? works.Count(w => CallKinds.Of(w.Method).TakesLock()) : 0;
        var room = locked == 0 ? ValueTask.CompletedTask : Mailbox.WaitForRoomAsync(locked, cancellationToken);
        if (!room.IsCompletedSuccessfully) return AcceptWhenRoomAsync(works, batched, room);
        Enqueue(works, batched);
        return ValueTask.CompletedTask;
    }

    private async ValueTask AcceptWhenRoomAsync((MethodInfo Method, Func<Task> Work)[] works, int batched, ValueTask room)
    {
        await room;
        ThrowIfDestroyed();
        Enqueue(works, batched);
    }

    private void Enqueue((MethodInfo Method, Func<Task> Work)[] works, int batched)
    {
        foreach (var (method, work) in works)
        {
            var kind = CallKinds.Of(method);
            var locked = IsStateful && kind.TakesLock();
            _ = RunAcceptedAsync(work, method, kind, locked ? Mailbox.EnterAsync() : ValueTask.CompletedTask, batched);
        }
    }

    // Its span, where traced, is a child of the teller's (the tell's message carried it), made when the work starts.
    private async Task RunAcceptedAsync(Func<Task> work, MethodInfo method, CallKind kind, ValueTask entered, int batched)
    {
        var start = Metrics.CallDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var name = method.Name;
        await entered;
        using var span = ActorTracing.Source.HasListeners()
            ? ActorTracing.Start(batched == 0 ? TraceKind.Tell : TraceKind.TellBatch, method, Id, ClassName, batched)
            : null;
        LockTurn? turn = null;
        if (IsStateful && kind.TakesLock())
        {
            // A tell's caller does not wait for it: its work starts a chain of its own.
            turn = new LockTurn(Mailbox, BeginTurn(method, chain: null), method);
            if (kind == CallKind.ReleasesLock) LockTurn.Current = turn;
        }
        else if (CallChains)
        {
            CallChain.Hold(null);
        }

        try
        {
            if (_destroyed)
            {
                LogTellDropped(Logger, name, Uid, Address);
                return;
            }

            await work();
            if (start != 0) Metrics.RecordCall(ClassName, method, start, error: null);
        }
        catch (Exception error)
        {
            if (start != 0) Metrics.RecordCall(ClassName, method, start, error);
            ActorTracing.Failed(span, error);
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
