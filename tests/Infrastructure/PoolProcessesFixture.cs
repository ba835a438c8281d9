using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// One actor pool of three processes for the tests that need real processes: the main pool in the test process,
/// two sub pools labelled "worker" with an env each, pinned to cores 0 and 1; the second is a GPU pool on ILGPU's CPU accelerator. Stopped at the end; its sub pools would also end with the test process.
/// </summary>
public sealed class PoolProcessesFixture : IAsyncLifetime
{
    public const string SubPoolLabel = "worker";
    public const string EnvName = "XOSCAR_TEST_POOL";

    private ActorPool? _pool;

    public ActorPool Pool => _pool ?? throw new InvalidOperationException("The pool is not started.");

    /// <summary>What the main pool logs at warning level and above (its sub pools' lines among it).</summary>
    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 2,
            ClusterId = "pool-processes-test",
            Labels = ["main", SubPoolLabel, SubPoolLabel],
            Envs = [new Dictionary<string, string> { [EnvName] = "one" }, new Dictionary<string, string> { [EnvName] = "two" }],
            Cores = [0, 1],
            Gpus = [null, "cpu"],
            ConfigureMainPoolHost = host => host.ConfigureLogging(logging => logging.AddProvider(Logs)),
        });
    }

    public async Task DisposeAsync()
    {
        if (_pool is not null) await ProcessCleanup.StopAsync(_pool);
    }
}

[CollectionDefinition(Name)]
public sealed class PoolProcessesCollection : ICollectionFixture<PoolProcessesFixture>
{
    public const string Name = "pool processes";
}
