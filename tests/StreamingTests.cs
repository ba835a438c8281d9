using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class StreamingTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private Task<IProducer> NewProducer(string pool) => Xo.CreateActorAsync<Producer, IProducer>(null, NewUid(), pool);

    private static async Task<List<int>> ReadAll(IAsyncEnumerable<int> stream)
    {
        var items = new List<int>();
        await foreach (var item in stream) items.Add(item);
        return items;
    }

    [Fact]
    public async Task Synchronous_producer_streams_all_items_in_order()
    {
        var producer = await NewProducer(Pool1);

        Assert.Equal(Enumerable.Range(0, 250), await ReadAll(producer.Count(250)));
        Assert.Equal(0, await producer.LiveProducers());
    }

    [Fact]
    public async Task Asynchronous_producer_streams_all_items_in_order()
    {
        var producer = await NewProducer(Pool1);

        Assert.Equal([0, 1, 2, 3], await ReadAll(producer.CountSlowly(4, 5)));
    }

    [Fact]
    public async Task Stream_can_relay_another_actors_stream()
    {
        var inner = await NewProducer(Pool1);
        var outer = await NewProducer(Pool0);

        Assert.Equal([0, 10, 20], await ReadAll(outer.Relay(inner, 3)));
    }

    [Fact]
    public async Task Error_mid_stream_reaches_the_consumer_after_the_items_before_it_and_releases_the_producer()
    {
        var producer = await NewProducer(Pool1);
        var items = new List<int>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in producer.FailAfter(2)) items.Add(item);
        });

        Assert.Equal([0, 1], items);
        Assert.Contains("stream broke", error.Message);
        Assert.Equal(0, await producer.LiveProducers());
    }

    [Fact]
    public async Task Early_break_stops_the_producer()
    {
        var producer = await NewProducer(Pool1);
        var live = -1;
        Assert.Equal(0, await producer.LiveProducers());

        await foreach (var item in producer.CountSlowly(1000, 5))
        {
            if (item == 0) live = await producer.LiveProducers();
            if (item == 2) break;
        }

        Assert.Equal(1, live);
        Assert.Equal(0, await producer.LiveProducers());
    }

    [Fact]
    public async Task Cancelling_the_consumer_stops_the_producer()
    {
        var producer = await NewProducer(Pool1);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in producer.CountSlowly(1000, 5, cancel.Token))
            {
                if (item == 2) cancel.Cancel();
            }
        });

        Assert.Equal(0, await producer.LiveProducers());
    }

    [Fact]
    public async Task Other_calls_to_a_stateful_actor_wait_for_the_stream_step_in_progress()
    {
        var producer = await NewProducer(Pool1);

        var consuming = ReadAll(producer.CountSlowly(3, 200));
        await producer.WhileStepping();
        var touchedMidStep = await producer.Touch();

        Assert.False(touchedMidStep);
        Assert.Equal([0, 1, 2], await consuming);
    }
}
