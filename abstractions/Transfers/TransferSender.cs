using System.Buffers;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Transfers;

/// <summary>
/// Sends copies to registered buffers and file objects (Xoscar's <c>copy_to</c>): checks the request whole before the
/// first byte goes, then sends blocks to each target pool's transfer grain, several at once for buffers, in order for
/// streams.
/// </summary>
internal sealed class TransferSender(ActorReferences references)
{
    /// <summary>Xoscar's default block size.</summary>
    public const int DefaultBlockSize = 4 << 20;

    // Enough blocks on their way to keep both ends busy, few enough to bound the shared memory a copy holds.
    private const int BlocksInFlight = 4;

    public Task CopyAsync(IReadOnlyList<ReadOnlyMemory<byte>> sources, IReadOnlyList<BufferRef> targets, int? blockSize, CancellationToken cancellationToken) =>
        CopyBlocksAsync(sources, targets, blockSize, static source => source.Length,
            static (source, target, offset, length) => new BufferChunk(target, offset, source.Slice((int)offset, length)), cancellationToken);

    /// <summary>Copies device buffers (or other sources that give their own blocks) into <paramref name="targets"/>.</summary>
    public Task CopyAsync(IReadOnlyList<IBlockSource> sources, IReadOnlyList<BufferRef> targets, int? blockSize, CancellationToken cancellationToken) =>
        CopyBlocksAsync(sources, targets, blockSize, static source => source.LengthInBytes,
            static (source, target, offset, length) => new BufferChunk(target, offset, source, length), cancellationToken);

    private async Task CopyBlocksAsync<TSource>(
        IReadOnlyList<TSource> sources, IReadOnlyList<BufferRef> targets, int? blockSize,
        Func<TSource, long> lengthOf, Func<TSource, Guid, long, int, BufferChunk> chunkOf, CancellationToken cancellationToken)
    {
        var block = Check(sources, targets, blockSize);
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i] ?? throw new ArgumentNullException(nameof(targets), $"Target {i} is null.");
            if (sources[i] is null) throw new ArgumentNullException(nameof(sources), $"Source {i} is null.");
            var length = lengthOf(sources[i]);
            if (length > target.Length)
                throw new ArgumentException($"Source {i} holds {length} bytes, more than its target, {target}.", nameof(sources));
        }

        var inFlight = new Queue<Task>();
        try
        {
            for (var i = 0; i < targets.Count; i++)
            {
                var (source, target) = (sources[i], targets[i]);
                var (transfers, length) = (references.Transfers(target.Address), lengthOf(source));
                for (long offset = 0; offset < length; offset += block)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (inFlight.Count == BlocksInFlight) await inFlight.Dequeue();
                    inFlight.Enqueue(transfers.Write(chunkOf(source, target.Id, offset, (int)Math.Min(block, length - offset))));
                }
            }

            while (inFlight.Count > 0) await inFlight.Dequeue();
        }
        catch
        {
            await Settle(inFlight);
            throw;
        }
    }

    public Task CopyAsync(IReadOnlyList<Stream> sources, IReadOnlyList<FileObjectRef> targets, int? blockSize, CancellationToken cancellationToken)
    {
        var block = Check(sources, targets, blockSize);
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is null) throw new ArgumentNullException(nameof(targets), $"Target {i} is null.");
            if (sources[i] is not { CanRead: true }) throw new ArgumentException($"Source {i} is not a readable stream.", nameof(sources));
        }

        return Task.WhenAll(targets.Select((target, i) => CopyStreamAsync(sources[i], target, block, cancellationToken)));
    }

    // Reads the next block while the last one is on its way; a block is reused only after its call returned.
    private async Task CopyStreamAsync(Stream source, FileObjectRef target, int block, CancellationToken cancellationToken)
    {
        var transfers = references.Transfers(target.Address);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(block), ArrayPool<byte>.Shared.Rent(block)];
        var sending = Task.CompletedTask;
        try
        {
            long offset = 0;
            for (var turn = 0; ; turn++)
            {
                var buffer = buffers[turn % 2];
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, block), block, throwOnEndOfStream: false, cancellationToken);
                await sending;
                if (read == 0) break;
                sending = transfers.Append(new BufferChunk(target.Id, offset, buffer.AsMemory(0, read)));
                offset += read;
            }

            await transfers.Flush(target.Id);
        }
        catch
        {
            await Settle([sending]);
            throw;
        }
        finally
        {
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Check<TSource, TTarget>(IReadOnlyList<TSource> sources, IReadOnlyList<TTarget> targets, int? blockSize)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        if (sources.Count == 0) throw new ArgumentException("Nothing to copy: no sources and targets were given.", nameof(sources));
        if (sources.Count != targets.Count)
            throw new ArgumentException($"{sources.Count} sources were given for {targets.Count} targets; each source needs its target.", nameof(targets));
        var block = blockSize ?? DefaultBlockSize;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(block, nameof(blockSize));
        return block;
    }

    // The first failure is what the caller sees; blocks still on their way are waited for, not left unobserved.
    private static async Task Settle(IEnumerable<Task> calls)
    {
        foreach (var call in calls)
        {
            try
            {
                await call;
            }
            catch
            {
                // Already failing with an earlier error.
            }
        }
    }
}
