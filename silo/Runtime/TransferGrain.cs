using Orleans.Concurrency;
using Orleans.GrainDirectory;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.SharedMemory;
using Xoscar.Orleans.Transfers;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// The pool's endpoint for copies into its registered buffers and file objects (what Xoscar's pool does with the
/// chunks of <c>copy_to</c>). Reentrant: a buffer's blocks land in separate ranges, and a file object's come one at a time.
/// </summary>
[Reentrant, PoolAddressPlacement, GrainDirectory(PoolAddressPlacement.DirectoryName), GrainType("xoscar.transfer")]
internal sealed class TransferGrain(TransferTargets targets, SharedMemoryChannel channel, ActorMetrics metrics) : Grain, ITransferGrain
{
    public Task Write(BufferChunk chunk)
    {
        CheckLength(chunk);
        if (targets.TryGetBuffer(chunk.Target, out var buffer))
        {
            if (!Fits(chunk, buffer.Length)) return Refuse(chunk, buffer.Length);
            chunk.CopyTo(buffer[(int)chunk.Offset..], channel);
            metrics.RecordCopy("buffer", chunk.Carrier, chunk.Length);
        }
        else if (targets.FindBlockTarget(chunk.Target) is { } device)
        {
            if (!Fits(chunk, device.LengthInBytes)) return Refuse(chunk, device.LengthInBytes);
            chunk.CopyTo(device, channel);
            metrics.RecordCopy("device", chunk.Carrier, chunk.Length);
        }
        else
        {
            chunk.Discard(channel);
            throw new TransferTargetNotFoundException(targets.Address, chunk.Target, "buffer");
        }

        return Task.CompletedTask;
    }

    public async Task Append(BufferChunk chunk)
    {
        CheckLength(chunk);
        if (targets.FindStream(chunk.Target) is not { } stream)
        {
            chunk.Discard(channel);
            throw new TransferTargetNotFoundException(targets.Address, chunk.Target, "file object");
        }

        await chunk.WriteToAsync(stream, channel, CancellationToken.None);
        metrics.RecordCopy("file", chunk.Carrier, chunk.Length);
    }

    public Task Flush(Guid id) => targets.FindStream(id) is { } stream
        ? stream.FlushAsync()
        : throw new TransferTargetNotFoundException(targets.Address, id, "file object");

    // A chunk is built by a sender, and its length read from the wire: one of a negative length would pass the fit.
    private void CheckLength(BufferChunk? chunk)
    {
        if (chunk is null) throw new ArgumentNullException(nameof(chunk), $"A chunk is needed (pool {targets.Address}).");
        if (chunk.Length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunk), $"A block of {chunk.Length} bytes for {chunk.Target:N} was sent to pool {targets.Address}; a block has 0 bytes or more.");
        }
    }

    private static bool Fits(BufferChunk chunk, long length) => chunk.Offset >= 0 && chunk.Offset + chunk.Length <= length;

    private Task Refuse(BufferChunk chunk, long length)
    {
        chunk.Discard(channel);
        throw new ArgumentOutOfRangeException(nameof(chunk),
            $"A block of {chunk.Length} bytes at offset {chunk.Offset} does not fit buffer {chunk.Target:N} ({length} bytes) in pool {targets.Address}.");
    }
}
