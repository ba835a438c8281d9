using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests;

/// <summary>The pool's watch over stateful actors' locks and over calls that run without one, ticked by a clock the test runs.</summary>
public sealed class LockWatchTests : IDisposable
{
    private const long ThresholdMs = 60_000;
    private static readonly ActorId Actor = new("127.0.0.1:11111", "slow");

    private readonly PoolLogs _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly LockWatch _watch;
    private readonly ActorMailbox _mailbox = new(capacity: 10);
    private readonly RunningCalls _calls = new();

    public LockWatchTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        _watch = NewWatch(TimeSpan.FromMilliseconds(ThresholdMs));
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

    private LockWatch NewWatch(TimeSpan? threshold) =>
        new(Options.Create(new XoscarOptions { SlowCallWarning = threshold }), _loggers.CreateLogger<LockWatch>(), new FakeTimeProvider());   // its timer never fires: the test ticks

    private async Task HoldAsync(string method, ActorMailbox? mailbox = null)
    {
        mailbox ??= _mailbox;
        await mailbox.EnterAsync();
        mailbox.BeginTurn(Method(method));
    }

    // Ticks the watch as its timer would, from one time to another (both included).
    private void Run(LockWatch watch, long fromMs, long toMs)
    {
        for (var now = fromMs; now < toMs; now += watch.TickMs) watch.Tick(now);
        watch.Tick(toMs);
    }

