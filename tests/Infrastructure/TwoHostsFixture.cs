using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// One cluster of two hosts kept in Redis: two actor pools, each a main pool and a sub pool labelled "worker", one on
/// 127.0.0.1 ("host A") and one on 127.0.0.2 ("host B"), started apart with the same membership store and cluster id,
/// as two machines would be; host B re-creates the actors of a sub pool that dies. Nothing starts where Redis is
/// missing (the tests then skip).
/// </summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    public const string ClusterId = "two-hosts-test";
    public const string Label = "worker";

    /// <summary>The secret both hosts share, as the hosts of one cluster must.</summary>
    public static readonly string Secret = ClusterSecret.Generate();

    private RedisServer? _redis;
    private ActorPool? _hostA;
    private ActorPool? _hostB;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException(RedisServer.Missing ?? "Redis is not started.");

    public ActorPool HostA => _hostA ?? throw new InvalidOperationException(RedisServer.Missing ?? "Host A is not started.");

    public ActorPool HostB => _hostB ?? throw new InvalidOperationException(RedisServer.Missing ?? "Host B is not started.");

    public async Task InitializeAsync()
    {
        if (RedisServer.Missing is not null) return;
        _redis = await RedisServer.StartAsync();
        _hostA = await ActorPool.CreateAsync(Options("127.0.0.1:0"));
        var hostB = Options("127.0.0.2:0");
        hostB.AutoRecover = SubPoolRecovery.Actors;
        _hostB = await ActorPool.CreateAsync(hostB);
    }

    private ActorPoolOptions Options(string address) => new()
    {
        Address = address,
        SubPools = 1,
        Labels = ["main", Label],
        ClusterId = ClusterId,
        Membership = PoolMembership.Redis(Redis.ConnectionString),
        Secret = Secret,
    };

    public async Task DisposeAsync()
    {
        if (_hostB is not null) await ProcessCleanup.StopAsync(_hostB);
        if (_hostA is not null) await ProcessCleanup.StopAsync(_hostA);

        if (_redis is not null) await _redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoHostsCollection : ICollectionFixture<TwoHostsFixture>
{
    public const string Name = "two hosts";
}
