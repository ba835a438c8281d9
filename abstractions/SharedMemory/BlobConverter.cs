using Microsoft.Extensions.DependencyInjection;

namespace Xoscar.Orleans.SharedMemory;

/// <summary>A <see cref="Blob"/> on the wire: its bytes, or where in shared memory they wait.</summary>
[GenerateSerializer, Alias("xoscar.Blob")]
internal struct BlobSurrogate
{
    /// <summary>The bytes, when they travel in the message.</summary>
    [Id(0)] public byte[]? Bytes;

    /// <summary>The shared memory segment holding them otherwise.</summary>
    [Id(1)] public string? Segment;

    /// <summary>How many bytes wait in the segment.</summary>
    [Id(2)] public int Length;
}

/// <summary>Sends a blob's bytes through shared memory where the sender's pool allows it, in the message otherwise.</summary>
[RegisterConverter]
internal sealed class BlobConverter(IServiceProvider services) : IConverter<Blob, BlobSurrogate>
{
    private readonly SharedMemoryChannel? _channel = services.GetService<SharedMemoryChannel>();

    /// <inheritdoc />
    public Blob ConvertFromSurrogate(in BlobSurrogate surrogate)
    {
        if (surrogate.Segment is not { } segment) return new Blob(surrogate.Bytes ?? []);
        var channel = _channel ?? throw new InvalidOperationException(
            $"A blob of {surrogate.Length} bytes arrived through shared memory, but AddXoscar() was not called on this client or silo to read it.");
        return new Blob(channel.Read(segment, surrogate.Length));
    }

    /// <inheritdoc />
    public BlobSurrogate ConvertToSurrogate(in Blob value)
    {
        if (_channel is { } channel && channel.Carries(value.Length) && channel.TryWrite(value.Bytes) is { } segment)
        {
            return new BlobSurrogate { Segment = segment, Length = value.Length };
        }

        return new BlobSurrogate { Bytes = value.Bytes };
    }
}
