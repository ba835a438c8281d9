using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class PoolClientTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    [Fact]
    public async Task Client_connected_to_a_sub_pool_process_by_its_gateway_creates_and_calls_actors_across_pools()
    {
        var pool = Pool;
        var subPool = (await Xo.GetPoolConfigAsync())[1];
        await using var client = await ActorClient.ConnectAsync(new ActorClientOptions
        {
            Gateways = { $"127.0.0.1:{subPool.GatewayPort}" },
            ConnectionFile = pool.ConnectionFile,   // the secret; the gateway given wins over the file's
            DefaultAddress = subPool.Address,
        });
        var xo = client.Context;

        var local = await xo.CreateActorAsync<ProcessProbe, IProcessProbe>();   // the default: the pool connected to
        var inMainPool = await xo.CreateActorAsync<ProcessProbe, IProcessProbe>(new MainPool());
        var counter = await xo.CreateActorAsync<Counter, ICounter>([5], address: pool.Addresses[2]);

        Assert.Equal(subPool.ProcessId, await local.ProcessId());
        Assert.Equal(Environment.ProcessId, await inMainPool.ProcessId());
        Assert.Equal(6, await counter.Add(1));
        Assert.Equal(8, await local.AddTo(counter, 2));
        Assert.Equal(pool.Addresses, (await xo.GetPoolConfigAsync()).Select(p => p.Address));
    }
}
