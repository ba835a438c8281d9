using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Silo;
using Xunit;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// One two-pool Orleans test cluster for the whole run (silos start once), with a client outside both pools.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime, ITwoPoolCluster
{
    /// <summary>Tells may queue this many calls at one actor before a tell waits: small, so back-pressure is testable.</summary>
    public const int MailboxCapacity = 8;

    /// <summary>A call holding a lock longer is logged: short, so the warning is testable.</summary>
    public static readonly TimeSpan SlowCallWarning = TimeSpan.FromMilliseconds(300);

    /// <summary>The secret of the cluster, which its silos and client prove on every connection.</summary>
    public const string Secret = "shared-cluster-fixture-secret-7f3a9c";

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>The façade of the client that runs outside both pools.</summary>
    public IActorContext Client => Cluster.Client.ServiceProvider.GetRequiredService<IActorContext>();

    /// <summary>The address of the first pool (the client's default).</summary>
    public string Pool0 => PoolAddresses.Of(Cluster.Silos[0].SiloAddress);

    /// <summary>The address of the second pool.</summary>
    public string Pool1 => PoolAddresses.Of(Cluster.Silos[1].SiloAddress);

    /// <summary>Everything the pools logged at warning level or above.</summary>
    public PoolLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddXoscar(o =>
            {
                o.ClusterSecret = Secret;
                o.MaxQueuedCallsPerActor = MailboxCapacity;
                o.SharedMemory = true;   // every pool and the client run on this machine
                o.SlowCallWarning = SlowCallWarning;
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
            silo.Services.AddLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Warning));
        });
        builder.ConfigureClient(client =>
        {
            client.AddXoscar(o =>
            {
                o.ClusterSecret = Secret;
                o.SharedMemory = true;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
