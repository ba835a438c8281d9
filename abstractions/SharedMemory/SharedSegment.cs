using System.IO.MemoryMappedFiles;
using Xoscar.Orleans.Security;

namespace Xoscar.Orleans.SharedMemory;

/// <summary>
/// One shared-memory file mapped into this process: a header, then room for one blob. The header's state says
/// whether a blob is waiting in it (written by its owner, not yet read) and since when.
/// </summary>
internal sealed unsafe class SharedSegment : IDisposable
{
    private const int HeaderSize = 64;
    private const int Free = 0;   // any other state: taken, the ticket of the blob written into it (or being written)
    private static int s_tickets;

    private const int Retired = 1 << 30;   // in _readers: no new reader enters; the last one out unmaps it

    private readonly MemoryMappedFile _file;
    private int _readers;   // readers in the mapping of another process's segment, and whether it is retired
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly byte* _mapping;

    private SharedSegment(string path, MemoryMappedFile file, long capacity)
    {
        Path = path;
        Capacity = capacity;
        _file = file;
        _view = file.CreateViewAccessor(0, HeaderSize + capacity);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _mapping);
        _start = _mapping + _view.PointerOffset;
    }

    /// <summary>The file's path: how a reader in another process finds the segment.</summary>
    public string Path { get; }

    /// <summary>The largest blob it holds.</summary>
    public long Capacity { get; }

    private ref int State => ref *(int*)_start;

    private ref long WrittenAt => ref *(long*)(_start + 8);

    /// <summary>Creates the file of a new segment of <paramref name="capacity"/> bytes.</summary>
    /// <exception cref="IOException">There is not room for it: its space is reserved now, so that a full shared memory
    /// fails here rather than with SIGBUS when a page of the mapping is first written.</exception>
    public static SharedSegment Create(string path, long capacity)
    {
        // 0600: a blob's bytes are for the pools of this user, not for every process of the machine.
        using var stream = new FileStream(path, OwnerOnlyFiles.CreateNew(FileAccess.ReadWrite, FileShare.ReadWrite, HeaderSize + capacity));
        stream.SetLength(HeaderSize + capacity);
        return new SharedSegment(path, MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false), capacity);
    }

    /// <summary>Maps the segment another process created at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such segment on this machine.</exception>
    public static SharedSegment Open(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var capacity = stream.Length - HeaderSize;
        return new SharedSegment(path, MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false), capacity);
    }

    /// <summary>
    /// Takes the segment for a blob if it is free, or if its blob has waited longer than <paramref name="abandonedAfter"/>
    /// (its reader died before reading it: a reader reads a blob when the message carrying it arrives).
    /// </summary>
    public bool TryTake(TimeSpan abandonedAfter) => TryTake(abandonedAfter, out _);

    /// <summary>
    /// <see cref="TryTake(TimeSpan)"/>, giving the <paramref name="ticket"/> of the blob it will hold: a reader or the owner
    /// that names it acts on that blob only, never on a later one written into the same segment.
    /// </summary>
    public bool TryTake(TimeSpan abandonedAfter, out int ticket)
    {
        ticket = NewTicket();
        var state = Volatile.Read(ref State);
        if (state != Free && Environment.TickCount64 - Volatile.Read(ref WrittenAt) < abandonedAfter.TotalMilliseconds) return false;
        if (Interlocked.CompareExchange(ref State, ticket, state) != state) return false;
        Volatile.Write(ref WrittenAt, Environment.TickCount64);   // not taken for abandoned while it is being written
        return true;
    }

    /// <summary>
    /// Frees the segment if it still holds the blob of <paramref name="ticket"/>, unread: its call failed before the
    /// receiver read it, so that the segment is free for the next blob now rather than after a minute.
    /// </summary>
    public bool TryRelease(int ticket) => Interlocked.CompareExchange(ref State, Free, ticket) == ticket;

    /// <summary>Whether a blob waits in the segment (or is being written), unread.</summary>
    public bool IsTaken => Volatile.Read(ref State) != Free;

    // Unique enough: a ticket is compared only with the state of one segment, whose blobs come and go one at a time.
    private static int NewTicket()
    {
        var ticket = Interlocked.Increment(ref s_tickets) ^ (Environment.ProcessId << 20);
        return ticket == Free ? NewTicket() : ticket;
    }

    /// <summary>
    /// Takes the segment for good if it is free and has carried no blob for <paramref name="idleFor"/>: its owner then
    /// deletes it, so that a burst of blobs does not keep its segments' memory for the life of the process.
    /// </summary>
    public bool TryTakeIdle(TimeSpan idleFor) =>
        Volatile.Read(ref State) == Free && Environment.TickCount64 - Volatile.Read(ref WrittenAt) >= idleFor.TotalMilliseconds &&
        Interlocked.CompareExchange(ref State, NewTicket(), Free) == Free;

    /// <summary>Copies <paramref name="bytes"/> in, into a segment taken with <see cref="TryTake(TimeSpan, out int)"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(new Span<byte>(_start + HeaderSize, bytes.Length));
        Volatile.Write(ref WrittenAt, Environment.TickCount64);
    }

    /// <summary>
    /// Lets <paramref name="fill"/> write a blob of <paramref name="length"/> bytes in place, into a segment taken with
    /// <see cref="TryTake(TimeSpan, out int)"/>; the segment is free again if it throws.
    /// </summary>
    public void Fill(int length, SharedMemoryCopy fill)
    {
        try
        {
            fill(Window(length));
        }
        catch
        {
            Volatile.Write(ref State, Free);
            throw;
        }

        Volatile.Write(ref WrittenAt, Environment.TickCount64);
    }

    /// <summary>Copies the blob out into <paramref name="destination"/>, its length, and frees the segment for its owner.</summary>
    /// <exception cref="InvalidDataException">The segment holds no blob of that length.</exception>
    public void ReadInto(Span<byte> destination)
    {
        var window = WrittenWindow(destination.Length);
        window.Span.CopyTo(destination);
        Volatile.Write(ref State, Free);
    }

    /// <summary>
    /// Copies the blob of <paramref name="ticket"/> out into <paramref name="destination"/>, its length, and frees the
    /// segment for its owner.
    /// </summary>
    /// <exception cref="InvalidDataException">The segment no longer holds that blob (its sender gave up on it).</exception>
    public void ReadInto(int ticket, Span<byte> destination)
    {
        var window = WrittenWindow(destination.Length);
        if (Volatile.Read(ref State) != ticket) throw new InvalidDataException($"Shared memory segment {Path} no longer holds the blob of {destination.Length} bytes sent (its sender gave up on the call).");
        window.Span.CopyTo(destination);
        // Its sender may have given up meanwhile, and the segment carry another blob now: then that one is left alone, and this copy is not used.
        if (Interlocked.CompareExchange(ref State, Free, ticket) != ticket) throw new InvalidDataException($"Shared memory segment {Path} was given up by its sender while being read.");
    }

    /// <summary>Lets <paramref name="read"/> copy the blob of <paramref name="length"/> bytes out in place, then frees the segment for its owner.</summary>
    /// <exception cref="InvalidDataException">The segment holds no blob of that length.</exception>
    public void Drain(int length, SharedMemoryCopy read)
    {
        var window = WrittenWindow(length);
        try
        {
            read(window);
        }
        finally
        {
            Volatile.Write(ref State, Free);
        }
    }

    /// <summary>Enters a mapped segment to read from it; false once it is retired (its mapping is going).</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var readers = Volatile.Read(ref _readers);
            if ((readers & Retired) != 0) return false;
            if (Interlocked.CompareExchange(ref _readers, readers + 1, readers) == readers) return true;
        }
    }

    /// <summary>Leaves a segment entered with <see cref="TryEnter"/>; the last reader out of a retired segment unmaps it.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _readers) == Retired) Dispose();
    }

    /// <summary>Unmaps the segment once no reader is in it (now, or when the last one leaves); no reader enters after.</summary>
    public void Retire()
    {
        while (true)
        {
            var readers = Volatile.Read(ref _readers);
            if ((readers & Retired) != 0) return;
            if (Interlocked.CompareExchange(ref _readers, readers | Retired, readers) == readers)
            {
                if (readers == 0) Dispose();
                return;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private SharedMemoryWindow WrittenWindow(int length)
    {
        if (length > Capacity || Volatile.Read(ref State) == Free)
        {
            throw new InvalidDataException($"Shared memory segment {Path} holds no blob of {length} bytes (capacity {Capacity}).");
        }

        return Window(length);
    }

    private SharedMemoryWindow Window(int length) => new(_start + HeaderSize, length, _mapping, _view.PointerOffset + HeaderSize + Capacity);
}
