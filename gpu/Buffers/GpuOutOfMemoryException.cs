using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// A GPU pool's device could not hold a buffer an actor asked for. The pool keeps serving: the actor's call fails
/// with this error, and its other buffers, and every other actor's, are untouched.
/// </summary>
[GenerateSerializer, Alias("xoscar.gpu.GpuOutOfMemoryException")]
public sealed class GpuOutOfMemoryException : XoscarException
{
    /// <summary>Creates the error for <paramref name="requestedBytes"/> asked of <paramref name="device"/> in the pool at <paramref name="address"/>.</summary>
    /// <param name="address">The GPU pool.</param>
    /// <param name="device">Its device, as <c>GpuDeviceInfo.ToString()</c> writes it.</param>
    /// <param name="requestedBytes">The size of the buffer asked for.</param>
    /// <param name="freeBytes">The device's free memory then.</param>
    /// <param name="heldBytes">What the pool's own buffers held then.</param>
    /// <param name="cause">What the driver said, if it refused.</param>
    public GpuOutOfMemoryException(string address, string device, long requestedBytes, long freeBytes, long heldBytes, string? cause = null)
        : base($"GPU pool {address} cannot allocate {Sizes.Of(requestedBytes)} ({requestedBytes} bytes) on {device}: {Sizes.Of(freeBytes)} free, " +
               $"{Sizes.Of(heldBytes)} held by the pool's buffers{(cause is null ? "" : $" ({cause})")}. Free buffers (Dispose, or destroy the actors holding them), " +
               "or reserve memory at placement (GpuPool.WithMemory) so that actors that cannot fit are refused before they start.")
    {
        Address = address;
        Device = device;
        RequestedBytes = requestedBytes;
        FreeBytes = freeBytes;
    }

    /// <summary>The GPU pool.</summary>
    [Id(0)] public string Address { get; private set; }

    /// <summary>Its device.</summary>
    [Id(1)] public string Device { get; private set; }

    /// <summary>The size of the buffer asked for, in bytes.</summary>
    [Id(2)] public long RequestedBytes { get; private set; }

    /// <summary>The device's free memory then, in bytes.</summary>
    [Id(3)] public long FreeBytes { get; private set; }
}
