using System.Diagnostics;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Actors' spans on the Xoscar.Orleans activity source, from a client outside both pools of the shared cluster (all in
/// this process): each is a child of the span its caller ran in, and names its actor, pool and call kind.
/// </summary>
public sealed class TracingTests(ClusterFixture fixture) : ClusterTest(fixture), IDisposable
{
    private readonly SpanCollector _spans = new();

    [Fact]
    public async Task A_send_is_a_span_under_the_callers_that_names_the_actor_its_class_pool_and_call_kind()
    {
        var uid = NewUid();
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(uid: uid, address: Pool1);

        var root = await InRootAsync(() => actor.Add(1));

        var send = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "send ITraced.Add");
        Assert.Equal(root.SpanId, send.ParentSpanId);
        Assert.Equal(ActivityKind.Server, send.Kind);
        Assert.Equal(uid, send.GetTagItem("xoscar.actor.uid"));
        Assert.Equal(nameof(Traced), send.GetTagItem("xoscar.actor.class"));
        Assert.Equal(Pool1, send.GetTagItem("xoscar.pool.address"));
        Assert.Equal("send", send.GetTagItem("xoscar.call.kind"));
        Assert.Equal("ITraced.Add", send.GetTagItem("xoscar.method"));
    }

    [Fact]
    public async Task A_call_an_actor_makes_is_a_child_of_the_span_of_the_call_it_serves()
    {
        var first = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool0);
        var second = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        var root = await InRootAsync(() => first.Forward(second, 2));

        var forward = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "send ITraced.Forward");
        var add = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "send ITraced.Add");
        Assert.Equal(root.SpanId, forward.ParentSpanId);
        Assert.Equal(forward.SpanId, add.ParentSpanId);
        Assert.Equal(Pool0, forward.GetTagItem("xoscar.pool.address"));
        Assert.Equal(Pool1, add.GetTagItem("xoscar.pool.address"));
    }

    [Fact]
    public async Task Creating_and_destroying_an_actor_are_spans_of_the_callers_trace()
    {
        var uid = NewUid();
        ITraced? actor = null;

        var root = await InRootAsync(async () =>
        {
            actor = await Xo.CreateActorAsync<Traced, ITraced>(uid: uid, address: Pool1);
            await Xo.DestroyActorAsync(actor);
        });

        var create = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "create Traced");
        var destroy = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "destroy Traced");
        Assert.All(new[] { create, destroy }, span =>
        {
            Assert.Equal(root.SpanId, span.ParentSpanId);
            Assert.Equal(uid, span.GetTagItem("xoscar.actor.uid"));
            Assert.Equal(Pool1, span.GetTagItem("xoscar.pool.address"));
        });
        Assert.Equal("create", create.GetTagItem("xoscar.call.kind"));
        Assert.Equal("destroy", destroy.GetTagItem("xoscar.call.kind"));
    }

    [Fact]
    public async Task A_told_call_runs_later_in_a_span_whose_parent_is_the_tellers()
    {
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        var root = await InRootAsync(async () => await actor.Tell(a => a.Add(3)));

        var tell = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "tell ITraced.Add");
        Assert.Equal(root.SpanId, tell.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, tell.Kind);
        Assert.Equal("tell", tell.GetTagItem("xoscar.call.kind"));
    }

    [Fact]
    public async Task Tells_made_under_different_spans_keep_each_its_own_parent()
    {
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        // Made together, they wait for one message and may travel in the same one.
        var (first, second) = (SpanCollector.TestSource.StartActivity("first")!, (Activity?)null);
        var told = actor.Tell(a => a.Add(1));
        first.Stop();
        second = SpanCollector.TestSource.StartActivity("second")!;
        var toldToo = actor.Tell(a => a.Add(2));
        second.Stop();
        await told;
        await toldToo;

        Assert.Equal(first.SpanId, (await _spans.WaitForAsync(first.TraceId, s => s.DisplayName == "tell ITraced.Add")).ParentSpanId);
        Assert.Equal(second.SpanId, (await _spans.WaitForAsync(second.TraceId, s => s.DisplayName == "tell ITraced.Add")).ParentSpanId);
    }

    [Fact]
    public async Task A_batch_is_one_span_counting_its_calls_sent_or_told()
    {
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        var root = await InRootAsync(async () =>
        {
            await actor.Batch([1, 2, 3], (a, n) => a.Put(n));
            await actor.TellBatch([4, 5], (a, n) => a.Put(n));
        });

        var batch = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "batch ITraced.Put");
        var told = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "tell_batch ITraced.Put");
        Assert.Equal(3L, batch.GetTagItem("xoscar.items"));
        Assert.Equal(2L, told.GetTagItem("xoscar.items"));
        Assert.Equal("tell_batch", told.GetTagItem("xoscar.call.kind"));
        Assert.All(new[] { batch, told }, span => Assert.Equal(root.SpanId, span.ParentSpanId));
    }

    [Fact]
    public async Task A_stream_is_one_span_from_its_start_to_its_end_counting_its_items()
    {
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        var root = await InRootAsync(async () =>
        {
            var items = 0;
            await foreach (var _ in actor.Count(7)) items++;
            Assert.Equal(7, items);
        });

        var stream = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "stream ITraced.Count");
        // The caller's Orleans starts a span of its own for the enumeration (listened to here), under the caller's.
        var session = await _spans.WaitForAsync(root.TraceId, s => s.SpanId == stream.ParentSpanId);
        Assert.Equal(("Microsoft.Orleans.Application", root.SpanId), (session.Source.Name, session.ParentSpanId));
        Assert.Equal(7L, stream.GetTagItem("xoscar.items"));
        Assert.Equal("stream", stream.GetTagItem("xoscar.call.kind"));
    }

    [Fact]
    public async Task A_stream_its_consumer_leaves_early_ends_its_span_with_the_items_taken()
    {
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        var root = await InRootAsync(async () =>
        {
            await foreach (var item in actor.Count(1000).WithBatchSize(1))
            {
                if (item == 2) break;
            }
        });

        var stream = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "stream ITraced.Count");
        Assert.InRange((long)stream.GetTagItem("xoscar.items")!, 3L, 1000L - 1);
    }

    [Fact]
    public async Task A_failed_call_ends_its_span_in_error_naming_the_error_type()
    {
        var actor = await Xo.CreateActorAsync<Traced, ITraced>(address: Pool1);

        var root = await InRootAsync(async () => await Assert.ThrowsAsync<InvalidOperationException>(() => actor.Fail("no")));

        var send = await _spans.WaitForAsync(root.TraceId, s => s.DisplayName == "send ITraced.Fail");
        Assert.Equal(ActivityStatusCode.Error, send.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, send.GetTagItem("error.type"));
    }

    public void Dispose() => _spans.Dispose();

    // Runs the calls under a root span of the test's own, as a traced caller would.
    private static async Task<Activity> InRootAsync(Func<Task> calls)
    {
        using var root = SpanCollector.TestSource.StartActivity("caller")!;
        await calls();
        return root;
    }
}
