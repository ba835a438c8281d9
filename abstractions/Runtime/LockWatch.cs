using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The pool's watch over its actors' calls (Xoscar's <c>actor_lock_timeout</c> debug warning, on by default here): warns
/// of a call that holds a stateful actor's lock, or runs without one, past <see cref="XoscarOptions.SlowCallWarning"/> —
/// once as it crosses the threshold, then each time its time doubles — naming the actor, the method and how many calls
/// wait behind it (or run beside it); and counts the calls waiting, for <see cref="ActorMetrics"/>.
/// </summary>
/// <remarks>
/// Calls pay nothing for it beyond the marks they leave anyway (a lock's holder and since when, a running call's slot):
/// the watch only reads them. A pass over every actor each half threshold puts each call that falls due before the
/// pass after next into a <see cref="DeadlineWheel{T}"/> (a tick is a 32nd of the threshold) at the time it falls due;
/// then, if the same call still runs, it is warned of. So a call is reported within a tick of crossing the threshold,
/// a call that ends before it never is, and the wheel holds only calls near their time.
/// </remarks>
internal sealed partial class LockWatch : IDisposable
{
    private const int TicksPerThreshold = 32;
    private const long ShortestTickMs = 5;

    private readonly ConcurrentDictionary<object, WatchedLock> _locks = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<object, WatchedCalls> _unlocked = new(ReferenceEqualityComparer.Instance);
    private readonly DeadlineWheel<Deadline>? _wheel;   // also the lock that Forget and the timer share
    private readonly List<Deadline> _due = [];
    private readonly ILogger _logger;
    private readonly long _thresholdMs;
    private readonly long _passMs;
    private readonly long _aheadMs;
    private readonly ITimer? _timer;
    private long _nextPassMs;
    private int _ticking;

    /// <param name="options">The threshold.</param>
    /// <param name="logger">Where the warnings go.</param>
    /// <param name="time">Makes the timer that ticks the watch; it reads <see cref="Environment.TickCount64"/>, the clock the calls' marks use.</param>
    public LockWatch(IOptions<XoscarOptions> options, ILogger<LockWatch> logger, TimeProvider time)
    {
        _logger = logger;
        if (options.Value.SlowCallWarning is not { } after || after <= TimeSpan.Zero) return;
        _thresholdMs = Math.Max(1, (long)after.TotalMilliseconds);
        TickMs = Math.Max(ShortestTickMs, _thresholdMs / TicksPerThreshold);
        _passMs = Math.Max(TickMs, _thresholdMs / 2);
        // Half a pass more than the next pass needs: a pass that comes late still finds its calls in the wheel.
        _aheadMs = _passMs + _passMs / 2;
        _wheel = new DeadlineWheel<Deadline>(TickMs, 2 * TicksPerThreshold);
        var period = TimeSpan.FromMilliseconds(TickMs);
        _timer = time.CreateTimer(static state => ((LockWatch)state!).OnTimer(), this, period, period);
    }

    /// <summary>Whether slow calls are warned of.</summary>
    public bool Enabled => _wheel is not null;

    /// <summary>The resolution of the warnings, in milliseconds: a call is reported at most this long after crossing the threshold.</summary>
    public long TickMs { get; }

    /// <summary>How many stateful actors are watched.</summary>
    public int Count => _locks.Count;

    /// <summary>How many activations' unlocked calls are watched.</summary>
    public int UnlockedCount => _unlocked.Count;

    /// <summary>How many calls wait in the wheel for their warning time.</summary>
    public int Staged
    {
        get
        {
            if (_wheel is null) return 0;
            lock (_wheel) return _wheel.Count;
        }
    }

    /// <summary>Whether an activation of <paramref name="actor"/> is watched, or has a call in the wheel.</summary>
    public bool IsWatching(ActorId actor)
    {
        if (_locks.Values.Any(w => w.Id == actor) || _unlocked.Values.Any(w => w.Id == actor)) return true;
        if (_wheel is null) return false;
        lock (_wheel) return _wheel.Any(d => d.Watched.Id == actor);
    }

    /// <summary>Raised with the actor's class and the method when a slow call is warned of.</summary>
    public event Action<string, string>? SlowCall;

    /// <summary>Raised with what a warning of a slow call says (the pool's events carry it).</summary>
    public event Action<SlowCallReport>? Warned;

    /// <summary>Watches the lock of <paramref name="actor"/> (an activation, named <paramref name="id"/>) until <see cref="Forget"/>.</summary>
    public void Watch(object actor, ActorId id, ActorMailbox mailbox) => _locks.TryAdd(actor, new WatchedLock(id, actor.GetType().Name, mailbox));

    /// <summary>Watches the calls that <paramref name="actor"/> (an activation, named <paramref name="id"/>) runs without the lock, until <see cref="Forget"/>.</summary>
    public void Watch(object actor, ActorId id, RunningCalls calls) => _unlocked.TryAdd(actor, new WatchedCalls(id, actor.GetType().Name, calls));

    /// <summary>How many calls wait for the locks of the watched actors now.</summary>
    public long WaitingCalls()
    {
        long waiting = 0;
        foreach (var (_, watched) in _locks) waiting += watched.Mailbox.Waiting;
        return waiting;
    }

    /// <summary>Stops watching an actor that is going away, and takes its calls out of the wheel.</summary>
    public void Forget(object actor)
    {
        if (_locks.TryRemove(actor, out var locked)) Retire(locked);
        if (_unlocked.TryRemove(actor, out var unlocked)) Retire(unlocked);
    }

    /// <summary>
    /// One tick at <paramref name="nowMs"/> (<see cref="Environment.TickCount64"/>): warns of the calls in the wheel that
    /// are due and still run, and, once per pass, reads every actor. Runs on the timer; tests drive it with their own clock.
    /// </summary>
    internal void Tick(long nowMs)
    {
        if (_wheel is null) return;
        lock (_wheel) _wheel.TakeDue(nowMs, _due);
        foreach (var deadline in _due) Fire(deadline, nowMs);
        _due.Clear();
        if (nowMs < _nextPassMs) return;
        _nextPassMs = nowMs + _passMs;
        foreach (var (_, watched) in _locks) Pass(watched, nowMs);
        foreach (var (_, watched) in _unlocked) Pass(watched, nowMs);
    }

    public void Dispose() => _timer?.Dispose();

    private void OnTimer()
    {
        if (Interlocked.Exchange(ref _ticking, 1) != 0) return;   // the last tick still runs (a long pass)
        try
        {
            Tick(Environment.TickCount64);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void Pass(WatchedLock watched, long nowMs) => Observe(watched, 0, nowMs);

    private void Pass(WatchedCalls watched, long nowMs)
    {
        var slots = watched.Calls.Slots.Length;
        watched.Cover(slots);
        for (var i = 0; i < slots; i++) Observe(watched, i, nowMs);
    }

    // The call running in a slot, if any: counted afresh if it is not the one seen there last.
    private void Observe(Watched watched, int slot, long nowMs)
    {
        if (watched.Read(slot) is not { } running) return;
        ref var seen = ref watched.Seen(slot);
        if (seen.Call != running.Call || seen.SinceMs != running.SinceMs) seen = new SeenCall(running.Call, running.SinceMs, _thresholdMs);
        Consider(watched, slot, ref seen, running.Method, nowMs);
    }

    // A call in the wheel fell due: warned of if it is still the one that was put in.
    private void Fire(Deadline deadline, long nowMs)
    {
        var watched = deadline.Watched;
        if (watched.Forgotten || watched.Read(deadline.Slot) is not { } running) return;
        ref var seen = ref watched.Seen(deadline.Slot);
        if (running.Call != deadline.Call || running.SinceMs != deadline.SinceMs || seen.Call != running.Call || seen.SinceMs != running.SinceMs) return;
        seen.StagedAtMs = 0;
        Consider(watched, deadline.Slot, ref seen, running.Method, nowMs);
    }

    // Warns of a call past its warning time (then doubles the time), and puts a call that falls due soon into the wheel.
    private void Consider(Watched watched, int slot, ref SeenCall seen, MethodInfo method, long nowMs)
    {
        var held = nowMs - seen.SinceMs;
        if (held >= seen.WarnAfterMs)
        {
            var name = MethodNames.Of(method);
            watched.Warn(this, name, held);
            SlowCall?.Invoke(watched.Class, name);
            Warned?.Invoke(new SlowCallReport(watched.Id, watched.Class, name, held / 1000.0, watched is WatchedLock));
            while (seen.WarnAfterMs <= held) seen.WarnAfterMs *= 2;
        }

        var dueMs = seen.SinceMs + seen.WarnAfterMs;
        if (seen.StagedAtMs == dueMs || dueMs > nowMs + _aheadMs) return;
        lock (_wheel!)
        {
            if (watched.Forgotten) return;
            _wheel.Add(dueMs, new Deadline(watched, slot, seen.Call, seen.SinceMs));
        }

        seen.StagedAtMs = dueMs;
    }

    private void Retire(Watched watched)
    {
        if (_wheel is null) return;
        lock (_wheel)
        {
            watched.Forgotten = true;
            _wheel.RemoveAll(d => d.Watched == watched);
        }
    }

    [LoggerMessage(EventId = 4701, Level = LogLevel.Warning,
        Message = "Actor '{Uid}' in pool {Address}: {Method} has held the actor's lock for {Seconds:F1} s; {Waiting} calls wait for it.")]
    private static partial void LogSlowCall(ILogger logger, string uid, string address, string method, double seconds, int waiting);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning,
        Message = "Actor '{Uid}' in pool {Address}: {Method} has run for {Seconds:F1} s without the lock; {Running} calls run in the actor now.")]
    private static partial void LogSlowUnlockedCall(ILogger logger, string uid, string address, string method, double seconds, int running);

    /// <summary>A call seen running: which one (a lock's turn, or a slot's call count), since when, and its method.</summary>
    private readonly record struct RunningCall(long Call, long SinceMs, MethodInfo Method);

    /// <summary>A call put into the wheel: whose, in which slot, and which call it was.</summary>
    private readonly record struct Deadline(Watched Watched, int Slot, long Call, long SinceMs);

    /// <summary>What the watch knows of one call (timer thread only): when to warn of it next, and the time it is in the wheel for.</summary>
    private struct SeenCall(long call, long sinceMs, long warnAfterMs)
    {
        public readonly long Call = call;
        public readonly long SinceMs = sinceMs;
        public long WarnAfterMs = warnAfterMs;
        public long StagedAtMs;
    }

    /// <summary>One activation's calls, as the watch reads them.</summary>
    private abstract class Watched(ActorId id, string actorClass)
    {
        public ActorId Id { get; } = id;

        public string Class { get; } = actorClass;

        /// <summary>Set, under the wheel's lock, when the activation goes away: nothing of it goes into the wheel again.</summary>
        public volatile bool Forgotten;

        /// <summary>The call running in <paramref name="slot"/> now, or null.</summary>
        public abstract RunningCall? Read(int slot);

        /// <summary>What the watch knows of the call in <paramref name="slot"/>.</summary>
        public abstract ref SeenCall Seen(int slot);

        public abstract void Warn(LockWatch watch, string method, long heldMs);
    }

    /// <summary>A stateful actor's lock: one slot, its holder.</summary>
    private sealed class WatchedLock(ActorId id, string actorClass, ActorMailbox mailbox) : Watched(id, actorClass)
    {
        private SeenCall _holder;

        public ActorMailbox Mailbox { get; } = mailbox;

        public override RunningCall? Read(int slot)
        {
            var turn = Mailbox.Turn;
            var method = Mailbox.Method;
            var since = Mailbox.HeldSince;
            // Free, or changed hands while read.
            return turn == 0 || turn != Mailbox.Turn || method is null ? null : new RunningCall(turn, since, method);
        }

        public override ref SeenCall Seen(int slot) => ref _holder;

        public override void Warn(LockWatch watch, string method, long heldMs) =>
            LogSlowCall(watch._logger, Id.Uid, Id.Address, method, heldMs / 1000.0, Mailbox.Waiting);
    }

    /// <summary>The calls an activation runs without the lock: a slot each.</summary>
    private sealed class WatchedCalls(ActorId id, string actorClass, RunningCalls calls) : Watched(id, actorClass)
    {
        private SeenCall[] _seen = [];

        public RunningCalls Calls { get; } = calls;

        /// <summary>Makes room to remember <paramref name="slots"/> calls (the actor's slots grow with its concurrency).</summary>
        public void Cover(int slots)
        {
            if (_seen.Length < slots) Array.Resize(ref _seen, slots);
        }

        public override RunningCall? Read(int slot)
        {
            var slots = Calls.Slots;
            if (slot >= slots.Length) return null;
            var running = slots[slot];
            var call = Volatile.Read(ref running.Call);
            var method = Volatile.Read(ref running.Method);
            var since = Volatile.Read(ref running.StartedMs);
            return method is null || call != Volatile.Read(ref running.Call) ? null : new RunningCall(call, since, method);
        }

        public override ref SeenCall Seen(int slot) => ref _seen[slot];

        public override void Warn(LockWatch watch, string method, long heldMs)
        {
            var running = Calls.Slots.Count(s => Volatile.Read(ref s.Method) is not null);
            LogSlowUnlockedCall(watch._logger, Id.Uid, Id.Address, method, heldMs / 1000.0, running);
        }
    }
}

/// <summary>A slow call warned of: whose, which method, how long it ran so far, and whether it holds the actor's lock.</summary>
internal readonly record struct SlowCallReport(ActorId Actor, string ActorClass, string Method, double Seconds, bool Locked);
