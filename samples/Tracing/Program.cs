using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tracing;
using Xoscar.Orleans;
using Xoscar.Orleans.Silo;

// Xoscar's spans come from the "Xoscar.Orleans" ActivitySource: a tracer provider that adds it exports them. Here to
// the console; `-- --otlp http://localhost:4317` also sends them to an OpenTelemetry collector (Jaeger, Tempo, ...).
var at = Array.IndexOf(args, "--otlp");
var tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("xoscar-tracing-sample"))
    .AddSource(XoscarTelemetry.ActivitySourceName, "Tracing")
    .AddConsoleExporter();
if (at >= 0 && at + 1 < args.Length) tracing.AddOtlpExporter(o => o.Endpoint = new Uri(args[at + 1]));
using var tracer = tracing.Build();

await using var pool = await EmbeddedActorPool.StartAsync();
var xo = pool.Context;
var upper = await xo.CreateActorAsync<Stage, IStage>(["upper"], uid: "upper");
var reverse = await xo.CreateActorAsync<Stage, IStage>(["reverse"], uid: "reverse");

// The application's own span is the root: the send below is its child, and the send that one makes, its grandchild.
using var source = new ActivitySource("Tracing");
using (var request = source.StartActivity("request"))
{
    var result = await upper.Run("xoscar", reverse);
    Console.WriteLine($"upper → reverse of \"xoscar\": {result} (trace {request?.TraceId})");
}

await xo.DestroyActorAsync(upper);
await xo.DestroyActorAsync(reverse);
