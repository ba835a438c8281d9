using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Testing;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// One actor pool of three processes for the tests that need real processes (the testing package's fixture): the
/// main pool in the test process, two sub pools labelled "worker" with an env each, pinned to cores 0 and 1; the
/// second is a GPU pool on ILGPU's CPU accelerator.
/// </summary>
public sealed class PoolProcessesFixture : ActorPoolFixture
{
    public const string SubPoolLabel = "worker";
    public const string EnvName = "XOSCAR_TEST_POOL";

    protected override void Configure(ActorPoolOptions options)
    {
        options.SubPools = 2;
        options.ClusterId = "pool-processes-test";
        options.Labels = ["main", SubPoolLabel, SubPoolLabel];
        options.Envs = [new Dictionary<string, string> { [EnvName] = "one" }, new Dictionary<string, string> { [EnvName] = "two" }];
        options.Cores = [0, 1];
        options.Gpus = [null, "cpu"];
    }
}

[CollectionDefinition(Name)]
public sealed class PoolProcessesCollection : ICollectionFixture<PoolProcessesFixture>
{
    public const string Name = "pool processes";
}
