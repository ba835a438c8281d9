using System.Diagnostics;
using Orleans.Runtime;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Trace context crosses pool processes: a client's call to an actor in sub pool 1 that calls an actor in sub pool 2 is
/// one trace. Each sub pool process records its own spans (a <see cref="SpanRecorder"/> there listens to its source).
/// </summary>
public sealed class TracingAcrossPoolsTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task One_trace_follows_a_clients_call_through_actors_in_two_sub_pools_with_each_span_under_its_caller()
    {
        var (sub1, sub2) = (Pool.Addresses[1], Pool.Addresses[2]);
        ISpanRecorder[] recorders = [await Xo.CreateActorAsync<SpanRecorder, ISpanRecorder>(address: sub1), await Xo.CreateActorAsync<SpanRecorder, ISpanRecorder>(address: sub2)];
        await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { $"127.0.0.1:{Pool.GatewayPort}" }, ClusterId = "pool-processes-test" });
        try
        {
            foreach (var recorder in recorders) await recorder.Listen();
            using var spans = new SpanCollector();   // the client's, in this process
            var a = await client.Context.CreateActorAsync<Traced, ITraced>(address: sub1);
            var b = await client.Context.CreateActorAsync<Traced, ITraced>(address: sub2);

            Activity root;
            using (root = SpanCollector.TestSource.StartActivity("client")!)
            {
                Assert.Equal(5, await a.Forward(b, 5));
            }

            var inA = await SpanAsync(recorders[0], root.TraceId, "send ITraced.Forward");
            var inB = await SpanAsync(recorders[1], root.TraceId, "send ITraced.Add");
            Assert.Equal(root.SpanId.ToHexString(), inA.ParentSpanId);
            Assert.Equal(inA.SpanId, inB.ParentSpanId);
            Assert.Equal(sub1, inA.Tags["xoscar.pool.address"]);
            Assert.Equal(sub2, inB.Tags["xoscar.pool.address"]);
            Assert.Equal(Pool.SubPoolProcessIds, [inA.ProcessId, inB.ProcessId]);
        }
        finally
        {
            foreach (var recorder in recorders)
            {
                await recorder.StopListening();
                await Xo.DestroyActorAsync(recorder);
            }
        }
    }

    // Spans end just after their replies leave: read the recorder until the span is there.
    private static async Task<RecordedSpan> SpanAsync(ISpanRecorder recorder, ActivityTraceId trace, string name)
    {
        var until = DateTime.UtcNow + Bound;
        while (true)
        {
            var spans = await recorder.Spans(trace.ToHexString());
            if (spans.FirstOrDefault(s => s.Name == name) is { } span) return span;
            if (DateTime.UtcNow > until) throw new TimeoutException($"No span '{name}' of trace {trace} within {Bound}; the pool recorded: {string.Join(", ", spans.Select(s => s.Name))}");
            await Task.Delay(20);
        }
    }
}
