using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>Answers its main pool's placement for the pool's device memory.</summary>
[PoolAddressPlacement]
internal sealed class GpuPoolGrain(GpuAccelerator gpu) : Grain, IGpuPoolGrain
{
    public Task<GpuMemorySample> Sample() => Task.FromResult(gpu.Sample());
}
