namespace Xoscar.Orleans.Gpu;

/// <summary>A GPU pool as placement sees it: where it is, its device, and how its memory stands.</summary>
/// <param name="Address">The pool's address, <c>host:port</c>.</param>
/// <param name="Device">The device the pool is bound to.</param>
/// <param name="FreeMemoryBytes">Free device memory (see <see cref="GpuAccelerator.FreeMemoryBytes"/>).</param>
/// <param name="LiveBuffers">GPU buffers allocated in the pool and not yet freed.</param>
/// <param name="LiveBytes">Bytes of those buffers.</param>
/// <param name="KernelsCompiled">Kernels compiled in the pool.</param>
/// <param name="KernelCacheHits">Kernel loads served from the pool's cache.</param>
[GenerateSerializer, Immutable, Alias("xoscar.gpu.GpuPoolInfo")]
public sealed record GpuPoolInfo(
    [property: Id(0)] string Address,
    [property: Id(1)] GpuDeviceInfo Device,
    [property: Id(2)] long FreeMemoryBytes,
    [property: Id(3)] long LiveBuffers,
    [property: Id(4)] long LiveBytes,
    [property: Id(5)] long KernelsCompiled,
    [property: Id(6)] long KernelCacheHits);
