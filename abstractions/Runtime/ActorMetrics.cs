using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The pool's actor metrics, on the <c>Xoscar.Orleans</c> meter (read them with OpenTelemetry, dotnet-counters or a
/// <see cref="MeterListener"/>): how long calls take per actor class and method (Xoscar's <c>slow_calls</c> and
/// <c>most_calls</c> profiles, as a histogram any backend can rank), call cycles refused, slow-call warnings, and
/// calls waiting for locks. Calls pay for them only while something listens.
/// </summary>
internal sealed class ActorMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = XoscarTelemetry.MeterName;

    public ActorMetrics(IMeterFactory meters, LockWatch locks)
    {
        var meter = meters.Create(MeterName);
        CallDuration = meter.CreateHistogram<double>("xoscar.actor.call.duration", "s",
            "Time from a call's arrival at its actor to its end, lock wait included; tagged by actor class, method and error type.");
        CallCycles = meter.CreateCounter<long>("xoscar.actor.call_cycles", "{call}", "Calls refused because they closed a cycle of locked calls.");
        SlowCalls = meter.CreateCounter<long>("xoscar.actor.slow_calls", "{warning}", "Warnings of calls holding an actor's lock, or running without it, too long.");
        CopiedBytes = meter.CreateCounter<long>("xoscar.transfer.bytes", "By",
            "Bytes copied into this pool's registered buffers and file objects (CopyToAsync); tagged by target kind and how the bytes came.");
        SubPoolDeaths = meter.CreateCounter<long>("xoscar.pool.sub_pool_deaths", "{process}",
            "Sub pool processes of this main pool that ended without being asked to; tagged by pool address and exit code.");
        meter.CreateObservableUpDownCounter("xoscar.actor.queued_calls", locks.WaitingCalls, "{call}", "Calls waiting for stateful actors' locks in this pool.");
        meter.CreateObservableUpDownCounter("xoscar.actor.locked_actors", () => (long)locks.Count, "{actor}", "Stateful actors with a lock in this pool.");
        locks.SlowCall += (actorClass, method) => SlowCalls.Add(1, new KeyValuePair<string, object?>("xoscar.actor.class", actorClass), new("xoscar.method", method));
    }

    public Histogram<double> CallDuration { get; }

    public Counter<long> CallCycles { get; }

    public Counter<long> SlowCalls { get; }

    public Counter<long> SubPoolDeaths { get; }

    public Counter<long> CopiedBytes { get; }

    /// <summary>Records <paramref name="bytes"/> copied into a target of <paramref name="kind"/> (buffer, device, file), come by <paramref name="carrier"/>.</summary>
    public void RecordCopy(string kind, string carrier, long bytes) =>
        CopiedBytes.Add(bytes, new KeyValuePair<string, object?>("xoscar.transfer.target", kind), new("xoscar.transfer.carrier", carrier));

    /// <summary>Records that the sub pool at <paramref name="address"/> died with <paramref name="exitCode"/>.</summary>
    public void RecordSubPoolDeath(string address, int exitCode) =>
        SubPoolDeaths.Add(1, new KeyValuePair<string, object?>("xoscar.pool.address", address), new("process.exit.code", exitCode));

    /// <summary>Records a call that took from <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp) until now.</summary>
    public void RecordCall(string actorClass, MethodInfo method, long start, Exception? error)
    {
        var tags = new TagList { { "xoscar.actor.class", actorClass }, { "xoscar.method", MethodNames.Of(method) } };
        if (error is not null) tags.Add("error.type", error.GetType().FullName);
        CallDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, tags);
    }

    /// <summary>Records a refused call cycle at an actor of <paramref name="actorClass"/>.</summary>
    public void RecordCycle(string actorClass) => CallCycles.Add(1, new KeyValuePair<string, object?>("xoscar.actor.class", actorClass));
}
