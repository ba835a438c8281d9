using Orleans.Concurrency;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The runtime's side door into every actor: lifecycle and the calls that are not plain sends.
/// Implemented once, by <see cref="ActorBase"/>; user code never sees it.
/// </summary>
[Alias("xoscar.IActorControl")]
internal interface IActorControl : IGrainWithStringKey
{
    /// <summary>Runs the post-create hook of a freshly constructed actor.</summary>
    [Alias("Initialize")] Task Initialize();

    /// <summary>Runs the pre-destroy hook, then removes the actor.</summary>
    [Alias("Destroy")] Task Destroy();

    /// <summary>Runs a call forwarded by a scaled-out actor to one of its extra activations; returns its result.</summary>
    [Alias("RunForwarded")] Task<object?> RunForwarded(Immutable<IInvokable> call);

    /// <summary>Removes an extra activation of a scaled-out actor that was destroyed.</summary>
    [Alias("Retire")] Task Retire();

    /// <summary>
    /// Accepts calls to run later, in the actor's order and in this order; completes once all are queued. All or
    /// nothing: it waits until the actor's queue has room for all of them, and if the wait is cancelled (the caller
    /// gave up: Orleans cancels a call that timed out) it queues none.
    /// </summary>
    /// <param name="calls">The calls, captured by the caller's proxy (their arguments already copied); any methods.</param>
    /// <param name="cancellationToken">Cancelled when the caller stops waiting.</param>
    [Alias("Tell")] ValueTask Tell(Immutable<IInvokable[]> calls, CancellationToken cancellationToken = default);

    /// <summary>Runs calls to one method as one batch, holding the actor's lock once; returns one result per call.</summary>
    /// <param name="calls">The calls, captured by the caller's proxy, all to the same method, packed.</param>
    /// <returns>An array of the method's result type (of <see cref="object"/> for a method without a result).</returns>
    /// <remarks>Typed <see cref="object"/> on the wire: Orleans serializes the array by its runtime type.</remarks>
    [Alias("Batch")] Task<Column> Batch(BatchPayload calls);

    /// <summary>Accepts a batch to run later in the actor's order, as <see cref="Tell"/> does a single call.</summary>
    [Alias("TellBatch")] ValueTask TellBatch(BatchPayload calls, CancellationToken cancellationToken = default);
}