    private void Run(long fromMs, long toMs) => Run(_watch, fromMs, toMs);

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
        Task Short();
    }

    [Fact]
    public async Task A_lock_held_past_the_threshold_is_reported_within_a_tick_with_the_actor_the_method_and_the_calls_waiting()
    {
        var start = Now;
        await HoldAsync("Crunch");
        _ = _mailbox.EnterAsync();
        _ = _mailbox.EnterAsync();

        Run(start, start + ThresholdMs + _watch.TickMs);

        var warning = Assert.Single(Warnings);
        Assert.Contains("'slow' in pool 127.0.0.1:11111: IWork.Crunch has held the actor's lock for 6", warning);   // 60 s and a tick
        Assert.Contains("2 calls wait", warning);
    }

    [Fact]
    public async Task A_lock_held_less_than_the_threshold_is_not_reported()
    {
        var start = Now;
        await HoldAsync("Quick");

        Run(start, start + ThresholdMs - _watch.TickMs);
        _mailbox.Exit();
        Run(start + ThresholdMs - _watch.TickMs, start + 3 * ThresholdMs);

        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task Of_ten_locks_held_past_the_threshold_and_ten_released_before_it_exactly_the_ten_are_reported_once_each()
    {
        var start = Now;
        var longCalls = Enumerable.Range(0, 10).Select(i => (Actor: new object(), Id: new ActorId("127.0.0.1:11111", $"long-{i}"), Mailbox: new ActorMailbox(10))).ToList();
        var shortCalls = Enumerable.Range(0, 10).Select(i => (Actor: new object(), Id: new ActorId("127.0.0.1:11111", $"short-{i}"), Mailbox: new ActorMailbox(10))).ToList();
        foreach (var (actor, id, mailbox) in longCalls.Concat(shortCalls))
        {
            _watch.Watch(actor, id, mailbox);
            await HoldAsync(id.Uid.StartsWith("long") ? "Long" : "Short", mailbox);
        }

        Run(start, start + ThresholdMs * 8 / 10);
        foreach (var call in shortCalls) call.Mailbox.Exit();
        Run(start + ThresholdMs * 8 / 10, start + ThresholdMs * 12 / 10);
        foreach (var call in longCalls) call.Mailbox.Exit();
        Run(start + ThresholdMs * 12 / 10, start + ThresholdMs * 3);

        Assert.Equal(10, Warnings.Length);
        Assert.All(longCalls, call => Assert.Single(Warnings, w => w.Contains($"'{call.Id.Uid}'") && w.Contains("IWork.Long")));
    }

    [Fact]
    public void Of_ten_calls_without_the_lock_past_the_threshold_and_ten_ended_before_it_exactly_the_ten_are_reported_once_each()
    {
        var longCalls = Enumerable.Range(0, 10).Select(_ => _calls.Enter(Method("Long"), nowMs: 1_000)).ToList();
        var shortCalls = Enumerable.Range(0, 10).Select(_ => _calls.Enter(Method("Short"), nowMs: 1_000)).ToList();

        Run(1_000, 1_000 + ThresholdMs * 8 / 10);
        foreach (var slot in shortCalls) _calls.Exit(slot);
        Run(1_000 + ThresholdMs * 8 / 10, 1_000 + ThresholdMs * 12 / 10);
        foreach (var slot in longCalls) _calls.Exit(slot);
        Run(1_000 + ThresholdMs * 12 / 10, 1_000 + ThresholdMs * 3);

        Assert.Equal(10, UnlockedWarnings.Length);
        Assert.All(UnlockedWarnings, w => Assert.Contains("IWork.Long has run for 6", w));
    }

    [Fact]
    public async Task The_warning_repeats_only_each_time_the_time_held_doubles()
    {
        var start = Now;
        await HoldAsync("Stuck");

        Run(start, start + ThresholdMs * 41 / 10);

        Assert.Equal(3, Warnings.Length);   // at 60 s, 120 s, 240 s
    }

    [Fact]
    public async Task A_lock_that_changed_hands_is_counted_from_the_new_holder_start()
    {
        var start = Now;
        await HoldAsync("First");
        Run(start, start + ThresholdMs + _watch.TickMs);
        _mailbox.Exit();

        // The new holder's time (its clock is the real one: it started a moment after the first) crossed the threshold
        // too: it is warned of at the next pass, not at twice the threshold as a holder that kept the lock would be.
        await HoldAsync("Second");
        Run(start + ThresholdMs + _watch.TickMs, start + ThresholdMs * 16 / 10);

        Assert.Equal(2, Warnings.Length);
        Assert.Contains("IWork.Second", Warnings[1]);
    }

    [Fact]
    public async Task A_free_lock_or_a_forgotten_actor_is_not_reported()
    {
        var start = Now;
        await HoldAsync("Done");
        _mailbox.Exit();
        Run(start, start + ThresholdMs * 2);

        await HoldAsync("Gone");
        _watch.Forget(this);
        Run(start + ThresholdMs * 2, start + ThresholdMs * 4);

        Assert.Empty(Warnings);
        Assert.Equal(0, _watch.Count);
    }

    [Fact]
    public async Task A_forgotten_actor_leaves_no_call_in_the_wheel()
    {
        var start = Now;
        await HoldAsync("Gone");
        _calls.Enter(Method("Fetch"), nowMs: start);
        Run(start, start + ThresholdMs * 9 / 10);
        Assert.Equal(2, _watch.Staged);   // both fall due before the next pass

        _watch.Forget(this);

        Assert.Equal(0, _watch.Staged);
        Assert.False(_watch.IsWatching(Actor));
    }

    [Fact]
    public async Task Without_a_threshold_no_slow_call_is_reported()
    {
        using var off = NewWatch(threshold: null);
        off.Watch(this, Actor, _mailbox);
        var start = Now;
        await HoldAsync("Long");

        off.Tick(start + ThresholdMs * 10);

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
        var start = Now;
        await HoldAsync("Crunch");

        Run(start, start + ThresholdMs + _watch.TickMs);

        Assert.Equal([(nameof(LockWatchTests), "IWork.Crunch")], announced);
    }

    [Fact]
    public void A_call_running_past_the_threshold_is_reported_once_then_each_time_its_time_doubles()
    {
        _calls.Enter(Method("Fetch"), nowMs: 0);

        Run(0, 2 * ThresholdMs + _watch.TickMs);

        Assert.Equal(2, UnlockedWarnings.Length);
        Assert.Contains("'slow' in pool 127.0.0.1:11111: IWork.Fetch has run for 60.0 s without the lock; 1 calls run", UnlockedWarnings[0]);
    }

    [Fact]
    public void A_call_that_ended_is_not_reported_and_its_slot_serves_the_next_call_afresh()
    {
        var slot = _calls.Enter(Method("Fetch"), nowMs: 0);
        Run(0, ThresholdMs + 1);
        _calls.Exit(slot);

        _calls.Enter(Method("Quick"), nowMs: ThresholdMs + 1);
        Run(ThresholdMs + 1, 2 * ThresholdMs);

        Assert.Single(UnlockedWarnings);
        Assert.Contains("IWork.Fetch", UnlockedWarnings[0]);
    }

    [Fact]
    public void More_calls_than_the_first_slots_are_all_watched()
    {
        for (var i = 0; i < 9; i++) _calls.Enter(Method("Fetch"), nowMs: 0);

        Run(0, ThresholdMs + 1);

        Assert.Equal(9, UnlockedWarnings.Length);
        Assert.All(UnlockedWarnings, w => Assert.Contains("9 calls run", w));
    }
}
