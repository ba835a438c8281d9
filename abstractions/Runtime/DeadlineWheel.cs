namespace Xoscar.Orleans.Runtime;

/// <summary>
/// A hashed timer wheel: items put in at the time they fall due and taken out once that time has come, to the
/// resolution of one tick. Adding and taking cost one slot's items, however many the wheel holds; an item due more
/// than a turn of the wheel ahead waits in its slot for the turn it falls due in.
/// </summary>
/// <remarks>Not thread-safe: its owner serialises every use.</remarks>
/// <typeparam name="T">What falls due.</typeparam>
internal sealed class DeadlineWheel<T>
{
    private readonly List<(long DueMs, T Item)>[] _slots;
    private readonly long _tickMs;
    private long _nextTick = long.MinValue;   // the first tick whose slot may hold items due; set by the first use

    /// <param name="tickMs">The resolution, in milliseconds.</param>
    /// <param name="slots">The ticks in one turn of the wheel: a power of two.</param>
    public DeadlineWheel(long tickMs, int slots)
    {
        if (tickMs <= 0) throw new ArgumentOutOfRangeException(nameof(tickMs), tickMs, "A tick is at least 1 ms.");
        if (slots <= 0 || (slots & (slots - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(slots), slots, "The slots are a power of two.");
        _tickMs = tickMs;
        _slots = new List<(long, T)>[slots];
        for (var i = 0; i < slots; i++) _slots[i] = [];
    }

    /// <summary>How many items wait.</summary>
    public int Count { get; private set; }

    /// <summary>Puts in <paramref name="item"/>, due at <paramref name="dueMs"/>; one due already is taken at the next <see cref="TakeDue"/>.</summary>
    public void Add(long dueMs, T item)
    {
        var tick = TickOf(dueMs);
        if (_nextTick == long.MinValue) _nextTick = tick;
        _slots[SlotOf(Math.Max(tick, _nextTick))].Add((dueMs, item));
        Count++;
    }

    /// <summary>Takes out, into <paramref name="due"/>, every item due at <paramref name="nowMs"/> in the ticks up to it.</summary>
    public void TakeDue(long nowMs, List<T> due)
    {
        var last = TickOf(nowMs);
        if (_nextTick == long.MinValue) _nextTick = last;
        if (last < _nextTick || Count == 0)
        {
            _nextTick = Math.Max(_nextTick, last);
            return;
        }

        // A clock that jumped past a whole turn visits each slot once: items due later stay where they are.
        var ticks = Math.Min(last - _nextTick + 1, _slots.Length);
        for (var tick = last - ticks + 1; tick <= last; tick++)
        {
            var slot = _slots[SlotOf(tick)];
            var kept = 0;
            for (var i = 0; i < slot.Count; i++)
            {
                if (slot[i].DueMs <= nowMs) due.Add(slot[i].Item);
                else slot[kept++] = slot[i];
            }

            Count -= slot.Count - kept;
            slot.RemoveRange(kept, slot.Count - kept);
        }

        // The tick under way is visited again: its slot may hold items due later in it.
        _nextTick = last;
    }

    /// <summary>Takes out every item that <paramref name="match"/> accepts, due or not.</summary>
    public void RemoveAll(Predicate<T> match)
    {
        foreach (var slot in _slots) Count -= slot.RemoveAll(entry => match(entry.Item));
    }

    /// <summary>Whether an item that <paramref name="match"/> accepts waits.</summary>
    public bool Any(Predicate<T> match) => _slots.Any(slot => slot.Exists(entry => match(entry.Item)));

    private long TickOf(long ms) => ms / _tickMs;   // times are clock readings, never negative

    private int SlotOf(long tick) => (int)(tick & (_slots.Length - 1));
}
