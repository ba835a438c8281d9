using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans;

/// <summary>Batches: many calls to one <see cref="ExtensibleAttribute"/> method of an actor, sent as one message.</summary>
public static class ActorBatchExtensions
{
    /// <summary>Builds a call to send later in a batch; nothing is sent (Xoscar's <c>ref.m.delay(...)</c>).</summary>
    /// <param name="actor">The actor reference.</param>
    /// <param name="call">One method call on the reference it is given, e.g. <c>a => a.Put(k, v)</c>.</param>
    public static DelayedCall<TRef, TResult> Delay<TRef, TResult>(this TRef actor, Func<TRef, Task<TResult>> call) where TRef : IActor =>
        new(CallCapture.Capture(actor, a => call(a)));

    /// <inheritdoc cref="Delay{TRef,TResult}(TRef, Func{TRef, Task{TResult}})"/>
    public static DelayedCall<TRef, TResult> Delay<TRef, TResult>(this TRef actor, Func<TRef, ValueTask<TResult>> call) where TRef : IActor =>
        new(CallCapture.Capture(actor, a => call(a)));

    /// <inheritdoc cref="Delay{TRef,TResult}(TRef, Func{TRef, Task{TResult}})"/>
    public static DelayedCall<TRef, object?> Delay<TRef>(this TRef actor, Func<TRef, Task> call) where TRef : IActor =>
        new(CallCapture.Capture(actor, a => call(a)));

    /// <summary>
    /// Sends the delayed calls to the actor as one message and returns their results in order (Xoscar's
    /// <c>ref.m.batch(...)</c>). The actor runs them under one turn of its lock — atomically with respect to its
    /// other calls — through its batch implementation if it has one, else one by one. An empty batch returns an
    /// empty list without sending anything.
    /// </summary>
    /// <exception cref="ArgumentException">The calls are to another actor or to different methods, or the method is not
    /// <see cref="ExtensibleAttribute"/>: raised here, before anything is sent.</exception>
    public static async Task<IReadOnlyList<TResult>> Batch<TRef, TResult>(this TRef actor, params IEnumerable<DelayedCall<TRef, TResult>> calls) where TRef : IActor
    {
        var (target, requests) = Requests(actor, calls);
        if (requests.Length == 0) return [];
        var results = await Sender(actor).BatchAsync(target!, requests);
        if (results is TResult[] typed) return typed;
        var converted = new TResult[results.Length];
        for (var i = 0; i < results.Length; i++) converted[i] = (TResult)results.GetValue(i)!;
        return converted;
    }

    /// <summary>
    /// Sends the delayed calls as one batch and does not wait for them (Xoscar's <c>batch(..., send=False)</c>):
    /// completes once the actor's pool has accepted the batch.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Batch{TRef,TResult}"/>.</exception>
    public static ValueTask TellBatch<TRef, TResult>(this TRef actor, params IEnumerable<DelayedCall<TRef, TResult>> calls) where TRef : IActor
    {
        var (target, requests) = Requests(actor, calls);
        return requests.Length == 0 ? ValueTask.CompletedTask : Sender(actor).TellBatchAsync(target!, requests);
    }

    private static (GrainReference? Target, IInvokable[] Requests) Requests<TRef, TResult>(TRef actor, IEnumerable<DelayedCall<TRef, TResult>> calls) where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(calls);
        var target = actor.GetGrainId();
        var list = calls as IReadOnlyCollection<DelayedCall<TRef, TResult>> ?? calls.ToList();
        var requests = new IInvokable[list.Count];
        var i = 0;
        foreach (var call in list)
        {
            if (!call.Target.GrainId.Equals(target))
            {
                throw new ArgumentException($"A batch to actor {actor.GetActorId()} holds a call delayed on actor {call.Actor}.", nameof(calls));
            }

            var method = call.Request.GetMethod();
            if (i == 0 && !method.IsDefined(typeof(ExtensibleAttribute), true))
            {
                throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} is not [Extensible], so it cannot be called in a batch.", nameof(calls));
            }

            if (i > 0 && method != requests[0].GetMethod())
            {
                throw new ArgumentException($"A batch to actor {actor.GetActorId()} mixes {requests[0].GetMethodName()} and {call.Method}; a batch calls one method.", nameof(calls));
            }

            requests[i++] = call.Request;
        }

        return (list.FirstOrDefault()?.Target, requests);
    }

    internal static TellSender Sender(IActor actor) => CallCapture.Services(actor).GetService<TellSender>()
        ?? throw new InvalidOperationException("AddXoscar() was not called on the Orleans client or silo that made this actor reference.");
}
