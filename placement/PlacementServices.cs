using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;
using Orleans.Runtime.Hosting;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// Registers what decides where actors live and finds them there: the allocation strategies' choice and the holds it
/// keeps (with the GPU pools' memory samples), the director that places grains by pool address, the pools' directory,
/// and its cache.
/// </summary>
internal static class PlacementServices
{
    public static ISiloBuilder AddXoscarPlacement(this ISiloBuilder builder)
    {
        builder.Services.AddSingleton<PoolDirectory>();
        builder.Services.AddSingleton<PoolAllocator>();
        builder.Services.AddSingleton<ActorPlacement>();
        builder.Services.AddSingleton<GpuMemorySamples>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<GpuMemorySamples>());
        builder.AddPlacementDirector<PoolAddressPlacement, PoolAddressPlacementDirector>();
        builder.Services.AddSingleton<PoolAddressGrainDirectory>();
        builder.AddGrainDirectory(PoolAddressPlacement.DirectoryName, static (services, _) => services.GetRequiredService<PoolAddressGrainDirectory>());

        // Orleans' locator for custom directories takes a cache from DI where there is one. A cache the application
        // registered serves its other grains behind ours; without one, the LRU cache Orleans would have made does.
        var services = builder.Services;
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IGrainDirectoryCache) && !d.IsKeyedService);
        if (registered is not null) services.Remove(registered);
        services.AddSingleton(sp => new PoolAddressDirectoryCache(sp.GetRequiredService<PoolAddressedGrains>(), sp.GetRequiredService<IClusterMembershipService>(), Others(sp, registered)));
        services.AddSingleton<IGrainDirectoryCache>(sp => sp.GetRequiredService<PoolAddressDirectoryCache>());
        return builder;
    }

    private static IGrainDirectoryCache Others(IServiceProvider services, ServiceDescriptor? registered)
    {
        if (registered is not null)
        {
            return (IGrainDirectoryCache)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(services)
                ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
        }

        var options = services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;
        return GrainDirectoryCacheFactory.CreateGrainDirectoryCache(services, new GrainDirectoryOptions
        {
            CacheSize = options.CacheSize,
            MaximumCacheTTL = options.MaximumCacheTTL,
            // "Custom" would resolve this cache from DI again: ours.
            CachingStrategy = GrainDirectoryOptions.CachingStrategyType.LRU,
        });
    }
}
