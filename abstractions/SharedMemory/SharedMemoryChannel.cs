using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.SharedMemory;

/// <summary>
/// Moves <see cref="Blob"/> bytes between processes of one machine: the sender writes them into one of its
/// segments (files in <c>/dev/shm</c>, reused from blob to blob), the message carries the segment's path, the
/// receiver copies them out and frees the segment.
/// </summary>
/// <remarks>
/// Segments are named after their process, so that a process that finds segments of a process that is gone (it
/// crashed) deletes them. A blob whose reader died before reading it frees its segment after a minute. A segment
/// that has carried no blob for <see cref="XoscarOptions.SharedMemoryIdleRelease"/> is deleted by its owner (but the first), and unmapped by its
/// readers, so that the memory a burst of blobs took is given back.
/// </remarks>
internal sealed partial class SharedMemoryChannel : IDisposable
{
    private const string Prefix = "xoscar-blob-";
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(1);

    private readonly XoscarOptions _options;
    private readonly ILogger _logger;
    private readonly List<SharedSegment> _owned = [];
    private readonly ConcurrentDictionary<string, SharedSegment> _mapped = new(StringComparer.Ordinal);
    private long _ownedBytes;
    private long _writes;
    private long _reads;
    private static int s_next;   // segment names are unique in the process, which may host several pools
    private bool _swept;
    private bool _fullReported;   // one warning per spell of full shared memory, not one per blob
    private readonly long _sweepEveryMs;   // idle segments are looked for this often, when blobs come and go
    private long _ownedSweptAt = Environment.TickCount64;
    private long _mappedSweptAt = Environment.TickCount64;

    public SharedMemoryChannel(IOptions<XoscarOptions> options, ILogger<SharedMemoryChannel>? logger = null)
    {
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _sweepEveryMs = (long)Math.Min(5_000, _options.SharedMemoryIdleRelease.TotalMilliseconds);
    }

