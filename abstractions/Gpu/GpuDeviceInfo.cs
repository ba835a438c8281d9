namespace Xoscar.Orleans.Gpu;

/// <summary>One device ILGPU can run kernels on: a GPU pool's identity as placement sees it.</summary>
/// <param name="Index">The device's index among the devices of its kind (CUDA ordinal; 0 for the CPU accelerator; the configured index of a simulated device).</param>
/// <param name="Name">The device's name as the driver reports it.</param>
/// <param name="MemoryBytes">The device's memory in bytes.</param>
/// <param name="Kind">CUDA, the CPU accelerator, or a simulated device.</param>
/// <param name="Architecture">The compute architecture (e.g. <c>SM_90</c>), <c>cpu</c> or <c>sim</c>.</param>
/// <param name="Library">The native library the device was reached through (e.g. <c>libcuda.so.1</c>), or <c>none</c>.</param>
[GenerateSerializer, Immutable, Alias("xoscar.gpu.GpuDeviceInfo")]
public sealed record GpuDeviceInfo(
    [property: Id(0)] int Index,
    [property: Id(1)] string Name,
    [property: Id(2)] long MemoryBytes,
    [property: Id(3)] GpuDeviceKind Kind,
    [property: Id(4)] string Architecture,
    [property: Id(5)] string Library)
{
    /// <summary>The device as a pool's <c>Device</c> option spells it: <c>cuda:0</c>, <c>cpu</c> or <c>sim:1:1GiB</c>.</summary>
    public string Spec => Kind switch
    {
        GpuDeviceKind.Cuda => $"cuda:{Index}",
        GpuDeviceKind.Simulated => $"sim:{Index}:{MemoryBytes}",
        _ => "cpu",
    };

    /// <summary>The device among the devices of one host: kind and index, e.g. <c>cuda:0</c> (pools bound to one device share it).</summary>
    public string Key => $"{Kind.ToString().ToLowerInvariant()}:{Index}";

    /// <inheritdoc/>
    public override string ToString() => $"{Spec} '{Name}' ({Architecture}, {MemoryBytes / (1024 * 1024)} MiB, via {Library})";
}
