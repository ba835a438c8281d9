using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Gpu;

/// <summary>Makes an actor pool GPU-bound.</summary>
public static class XoscarGpuSiloBuilderExtensions
{
    /// <summary>
    /// Binds this pool (silo) to one device: it creates one ILGPU accelerator for it when the silo starts (a missing
    /// device fails the start) and disposes it with the silo. Actors of the pool take <see cref="GpuAccelerator"/> in
    /// their constructor; <see cref="GpuBuffer{T}"/> arguments and results follow the ownership rules described there,
    /// and the buffers an actor still owns are freed when it is destroyed. In an actor pool, the pool's device is part of
    /// its config, and <see cref="GpuPool"/> places actors in it. Call it alongside <c>AddXoscar()</c>.
    /// </summary>
    /// <example><code>siloBuilder.AddXoscar().AddXoscarGpu(o => o.Device = "0");</code></example>
    public static ISiloBuilder AddXoscarGpu(this ISiloBuilder builder, Action<GpuPoolOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<GpuPoolOptions>();
        if (configure is not null) options.Configure(configure);
        builder.Services.AddSingleton(sp => new GpuAccelerator(
            sp.GetRequiredService<IOptions<GpuPoolOptions>>().Value.Device,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<GpuAccelerator>())
        {
            Transfers = sp.GetService<Xoscar.Orleans.Transfers.TransferTargets>(),
            Sender = sp.GetService<Xoscar.Orleans.Transfers.TransferSender>(),
            PoolAddress = PoolAddresses.Of(sp.GetRequiredService<ILocalSiloDetails>().SiloAddress),
            GrainContexts = sp.GetRequiredService<IGrainContextAccessor>(),
        });
        builder.Services.AddSingleton<IConfigureGrainContextProvider, GpuBuffersOfDestroyedActors>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, GpuPoolLifecycle>();
        builder.Services.AddSingleton<GpuBufferHandOffFilter>();
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<GpuBufferHandOffFilter>());
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<GpuBufferHandOffFilter>());
        return builder;
    }
}
