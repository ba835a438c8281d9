using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans;

/// <summary>
/// Records the call a typed lambda makes on an actor reference instead of sending it, so that a call can be
/// written as <c>actor.Tell(a => a.Add(1))</c> and still be built by Orleans' generated proxy
/// (argument copying included).
/// </summary>
internal sealed class CallCapture
{
    [ThreadStatic] private static CallCapture? t_current;

    private XoscarGrainReferenceRuntime? _runtime;
    private GrainReference? _reference;
    private IInvokable? _request;
    private int _count;

    /// <summary>The capture in progress on this thread, if any.</summary>
    public static CallCapture? Current => t_current;

    /// <summary>Runs <paramref name="call"/> against <paramref name="actor"/> and returns the one call it made.</summary>
    /// <exception cref="ArgumentException">The lambda made no call, several calls, or a call to another actor.</exception>
    public static CapturedCall Capture<TRef>(TRef actor, Action<TRef> call) where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(call);
        var capture = new CallCapture();
        var outer = t_current;
        t_current = capture;
        try
        {
            call(actor);
        }
        finally
        {
            t_current = outer;
        }

        var target = actor.GetGrainId();
        if (capture._count != 1 || capture._reference is null || capture._runtime is null || capture._request is null)
        {
            throw new ArgumentException(
                $"The lambda must make exactly one method call on the actor reference {target}; it made {capture._count}.", nameof(call));
        }

        if (!capture._reference.GrainId.Equals(target))
        {
            throw new ArgumentException(
                $"The lambda called actor {capture._reference.GrainId}, not the actor it was given ({target}).", nameof(call));
        }

        return new CapturedCall(capture._runtime, capture._reference, capture._request);
    }

    /// <summary>Records a call made by a proxy while this capture is current.</summary>
    public void Record(XoscarGrainReferenceRuntime runtime, GrainReference reference, IInvokable request)
    {
        _count++;
        _runtime = runtime;
        _reference = reference;
        _request = request;
    }
}

/// <summary>A call built by an actor's proxy but not sent, with the runtime that will send it.</summary>
internal readonly record struct CapturedCall(XoscarGrainReferenceRuntime Runtime, GrainReference Target, IInvokable Request);
