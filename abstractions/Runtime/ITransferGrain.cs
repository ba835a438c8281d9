using Xoscar.Orleans.Transfers;

namespace Xoscar.Orleans.Runtime;

/// <summary>A pool's endpoint for copies into its registered buffers and file objects, keyed by the pool's address.</summary>
[Alias("xoscar.ITransferGrain")]
internal interface ITransferGrain : IGrainWithStringKey
{
    /// <summary>Copies <paramref name="chunk"/> into its buffer at its offset.</summary>
    /// <exception cref="TransferTargetNotFoundException">The pool holds no such buffer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The chunk would end past the buffer's end.</exception>
    [Alias("Write")] Task Write(BufferChunk chunk);

    /// <summary>Writes <paramref name="chunk"/> to its file object at the stream's position (chunks come in order).</summary>
    /// <exception cref="TransferTargetNotFoundException">The pool holds no such file object.</exception>
    [Alias("Append")] Task Append(BufferChunk chunk);

    /// <summary>Flushes file object <paramref name="id"/> once everything was appended.</summary>
    /// <exception cref="TransferTargetNotFoundException">The pool holds no such file object.</exception>
    [Alias("Flush")] Task Flush(Guid id);
}
