using Microsoft.Extensions.DependencyInjection;
using Orleans.CodeGeneration;
using Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Calls with a deadline that holds even when the actor is stuck (what Xoscar needed <c>xo.wait_for</c> for).
/// </summary>
public static class ActorTimeoutExtensions
{
    /// <summary>
    /// Sends one call and waits at most <paramref name="timeout"/> for its result. On time-out the call's token is
    /// cancelled (the actor sees it; a call still queued never runs) and <see cref="TimeoutException"/> is raised at
    /// once, naming the actor and the method — without waiting for the actor to acknowledge.
    /// </summary>
    /// <param name="actor">The actor reference.</param>
    /// <param name="call">One method call on the reference it is given, passing on the token, e.g. <c>(a, ct) => a.Work(n, ct)</c>.</param>
    /// <param name="timeout">How long to wait.</param>
    public static async Task<TResult> WaitFor<TRef, TResult>(this TRef actor, Func<TRef, CancellationToken, Task<TResult>> call, TimeSpan timeout) where TRef : IActor
    {
        using var deadline = new CancellationTokenSource();
        var captured = CallCapture.Capture(actor, a => call(a, deadline.Token));
        var sent = Runtime(captured).InvokeMethodAsync<TResult>(captured.Target, captured.Request, InvokeMethodOptions.None).AsTask();
        await WithinAsync(sent, captured, deadline, timeout);
        return sent.Result!;
    }

    /// <inheritdoc cref="WaitFor{TRef,TResult}(TRef, Func{TRef, CancellationToken, Task{TResult}}, TimeSpan)"/>
    public static async Task WaitFor<TRef>(this TRef actor, Func<TRef, CancellationToken, Task> call, TimeSpan timeout) where TRef : IActor
    {
        using var deadline = new CancellationTokenSource();
        var captured = CallCapture.Capture(actor, a => call(a, deadline.Token));
        var sent = Runtime(captured).InvokeMethodAsync(captured.Target, captured.Request, InvokeMethodOptions.None).AsTask();
        await WithinAsync(sent, captured, deadline, timeout);
    }

    private static async Task WithinAsync(Task sent, CapturedCall captured, CancellationTokenSource deadline, TimeSpan timeout)
    {
        try
        {
            await sent.WaitAsync(timeout);
        }
        catch (TimeoutException) when (!sent.IsCompleted)
        {
            deadline.Cancel();
            _ = sent.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);   // observed, not awaited
            var actor = ActorId.FromGrainKey(captured.Target.GrainId.Key.ToString()!);
            throw new TimeoutException(
                $"Call {captured.Request.GetInterfaceName()}.{captured.Request.GetMethodName()} to actor '{actor.Uid}' in pool {actor.Address} " +
                $"did not complete within {timeout.TotalSeconds:0.###} s; it was cancelled.");
        }
    }

    private static IGrainReferenceRuntime Runtime(CapturedCall captured) => captured.Services.GetRequiredService<IGrainReferenceRuntime>();
}
