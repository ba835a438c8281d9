namespace Xoscar.Orleans.Gpu;

/// <summary>
/// What a GPU pool has allocated on its device through <see cref="GpuBuffer{T}"/>: live buffers and bytes,
/// counted up on allocation and down on <see cref="GpuBuffer{T}.Dispose"/>. A leak shows as a count that does not return.
/// </summary>
public sealed class GpuMemoryLedger
{
    private long _buffers;
    private long _bytes;
    private long _allocations;

    /// <summary>Buffers allocated and not yet disposed.</summary>
    public long LiveBuffers => Interlocked.Read(ref _buffers);

    /// <summary>Bytes of those buffers.</summary>
    public long LiveBytes => Interlocked.Read(ref _bytes);

    /// <summary>Buffers allocated since the pool started.</summary>
    public long TotalAllocations => Interlocked.Read(ref _allocations);

    /// <summary>Counts a buffer of <paramref name="bytes"/> unless the live bytes would then exceed <paramref name="limit"/>.</summary>
    internal bool TryAllocate(long bytes, long limit)
    {
        for (var live = Interlocked.Read(ref _bytes); ; live = Interlocked.Read(ref _bytes))
        {
            if (live + bytes > limit) return false;
            if (Interlocked.CompareExchange(ref _bytes, live + bytes, live) != live) continue;
            Interlocked.Increment(ref _buffers);
            Interlocked.Increment(ref _allocations);
            return true;
        }
    }

    internal void Allocated(long bytes)
    {
        Interlocked.Increment(ref _buffers);
        Interlocked.Increment(ref _allocations);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void Released(long bytes)
    {
        Interlocked.Decrement(ref _buffers);
        Interlocked.Add(ref _bytes, -bytes);
    }
}
