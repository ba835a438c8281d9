using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The pools' <c>Xoscar.Orleans</c> meter: call durations per class and method, cycles, slow calls, queued calls.</summary>
public sealed class ActorMetricsTests(ClusterFixture fixture) : ClusterTest(fixture), IDisposable
{
    private const string Duration = "xoscar.actor.call.duration";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly MetricsRecorder _metrics = new();

    public void Dispose() => _metrics.Dispose();

    private static bool IsCall(MetricsRecorder.Measurement m, string actorClass, string method) =>
        m.Instrument == Duration && Equals(m.Tag("xoscar.actor.class"), actorClass) && Equals(m.Tag("xoscar.method"), method);

    private Task<IMetered> Metered() => Xo.CreateActorAsync<Metered, IMetered>(null, NewUid(), Pool1);

    [Fact]
    public async Task Each_call_is_timed_under_its_actor_class_and_method()
    {
        var metered = await Metered();

        for (var i = 0; i < 3; i++) await metered.Work(i);

        var calls = _metrics.Of(Duration).Where(m => IsCall(m, "Metered", "IMetered.Work")).ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, m => Assert.InRange(m.Value, 0, Bound.TotalSeconds));
        Assert.All(calls, m => Assert.Null(m.Tag("error.type")));
    }

    [Fact]
    public async Task Bytes_copied_into_a_pools_buffers_are_counted_by_how_they_came()
    {
        var receiver = await Xo.CreateActorAsync<Transferer, ITransferer>(null, NewUid(), Pool1);
        var targets = await receiver.CreateBuffers([2 << 20, 1000]);

        await Xo.CopyToAsync([new byte[2 << 20], new byte[1000]], targets, blockSize: 1 << 20);

        // Pools of other test collections may copy meanwhile: look for these blocks' sizes, which theirs do not have.
        var copies = _metrics.Of("xoscar.transfer.bytes").Where(m => Equals(m.Tag("xoscar.transfer.target"), "buffer")).ToList();
        Assert.Equal(2, copies.Count(m => m.Value == 1 << 20 && Equals(m.Tag("xoscar.transfer.carrier"), "shared_memory")));
        Assert.Single(copies, m => m.Value == 1000 && Equals(m.Tag("xoscar.transfer.carrier"), "message"));
    }

    [Fact]
    public async Task A_failed_call_is_timed_with_its_error_type()
    {
        var metered = await Metered();

        await Assert.ThrowsAsync<InvalidOperationException>(() => metered.Fail("no"));

        var call = Assert.Single(_metrics.Of(Duration), m => IsCall(m, "Metered", "IMetered.Fail"));
        Assert.Equal(typeof(InvalidOperationException).FullName, call.Tag("error.type"));
    }

    [Fact]
    public async Task A_batch_is_timed_once_under_its_method()
    {
        var metered = await Metered();

        await metered.Batch([1, 2, 3], (m, x) => m.Work(x));

        Assert.Single(_metrics.Of(Duration), m => IsCall(m, "Metered", "IMetered.Work"));
    }

    [Fact]
    public async Task A_told_call_is_timed_when_it_has_run()
    {
        var metered = await Metered();

        await metered.Tell(m => m.Work(1));

        await _metrics.WaitForAsync(m => IsCall(m, "Metered", "IMetered.Work")).WaitAsync(Bound);
    }

    [Fact]
    public async Task A_refused_call_cycle_is_counted_under_the_actor_class()
    {
        var cycler = await Xo.CreateActorAsync<Cycler, ICycler>(null, NewUid(), Pool0);

        await Assert.ThrowsAsync<CallCycleException>(() => cycler.VisitSelf());

        var cycle = Assert.Single(_metrics.Of("xoscar.actor.call_cycles"));
        Assert.Equal("Cycler", cycle.Tag("xoscar.actor.class"));
    }

    [Fact]
    public async Task Calls_waiting_for_a_lock_are_observed_and_a_slow_call_is_counted()
    {
        var gate = await Xo.CreateActorAsync<Gate, IGate>(null, NewUid(), Pool1);
        var calls = new[] { gate.Hold(), gate.Hold(), gate.Hold() };
        try
        {
            await _metrics.WaitForAsync(m => m.Instrument == "xoscar.actor.slow_calls" && Equals(m.Tag("xoscar.method"), "IGate.Hold")).WaitAsync(Bound);
            _metrics.Observe();

            Assert.True(_metrics.Of("xoscar.actor.queued_calls").Sum(m => m.Value) >= 2);
            Assert.True(_metrics.Of("xoscar.actor.locked_actors").Sum(m => m.Value) >= 1);
        }
        finally
        {
            await gate.Release();
            await Task.WhenAll(calls).WaitAsync(Bound);
        }
    }
}
