using System.Diagnostics;
using System.Reflection;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// A stateful actor's lock: one call at a time, granted in arrival order (Xoscar's per-actor asyncio lock).
/// </summary>
/// <remarks>
/// The actor's grain is reentrant, so Orleans starts every incoming call at once, in arrival order, on the
/// activation's single-threaded scheduler; this queue then serialises them. Owning the queue (rather than
/// leaving it to Orleans) is what lets a <c>tell</c> be accepted before it runs, lets queued calls be counted
/// for back-pressure and cancelled before they run, and lets a method hand the lock back while it awaits.
/// No thread-safety is needed: every member runs on the activation's scheduler (a watchdog reads the holder's
/// <see cref="Turn"/>, <see cref="Method"/> and <see cref="HeldSince"/> from elsewhere; see <see cref="Turn"/>).
/// </remarks>
internal sealed class ActorMailbox(int capacity)
{
    private readonly Queue<object> _waiting = new();   // LockWaiter, or a TaskCompletionSource for a cancellable wait
    private readonly Stack<LockWaiter> _idleWaiters = new();
    private readonly Queue<(int Calls, TaskCompletionSource Room)> _waitingForRoom = new();
    private bool _held;

    // Turn numbers start at the clock: a call chain that outlives an earlier activation of the actor can never
    // name a turn of this one (a turn takes far longer than a tick).
    private long _turns = Stopwatch.GetTimestamp();

    private long _turn;

    /// <summary>The turn holding the lock, as marked by <see cref="BeginTurn"/>; 0 between turns.</summary>
    /// <remarks>Written last and read first (with barriers), so a watchdog on another thread that reads the same turn
    /// before and after <see cref="Method"/> and <see cref="HeldSince"/> has read those of that turn.</remarks>
    public long Turn => Volatile.Read(ref _turn);

    /// <summary>The method of the call holding the lock (meaningful while <see cref="Turn"/> is not 0).</summary>
    public MethodInfo? Method { get; private set; }

    /// <summary>Since when the lock is held, in <see cref="Environment.TickCount64"/> milliseconds (meaningful while <see cref="Turn"/> is not 0).</summary>
    public long HeldSince { get; private set; }

    /// <summary>How many calls wait for the lock.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Marks the call that was just granted the lock as its holder; returns its turn.</summary>
    public long BeginTurn(MethodInfo method)
    {
        ResumeTurn(++_turns, method);
        return _turns;
    }

    /// <summary>Marks a call that took the lock back (after releasing it while it awaited) as its holder again.</summary>
    public void ResumeTurn(long turn, MethodInfo method)
    {
        Method = method;
        HeldSince = Environment.TickCount64;
        Volatile.Write(ref _turn, turn);
    }

    /// <summary>
    /// Takes a place in the queue now and completes when the lock is this caller's. The place is taken
    /// synchronously, so the order of calls to this method is the order in which the lock is granted.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait: the call leaves the queue without ever holding the lock.</param>
    public ValueTask EnterAsync(CancellationToken cancellationToken = default)
    {
        if (!_held)
        {
            _held = true;
            return ValueTask.CompletedTask;
        }

        if (!cancellationToken.CanBeCanceled)
        {
            var waiter = _idleWaiters.TryPop(out var idle) ? idle : new LockWaiter(this);
            _waiting.Enqueue(waiter);
            return waiter.Task;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Enqueue(turn);
        return WaitCancellableAsync(turn, cancellationToken);
    }

    /// <summary>Takes back a waiter whose call has been granted the lock, for the next call that queues.</summary>
    internal void Return(LockWaiter waiter) => _idleWaiters.Push(waiter);

    private static async ValueTask WaitCancellableAsync(TaskCompletionSource turn, CancellationToken cancellationToken)
    {
        // A cancelled waiter stays queued, completed; Exit skips it. The callback only completes the waiter.
        await using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), turn))
        {
            await turn.Task;
        }
    }

    /// <summary>Hands the lock to the next call still waiting in the queue, or frees it.</summary>
    public void Exit()
    {
        _held = false;
        Volatile.Write(ref _turn, 0);
        while (_waiting.TryDequeue(out var next))
        {
            if (next is LockWaiter waiter)
            {
                _held = true;
                waiter.Grant();
                break;
            }

            if (((TaskCompletionSource)next).TrySetResult())
            {
                _held = true;
                break;
            }
        }

        // Let in the callers waiting for room, in their order, as far as the room goes; skip the cancelled.
        while (_waitingForRoom.TryPeek(out var head) && (head.Room.Task.IsCompleted || HasRoomFor(head.Calls)))
        {
            _waitingForRoom.Dequeue();
            if (head.Room.TrySetResult()) break;
        }
    }

    /// <summary>
    /// Completes when the queue has room for <paramref name="calls"/> more calls (or is empty, for a group larger than
    /// the whole queue). Callers that waited are let in in their order, before any later arrival.
    /// </summary>
    /// <param name="calls">How many calls the caller will queue at once.</param>
    /// <param name="cancellationToken">Gives up the wait; the caller then queues nothing.</param>
    public ValueTask WaitForRoomAsync(int calls, CancellationToken cancellationToken = default)
    {
        if (_waitingForRoom.Count == 0 && HasRoomFor(calls)) return ValueTask.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waitingForRoom.Enqueue((calls, room));
        return cancellationToken.CanBeCanceled ? WaitCancellableAsync(room, cancellationToken) : new ValueTask(room.Task);
    }

    private bool HasRoomFor(int calls) => _waiting.Count + calls <= capacity || _waiting.Count == 0;
}
