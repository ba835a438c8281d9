using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class BatchTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private Task<IStore> NewStore() => Xo.CreateActorAsync<Store, IStore>(null, NewUid(), Pool1);

    [Fact]
    public async Task Batch_runs_the_batch_implementation_once_and_returns_results_in_order()
    {
        var store = await NewStore();

        var results = await store.Batch(store.Delay(s => s.Put("a", 1)), store.Delay(s => s.Put("b", 2)), store.Delay(s => s.Put("a", 3)));

        Assert.Equal([1, 2, 2], results);
        Assert.Equal(1, await store.BatchCalls());
        Assert.Equal(3, await store.Get("a"));
    }

    [Fact]
    public async Task Batch_without_a_batch_implementation_runs_the_calls_one_by_one()
    {
        var store = await NewStore();
        await store.Batch(store.Delay(s => s.Put("x", 7)));

        var results = await store.Batch(store.Delay(s => s.Get("x")), store.Delay(s => s.Get("missing")));

        Assert.Equal([7, -1], results);
    }

    [Fact]
    public async Task Single_call_that_is_not_implemented_falls_back_to_the_batch_implementation()
    {
        var store = await NewStore();

        Assert.Equal(1, await store.Put("k", 5));
        Assert.Equal(5, await store.Get("k"));
        Assert.Equal(1, await store.BatchCalls());
    }

    [Fact]
    public async Task Empty_batch_returns_an_empty_list()
    {
        var store = await NewStore();

        Assert.Empty(await store.Batch<IStore, int>());
    }

    [Fact]
    public async Task Batch_is_atomic_with_respect_to_the_actors_other_calls()
    {
        var store = await NewStore();

        var batch = store.Batch(store.Delay(s => s.Append("b1")), store.Delay(s => s.Append("b2")), store.Delay(s => s.Append("b3")));
        var single = store.Append("x");
        await Task.WhenAll(batch, single);

        var log = await store.Log();
        Assert.True(log.SequenceEqual(["b1", "b2", "b3", "x"]) || log.SequenceEqual(["x", "b1", "b2", "b3"]), string.Join(",", log));
    }

    [Fact]
    public async Task Batch_mixing_two_methods_is_refused_before_anything_is_sent()
    {
        var store = await NewStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.Batch<IStore, int>(store.Delay(s => s.Put("a", 1)), store.Delay(s => s.Get("a"))));

        Assert.Contains(nameof(IStore.Put), error.Message);
        Assert.Contains(nameof(IStore.Get), error.Message);
        Assert.Equal(-1, await store.Get("a"));
    }

    [Fact]
    public async Task Batch_of_a_method_that_is_not_extensible_is_refused()
    {
        var store = await NewStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.Batch(store.Delay(s => s.BatchCalls())));

        Assert.Contains(nameof(IStore.BatchCalls), error.Message);
    }

    [Fact]
    public async Task Batch_holding_a_call_delayed_on_another_actor_is_refused()
    {
        var store = await NewStore();
        var other = await NewStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.Batch(store.Delay(s => s.Get("a")), other.Delay(s => s.Get("a"))));
    }

    [Fact]
    public async Task Told_batch_is_applied_before_a_later_send()
    {
        var store = await NewStore();

        await store.TellBatch(store.Delay(s => s.Put("t", 1)), store.Delay(s => s.Put("u", 2)));

        Assert.Equal(2, await store.Get("u"));
    }

    [Fact]
    public async Task Batch_implementation_with_the_wrong_signature_fails_the_creation_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Xo.CreateActorAsync<Misdeclared, IMisdeclared>(null, NewUid(), Pool0));

        Assert.Contains(nameof(Misdeclared.SquareMany), error.Message);
    }
}
