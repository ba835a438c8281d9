using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The pool's view of its stateful actors' locks. Warns when a call holds a lock for long (Xoscar's
/// <c>actor_lock_timeout</c> debug warning, on by default here): after <see cref="XoscarOptions.SlowCallWarning"/>,
/// then each time the time held doubles, naming the actor, the method and how many calls wait behind it; and
/// counts the calls waiting, for <see cref="ActorMetrics"/>. It only reads the actors' mailboxes (a pass over all
/// of them at half the threshold), so calls pay nothing for it but a clock read.
/// </summary>
internal sealed partial class LockWatch : IDisposable
{
    private readonly ConcurrentDictionary<object, Watched> _actors = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<object, WatchedCalls> _unlocked = new(ReferenceEqualityComparer.Instance);
    private readonly ILogger _logger;
    private readonly long _thresholdMs;
    private readonly Timer? _timer;

    public LockWatch(IOptions<XoscarOptions> options, ILogger<LockWatch> logger)
    {
        _logger = logger;
        var threshold = options.Value.SlowCallWarning;
        if (threshold is not { } after || after <= TimeSpan.Zero) return;
        _thresholdMs = Math.Max(1, (long)after.TotalMilliseconds);
        var period = TimeSpan.FromMilliseconds(Math.Max(10, _thresholdMs / 2));
        _timer = new Timer(static state => ((LockWatch)state!).Check(Environment.TickCount64), this, period, period);
    }

    /// <summary>Whether slow calls are warned of.</summary>
    public bool Enabled => _timer is not null;

    /// <summary>How many stateful actors are watched.</summary>
    public int Count => _actors.Count;

    /// <summary>How many activations' unlocked calls are watched.</summary>
    public int UnlockedCount => _unlocked.Count;

    /// <summary>Whether an activation of <paramref name="actor"/> is watched.</summary>
    public bool IsWatching(ActorId actor) => _actors.Values.Any(w => w.Id == actor) || _unlocked.Values.Any(w => w.Id == actor);

    /// <summary>Raised with the actor's class and the method when a slow call is warned of.</summary>
    public event Action<string, string>? SlowCall;

    /// <summary>Watches the lock of <paramref name="actor"/> (an activation, named <paramref name="id"/>) until <see cref="Forget"/>.</summary>
    public void Watch(object actor, ActorId id, ActorMailbox mailbox) => _actors.TryAdd(actor, new Watched(id, actor.GetType().Name, mailbox));

    /// <summary>How many calls wait for the locks of the watched actors now.</summary>
    public long WaitingCalls()
    {
        long waiting = 0;
        foreach (var (_, watched) in _actors) waiting += watched.Mailbox.Waiting;
        return waiting;
    }

    /// <summary>Watches the calls that <paramref name="actor"/> (an activation, named <paramref name="id"/>) runs without the lock, until <see cref="Forget"/>.</summary>
    public void Watch(object actor, ActorId id, RunningCalls calls) => _unlocked.TryAdd(actor, new WatchedCalls(id, actor.GetType().Name, calls));

    /// <summary>Stops watching an actor that is going away.</summary>
    public void Forget(object actor)
    {
        _actors.TryRemove(actor, out _);
        _unlocked.TryRemove(actor, out _);
    }

    /// <summary>One pass: warns of every lock held past its next warning time. Runs on the timer; tests call it directly.</summary>
    internal void Check(long nowMs)
    {
        if (!Enabled) return;
        foreach (var (_, watched) in _actors)
        {
            var mailbox = watched.Mailbox;
            var turn = mailbox.Turn;
            var method = mailbox.Method;
            var since = mailbox.HeldSince;
            if (turn == 0 || turn != mailbox.Turn) continue;   // free, or changed hands while read
            if (turn != watched.Turn || since != watched.Since)
            {
                // A new holder, or one that took the lock back after releasing it: counted afresh.
                watched.Turn = turn;
                watched.Since = since;
                watched.WarnAtMs = _thresholdMs;
            }

            var held = nowMs - since;
            if (held < watched.WarnAtMs) continue;
            var name = method is null ? "?" : MethodNames.Of(method);
            LogSlowCall(_logger, watched.Id.Uid, watched.Id.Address, name, held / 1000.0, mailbox.Waiting);
            SlowCall?.Invoke(watched.Class, name);
            while (watched.WarnAtMs <= held) watched.WarnAtMs *= 2;
        }

        foreach (var (_, watched) in _unlocked) CheckUnlocked(watched, nowMs);
    }

    public void Dispose() => _timer?.Dispose();

    // Each running call is warned of once past the threshold, then each time its time doubles, like a held lock.
    private void CheckUnlocked(WatchedCalls watched, long nowMs)
    {
        var slots = watched.Calls.Slots;
        if (watched.Slots.Length < slots.Length) Array.Resize(ref watched.Slots, slots.Length);
        var running = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i].Method) is not null) running++;
        }

        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            var method = Volatile.Read(ref slot.Method);
            if (method is null) continue;
            var (call, since) = (slot.Call, slot.StartedMs);
            ref var seen = ref watched.Slots[i];
            if (seen.Call != call) seen = (call, _thresholdMs);
            var held = nowMs - since;
            if (held < seen.WarnAtMs) continue;
            var name = MethodNames.Of(method);
            LogSlowUnlockedCall(_logger, watched.Id.Uid, watched.Id.Address, name, held / 1000.0, running);
            SlowCall?.Invoke(watched.Class, name);
            while (seen.WarnAtMs <= held) seen.WarnAtMs *= 2;
        }
    }

    [LoggerMessage(EventId = 4701, Level = LogLevel.Warning,
        Message = "Actor '{Uid}' in pool {Address}: {Method} has held the actor's lock for {Seconds:F1} s; {Waiting} calls wait for it.")]
    private static partial void LogSlowCall(ILogger logger, string uid, string address, string method, double seconds, int waiting);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning,
        Message = "Actor '{Uid}' in pool {Address}: {Method} has run for {Seconds:F1} s without the lock; {Running} calls run in the actor now.")]
    private static partial void LogSlowUnlockedCall(ILogger logger, string uid, string address, string method, double seconds, int running);

    private sealed class WatchedCalls(ActorId id, string actorClass, RunningCalls calls)
    {
        public ActorId Id { get; } = id;

        public string Class { get; } = actorClass;

        public RunningCalls Calls { get; } = calls;

        // Per slot: the call last seen in it and when to warn of it next (timer thread only).
        public (long Call, long WarnAtMs)[] Slots = [];
    }

    private sealed class Watched(ActorId id, string actorClass, ActorMailbox mailbox)
    {
        public ActorId Id { get; } = id;

        public string Class { get; } = actorClass;

        public ActorMailbox Mailbox { get; } = mailbox;

        public long Turn { get; set; }

        public long Since { get; set; }

        public long WarnAtMs { get; set; }
    }
}
