using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Sends captured calls as tells, at most <see cref="XoscarOptions.MaxPendingTellsPerCaller"/> in flight from
/// this process; further tells wait here, in the caller, instead of piling up at the actor.
/// </summary>
internal sealed class TellSender(IOptions<XoscarOptions> options)
{
    private readonly SemaphoreSlim _window = new(options.Value.MaxPendingTellsPerCaller, options.Value.MaxPendingTellsPerCaller);

    /// <summary>Completes once the actor's pool has queued the call.</summary>
    public async ValueTask TellAsync(GrainReference target, IInvokable request)
    {
        await _window.WaitAsync();
        try
        {
            await target.AsReference<IActorControl>().Tell(new Immutable<IInvokable>(request));
        }
        finally
        {
            _window.Release();
        }
    }
}