    /// <summary>Where segments live: shared memory where the system has it.</summary>
    public static string Folder { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>How many other processes' segments are mapped here.</summary>
    public int MappedCount => _mapped.Count;

    /// <summary>Whether a blob of <paramref name="length"/> bytes goes through shared memory.</summary>
    public bool Carries(int length) => _options.SharedMemory && length >= _options.SharedMemoryThreshold;

    /// <summary>How many blobs this process has written into its segments (for tests and diagnostics).</summary>
    public long WriteCount => Interlocked.Read(ref _writes);

    /// <summary>How many blobs this process has read out of segments (for tests and diagnostics).</summary>
    public long ReadCount => Interlocked.Read(ref _reads);

    /// <summary>How many of this process's own segments hold a blob not yet read (or being written).</summary>
    public int WaitingCount
    {
        get
        {
            lock (_owned) return _owned.Count(static s => s.IsTaken);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> into a free segment and returns its path; null when no segment can take it.</summary>
    public string? TryWrite(ReadOnlySpan<byte> bytes) => TryWriteTicketed(bytes) is { } written ? written.Path : null;

    /// <summary>
    /// Writes <paramref name="bytes"/> into a free segment and returns where, with the ticket that names this blob
    /// (<see cref="ReadInto(SharedMemoryBlob, Span{byte})"/>, <see cref="Release"/>); null when no segment can take it.
    /// </summary>
    public SharedMemoryBlob? TryWriteTicketed(ReadOnlySpan<byte> bytes)
    {
        var segment = Take(bytes.Length, out var ticket);
        if (segment is null) return null;
        segment.Write(bytes);
        Interlocked.Increment(ref _writes);
        return new SharedMemoryBlob(segment.Path, ticket, bytes.Length);
    }

    /// <summary>
    /// Frees the segment of <paramref name="blob"/>, written here, if the blob was never read (its call failed first);
    /// a blob read already, whose segment may carry another one now, is left alone.
    /// </summary>
    public void Release(SharedMemoryBlob blob)
    {
        lock (_owned)
        {
            foreach (var segment in _owned)
            {
                if (segment.Path == blob.Path)
                {
                    segment.TryRelease(blob.Ticket);
                    return;
                }
            }
        }
    }

    /// <summary>Copies <paramref name="blob"/> out of its segment into <paramref name="destination"/>, its length.</summary>
    /// <exception cref="InvalidOperationException">The segment is not on this machine, or no longer holds that blob.</exception>
    public void ReadInto(SharedMemoryBlob blob, Span<byte> destination)
    {
        var segment = Enter(blob.Path, destination.Length);
        try
        {
            segment.ReadInto(blob.Ticket, destination);
            Interlocked.Increment(ref _reads);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidOperationException(error.Message, error);
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>
    /// Takes a free segment for a blob of <paramref name="length"/> bytes, lets <paramref name="fill"/> write it in place
    /// and returns the segment's path; null when no segment can take it.
    /// </summary>
    public string? TryWrite(int length, SharedMemoryCopy fill)
    {
        var segment = Take(length, out _);
        if (segment is null) return null;
        segment.Fill(length, fill);
        Interlocked.Increment(ref _writes);
        return segment.Path;
    }

    /// <summary>Copies the blob of <paramref name="length"/> bytes out of the segment at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The segment is not on this machine, or holds no such blob.</exception>
    public byte[] Read(string path, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        ReadInto(path, bytes);
        return bytes;
    }

    /// <summary>Copies the blob in the segment at <paramref name="path"/> into <paramref name="destination"/>, its length.</summary>
    /// <exception cref="InvalidOperationException">The segment is not on this machine, or holds no such blob.</exception>
    public void ReadInto(string path, Span<byte> destination)
    {
        var segment = Enter(path, destination.Length);
        try
        {
            segment.ReadInto(destination);
            Interlocked.Increment(ref _reads);
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <summary>Lets <paramref name="read"/> copy the blob of <paramref name="length"/> bytes in the segment at <paramref name="path"/> out in place.</summary>
    /// <exception cref="InvalidOperationException">The segment is not on this machine, or holds no such blob.</exception>
    public void Drain(string path, int length, SharedMemoryCopy read)
    {
        var segment = Enter(path, length);
        try
        {
            segment.Drain(length, read);
            Interlocked.Increment(ref _reads);
        }
        finally
        {
            segment.Exit();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var segment in _mapped.Values) segment.Retire();
        lock (_owned)
        {
            foreach (var segment in _owned)
            {
                segment.Dispose();
                File.Delete(segment.Path);
            }

            _owned.Clear();
        }
    }

    // The mapping of another process's segment, entered for one read: it is not unmapped until the read has left it.
    private SharedSegment Enter(string path, int length)
    {
        if (!Path.GetFileName(path).StartsWith(Prefix, StringComparison.Ordinal) || Path.GetDirectoryName(path) != Folder.TrimEnd('/'))
        {
            throw new InvalidOperationException($"A blob names '{path}', which is not a shared memory segment of this machine.");
        }

        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref _mappedSweptAt) >= _sweepEveryMs)
        {
            Volatile.Write(ref _mappedSweptAt, now);
            UnmapDeletedSegments();
        }

        try
        {
            while (true)
            {
                if (!_mapped.TryGetValue(path, out var segment))
                {
                    // A segment not seen before: its sender may have replaced one that died (a sub pool restarted), whose
                    // segments would otherwise stay mapped, keeping their memory, for the life of this process.
                    UnmapSegmentsOfEndedProcesses();
                    segment = _mapped.GetOrAdd(path, static p => SharedSegment.Open(p));
                }

                if (segment.TryEnter()) return segment;
                _mapped.TryRemove(new KeyValuePair<string, SharedSegment>(path, segment));   // retired meanwhile: map it afresh
            }
        }
        catch (FileNotFoundException error)
        {
            throw new InvalidOperationException(
                $"A blob of {length} bytes was sent through shared memory segment {path}, which is not on this machine ({Environment.MachineName}); " +
                "set XoscarOptions.SharedMemory = false in pools whose peers are on other machines.", error);
        }
    }

    private SharedSegment? Take(int length, out int ticket)
    {
        ticket = 0;
        lock (_owned)
        {
            if (!_swept) SweepSegmentsOfEndedProcesses();
            if (Environment.TickCount64 - _ownedSweptAt >= _sweepEveryMs) DeleteIdleSegments();
            foreach (var segment in _owned)
            {
                if (segment.Capacity >= length && segment.TryTake(Abandoned, out ticket)) return Taken(segment);
            }

            var capacity = Math.Max(length, 1L << 20);
            if (_ownedBytes + capacity > _options.MaxSharedMemory) return Full(length, $"its budget of {_options.MaxSharedMemory} bytes (XoscarOptions.MaxSharedMemory) is in use");
            var path = Path.Combine(Folder, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_next)}");
            SharedSegment created;
            try
            {
                created = SharedSegment.Create(path, capacity);
            }
            catch (IOException error)
            {
                File.Delete(path);
                return Full(length, $"{Folder} has no room for {capacity} more bytes ({error.Message})");
            }

            _owned.Add(created);
            _ownedBytes += capacity;
            return created.TryTake(Abandoned, out ticket) ? Taken(created) : null;
        }
    }

    private SharedSegment Taken(SharedSegment segment)
    {
        _fullReported = false;
        return segment;
    }

    // The blob travels in the message instead: slower, nothing lost.
    private SharedSegment? Full(int length, string why)
    {
        if (!_fullReported) LogFull(_logger, length, why);
        _fullReported = true;
        return null;
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning,
        Message = "A blob of {Length} bytes travels in its message, not through shared memory: {Why}. Blobs that follow do too until a segment is free")]
    private static partial void LogFull(ILogger logger, int length, string why);

    // Under the lock of _owned. The first segment stays, for the next blob.
    private void DeleteIdleSegments()
    {
        _ownedSweptAt = Environment.TickCount64;
        for (var i = _owned.Count - 1; i > 0; i--)
        {
            var segment = _owned[i];
            if (!segment.TryTakeIdle(_options.SharedMemoryIdleRelease)) continue;
            _owned.RemoveAt(i);
            _ownedBytes -= segment.Capacity;
            segment.Dispose();
            File.Delete(segment.Path);
        }
    }

    // The owner deletes a segment only when no blob is in it or on its way, so no reader will enter it again.
    private void UnmapDeletedSegments()
    {
        foreach (var (path, segment) in _mapped)
        {
            if (!File.Exists(path) && _mapped.TryRemove(new KeyValuePair<string, SharedSegment>(path, segment))) segment.Retire();
        }
    }

    private void UnmapSegmentsOfEndedProcesses()
    {
        foreach (var (path, segment) in _mapped)
        {
            if (OwnerOf(path) is { } pid && !LiveProcesses.IsRunning(pid) && _mapped.TryRemove(new KeyValuePair<string, SharedSegment>(path, segment)))
            {
                segment.Retire();
            }
        }
    }

    // Segments are named xoscar-blob-<pid>-<n>.
    private static int? OwnerOf(string path)
    {
        var name = Path.GetFileName(path.AsSpan())[Prefix.Length..];
        var dash = name.IndexOf('-');
        return dash > 0 && int.TryParse(name[..dash], out var pid) ? pid : null;
    }

    private void SweepSegmentsOfEndedProcesses()
    {
        _swept = true;
        foreach (var file in Directory.EnumerateFiles(Folder, Prefix + "*"))
        {
            if (OwnerOf(file) is { } pid && !LiveProcesses.IsRunning(pid)) File.Delete(file);
        }
    }
}

/// <summary>A blob written into a shared memory segment: where, which blob (its ticket), how many bytes.</summary>
internal readonly record struct SharedMemoryBlob(string Path, int Ticket, int Length);
