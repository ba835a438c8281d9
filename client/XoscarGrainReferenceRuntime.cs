using Microsoft.Extensions.Options;
using Orleans.CodeGeneration;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Orleans' grain-reference runtime with two additions: while a <see cref="CallCapture"/> is current, a proxy's
/// call is recorded instead of sent; and it sends tells through a bounded window. Every other call passes
/// straight to Orleans' own runtime, so plain sends cost one thread-static read more.
/// </summary>
internal sealed class XoscarGrainReferenceRuntime(IGrainReferenceRuntime inner, IOptions<XoscarOptions> options) : IGrainReferenceRuntime
{
    private readonly SemaphoreSlim _tellWindow = new(options.Value.MaxPendingTellsPerCaller, options.Value.MaxPendingTellsPerCaller);

    public ValueTask<T?> InvokeMethodAsync<T>(GrainReference reference, IInvokable request, InvokeMethodOptions options)
    {
        if (CallCapture.Current is { } capture)
        {
            capture.Record(this, reference, request);
            return default;
        }

        return inner.InvokeMethodAsync<T>(reference, request, options);
    }

    public ValueTask InvokeMethodAsync(GrainReference reference, IInvokable request, InvokeMethodOptions options)
    {
        if (CallCapture.Current is { } capture)
        {
            capture.Record(this, reference, request);
            return default;
        }

        return inner.InvokeMethodAsync(reference, request, options);
    }

    public void InvokeMethod(GrainReference reference, IInvokable request, InvokeMethodOptions options)
    {
        if (CallCapture.Current is { } capture)
        {
            capture.Record(this, reference, request);
            return;
        }

        inner.InvokeMethod(reference, request, options);
    }

    public object Cast(IAddressable grain, Type interfaceType) => inner.Cast(grain, interfaceType);

    /// <summary>
    /// Sends a captured call as a tell: completes once the actor's pool has queued it. At most
    /// <see cref="XoscarOptions.MaxPendingTellsPerCaller"/> tells are in flight; more wait here, in the caller.
    /// </summary>
    public async ValueTask TellAsync(GrainReference target, IInvokable request)
    {
        await _tellWindow.WaitAsync();
        try
        {
            await target.AsReference<IActorControl>().Tell(new Immutable<IInvokable>(request));
        }
        finally
        {
            _tellWindow.Release();
        }
    }
}
