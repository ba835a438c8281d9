using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Sends captured calls to an actor's control interface: tells (at most
/// <see cref="XoscarOptions.MaxPendingTellsPerCaller"/> in flight from this process; more wait here, in the
/// caller, instead of piling up at the actor) and batches.
/// </summary>
internal sealed class TellSender(IOptions<XoscarOptions> options)
{
    private readonly SemaphoreSlim _window = new(options.Value.MaxPendingTellsPerCaller, options.Value.MaxPendingTellsPerCaller);

    /// <summary>Completes once the actor's pool has queued the call.</summary>
    public ValueTask TellAsync(GrainReference target, IInvokable request) =>
        WithinWindowAsync(() => Control(target).Tell(new Immutable<IInvokable>(request)));

    /// <summary>Completes once the actor's pool has queued the batch.</summary>
    public ValueTask TellBatchAsync(GrainReference target, IInvokable[] requests) =>
        WithinWindowAsync(() => Control(target).TellBatch(new Immutable<IInvokable[]>(requests)));

    /// <summary>Runs the batch at the actor and returns one result per call.</summary>
    public Task<object?[]> BatchAsync(GrainReference target, IInvokable[] requests) =>
        Control(target).Batch(new Immutable<IInvokable[]>(requests));

    private async ValueTask WithinWindowAsync(Func<ValueTask> send)
    {
        await _window.WaitAsync();
        try
        {
            await send();
        }
        finally
        {
            _window.Release();
        }
    }

    private static IActorControl Control(GrainReference target) => target.AsReference<IActorControl>();
}
