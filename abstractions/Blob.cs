namespace Xoscar.Orleans;

/// <summary>
/// A block of bytes passed to or returned from an actor: the type for large payloads. Between pools of one machine
/// its bytes go through shared memory — written once by the sender, read once by the receiver, nothing through the
/// socket — instead of being serialized into the message; elsewhere they travel in the message.
/// </summary>
/// <remarks>
/// A plain <c>byte[]</c>, <c>float[]</c>, <c>double[]</c> or <c>(ReadOnly)Memory&lt;byte&gt;</c> argument or result of a
/// call takes the same path between pools of one machine; a blob is for bytes the arrays' path does not cover: a
/// field of another argument type, a tell, a batch.
/// A blob is immutable: within a pool the receiver gets the same array, so do not change it while a call that
/// carries it runs. Pools on loopback addresses (<c>ActorPool</c>, <c>EmbeddedActorPool</c>) use shared memory
/// for blobs of <see cref="XoscarOptions.SharedMemoryThreshold"/> bytes and more.
/// </remarks>
[Immutable]
public sealed class Blob
{
    /// <summary>A blob of <paramref name="bytes"/> (not copied).</summary>
    public Blob(byte[] bytes) => Bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <summary>The bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>How many bytes.</summary>
    public int Length => Bytes.Length;

    /// <summary>A blob of <paramref name="bytes"/> (not copied).</summary>
    public static implicit operator Blob(byte[] bytes) => new(bytes);
}
