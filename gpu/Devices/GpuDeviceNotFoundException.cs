namespace Xoscar.Orleans.Gpu;

/// <summary>A GPU pool asked for a device this machine does not have.</summary>
[GenerateSerializer, Alias("xoscar.gpu.GpuDeviceNotFoundException")]
public sealed class GpuDeviceNotFoundException : XoscarException
{
    /// <summary>Creates the error for the device spec <paramref name="requested"/>, naming the devices that were found.</summary>
    public GpuDeviceNotFoundException(string requested, IReadOnlyList<GpuDeviceInfo> found)
        : base($"No GPU device matches '{requested}'; found: {(found.Count == 0 ? "none" : string.Join("; ", found))}.")
        => Requested = requested;

    /// <summary>The device spec that was asked for.</summary>
    [Id(0)] public string Requested { get; private set; }
}
