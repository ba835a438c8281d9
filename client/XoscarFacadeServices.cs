using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Serializers;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.SharedMemory;
using Xoscar.Orleans.Transfers;

namespace Xoscar.Orleans;

/// <summary>Registers the façade in a silo's or a client's services.</summary>
internal static class XoscarFacadeServices
{
    public static IServiceCollection AddXoscarFacade(this IServiceCollection services, Action<XoscarOptions>? configure)
    {
        var options = services.AddOptions<XoscarOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IActorContext, ActorContext>();
        services.AddSingleton<TellSender>();
        services.AddSingleton<ActorReferences>();
        services.AddSingleton<SharedMemoryChannel>();
        services.AddSingleton<TransferSender>();
        services.AddSingleton<MissingSerializerFallback>();
        services.AddSingleton<IGeneralizedCodec>(static sp => sp.GetRequiredService<MissingSerializerFallback>());
        services.AddSingleton<IGeneralizedCopier>(static sp => sp.GetRequiredService<MissingSerializerFallback>());
        return services;
    }
}
