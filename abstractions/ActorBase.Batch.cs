using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Batches: many calls to one method in one message, under one turn of the lock.
public abstract partial class ActorBase
{
    private BatchMethods? _batchMethods;

    private BatchMethods BatchImplementations => _batchMethods ??= BatchMethods.For(GetType());

    async Task<Column> IActorControl.Batch(BatchPayload calls)
    {
        var method = BatchedMethod(calls);
        using var span = ActorTracing.Source.HasListeners() ? ActorTracing.Start(TraceKind.Batch, method, Id, ClassName, calls.Count) : null;
        var start = Metrics.CallDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            var results = await RunBatchLockedAsync(method, calls);
            if (start != 0) Metrics.RecordCall(ClassName, method, start, error: null);
            return results;
        }
        catch (Exception error)
        {
            if (start != 0) Metrics.RecordCall(ClassName, method, start, error);
            ActorTracing.Failed(span, error);
            throw;
        }
    }

    // One turn of the lock (for a method that takes it) around the whole batch.
    private async Task<Column> RunBatchLockedAsync(MethodInfo method, BatchPayload calls)
    {
        var kind = CallKinds.Of(method);
        LockTurn? turn = null;
        if (IsStateful && kind.TakesLock())
        {
            var chain = CallChains ? CallChain.Current : null;
            if (chain is not null && CycleOf(chain, method.Name) is { } cycle) throw cycle;
            await Mailbox.EnterAsync();
            turn = new LockTurn(Mailbox, BeginTurn(method, chain), method);
            if (kind == CallKind.ReleasesLock) LockTurn.Current = turn;
        }

        try
        {
            ThrowIfDestroyed();
            return new Column(await RunBatchAsync(method, calls));
        }
        finally
        {
            turn?.End();
        }
    }

    // The batch implementation if the class has one; otherwise each call in turn, inside this one message.
    private async Task<Array> RunBatchAsync(MethodInfo method, BatchPayload calls)
    {
        if (BatchImplementations.TryGet(method, out var batch)) return await batch.InvokeAsync(this, calls);
        var results = Array.CreateInstance(BatchMethod.ResultType(method), calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls.Call(i);
            try
            {
                results.SetValue(await RunCapturedAsync(call), i);
            }
            finally
            {
                call.Dispose();
            }
        }

        return results;
    }

    // Runs one captured call on this actor, outside Orleans' pipeline (the caller already holds the turn).
    private async Task<object?> RunCapturedAsync(IInvokable call)
    {
        call.SetTarget(GrainContext);
        var response = await call.Invoke();
        try
        {
            if (response.Exception is { } error) ExceptionDispatchInfo.Throw(error);
            return response.Result;
        }
        finally
        {
            response.Dispose();
        }
    }

    /// <summary>The method the batch calls, checked: the caller checked it too, but a pool trusts no caller.</summary>
    /// <exception cref="ArgumentException">The method is not marked <see cref="ExtensibleAttribute"/>.</exception>
    private MethodInfo BatchedMethod(BatchPayload calls)
    {
        var method = ActorRequests.Check(calls, this, nameof(calls)).Template.GetMethod();
        if (!method.IsDefined(typeof(ExtensibleAttribute), true))
        {
            throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} of actor '{Uid}' is not [Extensible], so it cannot be called in a batch.", nameof(calls));
        }

        return method;
    }
}
