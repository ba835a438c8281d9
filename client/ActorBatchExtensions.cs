using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>Batches: many calls to one <see cref="ExtensibleAttribute"/> method of an actor, sent as one message.</summary>
public static class ActorBatchExtensions
{
    /// <summary>Builds a call to send later in a batch; nothing is sent (Xoscar's <c>ref.m.delay(...)</c>).</summary>
    /// <param name="actor">The actor reference.</param>
    /// <param name="call">One method call on the reference it is given, e.g. <c>a => a.Put(k, v)</c>.</param>
    public static DelayedCall<TRef, TResult> Delay<TRef, TResult>(this TRef actor, Func<TRef, Task<TResult>> call) where TRef : IActor =>
        new(CallCapture.Capture(actor, call));

    /// <inheritdoc cref="Delay{TRef,TResult}(TRef, Func{TRef, Task{TResult}})"/>
    public static DelayedCall<TRef, TResult> Delay<TRef, TResult>(this TRef actor, Func<TRef, ValueTask<TResult>> call) where TRef : IActor =>
        new(CallCapture.Capture(actor, call));

    /// <inheritdoc cref="Delay{TRef,TResult}(TRef, Func{TRef, Task{TResult}})"/>
    public static DelayedCall<TRef, object?> Delay<TRef>(this TRef actor, Func<TRef, Task> call) where TRef : IActor =>
        new(CallCapture.Capture(actor, call));

    /// <summary>
    /// Sends the delayed calls to the actor as one message and returns their results in order (Xoscar's
    /// <c>ref.m.batch(...)</c>). The actor runs them under one turn of its lock — atomically with respect to its
    /// other calls — through its batch implementation if it has one, else one by one. An empty batch returns an
    /// empty list without sending anything.
    /// </summary>
    /// <exception cref="ArgumentException">The calls are to another actor or to different methods, or the method is not
    /// <see cref="ExtensibleAttribute"/>: raised here, before anything is sent.</exception>
    public static Task<IReadOnlyList<TResult>> Batch<TRef, TResult>(this TRef actor, params IEnumerable<DelayedCall<TRef, TResult>> calls) where TRef : IActor
    {
        var (target, requests) = Requests(actor, calls);
        return requests.Length == 0 ? Task.FromResult<IReadOnlyList<TResult>>([]) : SendAsync<TResult>(actor, target!, new BatchPayload(requests));
    }

    /// <summary>
    /// Calls one method once for each of <paramref name="arguments"/>, in order, as one batch
    /// (<c>await counter.Batch(values, (a, n) =&gt; a.Add(n))</c>), and returns the results in order. The same batch as
    /// <see cref="Batch{TRef,TResult}(TRef, IEnumerable{DelayedCall{TRef,TResult}})"/> — one message, one turn of the
    /// lock — without building a call per argument: the arguments travel as one typed array.
    /// </summary>
    /// <param name="actor">The actor reference.</param>
    /// <param name="arguments">One argument per call; copied before this returns.</param>
    /// <param name="call">The call, passing its argument as given: <c>(a, n) =&gt; a.Add(n)</c>. A computed argument
    /// (<c>a.Add(n * 2)</c>) is refused; build such calls with <see cref="Delay{TRef,TResult}(TRef, Func{TRef, Task{TResult}})"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="call"/> is not one call of a method of the reference with the
    /// argument as given, or the method is not <see cref="ExtensibleAttribute"/>: raised here, before anything is sent.</exception>
    public static Task<IReadOnlyList<TResult>> Batch<TRef, TArg, TResult>(this TRef actor, IReadOnlyList<TArg> arguments, Expression<Func<TRef, TArg, Task<TResult>>> call)
        where TRef : IActor
    {
        var payload = Columnar(actor, call, arguments, static a => [a], OneColumn);
        return payload is null ? Task.FromResult<IReadOnlyList<TResult>>([]) : SendAsync<TResult>(actor, (GrainReference)(object)actor, payload);
    }

