using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Gpu;

/// <summary>Answers for its pool's <see cref="GpuAccelerator"/>, if the pool has one.</summary>
[PoolAddressPlacement]
internal sealed class GpuPoolGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, IGpuPoolGrain
{
    public Task<GpuPoolInfo?> Describe() =>
        Task.FromResult(services.GetService<GpuAccelerator>()?.Describe(PoolAddresses.Of(silo.SiloAddress)));
}
