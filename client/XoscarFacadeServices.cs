using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
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
        var options = services.AddOptions<XoscarOptions>().ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<XoscarOptions>, ClusterSecretRequired>());
        services.AddSingleton<IActorContext, ActorContext>();
        services.AddSingleton<TellSender>();
        services.AddSingleton<ActorReferences>();
        services.AddSingleton<SharedMemoryChannel>();
        services.AddSingleton<TransferSender>();
        services.AddSingleton<PoolAddressedGrains>();
        services.AddSingleton<PoolObituaries>();
        services.AddSingleton<OutageLog>();
        services.AddSingleton<IOutgoingGrainCallFilter, CallFailureFilter>();
        // After CallFailureFilter, so that a call it sends again passes this filter again (its arrays written afresh).
        services.AddSingleton<LargeArrayFilter>();
        services.AddSingleton<IOutgoingGrainCallFilter>(static sp => sp.GetRequiredService<LargeArrayFilter>());
        services.AddSingleton<IIncomingGrainCallFilter>(static sp => sp.GetRequiredService<LargeArrayFilter>());
        services.AddSingleton<ClusterConnection>();
        // Orleans traces every failed message at warning or error level: during an outage under load, tens of thousands
        // of entries with stack traces. The failures reach their callers as typed errors, and OutageLog counts them.
        services.Configure<LoggerFilterOptions>(o =>
        {
            o.AddFilter("Orleans.Messaging", LogLevel.Critical);
            o.AddFilter("Orleans.Runtime.CallbackData", LogLevel.Critical);
        });
        services.AddSingleton<MissingSerializerFallback>();
        services.AddSingleton<IGeneralizedCodec>(static sp => sp.GetRequiredService<MissingSerializerFallback>());
        services.AddSingleton<IGeneralizedCopier>(static sp => sp.GetRequiredService<MissingSerializerFallback>());
        return services;
    }
}
