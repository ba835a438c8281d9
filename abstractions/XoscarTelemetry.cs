namespace Xoscar.Orleans;

/// <summary>
/// The names under which every pool and client reports what it does: listen to them with OpenTelemetry
/// (<c>AddSource(XoscarTelemetry.ActivitySourceName)</c>, <c>AddMeter(XoscarTelemetry.MeterName)</c>),
/// dotnet-trace or dotnet-counters.
/// </summary>
public static class XoscarTelemetry
{
    /// <summary>
    /// The activity source of actors' spans: create, destroy, send, tell, batch and stream, each tagged with the actor's
    /// uid (<c>xoscar.actor.uid</c>), class (<c>xoscar.actor.class</c>), pool address (<c>xoscar.pool.address</c>) and
    /// call kind (<c>xoscar.call.kind</c>). Their context travels with calls across pools, so one trace follows a request
    /// through every pool it reaches. Spans are made only while something listens.
    /// </summary>
    public const string ActivitySourceName = "Xoscar.Orleans";

    /// <summary>The meter of the pools' actor metrics (call durations, cycles, slow calls, copies, sub pool deaths).</summary>
    public const string MeterName = "Xoscar.Orleans";
}
