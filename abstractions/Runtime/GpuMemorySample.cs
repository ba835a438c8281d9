namespace Xoscar.Orleans.Runtime;

/// <summary>A GPU pool's device memory as the pool sees it now, for its main pool's placement.</summary>
/// <param name="FreeBytes">Free device memory: the driver's figure on CUDA; elsewhere the device's memory less this pool's buffers.</param>
/// <param name="LiveBytes">Bytes of the buffers this pool holds.</param>
/// <param name="ByActor">Of those, the bytes each actor's buffers hold, by uid (actors holding none are left out).</param>
[GenerateSerializer, Immutable, Alias("xoscar.GpuMemorySample")]
internal sealed record GpuMemorySample(
    [property: Id(0)] long FreeBytes,
    [property: Id(1)] long LiveBytes,
    [property: Id(2)] IReadOnlyDictionary<string, long> ByActor);
