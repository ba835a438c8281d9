using System.Reflection;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The calls running without the lock in one activation — a stateless actor's, or a stateful actor's
/// <see cref="NoLockAttribute"/> methods — so that <see cref="LockWatch"/> can warn of slow ones too. Written only by
/// the activation's turns (one at a time), read by the watch's timer: slots are reused, so a call costs a clock read
/// and three writes, nothing allocated.
/// </summary>
internal sealed class RunningCalls
{
    private Slot[] _slots = [new(), new(), new(), new()];
    private int[] _free = [3, 2, 1, 0];
    private int _freeCount = 4;

    /// <summary>The slots, for the watch: a slot whose <see cref="Slot.Method"/> is set holds a running call.</summary>
    public Slot[] Slots => Volatile.Read(ref _slots);

    /// <summary>Records a call of <paramref name="method"/> starting at <paramref name="nowMs"/>; returns its slot for <see cref="Exit"/>.</summary>
    public int Enter(MethodInfo method, long nowMs)
    {
        if (_freeCount == 0) Grow();
        var index = _free[--_freeCount];
        var slot = _slots[index];
        slot.StartedMs = nowMs;
        Volatile.Write(ref slot.Call, slot.Call + 1);   // after StartedMs: the watch reads the count on both sides of the rest
        Volatile.Write(ref slot.Method, method);
        return index;
    }

    /// <summary>Records that the call in <paramref name="index"/> ended.</summary>
    public void Exit(int index)
    {
        Volatile.Write(ref _slots[index].Method, null);
        _free[_freeCount++] = index;
    }

    private void Grow()
    {
        var length = _slots.Length;
        var slots = new Slot[length * 2];
        Array.Copy(_slots, slots, length);
        var free = new int[length * 2];
        for (var i = 0; i < length; i++)
        {
            slots[length + i] = new Slot();
            free[i] = length * 2 - 1 - i;
        }

        _free = free;
        _freeCount = length;
        Volatile.Write(ref _slots, slots);
    }

    /// <summary>One call's place: what runs in it and since when.</summary>
    internal sealed class Slot
    {
        /// <summary>The method running, or null when the slot is free.</summary>
        public MethodInfo? Method;

        /// <summary>When it started (<see cref="Environment.TickCount64"/>).</summary>
        public long StartedMs;

        /// <summary>Counts the calls the slot has held, so the watch tells one call from the next.</summary>
        public long Call;
    }
}
