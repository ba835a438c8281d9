namespace Xoscar.Orleans.SharedMemory;

/// <summary>
/// A blob's bytes inside a mapped shared memory segment, handed to code that copies them in or out without an
/// intermediate array (a GPU pool copies device memory straight into it). <see cref="Mapping"/> is the whole
/// mapping, stable for the life of the channel, so that it can be registered once (CUDA page-locks it).
/// </summary>
internal readonly unsafe struct SharedMemoryWindow
{
    public SharedMemoryWindow(byte* blob, int length, byte* mapping, long mappingLength)
    {
        Blob = blob;
        Length = length;
        Mapping = (nint)mapping;
        MappingLength = mappingLength;
    }

    /// <summary>The first byte of the blob.</summary>
    public byte* Blob { get; }

    /// <summary>The blob's length in bytes.</summary>
    public int Length { get; }

    /// <summary>The start of the segment's mapping (page aligned).</summary>
    public nint Mapping { get; }

    /// <summary>The length of the segment's mapping in bytes.</summary>
    public long MappingLength { get; }

    /// <summary>The blob as a span.</summary>
    public Span<byte> Span => new(Blob, Length);
}

/// <summary>Copies a blob into or out of <paramref name="window"/>.</summary>
internal delegate void SharedMemoryCopy(SharedMemoryWindow window);
