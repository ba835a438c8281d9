using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>Creates the pool's accelerator while the silo starts, so a missing device fails the start, not the first actor.</summary>
internal sealed class GpuPoolLifecycle(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<GpuPoolLifecycle>(ServiceLifecycleStage.RuntimeInitialize, _ =>
        {
            services.GetRequiredService<GpuAccelerator>();
            return Task.CompletedTask;
        });
}
