using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Every call this process makes to an actor or a pool ends in the actor's own result or error, or in one of Xoscar's
/// errors, never in Orleans' transport exceptions: a pool that went away while the call was in flight raises
/// <see cref="ServerClosedException"/> saying how it ended; a call to a pool being recovered waits for it
/// (<see cref="XoscarOptions.RecoveryWait"/>), then goes through or raises <see cref="PoolRecoveringException"/>.
/// </summary>
/// <remarks>
/// While something listens to <see cref="XoscarTelemetry.ActivitySourceName"/>, each call also carries the caller's span
/// (<see cref="ActorTracing"/>): this filter is the one every outgoing call passes anyway.
/// A call that fails with <see cref="PoolRecoveringException"/> never ran (it was refused before reaching an actor),
/// so sending it again is safe. Failures are counted for <see cref="OutageLog"/> instead of logged one by one.
/// </remarks>
internal sealed class CallFailureFilter(
    PoolAddressedGrains poolAddressed, PoolObituaries obituaries, OutageLog outages, ClusterConnection connection, IOptions<XoscarOptions> options,
    IDefaultPoolAddress local)
    : IOutgoingGrainCallFilter
{
    // In a pool, its own address as grain keys start with it: a call to a grain of this pool cannot lose its pool in flight,
    // so it skips the filter's own work (a third of the cost an outgoing filter adds to a call within a pool).
    private readonly byte[]? _thisPool = local is { IsThisPool: true, Address: { } address } ? System.Text.Encoding.UTF8.GetBytes(address) : null;

    // How long an in-flight call that lost its pool waits for word of how the pool ended, to say so.
    private static readonly TimeSpan ObituaryWait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(200);

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        // The call carries the caller's span, where traced: its message is made within Invoke, in this flow.
        if (ActorTracing.Source.HasListeners()) ActorTracing.Inject();
        CallChain.Export();   // a locked turn's link, made only now that the turn calls someone
        var call = context.Invoke();
        return call.IsCompletedSuccessfully || InThisPool(context.TargetId) ? call : CompleteAsync(context, call);
    }

    private bool InThisPool(GrainId target)
    {
        if (_thisPool is null) return false;
        var key = target.Key.AsSpan();
        return key.StartsWith(_thisPool) && (key.Length == _thisPool.Length || key[_thisPool.Length] == (byte)'/');
    }

    private async Task CompleteAsync(IOutgoingGrainCallContext context, Task call)
    {
        var retryIn = FirstRetry;
        DateTime? giveUpAt = null;
        var lost = connection.Lost;
        while (true)
        {
            try
            {
                await call.WaitAsync(lost);
                return;
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested && !call.IsCompleted)
            {
                _ = call.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);   // its late end is not awaited
                var address = ActorId.AddressOfGrainKey(context.TargetId.Key.ToString()!);
                outages.Failed(address, nameof(ServerClosedException));
                throw new ServerClosedException(address,
                    $"The connection to the cluster (every gateway) was lost while {Describe(context)} was in flight; the call may or may not have run.");
            }
            catch (Exception error) when (poolAddressed.Contains(context.TargetId.Type))
            {
                var address = ActorId.AddressOfGrainKey(context.TargetId.Key.ToString()!);
                if (error is PoolRecoveringException recovering)
                {
                    giveUpAt ??= DateTime.UtcNow + options.Value.RecoveryWait;
                    var left = giveUpAt.Value - DateTime.UtcNow;
                    if (left > TimeSpan.Zero)
                    {
                        // Woken early where this process is told the pool is back; polled where it is not (a client).
                        await obituaries.NewsOfAsync(address, retryIn < left ? retryIn : left);
                        retryIn = retryIn * 2 < LongestRetry ? retryIn * 2 : LongestRetry;
                        call = context.Invoke();
                        continue;
                    }

                    outages.Failed(address, nameof(PoolRecoveringException));
                    throw new PoolRecoveringException(recovering.Address, recovering.Uid,
                        $"{recovering.Message} It was still recovering after {options.Value.RecoveryWait.TotalSeconds:0.#} s (XoscarOptions.RecoveryWait).");
                }

                if (await TranslateAsync(context, address, error) is { } translated)
                {
                    outages.Failed(address, translated.GetType().Name);
                    throw translated;
                }

                if (error is ServerClosedException) outages.Failed(address, error.GetType().Name);
                throw;
            }
        }
    }

    // Orleans' transport errors, in the project's words; null where the error is the actor's own or already ours.
    private async Task<Exception?> TranslateAsync(IOutgoingGrainCallContext context, string address, Exception error)
    {
        switch (error)
        {
            case SiloUnavailableException or ConnectionFailedException or OrleansLifecycleCanceledException:
            {
                var obituary = obituaries.Of(address);
                if (obituary is null)
                {
                    await obituaries.NewsOfAsync(address, ObituaryWait);
                    obituary = obituaries.Of(address);
                }

                var how = obituary is null ? "How it ended is not known here." : obituary.Describe();
                return new ServerClosedException(address, $"Pool {address} went away while {Describe(context)} was in flight; the call may or may not have run. {how}", error);
            }

            case TimeoutException when error.Source?.StartsWith("Orleans", StringComparison.Ordinal) == true:
                return new TimeoutException($"{Describe(context)} got no response in time (the messaging ResponseTimeout): {error.Message}", error);

            case OrleansException when error.GetType().Namespace?.StartsWith("Orleans", StringComparison.Ordinal) == true:
                return new SendMessageFailedException($"{Describe(context)} could not be delivered to pool {address}: {error.Message}", error);

            default:
                return null;
        }
    }

    private static string Describe(IOutgoingGrainCallContext context)
    {
        var key = context.TargetId.Key.ToString()!;
        var target = key.Contains('/') ? $"actor '{ActorId.FromGrainKey(key).Uid}' in pool {ActorId.AddressOfGrainKey(key)}" : $"pool {key}";
        return $"the call {MethodNames.Of(context.InterfaceMethod)} to {target}";
    }
}
