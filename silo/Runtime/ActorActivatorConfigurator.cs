using Orleans.Metadata;
using Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>Gives every actor class the <see cref="ActorGrainActivator"/> in place of Orleans' default activator.</summary>
internal sealed class ActorActivatorConfigurator(GrainClassMap grainClasses, ActorRegistry registry) : IConfigureGrainTypeComponents
{
    public void Configure(GrainType grainType, GrainProperties properties, GrainTypeSharedContext shared)
    {
        if (grainClasses.TryGetGrainClass(grainType, out var grainClass) && typeof(ActorBase).IsAssignableFrom(grainClass))
        {
            shared.SetComponent<IGrainActivator>(new ActorGrainActivator(grainClass, registry));
        }
    }
}
