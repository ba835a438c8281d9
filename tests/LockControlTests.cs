using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class LockControlTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_no_lock_calls_interleave()
    {
        var actor = await Xo.CreateActorAsync<Interleaver, IInterleaver>(null, NewUid(), Pool0);

        await Task.WhenAll(actor.Step(1, 2), actor.Step(3, 4)).WaitAsync(Bound);

        var steps = await actor.Steps();
        Assert.Equal([1, 3], steps.Take(2).Order());
        Assert.Equal([2, 4], steps.Skip(2).Order());
    }

    [Fact]
    public async Task Two_actors_calling_each_other_through_no_lock_methods_do_not_deadlock()
    {
        var a = await Xo.CreateActorAsync<Interleaver, IInterleaver>(null, NewUid(), Pool0);
        var b = await Xo.CreateActorAsync<Interleaver, IInterleaver>(null, NewUid(), Pool1);

        Assert.Equal(6, await a.Ping(b, 6).WaitAsync(Bound));
    }

    [Fact]
    public async Task Calls_that_release_the_lock_while_awaiting_overlap_on_a_stateful_actor()
    {
        var chain = await Xo.CreateActorAsync<Chain, IChain>(null, NewUid(), Pool0);
        var barrier = await Xo.CreateActorAsync<Helper, IHelper>([2], NewUid(), Pool1);

        await Task.WhenAll(chain.Run("x", barrier), chain.Run("y", barrier)).WaitAsync(Bound);

        var log = await chain.Log();
        Assert.All(log.Take(2), entry => Assert.StartsWith("A-", entry));
        Assert.All(log.Skip(2), entry => Assert.StartsWith("B-", entry));
    }

    [Fact]
    public async Task Awaiting_several_calls_with_the_lock_released_returns_their_results()
    {
        var chain = await Xo.CreateActorAsync<Chain, IChain>(null, NewUid(), Pool0);
        var helper = await Xo.CreateActorAsync<Helper, IHelper>([1], NewUid(), Pool1);

        var results = await chain.Gather(helper);

        Assert.Equal([10, 20, 30], results);
    }

    [Fact]
    public async Task Error_of_a_call_awaited_with_the_lock_released_is_thrown_back_into_the_method()
    {
        var chain = await Xo.CreateActorAsync<Chain, IChain>(null, NewUid(), Pool0);
        var helper = await Xo.CreateActorAsync<Helper, IHelper>([1], NewUid(), Pool1);

        var result = await chain.Convert(helper);

        Assert.StartsWith("caught:", result);
        Assert.Contains("thrown back", result);
    }

    [Fact]
    public async Task Cancelling_the_caller_cancels_the_call_awaited_with_the_lock_released()
    {
        var chain = await Xo.CreateActorAsync<Chain, IChain>(null, NewUid(), Pool0);
        var helper = await Xo.CreateActorAsync<Helper, IHelper>([1], NewUid(), Pool1);
        using var cancel = new CancellationTokenSource();

        var waiting = chain.Wait(helper, cancel.Token);
        await helper.SleepStarted().WaitAsync(Bound);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Bound));
        Assert.Equal(["start", "cancelled"], await helper.Events());
    }

    [Fact]
    public async Task Releasing_the_lock_from_a_method_not_marked_ReleasesLock_is_refused()
    {
        var chain = await Xo.CreateActorAsync<Chain, IChain>(null, NewUid(), Pool0);
        var helper = await Xo.CreateActorAsync<Helper, IHelper>([1], NewUid(), Pool1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => chain.Misuse(helper));

        Assert.Contains("ReleasesLock", error.Message);
    }
}
