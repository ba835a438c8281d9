using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>Registers the façade in a silo's or a client's services.</summary>
internal static class XoscarFacadeServices
{
    public static IServiceCollection AddXoscarFacade(this IServiceCollection services, Action<XoscarOptions>? configure)
    {
        var options = services.AddOptions<XoscarOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IActorContext, ActorContext>();
        DecorateGrainReferenceRuntime(services);
        return services;
    }

    // Orleans registers its grain-reference runtime with TryAdd when the silo or client builder is created;
    // wrap that registration so every proxy built by this container goes through ours.
    private static void DecorateGrainReferenceRuntime(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IGrainReferenceRuntime))
            ?? throw new InvalidOperationException("AddXoscar must be called on an Orleans silo or client builder (no IGrainReferenceRuntime is registered).");
        if (original.ImplementationType == typeof(XoscarGrainReferenceRuntime)) return;
        services.Remove(original);
        services.AddSingleton<IGrainReferenceRuntime>(sp =>
        {
            var inner = original.ImplementationFactory?.Invoke(sp)
                ?? original.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            return ActivatorUtilities.CreateInstance<XoscarGrainReferenceRuntime>(sp, (IGrainReferenceRuntime)inner);
        });
    }
}
