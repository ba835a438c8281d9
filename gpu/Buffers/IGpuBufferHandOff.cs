using Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>What the hand-off filters need of a <see cref="GpuBuffer{T}"/> whatever its element type.</summary>
internal interface IGpuBufferHandOff : IDisposable
{
    /// <summary>The codec made this buffer in the receiving pool; as a call argument, the call's end frees it.</summary>
    bool IsTransferCopy { get; set; }

    /// <summary>Returned by a call: once serialized for a caller in another process or pool, the original is freed.</summary>
    bool ReleaseAfterSend { get; set; }

    /// <summary>
    /// A call took it as an argument, or code used it. A transfer copy serialized again while unclaimed is a gateway
    /// forwarding it to the pool it is for: the forward was its only use, so it is freed once written.
    /// </summary>
    bool Claimed { get; set; }

    /// <summary>The size of the elements in bytes.</summary>
    long LengthInBytes { get; }

    /// <summary>Whether it is a device buffer of <paramref name="gpu"/>'s pool.</summary>
    bool IsOwnedBy(GpuAccelerator gpu);

    /// <summary>The actor of the pool that owns it (see <see cref="GpuBufferOwners"/>), or null.</summary>
    GrainId? Holder { get; set; }
}
