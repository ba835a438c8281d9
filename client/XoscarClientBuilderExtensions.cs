using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>Adds the Xoscar façade to an Orleans client.</summary>
public static class XoscarClientBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="IActorContext"/> available in the client's services, talking to the pools of the cluster
    /// the client connects to. Set <see cref="XoscarClientOptions.DefaultAddress"/> to create actors without naming a pool.
    /// The client proves the cluster's secret, <see cref="XoscarOptions.ClusterSecret"/> (required), on every connection.
    /// </summary>
    /// <exception cref="ClusterSecretRejectedException">At connect: a pool refused the client's secret; Orleans' retries stop at once.</exception>
    public static IClientBuilder AddXoscar(this IClientBuilder builder, Action<XoscarOptions>? configure = null, Action<XoscarClientOptions>? configureClient = null)
    {
        builder.Services.AddXoscarFacade(configure);
        var client = builder.Services.AddOptions<XoscarClientOptions>();
        if (configureClient is not null) client.Configure(configureClient);
        builder.Services.AddSingleton<IDefaultPoolAddress, ConfiguredDefaultPoolAddress>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(static sp =>
        {
            var connection = sp.GetRequiredService<ClusterConnection>();
            connection.Watch();
            return connection;
        });
        builder.Services.Configure<ClientMessagingOptions>(o =>
        {
            o.WaitForCancellationAcknowledgement = true;
            o.CancelRequestOnTimeout = true;
        });
        // After every other connection middleware (TLS among them): the secret is proven inside TLS where it is used.
        builder.Services.PostConfigure<ClientConnectionOptions>(o => o.ConfigureConnection(c => c.UseClusterSecretProof("client")));
        RefusalRetryFilter.Install(builder.Services);
        // Pool events are read from their stream (IActorContext.WatchPoolEventsAsync); the provider costs nothing until then.
        builder.AddMemoryStreams(PoolEventStream.ProviderName);
        return builder;
    }

    /// <summary>
    /// Connects to the pools over TLS, as they were started with the same <paramref name="tls"/>: the client presents
    /// its certificate (pools refuse a client without a trusted one) and accepts only pools with a trusted one.
    /// </summary>
    /// <exception cref="ArgumentException">The certificate or authority file cannot be read (named in the message).</exception>
    /// <exception cref="TlsHandshakeFailedException">At connect: a pool did not accept the client's certificate, or the client did not trust the pool's.</exception>
    public static IClientBuilder UseXoscarTls(this IClientBuilder builder, PoolTls tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var options = new TlsOptions();
        tls.Configure(options);
        return builder.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(connection =>
        {
            connection.UseTlsFailureReport(tls);
            connection.UseClientTls(options);
        }));
    }

    private sealed class ConfiguredDefaultPoolAddress(IOptions<XoscarClientOptions> options) : IDefaultPoolAddress
    {
        public string? Address { get; } = options.Value.DefaultAddress is { } address
            ? PoolAddressFormat.Check(address, nameof(XoscarClientOptions.DefaultAddress))
            : null;

        public bool IsThisPool => false;
    }
}

/// <summary>Options of the façade in an Orleans client (outside any pool).</summary>
public sealed class XoscarClientOptions
{
    /// <summary>The pool used when a call names no address (<c>host:port</c>, checked when the façade is first used); none when null.</summary>
    public string? DefaultAddress { get; set; }
}
