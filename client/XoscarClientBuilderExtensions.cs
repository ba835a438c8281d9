using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Xoscar.Orleans;

/// <summary>Adds the Xoscar façade to an Orleans client.</summary>
public static class XoscarClientBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="IActorContext"/> available in the client's services, talking to the pools of the cluster
    /// the client connects to. Set <see cref="XoscarClientOptions.DefaultAddress"/> to create actors without naming a pool.
    /// </summary>
    public static IClientBuilder AddXoscar(this IClientBuilder builder, Action<XoscarOptions>? configure = null, Action<XoscarClientOptions>? configureClient = null)
    {
        builder.Services.AddXoscarFacade(configure);
        var client = builder.Services.AddOptions<XoscarClientOptions>();
        if (configureClient is not null) client.Configure(configureClient);
        builder.Services.AddSingleton<IDefaultPoolAddress, ConfiguredDefaultPoolAddress>();
        builder.Services.Configure<ClientMessagingOptions>(o =>
        {
            o.WaitForCancellationAcknowledgement = true;
            o.CancelRequestOnTimeout = true;
        });
        return builder;
    }

    private sealed class ConfiguredDefaultPoolAddress(IOptions<XoscarClientOptions> options) : IDefaultPoolAddress
    {
        public string? Address => options.Value.DefaultAddress;
    }
}

/// <summary>Options of the façade in an Orleans client (outside any pool).</summary>
public sealed class XoscarClientOptions
{
    /// <summary>The pool used when a call names no address; none when null.</summary>
    public string? DefaultAddress { get; set; }
}
