using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Silo.Runtime;
using Xoscar.Orleans.Transfers;

namespace Xoscar.Orleans.Silo;

/// <summary>Turns an Orleans silo into a Xoscar actor pool.</summary>
public static class XoscarSiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo an actor pool: actors can be created in it (its address is its silo endpoint,
    /// <c>host:port</c>), and <see cref="IActorContext"/> is available to its actors and to the hosting process.
    /// Works on a silo of an existing Orleans application too. Every connection of the silo — from clients, to and from
    /// other silos — then proves the cluster's secret, <see cref="XoscarOptions.ClusterSecret"/>, which must be set (the
    /// same on every silo and client of the cluster); a silo without one fails to start, saying so.
    /// </summary>
    public static ISiloBuilder AddXoscar(this ISiloBuilder builder, Action<XoscarOptions>? configure = null)
    {
        builder.AddXoscarPlacement();
        var services = builder.Services;
        services.AddSingleton<ActorRegistry>();
        services.AddSingleton<IActorRegistry>(sp => sp.GetRequiredService<ActorRegistry>());
        services.AddSingleton<RecoverableActors>();
        services.AddSingleton<PoolCallers>();
        services.AddSingleton(static sp => new TransferTargets(PoolAddresses.Of(sp.GetRequiredService<ILocalSiloDetails>().SiloAddress)));
        services.AddSingleton<LockWatch>();
        services.AddSingleton<PoolEventLog>();
        services.AddSingleton<IPoolEventSink>(static sp => sp.GetRequiredService<PoolEventLog>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static sp => sp.GetRequiredService<PoolEventLog>());
        services.AddSingleton<NativeHeapTrim>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static sp => sp.GetRequiredService<NativeHeapTrim>());
        services.AddMetrics();
        services.AddSingleton<ActorMetrics>();
        services.AddSingleton<IConfigureGrainTypeComponents, ActorActivatorConfigurator>();
        services.AddSingleton<IDefaultPoolAddress, LocalPoolAddress>();
        services.AddXoscarFacade(configure);
        // Xoscar's cancellation: a cancelled caller gets what the method made of it (its value, or the
        // cancellation), and a call that times out is cancelled at the actor rather than left running.
        builder.Configure<SiloMessagingOptions>(o =>
        {
            o.WaitForCancellationAcknowledgement = true;
            o.CancelRequestOnTimeout = true;
        });
        services.AddSingleton<RefusedPeers>();
        services.AddSingleton<IPostConfigureOptions<SiloConnectionOptions>, ClusterSecretGate>();
        return builder;
    }

    /// <summary>
    /// Makes every connection of this pool TLS with mutual authentication — to and from other pools, and from clients —
    /// trusting peers as <paramref name="tls"/> says. Every pool and client of the cluster needs it.
    /// </summary>
    /// <exception cref="ArgumentException">The certificate or authority file cannot be read (named in the message).</exception>
    public static ISiloBuilder UseXoscarTls(this ISiloBuilder builder, PoolTls tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        return builder.UseTls(tls.Configure);
    }

    private sealed class LocalPoolAddress(ILocalSiloDetails silo) : IDefaultPoolAddress
    {
        public string? Address { get; } = PoolAddresses.Of(silo.SiloAddress);

        public bool IsThisPool => true;
    }
}
