using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Actor pools on several hosts form one cluster through a membership store (Redis): actors call each other across
/// hosts by address, while each host's main pool keeps deciding for its own pools (allocation, pool config).
/// </summary>
[Collection(TwoHostsCollection.Name)]
public sealed class MultiHostClusterTests(TwoHostsFixture hosts)
{
    private static string NewUid() => "u" + Guid.NewGuid().ToString("N");

    [RedisFact]
    public async Task Actor_created_from_one_host_in_a_sub_pool_of_the_other_is_called_from_both()
    {
        var counter = await hosts.HostA.Context.CreateActorAsync<Counter, ICounter>([10], NewUid(), hosts.HostB.Addresses[1]);

        Assert.Equal(11, await counter.Add(1));
        var fromHostB = await hosts.HostB.Context.ActorRefAsync<ICounter>(hosts.HostB.Addresses[1], counter.GetActorId().Uid);
        Assert.Equal(13, await fromHostB.Add(2));
    }

    [RedisFact]
    public async Task Actors_on_two_hosts_call_each_other()
    {
        var counter = await hosts.HostB.Context.CreateActorAsync<Counter, ICounter>([0], NewUid());
        var probe = await hosts.HostA.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(address: hosts.HostA.Addresses[1]);

        Assert.Equal(5, await probe.AddTo(counter, 5));
        Assert.Equal(hosts.HostA.SubPoolProcessIds[0], await probe.ProcessId());
    }

    [RedisFact]
    public async Task Pool_config_of_an_address_lists_the_actor_pool_of_that_host()
    {
        var hostA = await hosts.HostA.Context.GetPoolConfigAsync();
        var hostB = await hosts.HostA.Context.GetPoolConfigAsync(hosts.HostB.Addresses[1]);

        Assert.Equal(hosts.HostA.Addresses, hostA.Select(p => p.Address));
        Assert.Equal(hosts.HostB.Addresses, hostB.Select(p => p.Address));
        Assert.All(hostB, p => Assert.Equal(hosts.HostB.Address, p.MainAddress));
        Assert.Equal([PoolKind.Main, PoolKind.Sub], hostB.Select(p => p.Kind));
    }

    [RedisFact]
    public async Task Allocation_stays_within_the_actor_pool_of_the_pool_asked()
    {
        var xo = hosts.HostA.Context;
        var fromHostA = new List<string>();
        var fromHostB = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            fromHostA.Add((await xo.CreateActorAsync<Counter, ICounter>(new RandomLabel(TwoHostsFixture.Label), [0], NewUid())).GetActorId().Address);
            fromHostB.Add((await xo.CreateActorAsync<Counter, ICounter>(new RandomSubPool(), [0], NewUid(), address: hosts.HostB.Address)).GetActorId().Address);
        }

        var mainOfHostB = await xo.CreateActorAsync<Counter, ICounter>(new MainPool(), [0], NewUid(), address: hosts.HostB.Addresses[1]);

        Assert.All(fromHostA, a => Assert.Equal(hosts.HostA.Addresses[1], a));
        Assert.All(fromHostB, a => Assert.Equal(hosts.HostB.Addresses[1], a));
        Assert.Equal(hosts.HostB.Address, mainOfHostB.GetActorId().Address);
    }

    [RedisFact]
    public async Task Client_finds_the_pools_of_both_hosts_through_redis()
    {
        await using var client = await ActorClient.ConnectAsync(new ActorClientOptions
        {
            Membership = PoolMembership.Redis(hosts.Redis.ConnectionString),
            ClusterId = TwoHostsFixture.ClusterId,
            Secret = TwoHostsFixture.Secret,
            DefaultAddress = hosts.HostB.Address,
        });
        var xo = client.Context;
        var onHostA = await xo.CreateActorAsync<Counter, ICounter>([1], NewUid(), hosts.HostA.Addresses[1]);
        var onHostB = await xo.CreateActorAsync<ProcessProbe, IProcessProbe>(new RandomSubPool());

        Assert.Equal(hosts.HostB.SubPoolProcessIds[0], await onHostB.ProcessId());
        Assert.Equal(3, await onHostB.AddTo(onHostA, 2));
    }

    [RedisFact]
    public async Task Killing_an_actor_of_another_host_kills_its_sub_pool_and_that_host_recovers_it()
    {
        var subPool = hosts.HostB.Addresses[1];
        var killedProcess = hosts.HostB.SubPoolProcessIds[0];
        var counter = await hosts.HostA.Context.CreateActorAsync<Counter, ICounter>([10], NewUid(), subPool);
        await counter.Add(5);

        await hosts.HostA.Context.KillActorAsync(counter);

        await hosts.HostB.WaitPoolRecoveredAsync(subPool).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(ProcessCleanup.HasEnded(killedProcess));
        Assert.NotEqual(killedProcess, hosts.HostB.SubPoolProcessIds[0]);
        Assert.Equal(11, await counter.Add(1));   // re-created by host B from its spec: same arguments, fresh state
    }
}
