using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The pool's watch over calls that run without a lock, driven by a clock the test sets.</summary>
public sealed class RunningCallsWatchTests : IDisposable
{
    private const long ThresholdMs = 60_000;   // the watch's own timer never fires during a test
    private static readonly ActorId Actor = new("127.0.0.1:11111", "free");

    private readonly LogCapture _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly LockWatch _watch;
    private readonly RunningCalls _calls = new();

    public RunningCallsWatchTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        _watch = new LockWatch(Options.Create(new XoscarOptions { SlowCallWarning = TimeSpan.FromMilliseconds(ThresholdMs) }), _loggers.CreateLogger<LockWatch>());
        _watch.Watch(this, Actor, _calls);
    }

    public void Dispose()
    {
        _watch.Dispose();
        _loggers.Dispose();
    }

    private string[] Warnings => _logs.Lines.Where(l => l.Contains("[4702]")).ToArray();

    private interface IWork
    {
        Task Fetch();
        Task Quick();
    }

    private static System.Reflection.MethodInfo Method(string name) => typeof(IWork).GetMethod(name)!;

    [Fact]
    public void A_call_running_past_the_threshold_is_reported_once_then_each_time_its_time_doubles()
    {
        _calls.Enter(Method("Fetch"), nowMs: 0);

        _watch.Check(ThresholdMs + 1);
        _watch.Check(ThresholdMs + 2);
        _watch.Check(2 * ThresholdMs + 1);

        Assert.Equal(2, Warnings.Length);
        Assert.Contains("'free' in pool 127.0.0.1:11111: IWork.Fetch has run for 60.0 s without the lock; 1 calls run", Warnings[0]);
    }

    [Fact]
    public void A_call_that_ended_is_not_reported_and_its_slot_serves_the_next_call_afresh()
    {
        var slot = _calls.Enter(Method("Fetch"), nowMs: 0);
        _watch.Check(ThresholdMs + 1);
        _calls.Exit(slot);

        _calls.Enter(Method("Quick"), nowMs: ThresholdMs);
        _watch.Check(ThresholdMs + 10);

        Assert.Single(Warnings);
        Assert.Contains("IWork.Fetch", Warnings[0]);
    }

    [Fact]
    public void More_calls_than_the_first_slots_are_all_watched()
    {
        for (var i = 0; i < 9; i++) _calls.Enter(Method("Fetch"), nowMs: 0);

        _watch.Check(ThresholdMs + 1);

        Assert.Equal(9, Warnings.Length);
        Assert.All(Warnings, w => Assert.Contains("9 calls run", w));
    }
}
