using System.Diagnostics;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class CancellationTests(ClusterFixture fixture) : ClusterTest(fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private Task<ISleeper> NewSleeper() => Xo.CreateActorAsync<Sleeper, ISleeper>(null, NewUid(), Pool1);

    [Fact]
    public async Task Cancelled_caller_receives_the_value_the_method_returns_on_cancellation()
    {
        var sleeper = await NewSleeper();
        using var cancel = new CancellationTokenSource();

        var call = sleeper.SleepOrReturn(4, cancel.Token);
        await sleeper.Started().WaitAsync(Bound);
        cancel.Cancel();

        Assert.Equal(5, await call.WaitAsync(Bound));
    }

    [Fact]
    public async Task Cancelled_caller_receives_the_cancellation_when_the_method_lets_it_through()
    {
        var sleeper = await NewSleeper();
        using var cancel = new CancellationTokenSource();

        var call = sleeper.SleepOrThrow(cancel.Token);
        await sleeper.Started().WaitAsync(Bound);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));
    }

    [Fact]
    public async Task Queued_call_that_is_cancelled_never_runs()
    {
        var sleeper = await NewSleeper();
        await sleeper.Tell(s => s.Hold());
        using var cancel = new CancellationTokenSource();

        var queued = sleeper.Count(cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Bound));
        await sleeper.Release();

        Assert.Equal(0, await sleeper.Counted());
    }

    [Fact]
    public async Task Deadline_fires_on_time_against_a_stuck_method_and_names_actor_and_method()
    {
        var sleeper = await NewSleeper();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => sleeper.WaitFor((s, ct) => s.Stuck(ct), TimeSpan.FromMilliseconds(300)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Contains(nameof(ISleeper.Stuck), error.Message);
        Assert.Contains(sleeper.GetActorId().Uid, error.Message);
        Assert.Contains(Pool1, error.Message);
    }

    [Fact]
    public async Task Call_within_its_deadline_returns_its_result()
    {
        var sleeper = await NewSleeper();

        Assert.Equal(3, await sleeper.WaitFor((s, ct) => s.Quick(3, ct), TimeSpan.FromSeconds(10)));
    }
}
