using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans.Transfers;

/// <summary>
/// A copy target that is not host memory (a GPU pool's device buffer): it takes blocks itself, from the message or
/// straight from the shared memory segment they wait in.
/// </summary>
internal interface IBlockTarget
{
    /// <summary>The target's length in bytes.</summary>
    long LengthInBytes { get; }

    /// <summary>Copies <paramref name="bytes"/> in at byte <paramref name="offset"/>.</summary>
    void WriteBlock(long offset, ReadOnlySpan<byte> bytes);

    /// <summary>Copies the block in <paramref name="window"/> in at byte <paramref name="offset"/>.</summary>
    void WriteBlock(long offset, SharedMemoryWindow window);
}