    /// <summary>
    /// Calls a method of two parameters once for each pair of <paramref name="arguments"/>, as one batch
    /// (<c>await store.Batch(pairs, (a, k, v) =&gt; a.Put(k, v))</c>); see
    /// <see cref="Batch{TRef,TArg,TResult}(TRef, IReadOnlyList{TArg}, Expression{Func{TRef, TArg, Task{TResult}}})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As for the one-parameter form.</exception>
    public static Task<IReadOnlyList<TResult>> Batch<TRef, T1, T2, TResult>(this TRef actor, IReadOnlyList<(T1, T2)> arguments, Expression<Func<TRef, T1, T2, Task<TResult>>> call)
        where TRef : IActor
    {
        var payload = Columnar(actor, call, arguments, static a => [a.Item1, a.Item2], TwoColumns);
        return payload is null ? Task.FromResult<IReadOnlyList<TResult>>([]) : SendAsync<TResult>(actor, (GrainReference)(object)actor, payload);
    }

    /// <summary>
    /// Sends the delayed calls as one batch and does not wait for them (Xoscar's <c>batch(..., send=False)</c>):
    /// completes once the actor's pool has accepted the batch.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Batch{TRef,TResult}(TRef, IEnumerable{DelayedCall{TRef,TResult}})"/>.</exception>
    public static ValueTask TellBatch<TRef, TResult>(this TRef actor, params IEnumerable<DelayedCall<TRef, TResult>> calls) where TRef : IActor
    {
        var (target, requests) = Requests(actor, calls);
        return requests.Length == 0 ? ValueTask.CompletedTask : Sender(actor).TellBatchAsync(target!, new BatchPayload(requests));
    }

    /// <summary>
    /// Calls one method once for each of <paramref name="arguments"/> as one batch and does not wait for them
    /// (<c>await counter.TellBatch(values, (a, n) =&gt; a.Add(n))</c>): completes once the actor's pool has accepted the
    /// batch. The arguments travel as one typed array.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Batch{TRef,TArg,TResult}(TRef, IReadOnlyList{TArg}, Expression{Func{TRef, TArg, Task{TResult}}})"/>.</exception>
    public static ValueTask TellBatch<TRef, TArg>(this TRef actor, IReadOnlyList<TArg> arguments, Expression<Func<TRef, TArg, Task>> call) where TRef : IActor
    {
        var payload = Columnar(actor, call, arguments, static a => [a], OneColumn);
        return payload is null ? ValueTask.CompletedTask : Sender(actor).TellBatchAsync((GrainReference)(object)actor, payload);
    }

    /// <summary>The two-parameter form of <see cref="TellBatch{TRef,TArg}(TRef, IReadOnlyList{TArg}, Expression{Func{TRef, TArg, Task}})"/>.</summary>
    /// <exception cref="ArgumentException">As for the one-parameter form.</exception>
    public static ValueTask TellBatch<TRef, T1, T2>(this TRef actor, IReadOnlyList<(T1, T2)> arguments, Expression<Func<TRef, T1, T2, Task>> call) where TRef : IActor
    {
        var payload = Columnar(actor, call, arguments, static a => [a.Item1, a.Item2], TwoColumns);
        return payload is null ? ValueTask.CompletedTask : Sender(actor).TellBatchAsync((GrainReference)(object)actor, payload);
    }

    private static async Task<IReadOnlyList<TResult>> SendAsync<TResult>(IActor actor, GrainReference target, BatchPayload payload)
    {
        var results = await Sender(actor).BatchAsync(target, payload);
        if (results is TResult[] typed) return typed;
        var converted = new TResult[results.Length];
        for (var i = 0; i < results.Length; i++) converted[i] = (TResult)results.GetValue(i)!;
        return converted;
    }

