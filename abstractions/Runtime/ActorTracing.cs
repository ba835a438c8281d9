using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Orleans.Runtime;

namespace Xoscar.Orleans.Runtime;

/// <summary>What an actor's span stands for: the <c>xoscar.call.kind</c> tag and the first word of its name.</summary>
internal enum TraceKind : byte
{
    Send,
    Tell,
    Batch,
    TellBatch,
    Stream,
    Create,
    Destroy,
}

/// <summary>
/// Actors' spans on the <see cref="XoscarTelemetry.ActivitySourceName"/> source, and how their context travels: W3C
/// trace context in the <see cref="RequestContext"/> of each call, under the keys Orleans' own propagation uses
/// (<c>traceparent</c>, <c>tracestate</c>), so that a trace crosses pools and, where Orleans' propagation is on
/// (<c>AddActivityPropagation</c>), nests Xoscar's spans inside Orleans' <c>Microsoft.Orleans.*</c> ones.
/// </summary>
/// <remarks>
/// Callers check <see cref="ActivitySource.HasListeners"/> first: with nothing listening, a call pays that one read and
/// nothing else. Spans start in async methods, whose changes to the async flow (the parent they clear) stay in them.
/// </remarks>
internal static class ActorTracing
{
    public const string UidTag = "xoscar.actor.uid";
    public const string ClassTag = "xoscar.actor.class";
    public const string AddressTag = "xoscar.pool.address";
    public const string KindTag = "xoscar.call.kind";
    public const string MethodTag = "xoscar.method";
    public const string ItemsTag = "xoscar.items";

    /// <summary>The <see cref="RequestContext"/> key of the W3C parent, as <see cref="DistributedContextPropagator"/> writes it.</summary>
    public const string TraceParentKey = "traceparent";

    private const string OrleansSources = "Microsoft.Orleans.";

    public static readonly ActivitySource Source = new(XoscarTelemetry.ActivitySourceName, "1.0.0");

    private static readonly string[] KindNames = ["send", "tell", "batch", "tell_batch", "stream", "create", "destroy"];

    // Span names are made once per method and kind: "send ICounter.Add".
    private static readonly ConcurrentDictionary<(MethodInfo, TraceKind), string> Names = new();

    /// <summary>Puts the running span's context into the <see cref="RequestContext"/> of the call being made from this flow.</summary>
    public static void Inject()
    {
        if (Activity.Current is { } current) DistributedContextPropagator.Current.Inject(current, null, static (_, key, value) => RequestContext.Set(key, value));
    }

    /// <summary>The running span's W3C id, to send later with a call made now (a tell); null where there is none.</summary>
    public static string? CurrentParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts the span of work an actor or pool does for the call being served (or a tell accepted) in this flow: inside
    /// Orleans' own span of that call where Orleans made one, else under the parent the call carried, else as a root.
    /// </summary>
    /// <param name="kind">What the work is.</param>
    /// <param name="method">The actor's method; null for a create or destroy.</param>
    /// <param name="actor">The actor.</param>
    /// <param name="actorClass">The actor's class name.</param>
    /// <param name="items">The calls in a batch, or 0.</param>
    /// <returns>The span, or null where no listener samples it.</returns>
    public static Activity? Start(TraceKind kind, MethodInfo? method, ActorId actor, string actorClass, int items = 0)
    {
        var name = method is null ? $"{KindNames[(int)kind]} {actorClass}" : Names.GetOrAdd((method, kind), static key => $"{KindNames[(int)key.Item2]} {MethodNames.Of(key.Item1)}");
        var span = StartUnderCaller(name, kind is TraceKind.Tell or TraceKind.TellBatch ? ActivityKind.Consumer : ActivityKind.Server);
        if (span is not { IsAllDataRequested: true }) return span;
        span.SetTag(UidTag, actor.Uid);
        span.SetTag(ClassTag, actorClass);
        span.SetTag(AddressTag, actor.Address);
        span.SetTag(KindTag, KindNames[(int)kind]);
        if (method is not null) span.SetTag(MethodTag, MethodNames.Of(method));
        if (kind is TraceKind.Batch or TraceKind.TellBatch) span.SetTag(ItemsTag, (long)items);
        return span;
    }

    /// <summary>Marks <paramref name="span"/> failed with <paramref name="error"/> (OpenTelemetry's <c>error.type</c>).</summary>
    public static void Failed(Activity? span, Exception error)
    {
        if (span is null) return;
        span.SetStatus(ActivityStatusCode.Error, error.Message);
        if (span.IsAllDataRequested) span.SetTag("error.type", error.GetType().FullName);
    }

    private static Activity? StartUnderCaller(string name, ActivityKind kind)
    {
        var current = Activity.Current;
        if (current is { Kind: ActivityKind.Server } && current.Source.Name.StartsWith(OrleansSources, StringComparison.Ordinal))
        {
            return Source.StartActivity(name, kind);
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(null, static (object? _, string key, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = RequestContext.Get(key) as string;
        }, out var traceParent, out var traceState);

        // A span current here is not this call's (the flow that runs it may have been started under any span): it
        // must not become the parent.
        if (current is not null) Activity.Current = null;
        if (traceParent is null) return Source.StartActivity(name, kind);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind, traceParent);
    }
}
