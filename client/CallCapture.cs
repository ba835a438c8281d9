using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Orleans.CodeGeneration;
using Orleans.Runtime;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Invocation;
using Orleans.Serialization.Serializers;

namespace Xoscar.Orleans;

/// <summary>
/// Records the call a typed lambda makes on an actor reference instead of sending it, so that a call can be
/// written as <c>actor.Tell(a => a.Add(1))</c> and still be built by Orleans' generated proxy (its
/// invokable, with the arguments copied as for a send).
/// </summary>
/// <remarks>
/// The lambda is given a recording twin of the reference: the same generated proxy class, bound to a runtime
/// that keeps the request rather than sending it. Plain sends never pass through here.
/// </remarks>
internal static class CallCapture
{
    [ThreadStatic] private static Recording? t_recording;
    [ThreadStatic] private static WeakReference<GrainReference>? t_lastTwin;

    // Per client or silo (its codecs), weakly: a process that connects and disposes clients keeps none of them here.
    private static readonly ConditionalWeakTable<CodecProvider, ConcurrentDictionary<Type, GrainReference>> Twins = new();

    /// <summary>Runs <paramref name="call"/> against a recording twin of <paramref name="actor"/> and returns the one call it made.</summary>
    /// <exception cref="ArgumentException">The lambda made no call, or more than one, on the reference it was given.</exception>
    public static CapturedCall Capture<TRef>(TRef actor, Action<TRef> call) where TRef : IActor =>
        Capture(actor, call, static (invoke, twin) => invoke(twin));

    /// <summary>Runs <paramref name="call"/> against a recording twin of <paramref name="actor"/> and returns the one call it made.</summary>
    /// <exception cref="ArgumentException">The lambda made no call, or more than one, on the reference it was given.</exception>
    public static CapturedCall Capture<TRef, TOut>(TRef actor, Func<TRef, TOut> call) where TRef : IActor =>
        Capture(actor, call, static (invoke, twin) => invoke(twin));

    // The call is passed with a static invoker, so that neither form allocates a delegate to adapt the other.
    private static CapturedCall Capture<TRef, TCall>(TRef actor, TCall call, Action<TCall, TRef> invoke) where TRef : IActor where TCall : Delegate
    {
        ArgumentNullException.ThrowIfNull(call);
        var target = Target(actor);
        var recording = t_recording ??= new Recording();
        var (outerActive, outerFirst, outerCount) = (recording.Active, recording.First, recording.Count);
        (recording.Active, recording.First, recording.Count) = (true, null, 0);
        IInvokable? recorded;
        int count;
        try
        {
            invoke(call, (TRef)(object)TwinOf(target));
        }
        finally
        {
            (recorded, count) = (recording.First, recording.Count);
            (recording.Active, recording.First, recording.Count) = (outerActive, outerFirst, outerCount);
        }

        if (count != 1)
        {
            throw new ArgumentException(
                $"The lambda must make exactly one method call on the reference it is given (actor {actor.GetActorId()}); it made {count}.",
                nameof(call));
        }

        return new CapturedCall(target, recorded!);
    }

    private static GrainReference Target<TRef>(TRef actor) where TRef : IActor
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor as GrainReference ?? throw new ArgumentException($"{actor.GetType().FullName} is not an actor reference.", nameof(actor));
    }

    // A loop of Delay or Tell calls on one reference finds its twin here, without the two table look-ups; weakly, so that
    // a disposed client's twin (and with it the client's services) is not kept by a thread that once used it.
    private static GrainReference TwinOf(GrainReference target)
    {
        var codecs = Codecs(target);
        var proxy = target.GetType();
        if (t_lastTwin is { } last && last.TryGetTarget(out var known) && ReferenceEquals(known.GetType(), proxy) && ReferenceEquals(Codecs(known), codecs))
        {
            return known;
        }

        var twin = Twins.GetValue(codecs, static _ => new()).GetOrAdd(proxy, static (proxy, target) => CreateTwin(proxy, target), target);
        if (t_lastTwin is null) t_lastTwin = new WeakReference<GrainReference>(twin);
        else t_lastTwin.SetTarget(twin);
        return twin;
    }

    /// <summary>The services of the client or silo that made <paramref name="actor"/>.</summary>
    public static IServiceProvider Services(IActor actor) => ServicesOf(Target(actor));

    /// <summary>The services of the client or silo that made <paramref name="reference"/>.</summary>
    public static IServiceProvider ServicesOf(GrainReference reference) => Codecs(reference).Services;

    private static GrainReference CreateTwin(Type proxyType, GrainReference original)
    {
        var codecs = Codecs(original);
        var shared = new GrainReferenceShared(
            original.GrainId.Type, original.InterfaceType, original.InterfaceVersion, Recorder.Instance,
            InvokeMethodOptions.None, codecs, CopyContexts(original), codecs.Services);
        var constructor = proxyType.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(GrainReferenceShared), typeof(IdSpan)])
            ?? throw new InvalidOperationException($"{proxyType} is not an Orleans-generated grain proxy.");
        return (GrainReference)constructor.Invoke([shared, original.GrainId.Key]);
    }

    // Generated proxies reach these through protected members; the twin needs the same ones.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_CodecProvider")]
    private static extern CodecProvider Codecs(GrainReference reference);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_CopyContextPool")]
    private static extern CopyContextPool CopyContexts(GrainReference reference);

    /// <summary>The runtime of every twin: records the request on the capturing thread, sends nothing.</summary>
    private sealed class Recorder : IGrainReferenceRuntime
    {
        public static readonly Recorder Instance = new();

        public ValueTask<T?> InvokeMethodAsync<T>(GrainReference reference, IInvokable request, InvokeMethodOptions options)
        {
            Record(request);
            return default;
        }

        public ValueTask InvokeMethodAsync(GrainReference reference, IInvokable request, InvokeMethodOptions options)
        {
            Record(request);
            return default;
        }

        public void InvokeMethod(GrainReference reference, IInvokable request, InvokeMethodOptions options) => Record(request);

        public object Cast(IAddressable grain, Type interfaceType) =>
            throw new NotSupportedException("A reference given to a Tell or Delay lambda can only be called, not cast.");

        private static void Record(IInvokable request)
        {
            if (t_recording is not { Active: true } recording)
            {
                throw new InvalidOperationException("A recording reference was called outside its Tell, Delay or Batch lambda.");
            }

            recording.First ??= request;
            recording.Count++;
        }
    }

    /// <summary>What the lambda running on this thread has called so far.</summary>
    private sealed class Recording
    {
        public bool Active;
        public IInvokable? First;
        public int Count;
    }
}

/// <summary>A call built by an actor's proxy but not sent.</summary>
internal readonly record struct CapturedCall(GrainReference Target, IInvokable Request)
{
    /// <summary>The services of the client or silo that made the reference.</summary>
    public IServiceProvider Services => CallCapture.ServicesOf(Target);
}
