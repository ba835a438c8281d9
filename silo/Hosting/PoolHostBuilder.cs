using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Builds the host of one pool: an Orleans silo with the membership and TLS of its settings, console logging
/// and <see cref="XoscarSiloBuilderExtensions.AddXoscar"/>. Shared by the embedded pool, the main pool of an
/// <see cref="ActorPool"/> and the <c>xoscar-pool</c> process.
/// </summary>
internal static class PoolHostBuilder
{
    public static IHost Build(PoolHostSettings settings)
    {
        var builder = new HostBuilder()
            .ConfigureLogging(logging => logging
                .AddSimpleConsole(c => c.SingleLine = true)
                .SetMinimumLevel(settings.LogLevel)
                // Start-up notes about server GC and a slow first watchdog pass say nothing about the pool.
                .AddFilter("Orleans.Runtime.Silo", LogLevel.Error)
                .AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error))
            .UseOrleans(silo =>
            {
                settings.Membership.Apply(silo, settings);
                if (settings.Ports is { } ports) ClaimedPortListenerFactory.Use(silo, ports);
                if (settings.Tls is { } tls) silo.UseXoscarTls(tls);
                silo.Configure<EndpointOptions>(e => e.AdvertisedIPAddress = settings.Endpoint.Address)
                    .AddXoscar(options =>
                    {
                        // A pool on loopback has all its peers on this machine: blobs can go through shared memory.
                        options.SharedMemory = IPAddress.IsLoopback(settings.Endpoint.Address);
                        settings.Configure?.Invoke(options);
                        options.ClusterSecret = settings.Secret;
                    });
                if (settings.OrleansActivities) silo.AddActivityPropagation();
                // A main pool (or a stand-alone one) hosts the pool events stream; a pool that joins one uses its host's.
                silo.AddPoolEvents(hub: settings.Identity is { Kind: PoolKind.Main } || (settings.Identity is null && settings.Primary is null));
                if (settings.Identity is { } identity)
                {
                    silo.UseSiloMetadata(PoolMetadata.Describe(identity.Describe(settings.Endpoint, settings.GatewayPort)));
                    silo.Services.AddSingleton(identity);
                }
                if (settings.BeforeJoin is { } turn) silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new JoinCue(turn, settings.Standby));
                foreach (var assembly in settings.ActorAssemblies ?? [])
                {
                    ActorAssemblies.Register(silo.Services, assembly);
                }

                settings.ConfigureSilo?.Invoke(silo);
            });
        settings.ConfigureHost?.Invoke(builder);
        return builder.Build();
    }
}
