using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Frees the buffers an actor of a GPU pool still owns when it is destroyed (its activation ends): the device memory
/// comes back whatever the actor forgot to dispose.
/// </summary>
internal sealed class GpuBuffersOfDestroyedActors(GrainClassMap grainClasses, IServiceProvider services, ILogger<GpuBuffersOfDestroyedActors> logger)
    : IConfigureGrainContextProvider, IConfigureGrainContext
{
    public bool TryGetConfigurator(GrainType grainType, GrainProperties properties, [NotNullWhen(true)] out IConfigureGrainContext? configurator)
    {
        configurator = grainClasses.TryGetGrainClass(grainType, out var grainClass) && typeof(ActorBase).IsAssignableFrom(grainClass) ? this : null;
        return configurator is not null;
    }

    public void Configure(IGrainContext context)
    {
        // Marks the activation as an actor's, whose buffers are its own from its constructor on (see GpuAccelerator.Allocate).
        var owners = services.GetRequiredService<GpuAccelerator>().Owners;
        context.SetComponent(owners);
        // The first stage stops last: after the actor's own deactivation, which may still use its buffers.
        context.ObservableLifecycle.Subscribe(nameof(GpuBuffersOfDestroyedActors), GrainLifecycleStage.First, _ => Task.CompletedTask, _ =>
        {
            var (buffers, bytes) = owners.FreeAll(context.GrainId);
            if (buffers > 0) GpuLog.BuffersFreedWithActor(logger, context.GrainId, buffers, bytes);
            return Task.CompletedTask;
        });
    }
}
