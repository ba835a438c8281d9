using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans.Transfers;

/// <summary>
/// A copy source that is not host memory (a GPU pool's device buffer): it gives its blocks itself, into host memory or
/// straight into the shared memory segment a block travels in.
/// </summary>
internal interface IBlockSource
{
    /// <summary>The source's length in bytes.</summary>
    long LengthInBytes { get; }

    /// <summary>Copies the block at byte <paramref name="offset"/> into <paramref name="destination"/> (its length).</summary>
    void ReadBlock(long offset, Span<byte> destination);

    /// <summary>Copies the block at byte <paramref name="offset"/> into <paramref name="window"/> (its length).</summary>
    void ReadBlock(long offset, SharedMemoryWindow window);
}
