using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Two GPU pools, both bound to ILGPU's CPU accelerator, with a client outside them. A cluster of its own: the
/// shared two-pool cluster is not GPU-bound (and doubles as the "no GPU pool" case).
/// </summary>
public sealed class GpuClusterFixture : IAsyncLifetime, ITwoPoolCluster
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The GPU cluster is not started.");

    /// <summary>The façade of the client outside both pools (no GPU there).</summary>
    public IActorContext Client => Cluster.Client.ServiceProvider.GetRequiredService<IActorContext>();

    public string Pool0 => PoolAddresses.Of(Cluster.Silos[0].SiloAddress);

    public string Pool1 => PoolAddresses.Of(Cluster.Silos[1].SiloAddress);

    /// <summary>The accelerator of pool <paramref name="index"/>, for reading its ledger and kernel cache.</summary>
    public GpuAccelerator Gpu(int index) => Services(index).GetRequiredService<GpuAccelerator>();

    /// <summary>The services of pool <paramref name="index"/>.</summary>
    public IServiceProvider Services(int index) => ((InProcessSiloHandle)Cluster.Silos[index]).ServiceProvider;

    // Buffers of 256 floats and more cross pools through shared memory, smaller ones in the message: tests see both.
    private static void SharedMemoryFromOneKiB(XoscarOptions options)
    {
        options.ClusterSecret = ClusterFixture.Secret;
        options.SharedMemory = true;
        options.SharedMemoryThreshold = 1024;
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddXoscar(SharedMemoryFromOneKiB).AddXoscarGpu(o => o.Device = "cpu");
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
        });
        builder.ConfigureClient(client =>
        {
            client.AddXoscar(SharedMemoryFromOneKiB);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
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
public sealed class GpuClusterCollection : ICollectionFixture<GpuClusterFixture>
{
    public const string Name = "gpu-cluster";
}

/// <summary>A test class on the two-GPU-pool cluster.</summary>
[Collection(GpuClusterCollection.Name)]
public abstract class GpuClusterTest(GpuClusterFixture fixture) : TwoPoolTest<GpuClusterFixture>(fixture)
{
    /// <summary>Distinct, non-zero test data: <c>scale * (i + 1)</c>.</summary>
    protected static float[] Ramp(int length, float scale) => Enumerable.Range(1, length).Select(i => scale * i).ToArray();
}
