using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Batches written as one method over a list of arguments: <c>actor.Batch(arguments, (a, x) =&gt; a.M(x))</c>.</summary>
public sealed class ArgumentBatchTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private Task<IStore> NewStore() => Xo.CreateActorAsync<Store, IStore>(null, NewUid(), Pool1);

    [Fact]
    public async Task Batch_over_argument_pairs_runs_the_batch_implementation_once_and_returns_results_in_order()
    {
        var store = await NewStore();

        var results = await store.Batch([("a", 1), ("b", 2), ("a", 3)], (s, key, value) => s.Put(key, value));

        Assert.Equal([1, 2, 2], results);
        Assert.Equal(1, await store.BatchCalls());
        Assert.Equal(3, await store.Get("a"));
    }

    [Fact]
    public async Task Batch_over_arguments_without_a_batch_implementation_runs_the_calls_one_by_one()
    {
        var store = await NewStore();
        await store.Put("x", 7);

        var results = await store.Batch(["x", "missing"], (s, key) => s.Get(key));

        Assert.Equal([7, -1], results);
    }

    [Fact]
    public async Task Batch_over_no_arguments_returns_an_empty_list()
    {
        var store = await NewStore();

        Assert.Empty(await store.Batch(Array.Empty<string>(), (s, key) => s.Get(key)));
    }

    [Fact]
    public async Task Batch_over_arguments_is_atomic_with_respect_to_the_actors_other_calls()
    {
        var store = await NewStore();

        var batch = store.TellBatch(["b1", "b2", "b3"], (s, entry) => s.Append(entry)).AsTask();
        var single = store.Append("x");
        await Task.WhenAll(batch, single);
        var log = await store.Log();

        Assert.True(log.SequenceEqual(["b1", "b2", "b3", "x"]) || log.SequenceEqual(["x", "b1", "b2", "b3"]), string.Join(",", log));
    }

    [Fact]
    public async Task Batch_with_a_computed_argument_is_refused_before_anything_is_sent()
    {
        var store = await NewStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.Batch([("a", 1)], (s, key, value) => s.Put(key, value + 1)));

        Assert.Contains("Delay", error.Message);
        Assert.Equal(-1, await store.Get("a"));
    }

    [Fact]
    public async Task Batch_over_arguments_of_a_method_that_is_not_extensible_is_refused()
    {
        var store = await NewStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.Batch(["a"], (s, key) => s.Contains(key)));

        Assert.Contains(nameof(IStore.Contains), error.Message);
    }

    [Fact]
    public async Task Told_batch_over_arguments_is_applied_before_a_later_send()
    {
        var store = await NewStore();

        await store.TellBatch([("t", 1), ("u", 2)], (s, key, value) => s.Put(key, value));

        Assert.Equal(2, await store.Get("u"));
    }

    [Fact]
    public async Task Arguments_changed_after_the_batch_call_do_not_change_the_batch()
    {
        var store = await NewStore();
        var pairs = new[] { ("k", 1) };

        var batch = store.Batch(pairs, (s, key, value) => s.Put(key, value));
        pairs[0] = ("k", 99);
        await batch;

        Assert.Equal(1, await store.Get("k"));
    }
}
