using System.Diagnostics;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Where Orleans' own activity propagation is on, Xoscar's spans sit inside Orleans' spans of the same calls.</summary>
public sealed class TracingWithOrleansActivitiesTests
{
    [Fact]
    public async Task A_send_span_is_a_child_of_the_Orleans_server_span_of_its_call_which_is_under_the_callers()
    {
        using var spans = new SpanCollector();
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "tracing-orleans-test", OrleansActivities = true });
        var actor = await pool.Context.CreateActorAsync<Traced, ITraced>();

        Activity root;
        using (root = SpanCollector.TestSource.StartActivity("caller")!)
        {
            await actor.Add(1);
        }

        var send = await spans.WaitForAsync(root.TraceId, s => s.DisplayName == "send ITraced.Add");
        var server = await spans.WaitForAsync(root.TraceId, s => s.SpanId == send.ParentSpanId);
        var client = await spans.WaitForAsync(root.TraceId, s => s.SpanId == server.ParentSpanId);
        Assert.Equal(("Microsoft.Orleans.Application", ActivityKind.Server), (server.Source.Name, server.Kind));
        Assert.Equal(("Microsoft.Orleans.Application", ActivityKind.Client), (client.Source.Name, client.Kind));
        Assert.Equal(root.SpanId, client.ParentSpanId);
    }
}