    // The expression names the method and shows that the arguments pass through as given; the method is called once
    // on the recording twin to make the batch's template request, and the arguments go into typed columns.
    // Null when there are no arguments: nothing is sent.
    private static BatchPayload? Columnar<TRef, TItem>(
        TRef actor, LambdaExpression call, IReadOnlyList<TItem> arguments, Func<TItem, object?[]> first, Func<IReadOnlyList<TItem>, Column?[]> columns)
        where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(arguments);
        var method = PassThroughCall(actor, call);
        if (!IsExtensible(method))
        {
            throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} is not [Extensible], so it cannot be called in a batch.", nameof(call));
        }

        if (arguments.Count == 0) return null;
        // Unwrapped, the proxy's own error (an argument without a serializer) reaches the caller as it is.
        var template = CallCapture.Capture(actor, twin => method.Invoke(twin, BindingFlags.DoNotWrapExceptions, null, first(arguments[0]), null)).Request;
        return new BatchPayload(template, columns(arguments), arguments.Count);
    }

    // (a, x, y) => a.M(x, y): one call on the reference, its arguments the lambda's own, in order and unchanged.
    private static MethodInfo PassThroughCall(IActor actor, LambdaExpression call)
    {
        var body = call.Body is UnaryExpression { NodeType: ExpressionType.Convert } converted ? converted.Operand : call.Body;
        if (body is MethodCallExpression { Object: { } on } invoked && on == call.Parameters[0]
            && invoked.Arguments.Count == call.Parameters.Count - 1
            && invoked.Arguments.Select((argument, i) => argument == call.Parameters[i + 1]).All(same => same))
        {
            return invoked.Method;
        }

        throw new ArgumentException(
            $"A batch to actor {actor.GetActorId()} takes one method call passing the arguments as given, like (a, x) => a.Method(x); " +
            $"got {call}. Build calls with computed arguments with Delay.", nameof(call));
    }

    private static Column?[] OneColumn<TArg>(IReadOnlyList<TArg> arguments) => [new Column(Column(arguments, static x => x))];

    private static Column?[] TwoColumns<T1, T2>(IReadOnlyList<(T1, T2)> arguments) =>
        [new Column(Column(arguments, static p => p.Item1)), new Column(Column(arguments, static p => p.Item2))];

    private static T[] Column<TItem, T>(IReadOnlyList<TItem> arguments, Func<TItem, T> item)
    {
        var column = new T[arguments.Count];
        for (var i = 0; i < column.Length; i++) column[i] = item(arguments[i]);
        return column;
    }

    private static (GrainReference? Target, IInvokable[] Requests) Requests<TRef, TResult>(TRef actor, IEnumerable<DelayedCall<TRef, TResult>> calls) where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(calls);
        var list = calls as IReadOnlyList<DelayedCall<TRef, TResult>> ?? calls.ToList();
        if (list.Count == 0) return (null, []);
        var target = actor.GetGrainId();
        var requests = new IInvokable[list.Count];
        var first = list[0].Request;
        var method = first.GetMethod();
        if (!IsExtensible(method))
        {
            throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} is not [Extensible], so it cannot be called in a batch.", nameof(calls));
        }

        for (var i = 0; i < requests.Length; i++)
        {
            var call = list[i];
            // Calls delayed on this very reference need no comparing of ids; a request of the first's type calls its method.
            if (!ReferenceEquals(call.Target, actor) && !call.Target.GrainId.Equals(target))
            {
                throw new ArgumentException($"A batch to actor {actor.GetActorId()} holds a call delayed on actor {call.Actor}.", nameof(calls));
            }

            if (call.Request.GetType() != first.GetType() && call.Request.GetMethod() != method)
            {
                throw new ArgumentException($"A batch to actor {actor.GetActorId()} mixes {first.GetMethodName()} and {call.Method}; a batch calls one method.", nameof(calls));
            }

            requests[i] = call.Request;
        }

        return (list[0].Target, requests);
    }

    // Asked once per batch: remembered per method (bounded by the methods of the actor interfaces in use).
    private static bool IsExtensible(MethodInfo method) =>
        ExtensibleMethods.GetOrAdd(method, static m => m.IsDefined(typeof(ExtensibleAttribute), true));

    private static readonly ConcurrentDictionary<MethodInfo, bool> ExtensibleMethods = new();

    internal static TellSender Sender(IActor actor) => CallCapture.Services(actor).GetService<TellSender>()
        ?? throw new InvalidOperationException("AddXoscar() was not called on the Orleans client or silo that made this actor reference.");
}
