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

    async Task<object?[]> IActorControl.Batch(Immutable<IInvokable[]> calls)
    {
        var invokables = calls.Value;
        var method = BatchedMethod(invokables);
        if (method is null) return [];
        var kind = CallKinds.Of(method);
        LockTurn? turn = null;
        if (IsStateful && kind.TakesLock())
        {
            await Mailbox.EnterAsync();
            turn = new LockTurn(Mailbox);
            if (kind == CallKind.ReleasesLock) LockTurn.Current = turn;
        }

        try
        {
            ThrowIfDestroyed();
            return await RunBatchAsync(method, invokables);
        }
        finally
        {
            turn?.End();
        }
    }

    // The batch implementation if the class has one; otherwise each call in turn, inside this one message.
    private async Task<object?[]> RunBatchAsync(MethodInfo method, IInvokable[] calls)
    {
        try
        {
            if (BatchImplementations.TryGet(method, out var batch)) return await batch.InvokeAsync(this, calls);
            var results = new object?[calls.Length];
            for (var i = 0; i < calls.Length; i++) results[i] = await RunCapturedAsync(calls[i]);
            return results;
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }
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

    /// <summary>The one method all <paramref name="calls"/> are to, or null for an empty batch.</summary>
    /// <exception cref="ArgumentException">The calls are to different methods, or to a method not marked <see cref="ExtensibleAttribute"/>.</exception>
    private MethodInfo? BatchedMethod(IInvokable[] calls)
    {
        if (calls.Length == 0) return null;
        var method = calls[0].GetMethod();
        if (!method.IsDefined(typeof(ExtensibleAttribute), true))
        {
            throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} of actor '{Uid}' is not [Extensible], so it cannot be called in a batch.", nameof(calls));
        }

        foreach (var call in calls)
        {
            if (call.GetMethod() != method)
            {
                throw new ArgumentException($"A batch to actor '{Uid}' mixes {method.Name} and {call.GetMethodName()}; a batch calls one method.", nameof(calls));
            }
        }

        return method;
    }
}
