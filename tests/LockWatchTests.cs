using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The pool's watch over stateful actors' locks and over calls that run without one, driven by a clock the test sets.</summary>
public sealed class LockWatchTests : IDisposable
{
    private const long ThresholdMs = 60_000;   // the watch's own timer never fires during a test
    private static readonly ActorId Actor = new("127.0.0.1:11111", "slow");

    private readonly LogCapture _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly LockWatch _watch;
    private readonly ActorMailbox _mailbox = new(capacity: 10);
    private readonly RunningCalls _calls = new();

    public LockWatchTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        _watch = new LockWatch(Options.Create(new XoscarOptions { SlowCallWarning = TimeSpan.FromMilliseconds(ThresholdMs) }), _loggers.CreateLogger<LockWatch>());
        _watch.Watch(this, Actor, _mailbox);
        _watch.Watch(this, Actor, _calls);
    }

    public void Dispose()
    {
        _watch.Dispose();
        _loggers.Dispose();
    }

    private static long Now => Environment.TickCount64;

    private string[] Warnings => _logs.Lines.Where(l => l.Contains("[4701]")).ToArray();

    private string[] UnlockedWarnings => _logs.Lines.Where(l => l.Contains("[4702]")).ToArray();

    private static System.Reflection.MethodInfo Method(string name) => typeof(IWork).GetMethod(name)!;

    private async Task HoldAsync(string method)
    {
        await _mailbox.EnterAsync();
        _mailbox.BeginTurn(typeof(IWork).GetMethod(method)!);
    }

    /// <summary>The methods the test's calls stand for.</summary>
    private interface IWork
    {
        Task Crunch();
        Task Quick();
        Task Fetch();
        Task Stuck();
        Task First();
        Task Second();
        Task Done();
        Task Gone();
        Task Long();
        Task Busy();
    }

    [Fact]
    public async Task A_lock_held_past_the_threshold_is_reported_with_the_actor_the_method_and_the_calls_waiting()
    {
        await HoldAsync("Crunch");
        _ = _mailbox.EnterAsync();
        _ = _mailbox.EnterAsync();

        _watch.Check(Now + ThresholdMs + 1_000);

        var warning = Assert.Single(Warnings);
        Assert.Contains("'slow' in pool 127.0.0.1:11111", warning);
        Assert.Contains("IWork.Crunch has held the actor's lock for 61", warning);
        Assert.Contains("2 calls wait", warning);
    }

    [Fact]
    public async Task A_lock_held_less_than_the_threshold_is_not_reported()
    {
        await HoldAsync("Quick");

        _watch.Check(Now + ThresholdMs / 2);

        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task The_warning_repeats_only_each_time_the_time_held_doubles()
    {
        await HoldAsync("Stuck");
        var start = Now;

        foreach (var seconds in new[] { 61, 70, 119, 121, 200, 241 }) _watch.Check(start + seconds * 1_000);

        Assert.Equal(3, Warnings.Length);   // at 61 s, 121 s, 241 s
    }

    [Fact]
    public async Task A_lock_that_changed_hands_is_counted_from_the_new_holder_start()
    {
        await HoldAsync("First");
        _watch.Check(Now + ThresholdMs + 1_000);
        _mailbox.Exit();

        await HoldAsync("Second");
        _watch.Check(Now + ThresholdMs / 2);
        _watch.Check(Now + ThresholdMs + 1_000);

        Assert.Equal(2, Warnings.Length);
        Assert.Contains("Second", Warnings[1]);
    }

    [Fact]
    public async Task A_free_lock_or_a_forgotten_actor_is_not_reported()
    {
        await HoldAsync("Done");
        _mailbox.Exit();
        _watch.Check(Now + ThresholdMs * 10);

        await HoldAsync("Gone");
        _watch.Forget(this);
        _watch.Check(Now + ThresholdMs * 10);

        Assert.Empty(Warnings);
        Assert.Equal(0, _watch.Count);
    }

    [Fact]
    public async Task Without_a_threshold_no_slow_call_is_reported()
    {
        using var off = new LockWatch(Options.Create(new XoscarOptions { SlowCallWarning = null }), _loggers.CreateLogger<LockWatch>());
        off.Watch(this, Actor, _mailbox);
        await HoldAsync("Long");

        off.Check(Now + ThresholdMs * 10);

        Assert.False(off.Enabled);
        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task The_calls_waiting_for_watched_locks_are_counted()
    {
        await HoldAsync("Busy");
        _ = _mailbox.EnterAsync();
        _ = _mailbox.EnterAsync();

        Assert.Equal(2, _watch.WaitingCalls());
    }

    [Fact]
    public async Task A_slow_call_is_announced_with_the_actor_class_and_method()
    {
        var announced = new List<(string, string)>();
        _watch.SlowCall += (actorClass, method) => announced.Add((actorClass, method));
        await HoldAsync("Crunch");

        _watch.Check(Now + ThresholdMs + 1_000);

        Assert.Equal([(nameof(LockWatchTests), "IWork.Crunch")], announced);
    }

    [Fact]
    public void A_call_running_past_the_threshold_is_reported_once_then_each_time_its_time_doubles()
    {
        _calls.Enter(Method("Fetch"), nowMs: 0);

        _watch.Check(ThresholdMs + 1);
        _watch.Check(ThresholdMs + 2);
        _watch.Check(2 * ThresholdMs + 1);

        Assert.Equal(2, UnlockedWarnings.Length);
        Assert.Contains("'slow' in pool 127.0.0.1:11111: IWork.Fetch has run for 60.0 s without the lock; 1 calls run", UnlockedWarnings[0]);
    }

    [Fact]
    public void A_call_that_ended_is_not_reported_and_its_slot_serves_the_next_call_afresh()
    {
        var slot = _calls.Enter(Method("Fetch"), nowMs: 0);
        _watch.Check(ThresholdMs + 1);
        _calls.Exit(slot);

        _calls.Enter(Method("Quick"), nowMs: ThresholdMs);
        _watch.Check(ThresholdMs + 10);

        Assert.Single(UnlockedWarnings);
        Assert.Contains("IWork.Fetch", UnlockedWarnings[0]);
    }

    [Fact]
    public void More_calls_than_the_first_slots_are_all_watched()
    {
        for (var i = 0; i < 9; i++) _calls.Enter(Method("Fetch"), nowMs: 0);

        _watch.Check(ThresholdMs + 1);

        Assert.Equal(9, UnlockedWarnings.Length);
        Assert.All(UnlockedWarnings, w => Assert.Contains("9 calls run", w));
    }
}
