using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans.Transfers;

/// <summary>
/// One block of a copy to a registered buffer or file object: where it goes and its bytes. Within a pool it passes by
/// reference; between pools of one machine its bytes wait in a shared memory segment, which the receiver copies
/// straight into the target; elsewhere they travel in the message.
/// </summary>
[Immutable]
internal sealed class BufferChunk
{
    /// <summary>A chunk of <paramref name="data"/> (not copied) for target <paramref name="target"/> at <paramref name="offset"/>.</summary>
    public BufferChunk(Guid target, long offset, ReadOnlyMemory<byte> data)
    {
        Target = target;
        Offset = offset;
        Data = data;
        Length = data.Length;
    }

    /// <summary>A chunk of the <paramref name="length"/> bytes of <paramref name="source"/> at <paramref name="offset"/>, read when it is sent or delivered.</summary>
    public BufferChunk(Guid target, long offset, IBlockSource source, int length)
    {
        Target = target;
        Offset = offset;
        Source = source;
        Length = length;
    }

    /// <summary>A chunk that arrived with its bytes in the message.</summary>
    internal BufferChunk(Guid target, long offset, ReadOnlyMemory<byte> data, bool arrived)
        : this(target, offset, data) => Carrier = arrived ? "message" : "in_pool";

    internal BufferChunk(Guid target, long offset, string segment, int length)
    {
        Carrier = "shared_memory";
        Target = target;
        Offset = offset;
        Segment = segment;
        Length = length;
    }

    /// <summary>The registered buffer or file object it is for.</summary>
    public Guid Target { get; }

    /// <summary>Where in the target its first byte goes.</summary>
    public long Offset { get; }

    /// <summary>How many bytes.</summary>
    public int Length { get; }

    /// <summary>The bytes, unless they wait in <see cref="Segment"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The source that gives the bytes (at <see cref="Offset"/>, as in the target), or null.</summary>
    public IBlockSource? Source { get; }

    /// <summary>How the bytes came: <c>shared_memory</c>, <c>message</c>, or <c>in_pool</c> (by reference, or read from the source).</summary>
    public string Carrier { get; } = "in_pool";

    /// <summary>The shared memory segment holding the bytes, or null.</summary>
    public string? Segment { get; }

    /// <summary>Copies the bytes into <paramref name="destination"/> (at least <see cref="Length"/> bytes long).</summary>
    public void CopyTo(Memory<byte> destination, SharedMemoryChannel? channel)
    {
        if (Source is not null) Source.ReadBlock(Offset, destination.Span[..Length]);
        else if (Segment is null) Data.Span.CopyTo(destination.Span);
        else Channel(channel).Drain(Segment, Length, window => window.Span.CopyTo(destination.Span));
    }

    /// <summary>Copies the bytes into <paramref name="target"/> at <see cref="Offset"/>.</summary>
    public void CopyTo(IBlockTarget target, SharedMemoryChannel? channel)
    {
        if (Source is not null) target.WriteBlock(Offset, Read());
        else if (Segment is null) target.WriteBlock(Offset, Data.Span);
        else Channel(channel).Drain(Segment, Length, window => target.WriteBlock(Offset, window));
    }

    /// <summary>Writes the bytes to <paramref name="stream"/> at its position.</summary>
    public ValueTask WriteToAsync(Stream stream, SharedMemoryChannel? channel, CancellationToken cancellationToken)
    {
        if (Source is not null) return stream.WriteAsync(Read(), cancellationToken);
        if (Segment is null) return stream.WriteAsync(Data, cancellationToken);
        Channel(channel).Drain(Segment, Length, window => stream.Write(window.Span));
        return ValueTask.CompletedTask;
    }

    /// <summary>Frees the chunk's segment without reading it (the chunk has nowhere to go).</summary>
    public void Discard(SharedMemoryChannel? channel)
    {
        if (Segment is not null) channel?.Drain(Segment, Length, static _ => { });
    }

    /// <summary>The bytes from <see cref="Source"/>, in a new array (a device block delivered within its own pool).</summary>
    internal byte[] Read()
    {
        var bytes = GC.AllocateUninitializedArray<byte>(Length);
        Source!.ReadBlock(Offset, bytes);
        return bytes;
    }

    private SharedMemoryChannel Channel(SharedMemoryChannel? channel) => channel ?? throw new InvalidOperationException(
        $"A chunk of {Length} bytes arrived through shared memory, but AddXoscar() was not called on this silo to read it.");
}

/// <summary>A <see cref="BufferChunk"/> on the wire.</summary>
[GenerateSerializer, Alias("xoscar.BufferChunk")]
internal struct BufferChunkSurrogate
{
    [Id(0)] public Guid Target;
    [Id(1)] public long Offset;
    [Id(2)] public ReadOnlyMemory<byte> Bytes;
    [Id(3)] public string? Segment;
    [Id(4)] public int Length;
}

/// <summary>Puts a chunk's bytes into shared memory where the sender's pool allows it, into the message otherwise.</summary>
[RegisterConverter]
internal sealed class BufferChunkConverter(IServiceProvider services) : IConverter<BufferChunk, BufferChunkSurrogate>
{
    private readonly SharedMemoryChannel? _channel = services.GetService<SharedMemoryChannel>();

    public BufferChunk ConvertFromSurrogate(in BufferChunkSurrogate surrogate) =>
        surrogate.Segment is { } segment
            ? new BufferChunk(surrogate.Target, surrogate.Offset, segment, surrogate.Length)
            : new BufferChunk(surrogate.Target, surrogate.Offset, surrogate.Bytes, arrived: true);

    public BufferChunkSurrogate ConvertToSurrogate(in BufferChunk value)
    {
        // A gateway forwarding a client's chunk passes its segment on unread: only the target pool reads it.
        if (value.Segment is { } waiting) return new BufferChunkSurrogate { Target = value.Target, Offset = value.Offset, Segment = waiting, Length = value.Length };
        var (data, source, offset) = (value.Data, value.Source, value.Offset);
        if (_channel is { } channel && channel.Carries(value.Length)
            && channel.TryWrite(value.Length, window =>
            {
                if (source is null) data.Span.CopyTo(window.Span);
                else source.ReadBlock(offset, window);
            }) is { } segment)
        {
            return new BufferChunkSurrogate { Target = value.Target, Offset = value.Offset, Segment = segment, Length = value.Length };
        }

        return new BufferChunkSurrogate { Target = value.Target, Offset = value.Offset, Bytes = source is null ? value.Data : value.Read(), Length = value.Length };
    }
}
